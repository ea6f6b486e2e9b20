package vspheresim

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"sync"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
)

// The defaults of [Options].
const (
	// DefaultUsername is the user vcsim accepts unless Options.Username is set.
	DefaultUsername = "administrator@vsphere.local"
	// DefaultPassword is the password vcsim accepts unless Options.Password is set.
	DefaultPassword = "s3cret-Pa55"
	// DefaultListen is the address vcsim listens on unless Options.Listen
	// is set: loopback, a free port.
	DefaultListen = "127.0.0.1:0"
)

// TemplateName is the name of the template Start makes of a model VM;
// DatacenterName the datacenter it lives in.
const (
	TemplateName   = "tmpl"
	DatacenterName = "DC0"
	// templateSource is the model VM that becomes the template.
	templateSource = "DC0_H0_VM1"
)

// Options configure [Start]; the zero value (or nil) is the VPX model on
// loopback with the default credentials and no Tools stand-in.
type Options struct {
	// Model is the vcsim model to run, not yet created; nil is
	// simulator.VPX(). It must have datacenter DC0 and VM DC0_H0_VM1.
	Model *simulator.Model
	// Listen is the host:port to listen on (DefaultListen when empty).
	Listen string
	// Username and Password are the credentials vcsim accepts
	// (DefaultUsername, DefaultPassword when empty).
	Username, Password string
	// Tools runs the VMware Tools stand-in (see the package doc) until
	// Close.
	Tools bool
	// Logf, when set, receives the Tools stand-in's errors.
	Logf func(format string, args ...any)
}

// Server is a running vcsim. Its fields are set by Start and must not be
// changed.
type Server struct {
	// URL is the SDK endpoint, https://HOST:PORT/sdk, without user
	// information.
	URL *url.URL
	// Username and Password are the credentials vcsim accepts.
	Username, Password string
	// CAFile is a PEM file of vcsim's certificate, removed by Close;
	// Thumbprint its SHA-1 thumbprint (AB:CD:...).
	CAFile, Thumbprint string
	// TemplateID is the instance UUID of the template TemplateName;
	// DatacenterID the managed object id of DatacenterName.
	TemplateID, DatacenterID string
	// Model is vcsim's model, for its fault injection (Model.Service).
	Model *simulator.Model
	// Client is an administrator session of the Server's own (for tests
	// that inspect or steer vcsim through the API); Close logs it out.
	Client *govmomi.Client

	server    *simulator.Server
	stopTools func()
	closeOnce sync.Once
}

// Start creates the model, serves it over TLS and prepares the template
// (see the package doc). ctx bounds the set-up only; the server and the
// Tools stand-in run until Close.
func Start(ctx context.Context, o *Options) (_ *Server, err error) {
	if o == nil {
		o = &Options{}
	}
	model := o.Model
	if model == nil {
		model = simulator.VPX()
	}
	s := &Server{Model: model, Username: o.Username, Password: o.Password}
	if s.Username == "" {
		s.Username = DefaultUsername
	}
	if s.Password == "" {
		s.Password = DefaultPassword
	}
	listen := o.Listen
	if listen == "" {
		listen = DefaultListen
	}
	if err := model.Create(); err != nil {
		return nil, fmt.Errorf("vspheresim: creating the model: %w", err)
	}
	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{Host: listen, User: url.UserPassword(s.Username, s.Password)}
	if s.server, err = newServer(model); err != nil {
		model.Remove()
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	u := *s.server.URL
	u.User = nil
	s.URL = &u
	if s.CAFile, err = s.server.CertificateFile(); err != nil {
		return nil, fmt.Errorf("vspheresim: writing the CA file: %w", err)
	}
	s.Thumbprint = s.server.CertificateInfo().ThumbprintSHA1
	if s.Client, err = govmomi.NewClient(ctx, s.server.URL, true); err != nil {
		return nil, fmt.Errorf("vspheresim: logging in: %w", err)
	}
	if err := s.makeTemplate(ctx); err != nil {
		return nil, fmt.Errorf("vspheresim: making the template: %w", err)
	}
	if o.Tools {
		s.stopTools = runTools(s.Client.Client, o.Logf)
	}
	return s, nil
}

// newServer serves the model, turning vcsim's panic when it cannot listen
// into an error.
func newServer(model *simulator.Model) (s *simulator.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("vspheresim: %v", r)
		}
	}()
	return model.Service.NewServer(), nil
}

// makeTemplate powers off the model VM templateSource, renames it
// TemplateName and marks it as a template; it records the template's and
// the datacenter's ids.
func (s *Server) makeTemplate(ctx context.Context) error {
	f := find.NewFinder(s.Client.Client, true)
	dc, err := f.Datacenter(ctx, DatacenterName)
	if err != nil {
		return err
	}
	s.DatacenterID = dc.Reference().Value
	f.SetDatacenter(dc)
	vm, err := f.VirtualMachine(ctx, templateSource)
	if err != nil {
		return err
	}
	task, err := vm.PowerOff(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err == nil {
		task, err = vm.Rename(ctx, TemplateName)
		if err == nil {
			err = task.Wait(ctx)
		}
	}
	if err == nil {
		err = vm.MarkAsTemplate(ctx)
	}
	if err != nil {
		return err
	}
	var o mo.VirtualMachine
	if err := vm.Properties(ctx, vm.Reference(), []string{"config.instanceUuid"}, &o); err != nil {
		return err
	}
	s.TemplateID = o.Config.InstanceUuid
	return nil
}

// Env returns the govc variables that point govc and goclouds' vSphere
// provider at the server, as KEY=VALUE in a fixed order: GOVC_URL,
// GOVC_USERNAME, GOVC_PASSWORD, GOVC_TLS_CA_CERTS.
func (s *Server) Env() []string {
	return []string{
		"GOVC_URL=" + s.URL.String(),
		"GOVC_USERNAME=" + s.Username,
		"GOVC_PASSWORD=" + s.Password,
		"GOVC_TLS_CA_CERTS=" + s.CAFile,
	}
}

// Close stops the Tools stand-in, logs the Server's session out, stops
// vcsim (waiting for requests in flight), removes the CA file and the
// model. It may be called more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if s.stopTools != nil {
			s.stopTools()
		}
		if s.Client != nil {
			_ = s.Client.Logout(context.Background())
		}
		if s.server != nil {
			s.server.Close()
		}
		s.Model.Remove()
	})
	return nil
}
