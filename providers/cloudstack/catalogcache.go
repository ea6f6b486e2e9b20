package cloudstack

import (
	"context"
	"sync"
	"time"
)

// DefaultCatalogCacheTTL is the default of Settings.CatalogCacheTTL.
const DefaultCatalogCacheTTL = time.Minute

// cached holds one catalogue value fetched once for many callers: the
// value is kept for a time to live, concurrent callers share one fetch in
// flight, and errors are not kept. The zero value is ready to use.
type cached[T any] struct {
	mu      sync.Mutex
	val     T
	expires time.Time // zero: no value
	flight  *flight[T]
}

// flight is a fetch in flight and the callers waiting for it.
type flight[T any] struct {
	done    chan struct{}
	val     T
	err     error
	waiting int
	cancel  context.CancelFunc
}

// get returns the cached value, or fetches it (sharing a fetch in flight).
// ttl <= 0 turns caching off: every call fetches. now is the clock. The
// fetch runs with ctx's values but is cancelled only when every caller
// waiting for it has given up, so one caller's cancelled context does not
// fail the others.
func (c *cached[T]) get(ctx context.Context, ttl time.Duration, now func() time.Time, fetch func(context.Context) (T, error)) (T, error) {
	if ttl <= 0 {
		return fetch(ctx)
	}
	c.mu.Lock()
	if !c.expires.IsZero() && now().Before(c.expires) {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	f := c.flight
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight[T]{done: make(chan struct{}), cancel: cancel}
		c.flight = f
		go c.run(fctx, f, ttl, now, fetch)
	}
	f.waiting++
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		c.mu.Lock()
		f.waiting--
		if f.waiting == 0 {
			f.cancel()
			if c.flight == f {
				c.flight = nil // the next caller starts afresh
			}
		}
		c.mu.Unlock()
		var zero T
		return zero, context.Cause(ctx)
	}
}

// run fetches for a flight and keeps a successful value.
func (c *cached[T]) run(ctx context.Context, f *flight[T], ttl time.Duration, now func() time.Time, fetch func(context.Context) (T, error)) {
	defer f.cancel()
	f.val, f.err = fetch(ctx)
	c.mu.Lock()
	if c.flight == f {
		c.flight = nil
		if f.err == nil {
			c.val, c.expires = f.val, now().Add(ttl)
		}
	}
	c.mu.Unlock()
	close(f.done)
}

// catalogTTL is the catalogue cache's lifetime (CatalogCacheTTL).
func (d *Driver) catalogTTL() time.Duration { return d.settings.CatalogCacheTTL }
