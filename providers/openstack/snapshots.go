package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/snapshots"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// snapshotStates maps Cinder snapshot statuses.
var snapshotStates = map[string]types.SnapshotState{
	"available": types.SnapshotStateAvailable, "creating": types.SnapshotStateCreating,
	"deleting": types.SnapshotStateDeleting, "restoring": types.SnapshotStateRestoring,
	"error": types.SnapshotStateError, "error_deleting": types.SnapshotStateError,
}

// ListVolumeSnapshots returns the Cinder snapshots of the volume (all when
// volumeID is "").
func (d *Driver) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	ctx, c, err := d.volumeClient(ctx, "ListVolumeSnapshots")
	if err != nil {
		return nil, err
	}
	out := []*compute.VolumeSnapshot{}
	err = snapshots.List(c.volume, snapshots.ListOpts{VolumeID: volumeID}).EachPage(ctx, func(_ context.Context, page pagination.Page) (bool, error) {
		list, err := snapshots.ExtractSnapshots(page)
		for i := range list {
			if volumeID == "" || list[i].VolumeID == volumeID {
				out = append(out, toSnapshot(&list[i]))
			}
		}
		return err == nil, err
	})
	if err != nil {
		return nil, d.wrap("ListVolumeSnapshots", volumeID, err)
	}
	return out, nil
}

// CreateVolumeSnapshot snapshots the volume (force, so in-use volumes too).
func (d *Driver) CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*compute.VolumeSnapshot, error) {
	ctx, c, err := d.volumeClient(ctx, "CreateVolumeSnapshot")
	if err != nil {
		return nil, err
	}
	s, err := snapshots.Create(ctx, c.volume, snapshots.CreateOpts{VolumeID: volumeID, Name: name, Force: true}).Extract()
	if err != nil {
		return nil, d.wrap("CreateVolumeSnapshot", volumeID, err)
	}
	return toSnapshot(s), nil
}

// DestroyVolumeSnapshot deletes the snapshot.
func (d *Driver) DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error {
	ctx, c, err := d.volumeClient(ctx, "DestroyVolumeSnapshot")
	if err != nil {
		return err
	}
	return d.wrap("DestroyVolumeSnapshot", snapshotID, snapshots.Delete(ctx, c.volume, snapshotID).ExtractErr())
}

// toSnapshot converts a Cinder snapshot.
func toSnapshot(s *snapshots.Snapshot) *compute.VolumeSnapshot {
	st, ok := snapshotStates[s.Status]
	if !ok {
		st = types.SnapshotStateUnknown
	}
	return &compute.VolumeSnapshot{ID: s.ID, Name: s.Name, VolumeID: s.VolumeID, Size: s.Size, State: st,
		CreatedAt: s.CreatedAt, Provider: provider, Extra: map[string]any{"status": s.Status, "description": s.Description}}
}
