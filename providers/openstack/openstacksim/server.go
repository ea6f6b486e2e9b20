package openstacksim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// Default settings of a Server.
const (
	// DefaultUsername and DefaultPassword are the admin user's credentials.
	DefaultUsername = "admin"
	// DefaultPassword is the admin user's password.
	DefaultPassword = "goclouds-sim-admin-password"
	// DefaultProjectName is the admin user's project.
	DefaultProjectName = "admin"
	// DefaultUserUsername is the name of the ordinary (member) user.
	DefaultUserUsername = "demo"
	// DefaultUserPassword is the ordinary user's password.
	DefaultUserPassword = "goclouds-sim-demo-password"
	// DefaultUserProjectName is the ordinary user's project.
	DefaultUserProjectName = "demo"
	// DefaultDomainName is the name of the only domain (its id is "default").
	DefaultDomainName = "Default"
	// DefaultRegion is the region of every catalogue endpoint.
	DefaultRegion = "RegionOne"
	// DefaultTokenLifetime is how long an issued token is valid.
	DefaultTokenLifetime = time.Hour
	// MinComputeMicroversion and MaxComputeMicroversion bound the Nova
	// microversions the simulator accepts (2.93 is Zed's maximum, the last
	// in the API history it follows).
	MinComputeMicroversion = "2.1"
	// MaxComputeMicroversion is the highest Nova microversion accepted.
	MaxComputeMicroversion = "2.93"
	// MaxVolumeMicroversion is the highest Cinder microversion announced.
	MaxVolumeMicroversion = "3.70"
	// IdentityPath is the path prefix of Keystone (OS_AUTH_URL is
	// http://HOST:PORT/identity/v3).
	IdentityPath = "/identity"
	// ComputePath is the path prefix of Nova (endpoint .../compute/v2.1).
	ComputePath = "/compute"
	// ImagePath is the path prefix of Glance (endpoint .../image).
	ImagePath = "/image"
	// VolumePath is the path prefix of Cinder (endpoint .../volume/v3/PROJECT).
	VolumePath = "/volume"
	// NetworkPath is the path prefix of Neutron (endpoint .../networking).
	NetworkPath = "/networking"
)

// Options configures a Server. The zero value (or nil) gives the defaults.
type Options struct {
	// Username, Password and ProjectName are the admin user's credentials
	// (the defaults when empty). The admin user has the admin role.
	Username, Password, ProjectName string
	// UserUsername, UserPassword and UserProjectName are the ordinary
	// user's (member role; the defaults when empty).
	UserUsername, UserPassword, UserProjectName string
	// Region is the catalogue's region (DefaultRegion when empty).
	Region string
	// TokenLifetime is how long tokens are valid (DefaultTokenLifetime when
	// zero); a request with an expired token answers 401.
	TokenLifetime time.Duration
	// TransitionDelay is how long BUILD and every other transitional state
	// (task states, volume creating/attaching...) last. Zero settles them
	// by the next request.
	TransitionDelay time.Duration
	// Servers is the number of ACTIVE servers the admin project starts with.
	Servers int
	// PublicURL, when set, is the base URL the catalogue advertises (for a
	// simulator behind a proxy); by default it is built from each request's
	// Host header.
	PublicURL string
	// KeyBits is the RSA size of key pairs Nova generates (2048 when zero;
	// tests may use 1024 for speed).
	KeyBits int
	// Now overrides the clock (time.Now when nil).
	Now func() time.Time
}

// Credentials is what a client needs to authenticate as one user.
type Credentials struct {
	// Username and Password are the password-method credentials.
	Username, Password string
	// UserID is the user's id.
	UserID string
	// ProjectName and ProjectID name the user's project.
	ProjectName, ProjectID string
	// UserDomainName and ProjectDomainName are both DefaultDomainName.
	UserDomainName, ProjectDomainName string
	// Region is the catalogue's region.
	Region string
	// ApplicationCredentialID and ApplicationCredentialSecret authenticate
	// with the application_credential method, scoped to the project.
	ApplicationCredentialID, ApplicationCredentialSecret string
}

