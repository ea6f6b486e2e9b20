package vsphere

import (
	"context"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// Snapshot is a VM snapshot: the whole VM's disks (and optionally memory)
// at a point in time. VM snapshots are not volume snapshots, so they are Ex
// methods rather than a compute.SnapshotManager.
type Snapshot struct {
	// ID is the snapshot's managed object id ("snapshot-12"), unique in
	// the vCenter.
	ID string
	// Name and Description are the snapshot's.
	Name, Description string
	// NodeID is the VM's instance UUID.
	NodeID string
	// CreatedAt is the creation time.
	CreatedAt time.Time
	// State is the VM's power state when the snapshot was taken.
	State string
	// ParentID is the parent snapshot's ID, or "" for a root.
	ParentID string
	// Current reports whether the VM runs from this snapshot.
	Current bool
}

// ExCreateSnapshot snapshots the node's disks (with its memory when memory
// is set, and quiescing the guest file systems through Tools when quiesce
// is set).
func (d *Driver) ExCreateSnapshot(ctx context.Context, nodeID, name, description string, memory, quiesce bool) (*Snapshot, error) {
	const op = "ExCreateSnapshot"
	if name == "" {
		return nil, errorf(op, nodeID, compute.ErrInvalidArgument, "a snapshot name is required")
	}
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return nil, err
	}
	t, err := object.NewVirtualMachine(vc, v.ref).CreateSnapshot(ctx, name, description, memory, quiesce)
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	info, err := d.await(ctx, vc, t.Reference(), op, nodeID, nil)
	if err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	ref, _ := info.Result.(types.ManagedObjectReference)
	snaps, err := d.ExListSnapshots(ctx, nodeID)
	if err != nil {
		return nil, err
	}
	for _, s := range snaps {
		if s.ID == ref.Value {
			return s, nil
		}
	}
	return nil, errorf(op, nodeID, compute.ErrUnavailable, "snapshot %s is not listed yet", ref.Value)
}

// ExListSnapshots returns the node's snapshots, parents before children.
func (d *Driver) ExListSnapshots(ctx context.Context, nodeID string) ([]*Snapshot, error) {
	const op = "ExListSnapshots"
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return nil, err
	}
	var o mo.VirtualMachine
	if err := object.NewVirtualMachine(vc, v.ref).Properties(ctx, v.ref, []string{"snapshot"}, &o); err != nil {
		return nil, d.wrap(ctx, op, nodeID, err)
	}
	out := []*Snapshot{}
	if o.Snapshot == nil {
		return out, nil
	}
	var walk func(trees []types.VirtualMachineSnapshotTree, parent string)
	walk = func(trees []types.VirtualMachineSnapshotTree, parent string) {
		for _, t := range trees {
			out = append(out, &Snapshot{
				ID: t.Snapshot.Value, Name: t.Name, Description: t.Description, NodeID: nodeID,
				CreatedAt: t.CreateTime, State: string(t.State), ParentID: parent,
				Current: o.Snapshot.CurrentSnapshot != nil && o.Snapshot.CurrentSnapshot.Value == t.Snapshot.Value,
			})
			walk(t.ChildSnapshotList, t.Snapshot.Value)
		}
	}
	walk(o.Snapshot.RootSnapshotList, "")
	return out, nil
}

// ExRevertSnapshot reverts the node to the snapshot (by ID or name).
func (d *Driver) ExRevertSnapshot(ctx context.Context, nodeID, snapshot string) error {
	const op = "ExRevertSnapshot"
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return err
	}
	t, err := object.NewVirtualMachine(vc, v.ref).RevertToSnapshot(ctx, snapshot, false)
	return d.finishTask(ctx, vc, t, err, op, nodeID)
}

// ExDeleteSnapshot deletes the snapshot (by ID or name), and its children
// when children is set.
func (d *Driver) ExDeleteSnapshot(ctx context.Context, nodeID, snapshot string, children bool) error {
	const op = "ExDeleteSnapshot"
	vc, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return err
	}
	consolidate := true
	t, err := object.NewVirtualMachine(vc, v.ref).RemoveSnapshot(ctx, snapshot, children, &consolidate)
	return d.finishTask(ctx, vc, t, err, op, nodeID)
}
