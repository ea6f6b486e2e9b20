package cloudstacksim

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// Default credentials of the two built-in accounts.
const (
	// DefaultAPIKey is the API key of the root admin account "admin".
	DefaultAPIKey = "goclouds-sim-admin-api-key"
	// DefaultSecretKey is the secret key of the root admin account "admin".
	DefaultSecretKey = "goclouds-sim-admin-secret-key"
	// DefaultUserAPIKey is the API key of the normal account "user".
	DefaultUserAPIKey = "goclouds-sim-user-api-key"
	// DefaultUserSecretKey is the secret key of the normal account "user".
	DefaultUserSecretKey = "goclouds-sim-user-secret-key"
	// DefaultPath is the path the API is served on, as on a real management server.
	DefaultPath = "/client/api"
)

// Options configures a Server. The zero value (or nil) gives the defaults.
type Options struct {
	// APIKey and SecretKey are the credentials of the root admin account
	// "admin" (DefaultAPIKey, DefaultSecretKey when empty).
	APIKey, SecretKey string
	// UserAPIKey and UserSecretKey are the credentials of the normal account
	// "user" (DefaultUserAPIKey, DefaultUserSecretKey when empty).
	UserAPIKey, UserSecretKey string
	// Paths are the URL paths the API answers on (DefaultPath when empty),
	// e.g. "/compute" for an Exoscale-style endpoint.
	Paths []string
	// JobDelay is how long async jobs stay pending (jobstatus 0). Zero
	// completes them as they are submitted.
	JobDelay time.Duration
	// VMs is the number of running VMs the admin account starts with.
	VMs int
	// VMAddress, when set, is the IP address given to every new VM's NIC
	// (e.g. "127.0.0.1" so that SSH deployment reaches a local server).
	VMAddress string
	// SSHKeyBits is the RSA key size of createSSHKeyPair (2048 when zero;
	// tests may use 1024 for speed).
	SSHKeyBits int
	// AllowUserViewDestroyedVM lets normal users list their Destroyed VMs
	// (allow.user.view.destroyed.vm, false by default as on a real server).
	AllowUserViewDestroyedVM bool
	// AllowUserExpungeRecoverVM lets normal users expunge and recover VMs
	// (allow.user.expunge.recover.vm, false by default as on a real server).
	AllowUserExpungeRecoverVM bool
	// Now overrides the clock (time.Now when nil).
	Now func() time.Time
}

// Credentials are an account's API credentials.
type Credentials struct {
	// Account is the account name ("admin" or "user").
	Account string
	// APIKey is the API key.
	APIKey string
	// SecretKey is the secret key.
	SecretKey string
}

// Server is the simulated CloudStack management server. It is an
// http.Handler serving the API on its paths; it is safe for concurrent use.
type Server struct {
	opts   Options
	spec   *Spec
	paths  []string
	now    func() time.Time
	admin  Credentials
	user   Credentials
	knobs  knobs
	delay  atomic.Int64
	panics atomic.Int64 // handler panics recovered (simulator bugs)
	mu     sync.RWMutex
	st     *state
	closed bool
}

// New returns a simulator with its catalogue (zones, templates, offerings,
// networks), the accounts "admin" and "user", and opts.VMs running VMs.
// opts may be nil.
func New(opts *Options) *Server {
	var o Options
	if opts != nil {
		o = *opts
	}
	spec, err := LoadSpec()
	if err != nil {
		panic(err) // the embedded spec is part of the build
	}
	if err := checkRegistry(spec); err != nil {
		panic(err)
	}
	s := &Server{opts: o, spec: spec, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	s.paths = o.Paths
	if len(s.paths) == 0 {
		s.paths = []string{DefaultPath}
	}
	s.admin = Credentials{Account: "admin", APIKey: or(o.APIKey, DefaultAPIKey), SecretKey: or(o.SecretKey, DefaultSecretKey)}
	s.user = Credentials{Account: "user", APIKey: or(o.UserAPIKey, DefaultUserAPIKey), SecretKey: or(o.UserSecretKey, DefaultUserSecretKey)}
	s.delay.Store(int64(o.JobDelay))
	s.st = newState(s.now)
	s.st.vmAddress = o.VMAddress
	s.seed()
	if o.VMs > 0 {
		if err := s.PopulateVMs(o.VMs); err != nil {
			panic(err) // the seeded catalogue always has what PopulateVMs needs
		}
	}
	return s
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// AdminCredentials returns the credentials of the root admin account "admin".
func (s *Server) AdminCredentials() Credentials { return s.admin }

// UserCredentials returns the credentials of the normal account "user".
func (s *Server) UserCredentials() Credentials { return s.user }

// Path returns the first path the API is served on.
func (s *Server) Path() string { return s.paths[0] }

// Paths returns every path the API is served on.
func (s *Server) Paths() []string { return append([]string(nil), s.paths...) }

// Spec returns the API spec the simulator validates against.
func (s *Server) Spec() *Spec { return s.spec }

// SetJobDelay sets how long new async jobs stay pending.
func (s *Server) SetJobDelay(d time.Duration) { s.delay.Store(int64(d)) }

// JobDelay returns how long new async jobs stay pending.
func (s *Server) JobDelay() time.Duration { return time.Duration(s.delay.Load()) }

// SetVMAddress sets the IP address given to the NICs of VMs deployed from
// now on; "" restores allocation from the network's range.
func (s *Server) SetVMAddress(ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.vmAddress = ip
}

// Close stops the timers of pending jobs, which then stay pending. It does
// not close listeners; ListenAndServe stops when its context ends.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for _, j := range s.st.jobs.list {
		if j.timer != nil {
			j.timer.Stop()
		}
	}
}