// Server is the simulated cloud. It is an http.Handler and safe for
// concurrent use.
type Server struct {
	opts Options
	now  func() time.Time

	mu    sync.Mutex
	state *state

	counters simkit.Counters
	faults   simkit.FaultQueue[Fault]
	latency  simkit.Latency
	limiter  simkit.Limiter
	delay    atomic.Int64
	lifetime atomic.Int64

	muxOnce sync.Once
	router  *http.ServeMux

	lnMu   sync.Mutex
	hs     *http.Server
	authMu sync.Mutex
	url    string
}

// NewServer returns a simulator configured by opts (nil for the defaults).
func NewServer(opts *Options) *Server {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Username, DefaultUsername)
	def(&o.Password, DefaultPassword)
	def(&o.ProjectName, DefaultProjectName)
	def(&o.UserUsername, DefaultUserUsername)
	def(&o.UserPassword, DefaultUserPassword)
	def(&o.UserProjectName, DefaultUserProjectName)
	def(&o.Region, DefaultRegion)
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = DefaultTokenLifetime
	}
	if o.KeyBits <= 0 {
		o.KeyBits = 2048
	}
	s := &Server{opts: o, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	s.delay.Store(int64(o.TransitionDelay))
	s.lifetime.Store(int64(o.TokenLifetime))
	s.state = newState(s, &o)
	return s
}

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s }

// Region returns the catalogue's region.
func (s *Server) Region() string { return s.opts.Region }

// AdminCredentials returns the admin user's credentials (admin role).
func (s *Server) AdminCredentials() Credentials { return s.credentials(s.state.adminUser) }

// UserCredentials returns the ordinary user's credentials (member role).
func (s *Server) UserCredentials() Credentials { return s.credentials(s.state.memberUser) }

func (s *Server) credentials(u *user) Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Credentials{Username: u.Name, Password: u.Password, UserID: u.ID, ProjectName: u.Project.Name,
		ProjectID: u.Project.ID, UserDomainName: DefaultDomainName, ProjectDomainName: DefaultDomainName,
		Region: s.opts.Region}
	if len(u.AppCreds) > 0 {
		c.ApplicationCredentialID, c.ApplicationCredentialSecret = u.AppCreds[0].ID, u.AppCreds[0].Secret
	}
	return c
}

// Start serves the simulator on a free port of 127.0.0.1 in the background
// and returns the Keystone URL (http://127.0.0.1:PORT/identity/v3); Close
// stops it.
func (s *Server) Start() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.lnMu.Lock()
	s.hs = hs
	s.lnMu.Unlock()
	go func() { _ = hs.Serve(ln) }()
	u := "http://" + ln.Addr().String() + IdentityPath + "/v3"
	s.authMu.Lock()
	s.url = u
	s.authMu.Unlock()
	return u, nil
}

// AuthURL returns the Keystone URL of the listener Start or Serve opened
// ("" before).
func (s *Server) AuthURL() string {
	s.authMu.Lock()
	defer s.authMu.Unlock()
	return s.url
}

// Close stops the listener Start opened; it is safe to call more than once.
func (s *Server) Close() error {
	s.lnMu.Lock()
	hs := s.hs
	s.hs = nil
	s.lnMu.Unlock()
	if hs == nil {
		return nil
	}
	return hs.Close()
}

// ListenAndServe listens on addr (host:port; port 0 picks a free one) and
// serves until ctx ends; ready gets the Keystone URL once connections are
// accepted.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(authURL string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, ready)
}

// Serve serves on ln until ctx ends, then shuts down gracefully; ready gets
// the Keystone URL.
func (s *Server) Serve(ctx context.Context, ln net.Listener, ready func(authURL string)) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	u := "http://" + ln.Addr().String() + IdentityPath + "/v3"
	s.authMu.Lock()
	s.url = u
	s.authMu.Unlock()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if ready != nil {
		ready(u)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL returns the scheme://host the catalogue advertises for r.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
