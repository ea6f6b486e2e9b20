package vsphere

import (
	"context"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// ResizeNode reconfigures the VM with the size's CPU and memory (a size of
// the catalogue, by ID). vSphere changes a running VM only where CPU or
// memory hot-add is enabled and never shrinks it running: it then answers
// a fault mapped to compute.ErrConflict or ErrInvalidArgument; stop the
// node first. It implements compute.NodeResizer.
func (d *Driver) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	const op = "ResizeNode"
	if size == nil || size.ID == "" {
		return nil, errorf(op, id, compute.ErrInvalidArgument, "a size is required")
	}
	s := d.size(size.ID)
	if s == nil {
		return nil, errorf(op, size.ID, compute.ErrNotFound, "no size %q in the catalogue", size.ID)
	}
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return nil, err
	}
	t, err := object.NewVirtualMachine(vc, v.ref).Reconfigure(ctx, types.VirtualMachineConfigSpec{
		NumCPUs: int32(s.VCPUs), MemoryMB: int64(s.RAM),
	})
	if err := d.finishTask(ctx, vc, t, err, op, id); err != nil {
		return nil, err
	}
	return d.GetNode(ctx, id)
}