// ListenAndServe listens on addr (host:port), calls ready (if not nil) with
// the API endpoint URL, e.g. "http://127.0.0.1:8080/client/api", once it
// accepts connections, and serves until ctx is done; it then shuts down
// gracefully and returns nil.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(endpoint string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cloudstacksim: %w", err)
	}
	return s.Serve(ctx, ln, ready)
}

// Serve serves the API on ln until ctx is done, like ListenAndServe.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(endpoint string)) error {
	if err := simkit.Serve(ctx, ln, s, s.Path(), ready, s.Close); err != nil {
		return fmt.Errorf("cloudstacksim: %w", err)
	}
	return nil
}

// maxBodyBytes bounds POST bodies (user data may be 1 MB after base64).
const maxBodyBytes = 8 << 20

// ServeHTTP implements http.Handler: the servlet's request processing.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.servesPath(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	defer s.recoverPanic(w)
	raw, err := readParams(w, r)
	if err != nil {
		writeBody(w, http.StatusBadRequest, errorEnvelope("errorresponse",
			&apiError{code: http.StatusBadRequest, text: "unable to read the request parameters"}, true))
		return
	}
	cmdName := raw["command"]
	s.knobs.counters.Record(cmdName)
	if !s.knobs.latency.Wait(r.Context(), cmdName) {
		return
	}
	if !wantsJSON(raw) {
		writeXMLError(w)
		return
	}
	var fault *Fault
	if f, ok := s.knobs.faults.Take(cmdName); ok {
		fault = &f
	}
	if fault != nil && fault.Kind == FaultDropBefore {
		simkit.DropConnection(w)
		return
	}
	def := registry[cmdName]
	name := s.responseNameFor(cmdName, len(raw))
	acct, usr, aerr := s.authenticate(raw, cmdName)
	if aerr != nil {
		writeError(w, name, aerr, false)
		return
	}
	status, body := s.execute(r, def, raw, acct, usr, fault)
	if fault != nil {
		switch fault.Kind {
		case FaultDropAfter:
			simkit.DropConnection(w)
			return
		case FaultTruncatedBody:
			simkit.WriteTruncated(w, status, jsonContentType, body)
			return
		case FaultMalformedJSON:
			body = append(body[:len(body)-1:len(body)-1], []byte(`,"`)...)
		}
	}
	writeBody(w, status, body)
}

// recoverPanic turns a panic of a handler (a simulator bug) into the
// server's answer to an unexpected exception: 530 without details. Aborted
// connections (simkit.DropConnection) pass through.
func (s *Server) recoverPanic(w http.ResponseWriter) {
	r := recover()
	if r == nil {
		return
	}
	if r == http.ErrAbortHandler {
		panic(r)
	}
	s.panics.Add(1)
	writeBody(w, CodeInternalError, errorEnvelope("errorresponse", internalError("Internal error executing command"), false))
}

