package vsphere

import (
	"context"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// StartNode powers the VM on (a suspended VM resumes).
func (d *Driver) StartNode(ctx context.Context, id string) error {
	const op = "StartNode"
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return err
	}
	t, err := object.NewVirtualMachine(vc, v.ref).PowerOn(ctx)
	return d.finishTask(ctx, vc, t, err, op, id)
}

// StopNode shuts the guest down through VMware Tools when they run
// (ShutdownGuest, which returns once the guest was asked), and powers the
// VM off otherwise. Stopping a stopped VM gives compute.ErrConflict.
func (d *Driver) StopNode(ctx context.Context, id string) error {
	const op = "StopNode"
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return err
	}
	vm := object.NewVirtualMachine(vc, v.ref)
	if v.toolsRunning && v.power == types.VirtualMachinePowerStatePoweredOn {
		return d.wrap(ctx, op, id, vm.ShutdownGuest(ctx))
	}
	t, err := vm.PowerOff(ctx)
	return d.finishTask(ctx, vc, t, err, op, id)
}

// RebootNode restarts the guest through VMware Tools when they run
// (RebootGuest), and resets the VM otherwise.
func (d *Driver) RebootNode(ctx context.Context, id string) error {
	const op = "RebootNode"
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return err
	}
	vm := object.NewVirtualMachine(vc, v.ref)
	if v.toolsRunning && v.power == types.VirtualMachinePowerStatePoweredOn {
		return d.wrap(ctx, op, id, vm.RebootGuest(ctx))
	}
	t, err := vm.Reset(ctx)
	return d.finishTask(ctx, vc, t, err, op, id)
}

// DestroyNode powers the VM off (when it is not off) and destroys it with
// its disks.
func (d *Driver) DestroyNode(ctx context.Context, id string) error {
	const op = "DestroyNode"
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return err
	}
	return d.wrap(ctx, op, id, d.destroy(ctx, vc, v.ref, v.power))
}

// destroy powers a VM off if needed and destroys it.
func (d *Driver) destroy(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference, power types.VirtualMachinePowerState) error {
	vm := object.NewVirtualMachine(vc, ref)
	if power != types.VirtualMachinePowerStatePoweredOff {
		t, err := vm.PowerOff(ctx)
		if err == nil {
			_, err = d.await(ctx, vc, t.Reference(), "PowerOff", ref.Value, nil)
		}
		if _, off := faultOf(err).(*types.InvalidPowerState); err != nil && !off {
			return err
		}
	}
	t, err := vm.Destroy(ctx)
	if err != nil {
		return err
	}
	_, err = d.await(ctx, vc, t.Reference(), "Destroy", ref.Value, nil)
	return err
}

// destroyQuietly destroys a VM the driver made and failed to finish,
// logging a failure.
func (d *Driver) destroyQuietly(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference) {
	if err := d.destroy(ctx, vc, ref, ""); err != nil {
		d.logger.Warn("vsphere: destroying a half-made VM failed; destroy it by hand", "moref", ref.Value, "err", err)
	}
}

// finishTask awaits the task a call started (when the call succeeded) and
// wraps the error.
func (d *Driver) finishTask(ctx context.Context, vc *vim25.Client, t *object.Task, err error, op, id string) error {
	if err == nil {
		_, err = d.await(ctx, vc, t.Reference(), op, id, nil)
	}
	return d.wrap(ctx, op, id, err)
}
