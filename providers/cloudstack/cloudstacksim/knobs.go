package cloudstacksim

import (
	"fmt"
	"sync"
	"time"
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

// interval returns the window length.
func (t Throttle) interval() time.Duration {
	if t.Interval <= 0 {
		return time.Second
	}
	return t.Interval
}

// throttle returns the current throttling configuration.
func (s *Server) throttle() Throttle {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.knobs.throttle
}

// knobs holds the test controls; it has its own lock so that knobs can be
// changed while requests run.
type knobs struct {
	mu       sync.Mutex
	counts   map[string]int
	faults   map[string][]*Fault
	latency  map[string]time.Duration
	throttle Throttle
	windows  map[*account]*window
	// refused counts the requests throttling refused (429).
	refused int
}

type window struct {
	start time.Time
	count int
}

func (k *knobs) init() {
	k.counts = make(map[string]int)
	k.faults = make(map[string][]*Fault)
	k.latency = make(map[string]time.Duration)
	k.windows = make(map[*account]*window)
}

func (k *knobs) record(command string) {
	k.mu.Lock()
	k.counts[command]++
	k.mu.Unlock()
}

func (k *knobs) latencyFor(command string) time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	if d, ok := k.latency[command]; ok {
		return d
	}
	return k.latency[""]
}

// takeFault returns the first fault for command (or for every command) and
// consumes one of its Times.
func (k *knobs) takeFault(command string) *Fault {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, key := range []string{command, ""} {
		list := k.faults[key]
		if len(list) == 0 {
			continue
		}
		f := list[0]
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				k.faults[key] = list[1:]
			}
		}
		cp := *f
		return &cp
	}
	return nil
}

// throttled counts a request of a and reports whether it is over the limit,
// with the time until the window ends.
func (k *knobs) throttled(a *account, now time.Time) (time.Duration, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	t := k.throttle
	if t.Max <= 0 || (t.ExemptRootAdmin && a.isRootAdmin()) {
		return 0, false
	}
	interval := t.interval()
	w := k.windows[a]
	if w == nil || now.Sub(w.start) >= interval {
		w = &window{start: now}
		k.windows[a] = w
	}
	w.count++
	if w.count <= t.Max {
		return 0, false
	}
	k.refused++
	return w.start.Add(interval).Sub(now), true
}

// InjectFault makes requests for command fail as f describes; command ""
// applies to every command. Faults for a command queue up in order.
func (s *Server) InjectFault(command string, f Fault) {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.faults[command] = append(s.knobs.faults[command], &f)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.faults = make(map[string][]*Fault)
}

// SetLatency delays every request for command by d before it is processed;
// command "" sets the delay of commands without their own.
func (s *Server) SetLatency(command string, d time.Duration) {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	if d <= 0 {
		delete(s.knobs.latency, command)
		return
	}
	s.knobs.latency[command] = d
}

// SetThrottle configures API rate limiting; the zero Throttle disables it.
func (s *Server) SetThrottle(t Throttle) {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.throttle = t
	s.knobs.windows = make(map[*account]*window)
}

// RequestCount returns how many requests named command (as sent, whatever
// their outcome) the server has received; "" counts requests without one.
func (s *Server) RequestCount(command string) int {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.knobs.counts[command]
}

// RequestCounts returns a copy of every per-command request counter.
func (s *Server) RequestCounts() map[string]int {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	out := make(map[string]int, len(s.knobs.counts))
	for k, v := range s.knobs.counts {
		out[k] = v
	}
	return out
}

// ThrottledCount returns how many requests throttling (SetThrottle) has
// refused with 429; they are also in RequestCount.
func (s *Server) ThrottledCount() int {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.knobs.refused
}

// ResetRequestCounts sets every request counter (and ThrottledCount) to
// zero.
func (s *Server) ResetRequestCounts() {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.counts = make(map[string]int)
	s.knobs.refused = 0
}
