package openstack

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// provider is the name the driver reports.
const provider = types.ProviderOpenStack

// Driver is the OpenStack compute driver. It is safe for concurrent use.
type Driver struct {
	opts   Options // secrets included; never printed (see Options.String)
	http   *http.Client
	logger *slog.Logger

	mu   sync.Mutex
	conn *conn // nil until the first call authenticates
}

// Interfaces the driver implements.
var (
	_ compute.Driver          = (*Driver)(nil)
	_ compute.VolumeManager   = (*Driver)(nil)
	_ compute.VolumeResizer   = (*Driver)(nil)
	_ compute.SnapshotManager = (*Driver)(nil)
	_ compute.KeyPairManager  = (*Driver)(nil)
	_ compute.ImageManager    = (*Driver)(nil)
	_ compute.NodeResizer     = (*Driver)(nil)
	_ compute.NodeStreamer    = (*Driver)(nil)
	_ compute.NodeGetter      = (*Driver)(nil)
)

// uuidPattern matches a Keystone id (32 hex digits, or a dashed UUID).
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Factory builds a driver from a compute.Config: URL (or Host, Port and
// Path; the Keystone auth URL), Username and Password with Domain (the
// user's domain), Project (a project id when it is 32 hex digits or a UUID,
// else a project name) and ProjectDomain (default Domain); or Key and
// Secret (an application credential id and secret); or Token. Region,
// CAFile, Insecure, Timeout, HTTPClient and Logger apply as documented on
// compute.Config. ProviderOptions may be an *Options or an Options, and
// Config.Options sets Options fields by name ("interface", "cloud",
// "compute_microversion", ...). The Config's fields win over
// ProviderOptions. It does no network I/O.
func Factory(cfg compute.Config) (compute.Driver, error) {
	o, err := compute.ProviderOptionsOf[Options](provider, "New", cfg.ProviderOptions)
	if err != nil {
		return nil, err
	}
	opts := *o
	if err := compute.DecodeOptions(cfg.Options, &opts); err != nil {
		return nil, compute.NewError(provider, "New", "", compute.ErrInvalidArgument, err)
	}
	switch {
	case cfg.URL != "":
		opts.AuthURL = cfg.URL
	case cfg.Host != "":
		u, err := cfg.ResolveEndpoint("", "/v3")
		if err != nil {
			return nil, compute.NewError(provider, "New", "", nil, err)
		}
		opts.AuthURL = u.String()
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&opts.Username, cfg.Username)
	set(&opts.Password, cfg.Password)
	set(&opts.UserDomainName, cfg.Domain)
	if cfg.Project != "" {
		if uuidPattern.MatchString(cfg.Project) {
			opts.ProjectID, opts.ProjectName = cfg.Project, ""
		} else {
			opts.ProjectName, opts.ProjectID = cfg.Project, ""
		}
	}
	set(&opts.ProjectDomainName, cfg.ProjectDomain)
	set(&opts.ApplicationCredentialID, cfg.Key)
	set(&opts.ApplicationCredentialSecret, cfg.Secret)
	set(&opts.Token, cfg.Token)
	set(&opts.Region, cfg.Region)
	set(&opts.CAFile, cfg.CAFile)
	opts.Insecure = opts.Insecure || cfg.Insecure
	if cfg.Timeout != 0 {
		opts.Timeout = cfg.Timeout
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	}
	if cfg.Logger != nil {
		opts.Logger = cfg.Logger
	}
	d, err := New(&opts)
	if err != nil {
		return nil, err // not a typed nil
	}
	return d, nil
}

// New returns a driver for the cloud in o. When o carries no credential
// and NoEnvironment is false, empty fields are first read from the OS_*
// variables and clouds.yaml (see FromEnvironment). New does no network
// I/O: the driver authenticates on its first call, under that call's
// context. Errors match compute.ErrInvalidArgument.
func New(o *Options) (*Driver, error) {
	if o == nil {
		o = &Options{}
	}
	opts := *o
	bad := func(format string, args ...any) (*Driver, error) {
		return nil, compute.Errorf(provider, "New", "", compute.ErrInvalidArgument, format, args...)
	}
	if !opts.hasCredentials() && !opts.NoEnvironment {
		if err := opts.fromEnvironment(os.LookupEnv); err != nil {
			return bad("%v", err)
		}
	}
	if strings.TrimSpace(opts.AuthURL) == "" {
		return bad("no auth URL: set URL (or %s, or auth_url in clouds.yaml)", EnvAuthURL)
	}
	u, err := url.Parse(strings.TrimSpace(opts.AuthURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("auth URL %q: want http(s)://host[:port]/path", redactURL(opts.AuthURL))
	}
	if u.User != nil {
		return bad("auth URL %q: put credentials in their own fields, not in the URL", redactURL(opts.AuthURL))
	}
	opts.AuthURL = strings.TrimSpace(opts.AuthURL)
	switch {
	case opts.Token != "":
	case opts.ApplicationCredentialID != "" || opts.ApplicationCredentialName != "":
		if opts.ApplicationCredentialSecret == "" {
			return bad("an application credential needs its secret (Secret, or %s)", EnvAppCredSecret)
		}
		if opts.ApplicationCredentialID == "" && opts.Username == "" && opts.UserID == "" {
			return bad("an application credential given by name needs the user name or id")
		}
	case opts.Username != "" || opts.UserID != "":
		if opts.Password == "" {
			return bad("no password for user %q (set Password, or %s)", opts.Username+opts.UserID, EnvPassword)
		}
		if opts.Username != "" && opts.UserDomainName == "" && opts.UserDomainID == "" {
			return bad("user %q needs a domain (Domain, or %s; \"Default\" on most clouds)", opts.Username, EnvUserDomainName)
		}
	default:
		return bad("no credentials: set Username and Password, Key and Secret (an application credential) or Token (or the OS_* variables, or OS_CLOUD)")
	}
	switch opts.Interface {
	case "", "public", "publicURL":
		opts.Interface = string(gophercloud.AvailabilityPublic)
	case "internal", "internalURL":
		opts.Interface = string(gophercloud.AvailabilityInternal)
	case "admin", "adminURL":
		opts.Interface = string(gophercloud.AvailabilityAdmin)
	default:
		return bad("interface %q: want public, internal or admin", opts.Interface)
	}
	if opts.ComputeMicroversion == "" {
		opts.ComputeMicroversion = DefaultMicroversion
	}
	if _, _, err := utils.ParseMicroversion(opts.ComputeMicroversion); err != nil {
		return bad("compute microversion %q: want 2.N", opts.ComputeMicroversion)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ThrottleMaxWait == 0 {
		opts.ThrottleMaxWait = DefaultThrottleMaxWait
	}
	if opts.ReauthBefore == 0 {
		opts.ReauthBefore = DefaultReauthBefore
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	client := opts.HTTPClient
	if client == nil {
		tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
		if opts.Insecure && u.Scheme == "https" {
			tlsConf.InsecureSkipVerify = true //nolint:gosec // asked for by Insecure
			logger.Warn("openstack: TLS certificate verification is off", "host", u.Host)
		}
		if opts.CAFile != "" {
			pem, err := os.ReadFile(opts.CAFile)
			if err != nil {
				return bad("CA file: %v", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return bad("CA file %s holds no PEM certificate", opts.CAFile)
			}
			tlsConf.RootCAs = pool
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = tlsConf
		client = &http.Client{Transport: tr, Timeout: opts.Timeout}
	}
	c := *client
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = ctxTransport{next}
	return &Driver{opts: opts, http: &c, logger: logger}, nil
}

// redactURL returns raw without user information, for messages.
func redactURL(raw string) string {
	if u, err := url.Parse(strings.TrimSpace(raw)); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

// Provider returns types.ProviderOpenStack.
func (d *Driver) Provider() types.Provider { return provider }

// String describes the driver without its secrets.
func (d *Driver) String() string {
	user := d.opts.Username + d.opts.UserID
	if user == "" {
		user = d.opts.ApplicationCredentialID + d.opts.ApplicationCredentialName
	}
	return fmt.Sprintf("openstack.Driver{AuthURL:%q User:%q Region:%q}", redactURL(d.opts.AuthURL), user, d.opts.Region)
}

// GoString is as String.
func (d *Driver) GoString() string { return d.String() }

// client returns the authenticated connection, authenticating first when
// needed under ctx. A failed authentication is not remembered: the next
// call tries again.
func (d *Driver) client(ctx context.Context, op string) (*conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		return d.conn, nil
	}
	c, err := d.connect(ctx)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	d.conn = c
	return c, nil
}

// begin starts a driver call: it gives ctx the call's throttle budget and
// returns the authenticated connection.
func (d *Driver) begin(ctx context.Context, op string) (context.Context, *conn, error) {
	ctx = withBudget(ctx)
	c, err := d.client(ctx, op)
	return ctx, c, err
}
