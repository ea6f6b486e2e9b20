package vsphere

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// provider is the name the driver reports.
const provider = types.ProviderVSphere

// Driver is the vSphere compute driver. It is safe for concurrent use. It
// holds a vCenter or ESXi session: Close logs out.
type Driver struct {
	opts   Options
	user   *url.Userinfo // never logged
	sc     *soap.Client
	jar    *sessionJar
	sizes  []*compute.Size
	logger *slog.Logger

	mu     sync.Mutex
	vc     *vim25.Client // nil until the first call logs in
	closed bool
	gen    int // login generation, bumped by every login
}

// Interfaces the driver implements.
var (
	_ compute.Driver        = (*Driver)(nil)
	_ compute.VolumeManager = (*Driver)(nil)
	_ compute.ImageManager  = (*Driver)(nil)
	_ compute.NodeResizer   = (*Driver)(nil)
	_ compute.NodeStreamer  = (*Driver)(nil)
	_ compute.NodeGetter    = (*Driver)(nil)
	_ io.Closer             = (*Driver)(nil)
)

// Factory builds a driver from a compute.Config: URL (or Host, Port and
// Path, default path /sdk), Username, Password, Insecure, CAFile, Timeout
// and Logger; ProviderOptions may be a *Options or an Options, and
// Config.Options sets Options fields by name. What is left empty is read
// from the GOVC_* variables (see New). It does no network I/O.
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
		opts.URL = cfg.URL
	case cfg.Host != "":
		u, err := cfg.ResolveEndpoint("", "/sdk")
		if err != nil {
			return nil, compute.NewError(provider, "New", "", nil, err)
		}
		opts.URL = u.String()
	}
	if cfg.Username != "" || cfg.Password != "" {
		opts.Username, opts.Password = cfg.Username, cfg.Password
	}
	opts.Insecure = opts.Insecure || cfg.Insecure
	if cfg.CAFile != "" {
		opts.CAFile = cfg.CAFile
	}
	if cfg.Timeout != 0 {
		opts.Timeout = cfg.Timeout
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

// New returns a driver for the endpoint in o. Fields left empty are read
// from govc's variables: GOVC_URL; GOVC_INSECURE and GOVC_TLS_CA_CERTS
// (only with a URL from GOVC_URL); GOVC_USERNAME and GOVC_PASSWORD (when
// neither Username nor Password is set; failing those, the URL's
// user:password@); GOVC_DATACENTER, GOVC_DATASTORE, GOVC_RESOURCE_POOL and
// GOVC_FOLDER. New does no network I/O: the driver logs in on its first
// call, under that call's context. Errors match compute.ErrInvalidArgument.
func New(o *Options) (*Driver, error) {
	if o == nil {
		o = &Options{}
	}
	opts := *o
	bad := func(format string, args ...any) (*Driver, error) {
		return nil, compute.Errorf(provider, "New", "", compute.ErrInvalidArgument, format, args...)
	}
	if _, err := applyEnv(&opts); err != nil {
		return bad("%s: %v", EnvInsecure, err)
	}
	if strings.TrimSpace(opts.URL) == "" {
		return bad("no endpoint: set the URL (or %s)", EnvURL)
	}
	u, err := soap.ParseURL(strings.TrimSpace(opts.URL))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text holds the URL, and so the password
		}
		return bad("endpoint URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return bad("endpoint URL %q: scheme must be http or https", u.Redacted())
	}
	if u.Host == "" {
		return bad("endpoint URL %q has no host", u.Redacted())
	}
	user := opts.Username
	pass := opts.Password
	if user == "" && pass == "" && u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	}
	if user == "" {
		return bad("no user name: set Username (or %s, or user@ in the URL)", EnvUsername)
	}
	u.User = nil
	for _, s := range opts.Sizes {
		if s.ID == "" || s.VCPUs <= 0 || s.RAM <= 0 {
			return bad("size %+v: a size needs an ID, VCPUs > 0 and RAM > 0", s)
		}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	sc := soap.NewClient(u, opts.Insecure)
	if opts.Insecure && u.Scheme == "https" {
		logger.Warn("vsphere: TLS certificate verification is off", "host", u.Host)
	}
	if opts.CAFile != "" {
		if err := sc.SetRootCAs(opts.CAFile); err != nil {
			return bad("CA file: %v", err)
		}
	}
	if opts.Thumbprint != "" {
		sc.SetThumbprint(u.Host, opts.Thumbprint)
	}
	jar := newSessionJar()
	sc.Jar = jar
	sc.Timeout = opts.Timeout
	sc.UserAgent = "goclouds"
	if opts.KeepAlive == 0 {
		opts.KeepAlive = defaultKeepAlive
	}
	if opts.CleanupTimeout <= 0 {
		opts.CleanupTimeout = defaultCleanupTimeout
	}
	opts.Password = ""
	d := &Driver{opts: opts, user: url.UserPassword(user, pass), sc: sc, jar: jar, logger: logger}
	d.sizes = catalogue(opts.Sizes)
	return d, nil
}

// Provider returns types.ProviderVSphere.
func (d *Driver) Provider() types.Provider { return provider }

// String describes the driver without its secrets.
func (d *Driver) String() string {
	return fmt.Sprintf("vsphere.Driver{URL:%q User:%q}", d.sc.URL().Redacted(), d.user.Username())
}

// Close logs out of the session, if the driver logged in, and stops its
// keep-alive. The driver cannot be used afterwards. It implements
// io.Closer.
func (d *Driver) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	vc := d.vc
	d.vc = nil
	if vc == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.opts.CleanupTimeout)
	defer cancel()
	err := logout(ctx, vc)
	d.sc.CloseIdleConnections()
	if err != nil && !isNotAuthenticated(err) {
		return d.wrap(ctx, "Close", "", err)
	}
	return nil
}

// wrap turns err into a *compute.Error for op and id (see errors.go); once
// ctx is done, its error is returned instead (the transport's error then
// only says the call was interrupted).
func (d *Driver) wrap(ctx context.Context, op, id string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return compute.NewError(provider, op, id, nil, mapError(err))
}

// errorf returns a *compute.Error of the kind with a formatted message.
func errorf(op, id string, kind error, format string, args ...any) error {
	return compute.Errorf(provider, op, id, kind, format, args...)
}
