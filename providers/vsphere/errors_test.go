package vsphere_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
)

// newDriver returns a driver on the simulator, closed when the test ends.
func newDriver(t *testing.T, s *sim) *vsphere.Driver {
	t.Helper()
	d, err := vsphere.New(s.options())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// create makes a running node from the template.
func create(t *testing.T, d *vsphere.Driver, s *sim, req *compute.CreateNodeRequest) *compute.Node {
	t.Helper()
	req.Image = &compute.Image{ID: s.templateID}
	if req.Size == nil {
		req.Size = &compute.Size{ID: "small"}
	}
	n, err := d.CreateNode(t.Context(), req)
	if err != nil {
		t.Fatalf("CreateNode %q: %v", req.Name, err)
	}
	return n
}

// faultIs checks err has kind and carries a fault of type F.
func faultIs[F types.BaseMethodFault](t *testing.T, what string, err error, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: %v, want %v", what, err, kind)
	}
	var f *vsphere.Fault
	if !errors.As(err, &f) {
		t.Errorf("%s: %v carries no *vsphere.Fault", what, err)
		return
	}
	if _, ok := f.Fault.(F); !ok {
		t.Errorf("%s: fault %T (%v), want %T", what, f.Fault, f, *new(F))
	}
	var ce *compute.Error
	if !errors.As(err, &ce) || ce.Provider != "vsphere" || ce.Op == "" {
		t.Errorf("%s: %v is not a *compute.Error of vsphere with an Op", what, err)
	}
}

func TestFaultsFromTheSimulator(t *testing.T) {
	s := newSim(t, nil)
	d := newDriver(t, s)
	ctx := t.Context()
	n := create(t, d, s, &compute.CreateNodeRequest{Name: "faulty"})

	// DuplicateName: the clone task fails; nothing is left behind.
	_, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "faulty", Image: &compute.Image{ID: s.templateID}, Size: &compute.Size{ID: "small"}})
	faultIs[*types.DuplicateName](t, "CreateNode with a taken name", err, compute.ErrAlreadyExists)

	// InvalidPowerState: starting a running VM.
	faultIs[*types.InvalidPowerState](t, "StartNode of a running node", d.StartNode(ctx, n.ID), compute.ErrConflict)

	// Injected faults, as vCenter would answer them.
	for _, c := range []struct {
		fault simulator.FaultType
		kind  error
		check func(string, error)
	}{
		{simulator.FaultTypeNoPermission, compute.ErrPermissionDenied, func(w string, err error) {
			faultIs[*types.NoPermission](t, w, err, compute.ErrPermissionDenied)
		}},
		{simulator.FaultTypeInsufficientResourcesFault, compute.ErrQuotaExceeded, func(w string, err error) {
			faultIs[*types.InsufficientResourcesFault](t, w, err, compute.ErrQuotaExceeded)
		}},
		{simulator.FaultTypeManagedObjectNotFound, compute.ErrNotFound, func(w string, err error) {
			faultIs[*types.ManagedObjectNotFound](t, w, err, compute.ErrNotFound)
		}},
		{simulator.FaultTypeInvalidArgument, compute.ErrInvalidArgument, func(w string, err error) {
			faultIs[*types.InvalidArgument](t, w, err, compute.ErrInvalidArgument)
		}},
		{simulator.FaultTypeNotAuthenticated, compute.ErrPermissionDenied, func(w string, err error) {
			faultIs[*types.NotAuthenticated](t, w, err, compute.ErrPermissionDenied)
		}},
	} {
		s.model.Service.ClearFaultRules()
		s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{
			MethodName: "ResetVM_Task", ObjectType: "VirtualMachine", ObjectName: "*",
			Probability: 1, FaultType: c.fault, Enabled: true,
		})
		c.check("RebootNode with an injected fault", d.RebootNode(ctx, n.ID))
	}
	s.model.Service.ClearFaultRules()
	if err := d.RebootNode(ctx, n.ID); err != nil {
		t.Fatalf("RebootNode once the faults are gone: %v", err)
	}
	if err := d.DestroyNode(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	_, err = d.GetNode(ctx, n.ID)
	if !errors.Is(err, compute.ErrNotFound) {
		t.Fatalf("GetNode after DestroyNode: %v", err)
	}
	if err := d.StopNode(context.Background(), "not-a-uuid"); !errors.Is(err, compute.ErrNotFound) {
		t.Errorf("StopNode of an id that is no UUID: %v, want ErrNotFound", err)
	}
}
