package vsphere

import (
	"context"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// ListImages returns the templates (VMs marked as templates) of every
// datacenter, or of the location's datacenter. An image's ID is the
// template's instance UUID.
func (d *Driver) ListImages(ctx context.Context, location *compute.Location) ([]*compute.Image, error) {
	const op = "ListImages"
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, err
	}
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	if location != nil && location.ID != "" {
		dc := findDatacenter(dcs, location.ID)
		if dc == nil {
			return nil, errorf(op, location.ID, compute.ErrNotFound, "no datacenter %q", location.ID)
		}
		dcs = []*datacenter{dc}
	}
	out := []*compute.Image{}
	for _, dc := range dcs {
		vms, err := listVMs(ctx, vc, dc)
		if err != nil {
			return nil, d.wrap(ctx, op, "", err)
		}
		for _, v := range vms {
			if v.template {
				out = append(out, toImage(v))
			}
		}
	}
	return out, nil
}

// GetImage returns the template whose instance UUID is id.
func (d *Driver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	_, v, err := d.lookupVM(ctx, "GetImage", id, true)
	if err != nil {
		return nil, err
	}
	return toImage(v), nil
}

// CreateImage clones the node into a new template named name, with the
// description as its notes, in the folder, resource pool and datastore
// CreateNode would use; the node is left as it is (running or not). The
// clone task is awaited as CreateNode's.
func (d *Driver) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	const op = "CreateImage"
	if strings.TrimSpace(name) == "" {
		return nil, errorf(op, "", compute.ErrInvalidArgument, "an image name is required")
	}
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return nil, err
	}
	p, err := d.place(ctx, vc, v.dc, &CreateNodeOptions{})
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	spec := types.VirtualMachineCloneSpec{
		Location: types.VirtualMachineRelocateSpec{Pool: &p.pool, Datastore: p.datastore},
		Template: true,
		Config:   &types.VirtualMachineConfigSpec{Annotation: description},
	}
	t, err := object.NewVirtualMachine(vc, v.ref).Clone(ctx, p.folder, name, spec)
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	info, err := d.await(ctx, vc, t.Reference(), op, name, func(ctx context.Context, result types.AnyType) {
		if ref, ok := result.(types.ManagedObjectReference); ok {
			d.destroyQuietly(ctx, vc, ref)
		}
	})
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	ref, ok := info.Result.(types.ManagedObjectReference)
	if !ok {
		return nil, errorf(op, nodeID, compute.ErrInternal, "the clone task returned %T, not a template", info.Result)
	}
	objs, err := retrieveOne(ctx, vc, ref, vmProps)
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	img := decodeVM(&objs[0], v.dc)
	if img == nil {
		return nil, errorf(op, nodeID, compute.ErrUnavailable, "the new template %s has no configuration yet", ref.Value)
	}
	return toImage(img), nil
}

// DeleteImage destroys the template and its disks.
func (d *Driver) DeleteImage(ctx context.Context, imageID string) error {
	const op = "DeleteImage"
	vc, v, err := d.lookupVM(ctx, op, imageID, true)
	if err != nil {
		return err
	}
	t, err := object.NewVirtualMachine(vc, v.ref).Destroy(ctx)
	return d.finishTask(ctx, vc, t, err, op, imageID)
}

// ExMarkAsTemplate turns the stopped node into a template (an image with
// the same id); vSphere refuses a running VM (compute.ErrConflict).
func (d *Driver) ExMarkAsTemplate(ctx context.Context, nodeID string) (*compute.Image, error) {
	const op = "ExMarkAsTemplate"
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return nil, err
	}
	if err := object.NewVirtualMachine(vc, v.ref).MarkAsTemplate(ctx); err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	v.template = true
	return toImage(v), nil
}

// toImage maps a template to an image.
func toImage(v *vmInfo) *compute.Image {
	extra := map[string]any{"moref": v.ref.Value, "num_cpu": v.cpus, "memory_mb": v.memoryMB, "datacenter": v.dc.name}
	if v.annotation != "" {
		extra["annotation"] = v.annotation
	}
	return &compute.Image{ID: v.instanceUUID, Name: v.name, Provider: provider, Extra: extra}
}
