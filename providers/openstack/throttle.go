package openstack

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2"
)

// throttleBudgetKey keys a call's *throttleBudget in its context.
type throttleBudgetKey struct{}

// throttleBudget is how long one driver call has waited after refusals for
// rate.
type throttleBudget struct {
	mu     sync.Mutex
	waited time.Duration
}

// withBudget gives ctx a fresh throttle budget, once per driver call.
func withBudget(ctx context.Context) context.Context {
	if _, ok := ctx.Value(throttleBudgetKey{}).(*throttleBudget); ok {
		return ctx
	}
	return context.WithValue(ctx, throttleBudgetKey{}, &throttleBudget{})
}

// throttleBackoff is gophercloud's RetryBackoffFunc: after a 429 (which
// means the cloud did not run the request, so resending is safe, creates
// included) it waits Retry-After (or an exponential backoff from 100 ms up
// to 5 s), cut to what is left of ThrottleMaxWait, and lets gophercloud
// resend; once the call has waited ThrottleMaxWait in all it returns the
// 429, which maps to compute.ErrThrottled.
func (d *Driver) throttleBackoff(ctx context.Context, respErr *gophercloud.ErrUnexpectedResponseCode, _ error, failCount uint) error {
	wait := retryAfter(respErr.ResponseHeader.Get("Retry-After"))
	if wait <= 0 {
		wait = 100 * time.Millisecond << min(failCount-1, 6)
		wait = min(wait, 5*time.Second)
	}
	b, _ := ctx.Value(throttleBudgetKey{}).(*throttleBudget)
	if b == nil || d.opts.ThrottleMaxWait < 0 {
		return *respErr
	}
	b.mu.Lock()
	left := d.opts.ThrottleMaxWait - b.waited
	if left <= 0 {
		b.mu.Unlock()
		return *respErr
	}
	wait = min(wait, left)
	b.waited += wait
	b.mu.Unlock()
	d.logger.Debug("openstack: throttled; waiting", "url", respErr.URL, "wait", wait)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(h, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(h); err == nil {
		return time.Until(t)
	}
	return 0
}

// ctxTransport reports a request cut short by its context as the context's
// error (context.DeadlineExceeded or Canceled), not the transport's text or
// a cancellation cause, so that callers can tell their own deadline.
type ctxTransport struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil && req.Context().Err() != nil {
		return nil, req.Context().Err()
	}
	return resp, err
}
