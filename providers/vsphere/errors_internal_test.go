package vsphere

import (
	"context"
	"errors"
	"testing"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

func TestFaultKinds(t *testing.T) {
	for _, c := range []struct {
		fault types.BaseMethodFault
		kind  error
	}{
		{&types.ManagedObjectNotFound{}, compute.ErrNotFound},
		{&types.NotFound{}, compute.ErrNotFound},
		{&types.FileNotFound{}, compute.ErrNotFound},
		{&types.DuplicateName{}, compute.ErrAlreadyExists},
		{&types.AlreadyExists{}, compute.ErrAlreadyExists},
		{&types.InvalidLogin{}, compute.ErrPermissionDenied},
		{&types.NotAuthenticated{}, compute.ErrPermissionDenied},
		{&types.NoPermission{}, compute.ErrPermissionDenied},
		{&types.InvalidPowerState{}, compute.ErrConflict},
		{&types.InvalidState{}, compute.ErrConflict},
		{&types.TaskInProgress{}, compute.ErrConflict},
		{&types.ResourceInUse{}, compute.ErrConflict},
		{&types.ToolsUnavailable{}, compute.ErrConflict},
		{&types.FileLocked{}, compute.ErrConflict},
		{&types.InvalidArgument{}, compute.ErrInvalidArgument},
		{&types.InvalidName{}, compute.ErrInvalidArgument},
		{&types.InvalidDeviceSpec{}, compute.ErrInvalidArgument},
		{&types.NotSupported{}, compute.ErrNotSupported},
		{&types.NotImplemented{}, compute.ErrNotSupported},
		{&types.InsufficientResourcesFault{}, compute.ErrQuotaExceeded},
		{&types.InsufficientMemoryResourcesFault{}, compute.ErrQuotaExceeded},
		{&types.NoDiskSpace{}, compute.ErrQuotaExceeded},
		{&types.HostCommunication{}, compute.ErrUnavailable},
		{&types.HostNotConnected{}, compute.ErrUnavailable},
		{&types.SystemError{}, compute.ErrInternal},
		{&types.RequestCanceled{}, context.Canceled},
		{&types.MethodFault{}, compute.ErrInternal},
	} {
		if got := faultKind(c.fault); got != c.kind {
			t.Errorf("faultKind(%T) = %v, want %v", c.fault, got, c.kind)
		}
	}
}

func TestMapErrorFindsFaultsEverywhere(t *testing.T) {
	sf := &soap.Fault{String: "The object has already been deleted"}
	sf.Detail.Fault = types.ManagedObjectNotFound{} // as the XML decoder gives it: a value
	for what, err := range map[string]error{
		"SOAP fault": soap.WrapSoapFault(sf),
		"vim fault":  soap.WrapVimFault(&types.ManagedObjectNotFound{}),
		"task error": task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{Fault: &types.ManagedObjectNotFound{}, LocalizedMessage: "gone"}},
	} {
		got := compute.NewError(provider, "Op", "id", nil, mapError(err))
		if !errors.Is(got, compute.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", what, got)
		}
		var f *Fault
		if !errors.As(got, &f) || f.Name() != "ManagedObjectNotFound" {
			t.Errorf("%s: no ManagedObjectNotFound *Fault in %v", what, got)
		}
		if !errors.Is(got, err) && what != "SOAP fault" {
			t.Errorf("%s: govmomi's error is not reachable from %v", what, got)
		}
	}
	if err := mapError(context.Canceled); err != context.Canceled {
		t.Errorf("mapError(context.Canceled) = %v", err)
	}
}
