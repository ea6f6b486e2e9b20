package vsphere

import (
	"context"
	"iter"
	"slices"

	"github.com/vmware/govmomi/vim25"

	"github.com/goclouds/goclouds/compute"
)

// ListNodes returns every VM of every datacenter, templates excluded.
func (d *Driver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	nodes := []*compute.Node{}
	for n, err := range d.iterNodes(ctx, "ListNodes", nil) {
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// IterNodes yields the VMs matching filter (nil: all) a datacenter at a
// time; the filter is applied in the driver. It implements
// compute.NodeStreamer.
func (d *Driver) IterNodes(ctx context.Context, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return d.iterNodes(ctx, "IterNodes", filter)
}

// iterNodes is IterNodes with errors naming op.
func (d *Driver) iterNodes(ctx context.Context, op string, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		vc, err := d.client(ctx, op)
		if err != nil {
			yield(nil, err)
			return
		}
		dcs, names, err := d.inventoryBasics(ctx, vc)
		if err != nil {
			yield(nil, d.wrap(ctx, op, "", err))
			return
		}
		for _, dc := range dcs {
			vms, err := listVMs(ctx, vc, dc)
			if err != nil {
				yield(nil, d.wrap(ctx, op, "", err))
				return
			}
			for _, v := range vms {
				if v.template {
					continue
				}
				n := d.toNode(v, names)
				if filter.Match(n) && !yield(n, nil) {
					return
				}
			}
		}
	}
}

// inventoryBasics returns the datacenters and the custom attribute names.
func (d *Driver) inventoryBasics(ctx context.Context, vc *vim25.Client) ([]*datacenter, map[int32]string, error) {
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, nil, err
	}
	names, err := fieldNames(ctx, vc)
	if err != nil {
		return nil, nil, err
	}
	return dcs, names, nil
}

// GetNode returns the VM whose instance UUID is id.
func (d *Driver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	const op = "GetNode"
	vc, v, err := d.lookupVM(ctx, op, id, false)
	if err != nil {
		return nil, err
	}
	names, err := fieldNames(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, id, err)
	}
	return d.toNode(v, names), nil
}

// GetNodes returns the VMs among ids that exist (one listing). It
// implements compute.NodeGetter.
func (d *Driver) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	out := []*compute.Node{}
	if len(ids) == 0 {
		return out, ctx.Err()
	}
	for n, err := range d.iterNodes(ctx, "GetNodes", nil) {
		if err != nil {
			return nil, err
		}
		if slices.Contains(ids, n.ID) {
			out = append(out, n)
		}
	}
	return out, nil
}

// lookupVM returns the logged-in client and the VM (template when
// template is set) with instance UUID id, or an ErrNotFound error naming
// it.
func (d *Driver) lookupVM(ctx context.Context, op, id string, template bool) (*vim25.Client, *vmInfo, error) {
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, nil, err
	}
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, nil, d.wrap(ctx, op, id, err)
	}
	v, err := getVM(ctx, vc, dcs, id)
	if err != nil {
		return nil, nil, d.wrap(ctx, op, id, err)
	}
	what := "VM"
	if template {
		what = "template"
	}
	if v == nil || v.template != template {
		return nil, nil, errorf(op, id, compute.ErrNotFound, "no %s with instance UUID %q", what, id)
	}
	return vc, v, nil
}

// toNode maps a VM to a node.
func (d *Driver) toNode(v *vmInfo, names map[int32]string) *compute.Node {
	public, private := splitAddresses(v.ipAddress, v.guestIPs)
	n := &compute.Node{
		ID:         v.instanceUUID,
		Name:       v.name,
		State:      nodeState(v.power),
		PublicIPs:  public,
		PrivateIPs: private,
		Size:       d.sizeOf(v.cpus, v.memoryMB),
		Location:   d.location(v.dc),
		CreatedAt:  v.created,
		Provider:   provider,
		Tags:       tagsOf(v, names),
		Extra: map[string]any{
			"moref":         v.ref.Value,
			"bios_uuid":     v.biosUUID,
			"power_state":   string(v.power),
			"num_cpu":       v.cpus,
			"memory_mb":     v.memoryMB,
			"tools_running": v.toolsRunning,
			"datacenter":    v.dc.name,
		},
	}
	if v.annotation != "" {
		n.Extra["annotation"] = v.annotation
	}
	return n
}
