package cloudstacksim

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// FaultKind selects how an injected fault fails a request.
type FaultKind int

const (
	// FaultError answers with an error envelope (Status, CSErrorCode, Text)
	// before the command takes effect.
	FaultError FaultKind = iota
	// FaultJobError accepts an async command (its synchronous part, such as
	// creating a deployed VM's record, takes effect) and fails its job:
	// jobstatus 2 with jobresultcode Status. On a sync command it acts as
	// FaultError.
	FaultJobError
	// FaultDropBefore closes the connection without an answer; the command
	// does not take effect.
	FaultDropBefore
	// FaultDropAfter lets the command take effect, then closes the connection
	// without an answer.
	FaultDropAfter
	// FaultTruncatedBody lets the command take effect and sends only the
	// first half of the answer (with the full Content-Length), then closes
	// the connection.
	FaultTruncatedBody
	// FaultMalformedJSON lets the command take effect and answers with a
	// body that is not valid JSON.
	FaultMalformedJSON
)

// Fault is a failure injected into requests for one command.
type Fault struct {
	// Kind selects the failure; the zero value is FaultError.
	Kind FaultKind
	// Status is the HTTP status and errorcode of FaultError and
	// FaultJobError (530 when zero).
	Status int
	// CSErrorCode is the cserrorcode (4250 when zero).
	CSErrorCode int
	// Text is the errortext (a description of the injected fault when empty).
	Text string
	// Times is how many requests the fault affects; zero means every request
	// until ClearFaults.
	Times int
}

func (f *Fault) apiError(command string) *apiError {
	e := &apiError{code: f.Status, cs: f.CSErrorCode, text: f.Text}
	if e.code == 0 {
		e.code = CodeInternalError
	}
	if e.cs == 0 {
		e.cs = CSCloudRuntime
	}
	if e.text == "" {
		e.text = fmt.Sprintf("Simulated failure injected for command %s", command)
	}
	return e
}

// Throttle configures API rate limiting as the api-rate-limit plugin does:
// at most Max requests per account in each Interval window; the request over
// the limit gets HTTP 429.
type Throttle struct {
	// Max is the number of requests allowed per interval; zero disables throttling.
	Max int
	// Interval is the window length (1s when zero).
	Interval time.Duration
	// ExemptRootAdmin exempts root admin accounts, as the real plugin does.
	// Off by default so that tests using the admin credentials see throttling.
	ExemptRootAdmin bool
}

// limit returns the window configuration simkit's Limiter applies.
func (t Throttle) limit() simkit.Throttle {
	return simkit.Throttle{Max: t.Max, Interval: t.Interval}
}

// throttle returns the current throttling configuration.
func (s *Server) throttle() Throttle {
	t := s.knobs.limiter.Config()
	return Throttle{Max: t.Max, Interval: t.Interval, ExemptRootAdmin: s.knobs.exemptRootAdmin.Load()}
}

// knobs holds the test controls (simkit's, shared with the other
// simulators); each piece has its own lock so that knobs can be changed
// while requests run.
type knobs struct {
	counters        simkit.Counters
	faults          simkit.FaultQueue[Fault]
	latency         simkit.Latency
	limiter         simkit.Limiter // keyed by account id
	exemptRootAdmin atomic.Bool
}

// throttled counts a request of a and reports whether it is over the limit,
// with the time until the window ends.
func (k *knobs) throttled(a *account, now time.Time) (time.Duration, bool) {
	if k.exemptRootAdmin.Load() && a.isRootAdmin() {
		return 0, false
	}
	return k.limiter.Allow(a.id, now)
}

// InjectFault makes requests for command fail as f describes; command ""
// applies to every command. Faults for a command queue up in order.
func (s *Server) InjectFault(command string, f Fault) { s.knobs.faults.Push(command, f, f.Times) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.knobs.faults.Clear() }

// SetLatency delays every request for command by d before it is processed;
// command "" sets the delay of commands without their own.
func (s *Server) SetLatency(command string, d time.Duration) { s.knobs.latency.Set(command, d) }

// SetThrottle configures API rate limiting; the zero Throttle disables it.
func (s *Server) SetThrottle(t Throttle) {
	s.knobs.exemptRootAdmin.Store(t.ExemptRootAdmin)
	s.knobs.limiter.Set(t.limit())
}

// RequestCount returns how many requests named command (as sent, whatever
// their outcome) the server has received; "" counts requests without one.
func (s *Server) RequestCount(command string) int { return s.knobs.counters.Count(command) }

// RequestCounts returns a copy of every per-command request counter.
func (s *Server) RequestCounts() map[string]int { return s.knobs.counters.Snapshot() }

// ThrottledCount returns how many requests throttling (SetThrottle) has
// refused with 429; they are also in RequestCount.
func (s *Server) ThrottledCount() int { return s.knobs.limiter.Refused() }

// ResetRequestCounts sets every request counter (and ThrottledCount) to
// zero.
func (s *Server) ResetRequestCounts() {
	s.knobs.counters.Reset()
	s.knobs.limiter.ResetRefused()
}
