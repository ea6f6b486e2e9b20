package ec2sim

import (
	"fmt"
	"net/http"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// FaultKind selects how an injected fault fails a request.
type FaultKind int

const (
	// FaultError answers with an error document (Status, Code, Message)
	// before the action takes effect.
	FaultError FaultKind = iota
	// FaultDropBefore closes the connection without an answer; the action
	// does not take effect.
	FaultDropBefore
	// FaultDropAfter lets the action take effect, then closes the
	// connection without an answer.
	FaultDropAfter
	// FaultTruncatedBody lets the action take effect and sends only the
	// first half of the answer, then closes the connection.
	FaultTruncatedBody
)

// Fault is a failure injected into requests for one action.
type Fault struct {
	// Kind selects the failure; the zero value is FaultError.
	Kind FaultKind
	// Status is the HTTP status of FaultError (503 when zero).
	Status int
	// Code is the error code of FaultError ("Unavailable" when empty).
	Code string
	// Message is the error message (a description of the fault when empty).
	Message string
	// Times is how many requests the fault affects; zero means every
	// request until ClearFaults.
	Times int
}

func (f Fault) apiError(action string) *Error {
	e := &Error{Status: f.Status, Code: f.Code, Message: f.Message}
	if e.Status == 0 {
		e.Status = http.StatusServiceUnavailable
	}
	if e.Code == "" {
		e.Code = "Unavailable"
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("Simulated failure injected for action %s", action)
	}
	return e
}

// Throttle configures request rate limiting per access key: at most Max
// requests in each Interval window; the requests over the limit answer
// RequestLimitExceeded (HTTP 503) and have no effect.
type Throttle = simkit.Throttle

// InjectFault makes requests for action fail as f describes; action ""
// applies to every action. Faults for an action queue up in order.
func (s *Server) InjectFault(action string, f Fault) { s.faults.Push(action, f, f.Times) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// SetLatency delays every request for action by d before it is processed;
// action "" sets the delay of actions without their own.
func (s *Server) SetLatency(action string, d time.Duration) { s.latency.Set(action, d) }

// SetThrottle configures rate limiting; the zero Throttle disables it.
func (s *Server) SetThrottle(t Throttle) { s.limiter.Set(t) }

// RequestCount returns how many requests for action (as sent, whatever
// their outcome) the server has received; "" counts requests without one.
func (s *Server) RequestCount(action string) int { return s.counters.Count(action) }

// RequestCounts returns a copy of every per-action request counter.
func (s *Server) RequestCounts() map[string]int { return s.counters.Snapshot() }

// ThrottledCount returns how many requests throttling (SetThrottle) has
// refused with RequestLimitExceeded; they are also in RequestCount.
func (s *Server) ThrottledCount() int { return s.limiter.Refused() }

// ResetRequestCounts sets every request counter (and ThrottledCount) to
// zero.
func (s *Server) ResetRequestCounts() {
	s.counters.Reset()
	s.limiter.ResetRefused()
}

// SetTransitionDelay sets how long instances stay pending, stopping and
// shutting-down (and volumes creating, snapshots pending) from now on.
func (s *Server) SetTransitionDelay(d time.Duration) { s.delay.Store(int64(d)) }

// TransitionDelay returns how long transitional states last.
func (s *Server) TransitionDelay() time.Duration { return time.Duration(s.delay.Load()) }

// SetInstanceLimit sets how many instances (not terminated) the account may
// have; RunInstances over it answers InstanceLimitExceeded. Zero or less
// removes the limit.
func (s *Server) SetInstanceLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.instanceLimit = n
}
