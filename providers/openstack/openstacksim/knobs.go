package openstacksim

import (
	"fmt"
	"net/http"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// FaultKind selects how an injected fault fails a request.
type FaultKind int

const (
	// FaultError answers with the service's error body (Status, Message)
	// before the operation takes effect.
	FaultError FaultKind = iota
	// FaultDropBefore closes the connection without an answer; the
	// operation does not take effect.
	FaultDropBefore
	// FaultDropAfter lets the operation take effect, then closes the
	// connection without an answer.
	FaultDropAfter
	// FaultTruncatedBody lets the operation take effect and sends only the
	// first half of the answer, then closes the connection.
	FaultTruncatedBody
)

// Fault is a failure injected into requests for one operation.
type Fault struct {
	// Kind selects the failure; the zero value is FaultError.
	Kind FaultKind
	// Status is the HTTP status of FaultError (503 when zero).
	Status int
	// Message is the error message (a description of the fault when empty).
	Message string
	// RetryAfter, when positive, is sent as the Retry-After header (seconds)
	// of FaultError, as Nova does for 413 and 429.
	RetryAfter int
	// Times is how many requests the fault affects; zero means every
	// request until ClearFaults.
	Times int
}

func (f Fault) apiError(op string) *apiError {
	e := &apiError{status: f.Status, kind: "ServiceUnavailable", msg: f.Message, retryAfter: f.RetryAfter}
	if e.status == 0 {
		e.status = http.StatusServiceUnavailable
	}
	if e.msg == "" {
		e.msg = fmt.Sprintf("Simulated failure injected for operation %s", op)
	}
	return e
}

// Throttle configures request rate limiting per user: at most Max requests
// in each Interval window; the requests over it answer 429 with Retry-After
// and have no effect.
type Throttle = simkit.Throttle

// InjectFault makes requests for operation op (as RequestCount names them,
// e.g. "compute:CreateServer") fail as f describes; op "" applies to every
// operation. Faults for an operation queue up in order.
func (s *Server) InjectFault(op string, f Fault) { s.faults.Push(op, f, f.Times) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// SetLatency delays every request for op by d before it is processed; op ""
// sets the delay of operations without their own.
func (s *Server) SetLatency(op string, d time.Duration) { s.latency.Set(op, d) }

// SetThrottle configures rate limiting; the zero Throttle disables it.
func (s *Server) SetThrottle(t Throttle) { s.limiter.Set(t) }

// RequestCount returns how many requests for op the server has received,
// whatever their outcome. Operations are named "service:Operation", e.g.
// "identity:IssueToken", "compute:CreateServer", "compute:ServerAction:os-stop",
// "image:ListImages", "volume:CreateVolume", "network:CreateFloatingIP".
func (s *Server) RequestCount(op string) int { return s.counters.Count(op) }

// RequestCounts returns a copy of every per-operation request counter.
func (s *Server) RequestCounts() map[string]int { return s.counters.Snapshot() }

// ResetRequestCounts sets every request counter to zero.
func (s *Server) ResetRequestCounts() { s.counters.Reset() }

// SetTransitionDelay sets how long BUILD and the other transitional states
// last from now on.
func (s *Server) SetTransitionDelay(d time.Duration) { s.delay.Store(int64(d)) }

// TransitionDelay returns how long transitional states last.
func (s *Server) TransitionDelay() time.Duration { return time.Duration(s.delay.Load()) }

// SetTokenLifetime sets the lifetime of tokens issued from now on.
func (s *Server) SetTokenLifetime(d time.Duration) { s.lifetime.Store(int64(d)) }

// ExpireTokens makes every issued token invalid: the next request with one
// answers 401 and the client must authenticate again.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.tokens = map[string]*token{}
}

// Quota is a project's compute quota (Nova's defaults: 10 instances, 20
// cores, 51200 MB of RAM); a negative value is unlimited.
type Quota struct {
	Instances, Cores, RAM int
}

// SetQuota replaces the compute quota of the project named project.
func (s *Server) SetQuota(project string, q Quota) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.state.projects {
		if p.Name == project || p.ID == project {
			p.Quota = q
			return nil
		}
	}
	return fmt.Errorf("openstacksim: no project %q", project)
}
