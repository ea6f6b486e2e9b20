package csapi

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Throttling
//
// CloudStack's api-rate-limit plugin counts each account's requests in
// fixed windows (api.throttling.interval, 1 s by default) and refuses those
// over api.throttling.max (25 by default) with HTTP 429, errorcode 429 and
// "... please retry after [<ms>] ms.", before running them. A Client copes
// with it through a governor that every attempt of every call of the Client
// (one driver) goes through:
//
//   - Retry. A command refused with 429 did not run, so it is sent again,
//     writes included, after the announced wait (the text's "[N] ms" or a
//     Retry-After header, whichever is longer; capped exponential backoff
//     when neither is given), within the context and Config.ThrottleMaxWait.
//     When that budget is spent the 429 answer is returned (ErrThrottled).
//   - Gate. One 429 closes a gate for every call of the Client until the
//     announced wait (plus a little jitter) has passed: the server's window
//     is full, so anything sent before it ends would only be refused.
//   - Adaptive pacing. The first 429 of an overload sets a pace of 95% of
//     the rate the server admitted (answers not refused in the last second,
//     or over the announced wait when that is longer), and at most 95% of
//     the pace in force; answers still coming back from that window after
//     the 429 each add their share. (With fewer than 4 such answers there is
//     nothing to measure, as when another client of the account spent the
//     window: the 429 then only closes the gate and restarts the slow
//     start.) Each admitted answer then raises the pace by 0.05 requests/s
//     (about 5% per second at full pace), so it climbs back towards the
//     limit and the next 429 sets it again. A pace with no 429 for a minute
//     is dropped.
//   - Slow start. Until a pace is known (no 429 seen, no Config.RateLimit)
//     at most a window of requests is in flight: 4 at first, growing by a
//     quarter per admitted answer (1.25x per round trip) up to 1024. So a
//     burst of a hundred calls learns the server's limit having sent only
//     a few requests past it, while against a server without a limit the
//     window opens fully within a dozen round trips. It starts over when a
//     pace is dropped.
//   - Config.RateLimit, the user's own pace (token bucket with Burst),
//     applies to every attempt whatever the server says.

// DefaultThrottleMaxWait is the default of Config.ThrottleMaxWait.
const DefaultThrottleMaxWait = 2 * time.Minute

// Tuning of the governor (see the package's Throttling section).
const (
	initialWindow = 4
	windowGrowth  = 0.25
	maxWindow     = 1024
	paceFactor    = 0.95
	paceGrowth    = 0.05
	minPace       = 1.0
	minSamples    = 4
	forgetPace    = time.Minute
	rateLookback  = time.Second
	admittedRing  = 256
	// maxGateJitter bounds the jitter added to a gate, so that callers
	// held by it do not all leave at the same instant.
	maxGateJitter = 50 * time.Millisecond
)

// governor paces and gates the attempts of one Client.
type governor struct {
	// user is Config.RateLimit's limiter; nil when unset.
	user *rate.Limiter

	mu sync.Mutex
	// gateUntil is the time before which no attempt is sent.
	gateUntil time.Time
	// gateSet is when the last 429 that lowered the pace arrived; a 429
	// for a request sent before it belongs to the same overload.
	gateSet time.Time
	// pace is the adaptive limiter, nil until a 429 (and once forgotten).
	pace *rate.Limiter
	// lateSpan is the span of the estimate that set the pace at gateSet
	// (0 when the pace came from the one in force): answers admitted after
	// that 429 to requests sent before it were in the same server window,
	// and each raises the pace by its share, paceFactor/lateSpan.
	lateSpan time.Duration
	// admitted holds the arrival times (UnixNano) of the last admitted
	// answers, a ring; nAdmitted counts them (at most admittedRing).
	admitted  [admittedRing]int64
	next      int
	nAdmitted int
	// window is the slow-start bound on attempts in flight; inflight counts
	// the attempts between acquire and done; waiters wait for a slot, first
	// come first served.
	window   float64
	inflight int
	waiters  []chan struct{}
}

// newGovernor returns the governor of a Client paced at perSecond (none
// when 0) with burst.
func newGovernor(perSecond float64, burst int) *governor {
	g := &governor{window: initialWindow}
	if perSecond > 0 {
		g.user = rate.NewLimiter(rate.Limit(perSecond), max(burst, 1))
	}
	return g
}

// acquire waits until an attempt may be sent: a slow-start slot, the gate,
// then the paces. It returns when the attempt was let through; the caller
// must report its end with done.
func (g *governor) acquire(ctx context.Context) (time.Time, error) {
	if err := g.takeSlot(ctx); err != nil {
		return time.Time{}, err
	}
	for {
		g.mu.Lock()
		now := time.Now()
		gate := g.gateUntil.Sub(now)
		pace := g.pace
		g.mu.Unlock()
		if gate > 0 {
			if err := sleep(ctx, gate); err != nil {
				g.release(false, time.Time{})
				return time.Time{}, err
			}
			continue
		}
		if err := g.waitPaces(ctx, pace); err != nil {
			g.release(false, time.Time{})
			return time.Time{}, err
		}
		g.mu.Lock()
		now = time.Now()
		open := !now.Before(g.gateUntil)
		g.mu.Unlock()
		if open {
			return now, nil
		}
		// A 429 closed the gate while this attempt waited for its turn.
	}
}

