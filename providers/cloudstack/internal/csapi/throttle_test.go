package csapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const deployed = `{"deployvirtualmachineresponse":{"id":"vm1","jobid":"j1"}}`

// throttledAnswer is the real server's 429, asking to wait ms.
func throttledAnswer(ms string) func(http.ResponseWriter, *http.Request) {
	return answer(429, `{"deployvirtualmachineresponse":{"uuidList":[],"errorcode":429,"cserrorcode":9999,"errortext":"The given user has reached his/her account api limit, please retry after [`+ms+`] ms."}}`)
}

// A write refused for rate did not run: it is sent again, POSTed again,
// after the announced wait, and the answer is the second attempt's.
func TestThrottle_WriteRetriedOn429(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){throttledAnswer("200"), answer(200, deployed)}}
	c, _ := newTestClient(t, s, nil)
	start := time.Now()
	resp, err := c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"x"}})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 190*time.Millisecond, "the announced wait")
	assert.Equal(t, 200, resp.Status)
	assert.Equal(t, deployed, string(resp.Body))
	assert.Equal(t, 2, resp.Attempts)
	require.Equal(t, 2, s.count())
	assert.Equal(t, []string{http.MethodPost, http.MethodPost}, s.meths)
}

// An error object with errorcode 429 sent with status 200 is a refusal too.
func TestThrottle_ErrorCode429Under200(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		answer(200, `{"deployvirtualmachineresponse":{"errorcode":429,"errortext":"please retry after [1] ms."}}`),
		answer(200, deployed),
	}}
	c, _ := newTestClient(t, s, nil)
	resp, err := c.Do(t.Context(), "deployVirtualMachine", nil)
	require.NoError(t, err)
	assert.Equal(t, deployed, string(resp.Body))
	assert.Equal(t, 2, s.count())
}

// A Retry-After header is honoured (a proxy's or a future server's 429 with
// no wait in its text).
func TestThrottle_RetryAfterHeader(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		answer(200, deployed),
	}}
	c, _ := newTestClient(t, s, nil)
	start := time.Now()
	_, err := c.Do(t.Context(), "deployVirtualMachine", nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 950*time.Millisecond)
	assert.Equal(t, 2, s.count())
}

// When the budget (ThrottleMaxWait) is spent the last 429 is returned, and
// a negative budget returns the first; a context whose deadline comes
// before the wait ends returns it at once rather than waiting in vain.
func TestThrottle_BudgetAndDeadline(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxWait  time.Duration
		deadline time.Duration
		min, max int
	}{
		{"budget", 350 * time.Millisecond, 0, 3, 5},
		{"no retries", -1, 0, 1, 1},
		{"deadline", 0, 150 * time.Millisecond, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{steps: []func(http.ResponseWriter, *http.Request){throttledAnswer("100")}}
			c, _ := newTestClient(t, s, nil)
			c.cfg.ThrottleMaxWait = tc.maxWait
			ctx := t.Context()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			resp, err := c.Do(ctx, "deployVirtualMachine", nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusTooManyRequests, resp.Status)
			var ae *Error
			require.ErrorAs(t, Decode(resp, nil), &ae)
			assert.Equal(t, 429, ae.ErrorCode)
			assert.GreaterOrEqual(t, s.count(), tc.min)
			assert.LessOrEqual(t, s.count(), tc.max)
			require.NoError(t, ctx.Err(), "returned before the deadline")
		})
	}
}

// One call's 429 holds every call of the Client until the announced wait
// has passed: a call started after it reaches the server no earlier.
func TestThrottle_GateSharedByCalls(t *testing.T) {
	var mu sync.Mutex
	var firstRefusal time.Time
	var otherArrived time.Time
	refused := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Form.Get("name") == "a" && firstRefusal.IsZero():
			firstRefusal = time.Now()
			throttledAnswer("400")(w, r)
			close(refused)
		case r.Form.Get("name") == "b" && otherArrived.IsZero():
			otherArrived = time.Now()
			answer(200, deployed)(w, r)
		default:
			answer(200, deployed)(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "k", SecretKey: "s"}})
	var wg sync.WaitGroup
	wg.Go(func() {
		_, err := c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"a"}})
		assert.NoError(t, err)
	})
	<-refused
	time.Sleep(10 * time.Millisecond) // the refusal reaches the client
	_, err := c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"b"}})
	require.NoError(t, err)
	wg.Wait()
	assert.GreaterOrEqual(t, otherArrived.Sub(firstRefusal), 380*time.Millisecond, "the other call waited out the gate")
}

