package ec2sim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// Default settings of a Server.
const (
	// DefaultAccessKey is the access key id the simulator accepts by default.
	DefaultAccessKey = "AKIAGOCLOUDSSIMULATOR"
	// DefaultSecretKey is the secret access key of DefaultAccessKey.
	DefaultSecretKey = "goclouds-ec2sim-secret-access-key"
	// DefaultRegion is the simulated region.
	DefaultRegion = "us-east-1"
	// AccountID is the simulated account's id (the owner of its resources).
	AccountID = "123456789012"
	// DefaultTerminatedTTL is how long terminated instances stay listed.
	DefaultTerminatedTTL = time.Hour
)

// Options configures a Server. The zero value (or nil) gives the defaults.
type Options struct {
	// AccessKey and SecretKey are the accepted credentials (DefaultAccessKey
	// and DefaultSecretKey when empty).
	AccessKey, SecretKey string
	// ReadOnlyAccessKey and ReadOnlySecretKey, when set, are credentials
	// allowed only Describe*, Get* and List* actions: others answer
	// UnauthorizedOperation.
	ReadOnlyAccessKey, ReadOnlySecretKey string
	// Region is the simulated region (DefaultRegion when empty); it must be
	// one of the regions DescribeRegions lists.
	Region string
	// TransitionDelay is how long instances stay pending, stopping and
	// shutting-down, volumes creating and snapshots pending. Zero completes
	// transitions by the next request.
	TransitionDelay time.Duration
	// TerminatedTTL is how long terminated instances stay listed
	// (DefaultTerminatedTTL when zero).
	TerminatedTTL time.Duration
	// Instances is the number of running instances the account starts with.
	Instances int
	// InstanceLimit caps the instances (not terminated) of the account;
	// zero means no limit.
	InstanceLimit int
	// RSAKeyBits is the size of keys CreateKeyPair makes (2048 when zero;
	// tests may use 1024 for speed).
	RSAKeyBits int
	// Now overrides the clock (time.Now when nil).
	Now func() time.Time
}

// Server is the simulated EC2 endpoint. It is an http.Handler answering the
// Query API on every path; it is safe for concurrent use.
type Server struct {
	model      *Model
	region     string
	principals []principal
	now        func() time.Time
	keyBits    int
	ttl        time.Duration

	counters simkit.Counters
	faults   simkit.FaultQueue[Fault]
	latency  simkit.Latency
	limiter  simkit.Limiter
	delay    atomic.Int64
	panics   atomic.Int64

	mu            sync.Mutex
	st            *state
	instanceLimit int
}

// New returns a simulator with its catalogue (regions, zones, AMIs,
// instance types), a default VPC with a subnet per zone and a default
// security group, and opts.Instances running instances. opts may be nil.
func New(opts *Options) (*Server, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	m, err := LoadModel()
	if err != nil {
		return nil, err
	}
	if err := checkRegistry(m); err != nil {
		return nil, err
	}
	s := &Server{model: m, region: or(o.Region, DefaultRegion), now: o.Now, keyBits: o.RSAKeyBits, ttl: o.TerminatedTTL,
		instanceLimit: o.InstanceLimit}
	if !knownRegion(s.region) {
		return nil, fmt.Errorf("ec2sim: unknown region %q", s.region)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.keyBits == 0 {
		s.keyBits = 2048
	}
	if s.ttl == 0 {
		s.ttl = DefaultTerminatedTTL
	}
	s.principals = []principal{{accessKey: or(o.AccessKey, DefaultAccessKey), secretKey: or(o.SecretKey, DefaultSecretKey)}}
	if o.ReadOnlyAccessKey != "" {
		s.principals = append(s.principals, principal{accessKey: o.ReadOnlyAccessKey, secretKey: o.ReadOnlySecretKey, readOnly: true})
	}
	s.delay.Store(int64(o.TransitionDelay))
	s.st = newState(s.region, s.now())
	if o.Instances > 0 {
		if err := s.PopulateInstances(o.Instances); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// AccessKey returns the access key id of the full-access credentials.
func (s *Server) AccessKey() string { return s.principals[0].accessKey }

// SecretKey returns the secret access key of the full-access credentials.
func (s *Server) SecretKey() string { return s.principals[0].secretKey }

// Region returns the simulated region.
func (s *Server) Region() string { return s.region }

// Model returns the EC2 API model the simulator validates against.
func (s *Server) Model() *Model { return s.model }

// ListenAndServe listens on addr (host:port), calls ready (if not nil) with
// the endpoint URL, e.g. "http://127.0.0.1:8080/", once it accepts
// connections, and serves until ctx is done; it then shuts down gracefully
// and returns nil.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(endpoint string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ec2sim: %w", err)
	}
	return s.Serve(ctx, ln, ready)
}

// Serve serves the API on ln until ctx is done, like ListenAndServe.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(endpoint string)) error {
	if err := simkit.Serve(ctx, ln, s, "/", ready, nil); err != nil {
		return fmt.Errorf("ec2sim: %w", err)
	}
	return nil
}

// maxBodyBytes bounds request bodies (user data is at most 16 KB, import
// documents more).
const maxBodyBytes = 8 << 20

