package simkit

import (
	"sync"
	"time"
)

// Throttle configures request rate limiting: at most Max requests per
// caller in each Interval window; requests over the limit are refused.
type Throttle struct {
	// Max is the number of requests allowed per interval; zero disables throttling.
	Max int
	// Interval is the window length (1s when zero).
	Interval time.Duration
}

// Window returns the window length.
func (t Throttle) Window() time.Duration {
	if t.Interval <= 0 {
		return time.Second
	}
	return t.Interval
}

// Limiter applies a Throttle with one fixed window per caller key (an
// account, an access key): a key's window starts at its first request and
// lasts the interval; the requests after Max in it are refused, and the next
// request after it starts a new window. It is safe for concurrent use; the
// zero value does not throttle.
type Limiter struct {
	mu      sync.Mutex
	cfg     Throttle
	windows map[string]*window
	refused int
}

type window struct {
	start time.Time
	count int
}

// Set replaces the configuration and forgets every window.
func (l *Limiter) Set(t Throttle) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg = t
	l.windows = nil
}

// Config returns the current configuration.
func (l *Limiter) Config() Throttle {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg
}

// Allow counts one request of key at now and reports whether it is over the
// limit, with the time left until its window ends.
func (l *Limiter) Allow(key string, now time.Time) (wait time.Duration, limited bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg.Max <= 0 {
		return 0, false
	}
	interval := l.cfg.Window()
	if l.windows == nil {
		l.windows = make(map[string]*window)
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= interval {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.count++
	if w.count <= l.cfg.Max {
		return 0, false
	}
	l.refused++
	return w.start.Add(interval).Sub(now), true
}

// Refused returns how many requests Allow has refused since the last
// ResetRefused.
func (l *Limiter) Refused() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused
}

// ResetRefused sets the count of refused requests to zero.
func (l *Limiter) ResetRefused() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refused = 0
}