// Slow start: before any answer at most initialWindow requests are in
// flight; each admitted answer opens the window further, and every call
// completes.
func TestThrottle_SlowStartWindow(t *testing.T) {
	release := make(chan struct{})
	var arrived atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		<-release
		answer(200, zones)(w, r)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "k", SecretKey: "s"}})
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			_, err := c.Do(t.Context(), "listZones", nil)
			assert.NoError(t, err)
		})
	}
	// Generous: if more than the window were let through, they would have
	// arrived by now.
	time.Sleep(300 * time.Millisecond)
	assert.Equal(t, int32(initialWindow), arrived.Load())
	close(release)
	wg.Wait()
	assert.Equal(t, int32(40), arrived.Load())
}

// A user's RateLimit bounds the rate of every call together.
func TestThrottle_UserRateLimit(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, zones)}}
	c, _ := newTestClient(t, s, nil)
	c.gov = newGovernor(50, 1)
	start := time.Now()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				_, err := c.Do(t.Context(), "listZones", nil)
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	// 40 requests at 50/s with a burst of 1: at least 39 intervals of 20 ms.
	assert.GreaterOrEqual(t, time.Since(start), 750*time.Millisecond)
	assert.Equal(t, 40, s.count())
}

// The governor's pace after a refusal is 90% of what the server admitted in
// the last second, and grows with each admitted answer.
func TestGovernor_PaceFromAdmittedRate(t *testing.T) {
	g := newGovernor(0, 0)
	for range 25 {
		at, err := g.acquire(t.Context())
		require.NoError(t, err)
		require.False(t, at.IsZero())
		g.release(true, time.Now())
	}
	g.refused(time.Now(), 900*time.Millisecond)
	require.NotNil(t, g.pace)
	assert.InDelta(t, 23.75, float64(g.pace.Limit()), 0.01)
	assert.False(t, g.probing(), "a known pace ends slow start")
	// A second refusal of a request sent before the first came back is the
	// same overload: the pace stays.
	g.refused(time.Now().Add(-time.Second), 900*time.Millisecond)
	assert.InDelta(t, 23.75, float64(g.pace.Limit()), 0.01)
	g.mu.Lock()
	g.inflight++
	g.mu.Unlock()
	g.release(true, time.Now())
	assert.InDelta(t, 23.75+paceGrowth, float64(g.pace.Limit()), 0.01)
}

// A refusal with too few admitted answers to measure a rate only closes
// the gate and restarts the slow start: no crippling pace of 1/s.
func TestGovernor_RefusalWithoutHistory(t *testing.T) {
	g := newGovernor(0, 0)
	g.window = 100
	g.refused(time.Now(), 300*time.Millisecond)
	assert.Nil(t, g.pace)
	assert.Equal(t, float64(initialWindow), g.window)
	g.mu.Lock()
	gate := time.Until(g.gateUntil)
	g.mu.Unlock()
	assert.Greater(t, gate, 250*time.Millisecond)
	assert.LessOrEqual(t, gate, 300*time.Millisecond+maxGateJitter)
}

// Answers that come back after the first 429 to requests sent before it
// were admitted in the same server window: each adds its share, so the
// pace ends at 95% of all the window admitted, not of what had come back.
func TestGovernor_LateAnswersRaisePace(t *testing.T) {
	g := newGovernor(0, 0)
	before := time.Now()
	for range 20 {
		_, err := g.acquire(t.Context())
		require.NoError(t, err)
		g.release(true, before)
	}
	g.refused(before, 950*time.Millisecond)
	assert.InDelta(t, 0.95*20, float64(g.pace.Limit()), 0.01)
	for range 5 {
		g.mu.Lock()
		g.inflight++
		g.mu.Unlock()
		g.release(true, before)
	}
	assert.InDelta(t, 0.95*25, float64(g.pace.Limit()), 0.01)
}
