package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// snapshotStates maps CloudStack snapshot states to compute states; anything
// else is SnapshotStateUnknown.
var snapshotStates = map[string]types.SnapshotState{
	"allocated":        types.SnapshotStateCreating,
	"creating":         types.SnapshotStateCreating,
	"createdonprimary": types.SnapshotStateCreating,
	"backingup":        types.SnapshotStateCreating,
	"backedup":         types.SnapshotStateAvailable,
	"copying":          types.SnapshotStateUpdating,
	"destroying":       types.SnapshotStateDeleting,
	"destroyed":        types.SnapshotStateDeleting,
	"error":            types.SnapshotStateError,
}

// SnapshotState returns the compute state of a CloudStack snapshot state.
func SnapshotState(state string) types.SnapshotState {
	if s, ok := snapshotStates[strings.ToLower(state)]; ok {
		return s
	}
	return types.SnapshotStateUnknown
}

func (d *Driver) toSnapshot(s *Snapshot) *compute.VolumeSnapshot {
	size := s.VirtualSize
	if size == 0 {
		size = s.PhysicalSize
	}
	x := map[string]any{
		"state":         s.State,
		"volume_name":   s.VolumeName,
		"volume_type":   s.VolumeType,
		"snapshot_type": s.SnapshotType,
		"interval_type": s.IntervalType,
		"zone_id":       s.ZoneID,
		"snapshot":      s,
	}
	if len(s.Tags) > 0 {
		x["tags"] = tagMap(s.Tags)
	}
	return &compute.VolumeSnapshot{
		ID: s.ID, Name: s.Name, VolumeID: s.VolumeID, Size: bytesToGB(size),
		State: SnapshotState(s.State), CreatedAt: s.Created, Provider: d.provider, Extra: x,
	}
}

// ListVolumeSnapshots implements compute.SnapshotManager.ListVolumeSnapshots
// (listSnapshots, all pages, volumeid when volumeID is not ""). Destroyed
// snapshots are left out.
func (d *Driver) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	p := url.Values{}
	if volumeID != "" {
		p.Set("volumeid", volumeID)
	}
	snaps, err := listAll[Snapshot](ctx, d, "ListVolumeSnapshots", "listSnapshots", d.scoped(p, true), "snapshot")
	if err != nil {
		return nil, d.withID(err, volumeID)
	}
	out := make([]*compute.VolumeSnapshot, 0, len(snaps))
	for i := range snaps {
		if strings.EqualFold(snaps[i].State, "Destroyed") {
			continue
		}
		out = append(out, d.toSnapshot(&snaps[i]))
	}
	return out, nil
}

// CreateVolumeSnapshot implements compute.SnapshotManager.CreateVolumeSnapshot
// (createSnapshot, waiting for the job; Libcloud ignored the name).
func (d *Driver) CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*compute.VolumeSnapshot, error) {
	const op = "CreateVolumeSnapshot"
	if strings.TrimSpace(volumeID) == "" {
		return nil, d.errorf(op, volumeID, compute.ErrInvalidArgument, "empty volume id")
	}
	p := url.Values{"volumeid": {volumeID}}
	if name != "" {
		p.Set("name", name)
	}
	var s Snapshot
	if err := d.callAsync(ctx, op, "createSnapshot", p, "snapshot", &s); err != nil {
		return nil, d.withID(err, volumeID)
	}
	if s.VolumeID == "" {
		s.VolumeID = volumeID
	}
	return d.toSnapshot(&s), nil
}

// DestroyVolumeSnapshot implements
// compute.SnapshotManager.DestroyVolumeSnapshot (deleteSnapshot, waiting for
// the job). A snapshot already destroyed gives ErrNotFound.
func (d *Driver) DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error {
	const op = "DestroyVolumeSnapshot"
	if strings.TrimSpace(snapshotID) == "" {
		return d.errorf(op, snapshotID, compute.ErrInvalidArgument, "empty snapshot id")
	}
	snaps, err := listAll[Snapshot](ctx, d, op, "listSnapshots", d.scoped(url.Values{"id": {snapshotID}, "listall": {"true"}}, true), "snapshot")
	if err != nil {
		return err
	}
	found := false
	for _, s := range snaps {
		found = found || (s.ID == snapshotID && !strings.EqualFold(s.State, "Destroyed"))
	}
	if !found {
		return d.errorf(op, snapshotID, compute.ErrNotFound, "no snapshot with id %q", snapshotID)
	}
	return d.callAsync(ctx, op, "deleteSnapshot", url.Values{"id": {snapshotID}}, "", nil)
}
