package vsphere

import (
	"context"
	"reflect"
	"sync"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/session/keepalive"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// client returns the logged-in vim25 client, logging in first if the driver
// has not yet (the first call of a driver does the network I/O New avoids).
func (d *Driver) client(ctx context.Context, op string) (*vim25.Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errorf(op, "", compute.ErrInvalidArgument, "the driver is closed")
	}
	if d.vc != nil {
		return d.vc, nil
	}
	rt := &sessionRoundTripper{d: d}
	vc, err := vim25.NewClient(ctx, rt.inner())
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	vc.RoundTripper = rt
	rt.setInner(d.keepAlive(vc))
	if err := d.login(ctx, vc); err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	d.vc = vc
	return vc, nil
}

// keepAlive returns the round tripper that keeps the session alive while
// the driver is idle, or the plain SOAP client when KeepAlive is negative.
func (d *Driver) keepAlive(vc *vim25.Client) soap.RoundTripper {
	if d.opts.KeepAlive < 0 {
		return d.sc
	}
	return keepalive.NewHandlerSOAP(d.sc, d.opts.KeepAlive, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), d.opts.CleanupTimeout)
		defer cancel()
		_, err := methods.GetCurrentTime(ctx, d.sc)
		return err
	})
}

// login logs vc in with the driver's credentials. Callers hold d.mu.
func (d *Driver) login(ctx context.Context, vc *vim25.Client) error {
	if err := session.NewManager(vc).Login(ctx, d.user); err != nil {
		return err
	}
	d.gen++
	d.logger.Debug("vsphere: logged in", "host", d.sc.URL().Host, "user", d.user.Username())
	return nil
}

// relogin logs in again after the session of generation gen expired,
// unless another call already did.
func (d *Driver) relogin(ctx context.Context, gen int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.vc == nil {
		return errorf("Login", "", compute.ErrInvalidArgument, "the driver is closed")
	}
	if d.gen != gen {
		return nil
	}
	d.logger.Debug("vsphere: session expired, logging in again", "host", d.sc.URL().Host)
	d.jar.reset()
	return d.login(ctx, d.vc)
}

func (d *Driver) generation() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gen
}

// sessionRoundTripper sends every call through the keep-alive handler and,
// when the server answers NotAuthenticated (the session expired or was
// terminated), logs in again and resends the call once. A NotAuthenticated
// call was refused before it ran, so resending it is safe.
type sessionRoundTripper struct {
	d  *Driver
	mu sync.RWMutex
	rt soap.RoundTripper
}

func (s *sessionRoundTripper) inner() soap.RoundTripper {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.rt == nil {
		return s.d.sc
	}
	return s.rt
}

func (s *sessionRoundTripper) setInner(rt soap.RoundTripper) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rt = rt
}

// RoundTrip implements soap.RoundTripper.
func (s *sessionRoundTripper) RoundTrip(ctx context.Context, req, res soap.HasFault) error {
	switch req.(type) {
	case *methods.LoginBody, *methods.LogoutBody:
		return s.inner().RoundTrip(ctx, req, res)
	}
	gen := s.d.generation()
	err := s.inner().RoundTrip(ctx, req, res)
	if !isNotAuthenticated(err) && (err != nil || !missingForSession(res)) {
		return err
	}
	if lerr := s.d.relogin(ctx, gen); lerr != nil {
		return lerr
	}
	// Clear the fault the first answer left in res before decoding again.
	if v := reflect.ValueOf(res); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero()
	}
	return s.inner().RoundTrip(ctx, req, res)
}

// missingForSession reports whether a property collector answer lacks
// properties for want of a session: without one, vCenter still answers
// RetrieveProperties, with a NotAuthenticated fault in each object's
// missing set.
func missingForSession(res soap.HasFault) bool {
	var objs []types.ObjectContent
	switch r := res.(type) {
	case *methods.RetrievePropertiesExBody:
		if r.Res != nil && r.Res.Returnval != nil {
			objs = r.Res.Returnval.Objects
		}
	case *methods.ContinueRetrievePropertiesExBody:
		if r.Res != nil {
			objs = r.Res.Returnval.Objects
		}
	case *methods.RetrievePropertiesBody:
		if r.Res != nil {
			objs = r.Res.Returnval
		}
	}
	for _, o := range objs {
		for _, m := range o.MissingSet {
			if _, ok := m.Fault.Fault.(*types.NotAuthenticated); ok {
				return true
			}
		}
	}
	return false
}

// logout ends vc's session.
func logout(ctx context.Context, vc *vim25.Client) error {
	return session.NewManager(vc).Logout(ctx)
}

// isNotAuthenticated reports whether err is the NotAuthenticated fault.
func isNotAuthenticated(err error) bool {
	_, ok := faultOf(err).(*types.NotAuthenticated)
	return ok
}
