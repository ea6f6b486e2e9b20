package vsphere

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strings"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// Fault is a vSphere fault (a vim25 MethodFault) as the driver reports it:
// every error caused by a fault wraps one, reachable with errors.As:
//
//	var f *vsphere.Fault
//	if errors.As(err, &f) {
//		if _, ok := f.Fault.(*types.InvalidPowerState); ok { ... }
//	}
//
// Its Unwrap returns govmomi's own error (a soap fault error or a
// task.Error).
type Fault struct {
	// Fault is the fault, such as a *types.ManagedObjectNotFound.
	Fault types.BaseMethodFault
	// Message is the server's message, when it sent one.
	Message string
	err     error
}

// Name returns the fault's type name, such as "InvalidPowerState".
func (f *Fault) Name() string {
	if f.Fault == nil {
		return "MethodFault"
	}
	t := reflect.TypeOf(f.Fault)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// Error returns "<fault name>: <message>".
func (f *Fault) Error() string {
	if f.Message == "" || f.Message == f.Name() || strings.HasSuffix(f.Message, "."+f.Name()) {
		return f.Name()
	}
	return f.Name() + ": " + f.Message
}

// Unwrap returns govmomi's error.
func (f *Fault) Unwrap() error { return f.err }

// faultOf returns the vSphere fault err carries (a SOAP fault, a vim
// fault, or a task's error), or nil.
func faultOf(err error) types.BaseMethodFault {
	f, _ := faultAndMessage(err)
	return f
}

func faultAndMessage(err error) (types.BaseMethodFault, string) {
	var vf *Fault
	switch {
	case err == nil:
		return nil, ""
	case errors.As(err, &vf):
		return vf.Fault, vf.Message
	case soap.IsSoapFault(err):
		sf := soap.ToSoapFault(err)
		return asMethodFault(sf.VimFault()), sf.String
	case soap.IsVimFault(err):
		return soap.ToVimFault(err), ""
	}
	var te task.Error
	if errors.As(err, &te) && te.LocalizedMethodFault != nil {
		return te.Fault(), te.LocalizedMessage
	}
	var tp *task.Error
	if errors.As(err, &tp) && tp != nil && tp.LocalizedMethodFault != nil {
		return tp.Fault(), tp.LocalizedMessage
	}
	return nil, ""
}

// asMethodFault returns v as a BaseMethodFault: the XML decoder gives
// fault details as values, whose methods have pointer receivers.
func asMethodFault(v any) types.BaseMethodFault {
	if f, ok := v.(types.BaseMethodFault); ok {
		return f
	}
	if v == nil {
		return nil
	}
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	f, _ := p.Interface().(types.BaseMethodFault)
	return f
}

// mapError returns err with its kind attached: a *Fault wrapped in an error
// matching the kind of the fault (see faultKind), a network error matching
// compute.ErrUnavailable, context errors unchanged. Other errors are
// returned as they are (compute.NewError makes them ErrInternal).
func mapError(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce *compute.Error
	if errors.As(err, &ce) {
		return err
	}
	if f, msg := faultAndMessage(err); f != nil {
		vf := &Fault{Fault: f, Message: msg, err: err}
		return kindError{kind: faultKind(f), err: vf}
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) || soap.IsCertificateUntrusted(err) {
		if soap.IsCertificateUntrusted(err) {
			return kindError{kind: compute.ErrPermissionDenied, err: fmt.Errorf("%w (set CAFile or Thumbprint to trust the server's certificate)", err)}
		}
		return kindError{kind: compute.ErrUnavailable, err: err}
	}
	return err
}

// kindError attaches a compute kind to an error without repeating the
// kind's text.
type kindError struct {
	kind error
	err  error
}

// Error returns the wrapped error's text.
func (k kindError) Error() string { return k.err.Error() }

// Unwrap returns the kind and the error.
func (k kindError) Unwrap() []error { return []error{k.kind, k.err} }

// faultKind returns the compute kind of a vSphere fault: the table in
// docs/providers/vsphere.md.
func faultKind(f types.BaseMethodFault) error {
	switch f.(type) {
	case *types.ManagedObjectNotFound, *types.NotFound, *types.FileNotFound:
		return compute.ErrNotFound
	case *types.DuplicateName, *types.AlreadyExists, *types.FileAlreadyExists:
		return compute.ErrAlreadyExists
	case *types.InvalidLogin, *types.NotAuthenticated, *types.NoPermission, *types.RestrictedVersion,
		*types.InvalidLocale:
		return compute.ErrPermissionDenied
	case *types.InvalidPowerState, *types.TaskInProgress, *types.ResourceInUse, *types.ConcurrentAccess,
		*types.FileLocked, *types.InvalidDatastoreState, *types.CustomizationPending, *types.ToolsUnavailable,
		*types.DisallowedOperationOnFailoverHost, *types.VmFaultToleranceIssue:
		return compute.ErrConflict
	case *types.RequestCanceled:
		return context.Canceled
	case *types.NotSupported, *types.NotImplemented, *types.MethodNotFound, *types.InvalidType:
		return compute.ErrNotSupported
	case *types.NoDiskSpace, *types.OutOfBounds, *types.NotEnoughLicenses:
		return compute.ErrQuotaExceeded
	case *types.HostCommunication, *types.HostNotConnected, *types.HostNotReachable, *types.HostConnectFault:
		return compute.ErrUnavailable
	case *types.InvalidName, *types.NicSettingMismatch:
		return compute.ErrInvalidArgument
	case *types.SystemError:
		return compute.ErrInternal
	}
	switch f.(type) {
	case types.BaseInsufficientResourcesFault:
		return compute.ErrQuotaExceeded
	case types.BaseNoPermission, types.BaseInvalidLogin, types.BaseSecurityError:
		return compute.ErrPermissionDenied
	case types.BaseInvalidState, types.BaseResourceInUse, types.BaseTaskInProgress:
		return compute.ErrConflict
	case types.BaseInvalidArgument, types.BaseInvalidRequest, types.BaseVmConfigFault,
		types.BaseCustomizationFault, types.BaseInvalidDeviceSpec:
		return compute.ErrInvalidArgument
	case types.BaseNotSupported:
		return compute.ErrNotSupported
	case types.BaseHostCommunication, types.BaseHostConnectFault:
		return compute.ErrUnavailable
	case types.BaseFileFault:
		return compute.ErrInvalidArgument
	}
	return compute.ErrInternal
}