// waitPaces waits for a token of the user's limiter and of pace (each may
// be nil).
func (g *governor) waitPaces(ctx context.Context, pace *rate.Limiter) error {
	now := time.Now()
	var delay time.Duration
	var rs [2]*rate.Reservation
	for i, l := range [2]*rate.Limiter{g.user, pace} {
		if l == nil {
			continue
		}
		rs[i] = l.ReserveN(now, 1)
		delay = max(delay, rs[i].DelayFrom(now))
	}
	if err := sleep(ctx, delay); err != nil {
		for _, r := range rs {
			if r != nil {
				r.Cancel()
			}
		}
		return err
	}
	return nil
}

// takeSlot waits for a slow-start slot while no pace is known.
func (g *governor) takeSlot(ctx context.Context) error {
	g.mu.Lock()
	if g.pace != nil && time.Since(g.gateSet) > forgetPace {
		// No 429 for a while: drop the pace and probe again.
		g.pace, g.window = nil, initialWindow
	}
	if !g.probing() || len(g.waiters) == 0 && float64(g.inflight) < g.window {
		g.inflight++
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{}, 1)
	g.waiters = append(g.waiters, ch)
	g.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		for i, w := range g.waiters {
			if w == ch {
				g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
				g.mu.Unlock()
				return ctx.Err()
			}
		}
		g.mu.Unlock()
		// The slot was granted meanwhile: give it back.
		g.release(false, time.Time{})
		return ctx.Err()
	}
}

// probing reports whether the slow-start window bounds the attempts in
// flight: no pace is known. g.mu is held.
func (g *governor) probing() bool {
	return g.pace == nil && g.user == nil && g.window < maxWindow
}

// release ends an attempt sent at sent; admitted reports an answer the
// server did not refuse for rate, which grows the window and the pace.
func (g *governor) release(admitted bool, sent time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	if admitted && g.pace != nil && g.lateSpan > 0 && sent.Before(g.gateSet) && !sent.IsZero() {
		// A late answer of the window the last 429 measured.
		g.pace.SetLimit(g.pace.Limit() + rate.Limit(paceFactor/g.lateSpan.Seconds()))
		admitted = false // counted; no growth on top
		g.record()
	}
	if admitted {
		g.record()
		g.window = min(g.window+windowGrowth, maxWindow)
		if g.pace != nil {
			g.pace.SetLimit(g.pace.Limit() + paceGrowth)
		}
	}
	for len(g.waiters) > 0 && (!g.probing() || float64(g.inflight) < g.window) {
		g.inflight++
		g.waiters[0] <- struct{}{}
		g.waiters = g.waiters[1:]
	}
}

// record notes an admitted answer for the rate estimate. g.mu is held.
func (g *governor) record() {
	g.admitted[g.next] = time.Now().UnixNano()
	g.next = (g.next + 1) % admittedRing
	g.nAdmitted = min(g.nAdmitted+1, admittedRing)
}

// refused records a 429 for an attempt sent at sent that asked to wait
// wait: it closes the gate for that long and, for the first 429 of an
// overload, lowers the pace.
func (g *governor) refused(sent time.Time, wait time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if until := now.Add(wait + jitter(min(wait/10, maxGateJitter))); until.After(g.gateUntil) {
		g.gateUntil = until
	}
	if sent.Before(g.gateSet) {
		return // sent before the last 429 came back: the same overload
	}
	g.gateSet = now
	r, n := g.admittedRate(now, wait)
	g.lateSpan = 0
	if n < minSamples {
		// Too little seen to measure the server's rate (another client of
		// the account may have spent the window): only the gate, and a
		// slow start again while no pace is known.
		g.window = initialWindow
		return
	}
	if g.pace == nil || r <= float64(g.pace.Limit()) {
		g.lateSpan = max(rateLookback, wait)
	} else {
		r = float64(g.pace.Limit())
	}
	r = max(r*paceFactor, minPace)
	if g.pace == nil {
		g.pace = rate.NewLimiter(rate.Limit(r), 1)
	} else {
		g.pace.SetLimit(rate.Limit(r))
	}
	// Slots waited for by probing attempts are no longer needed.
	for len(g.waiters) > 0 {
		g.inflight++
		g.waiters[0] <- struct{}{}
		g.waiters = g.waiters[1:]
	}
}

// admittedRate estimates the rate the server admits: the answers admitted
// over the last second, or over wait when that is longer (the server's
// window is then longer than a second), and the number of answers it is
// based on. g.mu is held.
func (g *governor) admittedRate(now time.Time, wait time.Duration) (float64, int) {
	span := max(rateLookback, wait)
	cutoff := now.Add(-span).UnixNano()
	n, oldest := 0, int64(math.MaxInt64)
	for i := range g.nAdmitted {
		if t := g.admitted[i]; t > cutoff {
			n++
			oldest = min(oldest, t)
		}
	}
	if n == admittedRing {
		// The ring holds less than the span: rate over what it holds.
		if d := now.UnixNano() - oldest; d > 0 {
			return float64(n) / (float64(d) / float64(time.Second)), n
		}
	}
	return float64(n) / span.Seconds(), n
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