const xmlContentType = "text/xml;charset=UTF-8"

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "InvalidHttpRequest",
			Message: "The HTTP method " + r.Method + " is not allowed: use GET or POST"}, requestID)
		return
	}
	defer s.recoverPanic(w, requestID)
	body, params, err := readRequest(w, r)
	if err != nil {
		writeError(w, errorf("MalformedQueryString", "The request could not be parsed: %v", err), requestID)
		return
	}
	action := params["Action"]
	s.counters.Record(action)
	if !s.latency.Wait(r.Context(), action) {
		return
	}
	fault, faulted := s.faults.Take(action)
	if faulted && fault.Kind == FaultDropBefore {
		simkit.DropConnection(w)
		return
	}
	var f *Fault
	if faulted {
		f = &fault
	}
	status, out := s.handle(&signedRequest{r: r, body: body, params: params}, action, f, requestID)
	if f != nil {
		switch f.Kind {
		case FaultDropAfter:
			simkit.DropConnection(w)
			return
		case FaultTruncatedBody:
			simkit.WriteTruncated(w, status, xmlContentType, out)
			return
		}
	}
	writeBody(w, status, out, requestID)
}

// handle authenticates and runs one request; it returns the HTTP status
// and the answer document.
func (s *Server) handle(req *signedRequest, action string, fault *Fault, requestID string) (int, []byte) {
	fail := func(e *Error) (int, []byte) { return e.Status, errorDocument(e, requestID) }
	p, aerr := s.authenticate(req)
	if aerr != nil {
		return fail(aerr)
	}
	if _, limited := s.limiter.Allow(p.accessKey, s.now()); limited {
		return fail(&Error{Status: http.StatusServiceUnavailable, Code: CodeRequestLimitExceeded, Message: "Request limit exceeded."})
	}
	if action == "" {
		return fail(errorf(CodeMissingAction, "The request must contain the parameter Action"))
	}
	op := s.model.Operations[action]
	if op == nil {
		return fail(errorf(CodeInvalidAction, "The action %s is not valid for this web service.", action))
	}
	if fault != nil && fault.Kind == FaultError {
		return fail(fault.apiError(action))
	}
	in := M{}
	if op.Input != nil {
		tree := parseTree(req.params)
		var perr *Error
		if in, perr = (decoder{}).decodeStruct(op.Input, tree, ""); perr != nil {
			return fail(perr)
		}
		if name := unknownParam(tree); name != "" {
			return fail(errorf(CodeUnknownParameter, "The parameter %s is not recognized", name))
		}
	}
	if p.readOnly && !readOnlyAction(action) {
		return fail(unauthorized())
	}
	if dry, _ := in["DryRun"].(bool); dry {
		return fail(&Error{Status: http.StatusPreconditionFailed, Code: CodeDryRunOperation,
			Message: "Request would have succeeded, but DryRun flag is set."})
	}
	h := registry[action]
	if h == nil {
		return fail(errorf(CodeUnsupportedOperation, "The action %s is not supported by the goclouds EC2 simulator.", action))
	}
	s.mu.Lock()
	c := &call{s: s, st: s.st, in: input(in), now: s.now(), action: action}
	s.st.advance(c.now, s.ttl)
	out, err := h(c)
	s.mu.Unlock()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = internalError()
		}
		return fail(e)
	}
	doc, err := encodeResponse(op, out, requestID)
	if err != nil {
		s.panics.Add(1)
		return fail(internalError())
	}
	return http.StatusOK, doc
}

// readOnlyAction reports whether action only reads.
func readOnlyAction(action string) bool {
	for _, p := range []string{"Describe", "Get", "List"} {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// Bugs returns how many internal errors (handler panics, answers the model
// cannot express) the server has hit; tests assert it stays zero.
func (s *Server) Bugs() int64 { return s.panics.Load() }

// recoverPanic turns a handler panic (a simulator bug) into InternalError.
// Aborted connections pass through.
func (s *Server) recoverPanic(w http.ResponseWriter, requestID string) {
	r := recover()
	if r == nil {
		return
	}
	if r == http.ErrAbortHandler {
		panic(r)
	}
	s.panics.Add(1)
	writeError(w, internalError(), requestID)
}

// readRequest returns the body and the parameters of the query string and
// of a form body (one value per name, the first).
func readRequest(w http.ResponseWriter, r *http.Request) ([]byte, map[string]string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]string)
	add := func(raw string) error {
		vs, err := url.ParseQuery(raw)
		if err != nil {
			return err
		}
		for k, v := range vs {
			if _, ok := out[k]; !ok && len(v) > 0 {
				out[k] = v[0]
			}
		}
		return nil
	}
	if err := add(r.URL.RawQuery); err != nil {
		return nil, nil, err
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		if err := add(string(body)); err != nil {
			return nil, nil, err
		}
	}
	return body, out, nil
}

func writeBody(w http.ResponseWriter, status int, body []byte, requestID string) {
	w.Header().Set("Content-Type", xmlContentType)
	w.Header().Set("x-amzn-RequestId", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, e *Error, requestID string) {
	writeBody(w, e.Status, errorDocument(e, requestID), requestID)
}

// newRequestID returns a random UUID, as EC2's request ids are.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
