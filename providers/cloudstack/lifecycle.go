package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// nodeAction runs an async VM command (start, stop, reboot, ...) on the VM
// id and returns the VM the job answers with.
func (d *Driver) nodeAction(ctx context.Context, op, command, id string, params url.Values) (*VirtualMachine, error) {
	if strings.TrimSpace(id) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "empty node id")
	}
	if params == nil {
		params = url.Values{}
	}
	params.Set("id", id)
	var result struct {
		VirtualMachine *VirtualMachine `json:"virtualmachine"`
	}
	if err := d.callAsync(ctx, op, command, params, "", &result); err != nil {
		return nil, err
	}
	return result.VirtualMachine, nil
}

// RebootNode implements compute.Driver.RebootNode (rebootVirtualMachine,
// waiting for the job).
func (d *Driver) RebootNode(ctx context.Context, id string) error {
	_, err := d.nodeAction(ctx, "RebootNode", "rebootVirtualMachine", id, nil)
	return err
}

// StartNode implements compute.Driver.StartNode (startVirtualMachine,
// waiting for the job).
func (d *Driver) StartNode(ctx context.Context, id string) error {
	_, err := d.ExStart(ctx, id)
	return d.renameOp(err, "StartNode")
}

// StopNode implements compute.Driver.StopNode (stopVirtualMachine, waiting
// for the job). Use ExStop to force the stop.
func (d *Driver) StopNode(ctx context.Context, id string) error {
	_, err := d.ExStop(ctx, id, nil)
	return d.renameOp(err, "StopNode")
}

// ExStart starts a VM (startVirtualMachine) and returns its CloudStack state
// once the job is done ("Running"), as Libcloud's ex_start. Not portable.
func (d *Driver) ExStart(ctx context.Context, id string) (string, error) {
	vm, err := d.nodeAction(ctx, "ExStart", "startVirtualMachine", id, nil)
	return stateOf(vm), err
}

// StopOptions tunes ExStop.
type StopOptions struct {
	// Forced stops the VM even if the guest does not shut down (forced=true).
	Forced bool
}

// ExStop stops a VM (stopVirtualMachine, forced when asked) and returns its
// CloudStack state once the job is done ("Stopped"), as Libcloud's ex_stop.
// Not portable.
func (d *Driver) ExStop(ctx context.Context, id string, opts *StopOptions) (string, error) {
	p := url.Values{}
	if opts != nil && opts.Forced {
		p.Set("forced", "true")
	}
	vm, err := d.nodeAction(ctx, "ExStop", "stopVirtualMachine", id, p)
	return stateOf(vm), err
}

func stateOf(vm *VirtualMachine) string {
	if vm == nil {
		return ""
	}
	return vm.State
}

// DestroyNodeOptions tunes ExDestroyNode.
type DestroyNodeOptions struct {
	// Expunge removes the VM at once instead of leaving it Destroyed (and
	// recoverable) until the server's expunge delay (expunge=true; needs an
	// admin or allow.user.expunge.recover.vm). The driver's Expunge setting
	// also turns it on.
	Expunge bool
	// VolumeIDs are data volumes to destroy with the VM (volumeids).
	VolumeIDs []string
}

// DestroyNode implements compute.Driver.DestroyNode
// (destroyVirtualMachine, waiting for the job). A VM already Destroyed or
// Expunging gives ErrNotFound: for the portable API it is gone.
func (d *Driver) DestroyNode(ctx context.Context, id string) error {
	return d.destroyNode(ctx, "DestroyNode", id, nil)
}

// ExDestroyNode is DestroyNode with CloudStack's options (expunge, volumes).
// Not portable.
func (d *Driver) ExDestroyNode(ctx context.Context, id string, opts *DestroyNodeOptions) error {
	return d.destroyNode(ctx, "ExDestroyNode", id, opts)
}

func (d *Driver) destroyNode(ctx context.Context, op, id string, opts *DestroyNodeOptions) error {
	if opts == nil {
		opts = &DestroyNodeOptions{}
	}
	if _, err := d.getVM(ctx, op, id, "", false); err != nil {
		return err
	}
	p := url.Values{}
	if opts.Expunge || d.settings.Expunge {
		p.Set("expunge", "true")
	}
	if len(opts.VolumeIDs) > 0 {
		p.Set("volumeids", strings.Join(opts.VolumeIDs, ","))
	}
	_, err := d.nodeAction(ctx, op, "destroyVirtualMachine", id, p)
	return err
}

// ExRestore restores a VM's root disk from its template, or from
// templateID when not empty (restoreVirtualMachine), and returns the
// template id the VM now has, as Libcloud's ex_restore. Not portable.
func (d *Driver) ExRestore(ctx context.Context, id, templateID string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", d.errorf("ExRestore", id, compute.ErrInvalidArgument, "empty node id")
	}
	p := url.Values{"virtualmachineid": {id}}
	if templateID != "" {
		p.Set("templateid", templateID)
	}
	var vm VirtualMachine
	if err := d.callAsync(ctx, "ExRestore", "restoreVirtualMachine", p, "virtualmachine", &vm); err != nil {
		return "", d.withID(err, id)
	}
	return vm.TemplateID, nil
}

// ExChangeNodeSize changes a VM's service offering (scaleVirtualMachine)
// and returns the offering id it now has, as Libcloud's
// ex_change_node_size. Not portable.
func (d *Driver) ExChangeNodeSize(ctx context.Context, id, sizeID string) (string, error) {
	if strings.TrimSpace(sizeID) == "" {
		return "", d.errorf("ExChangeNodeSize", id, compute.ErrInvalidArgument, "empty size id")
	}
	vm, err := d.nodeAction(ctx, "ExChangeNodeSize", "scaleVirtualMachine", id, url.Values{"serviceofferingid": {sizeID}})
	if err != nil {
		return "", err
	}
	if vm == nil || vm.ServiceOfferingID == "" {
		// Newer servers answer {"success":true}.
		return sizeID, nil
	}
	return vm.ServiceOfferingID, nil
}

// renameOp sets the Op of a *compute.Error from a shared implementation.
func (d *Driver) renameOp(err error, op string) error {
	ce, ok := err.(*compute.Error)
	if !ok {
		return err
	}
	c := *ce
	c.Op = op
	return &c
}