// execute runs an authenticated command and returns the HTTP status and body.
func (s *Server) execute(r *http.Request, def *cmdDef, raw map[string]string, acct *account, usr *user, fault *Fault) (int, []byte) {
	name := def.responseName()
	root := acct.isRootAdmin()
	fail := func(err error) (int, []byte) {
		ae := asAPIError(err)
		if ae.generic || ae.code == CodeUnsupportedAction {
			name = "errorresponse"
		}
		return ae.code, errorEnvelope(name, ae, root)
	}
	if err := checkControlCharacters(raw); err != nil {
		return fail(err)
	}
	var forced *apiError
	if fault != nil && (fault.Kind == FaultError || fault.Kind == FaultJobError) {
		forced = fault.apiError(def.Name)
		if fault.Kind == FaultError || !s.spec.Command(def.Name).IsAsync {
			return fail(forced)
		}
	}
	c := &call{s: s, def: def, spec: s.spec.Command(def.Name), caller: acct, user: usr, method: r.Method,
		apiName: def.apiName(), now: s.now()}
	if err := c.unpack(raw); err != nil {
		return fail(err)
	}
	if def.ReadOnly {
		s.mu.RLock()
		defer s.mu.RUnlock()
	} else {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	c.st = s.st
	if err := c.validate(); err != nil {
		return fail(err)
	}
	if err := c.checkPaging(); err != nil {
		return fail(err)
	}
	rep, err := def.Handler(c)
	if err != nil {
		return fail(err)
	}
	if a, ok := rep.(*asyncReply); ok {
		j := s.submit(c, a, forced)
		sub := submitResponse{JobID: j.id}
		if def.Create {
			sub.ID = a.id
		}
		rep = flatReply{sub}
	}
	body, err := envelope(name, rep)
	if err != nil {
		return fail(internalError("unable to serialize the response: %v", err))
	}
	return http.StatusOK, body
}

// authenticate is ApiServer.verifyRequest for API-key requests: it returns
// the caller or the 401 (or 429) the server answers.
func (s *Server) authenticate(raw map[string]string, cmdName string) (*account, *user, *apiError) {
	unauthorized := &apiError{code: CodeUnauthorized, text: textUnableToVerify}
	if cmdName == "" || s.spec.Command(cmdName) == nil {
		return nil, nil, unauthorized
	}
	var apiKey, signature, version, expires string
	for k, v := range raw {
		switch {
		case strings.EqualFold(k, "signature"):
			signature = v
		case strings.EqualFold(k, "apiKey"):
			apiKey = v
		case strings.EqualFold(k, "signatureVersion"):
			version = v
		case strings.EqualFold(k, "expires"):
			expires = v
		}
	}
	if signature == "" || apiKey == "" {
		return nil, nil, unauthorized
	}
	if version == "3" {
		t, ok := parseExpires(expires)
		if !ok || t.Before(s.now()) {
			return nil, nil, unauthorized
		}
	}
	s.mu.RLock()
	u := s.st.findUserByAPIKey(apiKey)
	s.mu.RUnlock()
	if u == nil {
		return nil, nil, unauthorized
	}
	if wait, limited := s.knobs.throttled(u.acct, s.now()); limited {
		return nil, nil, &apiError{code: CodeAPILimitExceeded, cs: CSServerAPIException,
			text: fmt.Sprintf("The given user has reached his/her account api limit, please retry after [%d] ms.", wait.Milliseconds())}
	}
	if registry[cmdName] == nil {
		return nil, nil, &apiError{code: CodeUnauthorized, text: fmt.Sprintf("The given command '%s' either does not exist, is not available for user.", cmdName)}
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(raw, u.secretKey))) {
		return nil, nil, unauthorized
	}
	return u.acct, u, nil
}

// responseNameFor returns the envelope name of errors about cmdName, as
// getSerializedApiError picks it.
func (s *Server) responseNameFor(cmdName string, nparams int) string {
	if nparams == 0 {
		return "errorresponse"
	}
	if d := registry[cmdName]; d != nil {
		return d.responseName()
	}
	if s.spec.Command(cmdName) != nil {
		return strings.ToLower(cmdName) + "response"
	}
	return "errorresponse"
}

func (s *Server) servesPath(p string) bool {
	for _, q := range s.paths {
		if p == q || strings.TrimSuffix(p, "/") == strings.TrimSuffix(q, "/") {
			return true
		}
	}
	return false
}

// readParams returns the request's parameters, one value per name (the
// first), merging the query string and a form body as the servlet does.
func readParams(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(r.Form))
	for k, vs := range r.Form {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out, nil
}

// wantsJSON reports whether the request asked for response=json.
func wantsJSON(raw map[string]string) bool {
	v, ok := raw["response"]
	if !ok {
		for k, val := range raw {
			if strings.EqualFold(k, "response") {
				v = val
			}
		}
	}
	return strings.EqualFold(v, "json")
}

// checkControlCharacters rejects values with ASCII control characters other
// than tab-free \n and \r (ApiServer.checkCharacterInkParams).
func checkControlCharacters(raw map[string]string) error {
	for k, v := range raw {
		if k == "activationrule" {
			continue
		}
		for i := 0; i < len(v); i++ {
			c := v[i]
			if (c < 0x20 && c != '\n' && c != '\r') || c == 0x7f {
				return paramError("Received value containing illegal ASCII non-printable characters for parameter %s", k)
			}
		}
	}
	return nil
}

const jsonContentType = "application/json; charset=UTF-8"

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, name string, err *apiError, rootAdmin bool) {
	if err.code == CodeUnsupportedAction {
		name = "errorresponse"
	}
	w.Header().Set("X-Description", err.textFor(rootAdmin))
	writeBody(w, err.code, errorEnvelope(name, err, rootAdmin))
}

// xmlNotSupported is the answer to a request without response=json.
const xmlNotSupported = `<?xml version="1.0" encoding="UTF-8"?><errorresponse cloud-stack-version="4.18.0.0">` +
	`<errorcode>432</errorcode><errortext>The goclouds CloudStack simulator answers only JSON: add response=json to the request (XML, the server default, is not supported)</errortext></errorresponse>`

func writeXMLError(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
	w.WriteHeader(CodeUnsupportedAction)
	_, _ = w.Write([]byte(xmlNotSupported))
}
