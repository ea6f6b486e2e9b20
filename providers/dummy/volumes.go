package dummy

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// MaxVolumeSize is the largest volume, in GB, CreateVolume and ResizeVolume
// accept.
const MaxVolumeSize = 65536

// volumeRecord is a volume and the location it lives in. Volume.Extra holds
// "location_id" and, while attached, "device".
type volumeRecord struct {
	vol      *compute.Volume
	location string
}

func (v *volumeRecord) detach() {
	v.vol.NodeID, v.vol.State = "", types.VolumeStateAvailable
	delete(v.vol.Extra, "device")
}

// snapshotRecord is a snapshot and the location of its volume.
type snapshotRecord struct {
	snap     *compute.VolumeSnapshot
	location string
}

func (d *Driver) volume(op, id string) (*volumeRecord, error) {
	v, ok := d.volumes[id]
	if !ok {
		return nil, notFound(op, "volume", id)
	}
	return v, nil
}

// onVolume runs f, under d.mu and after enter, on the record of volume id
// (ErrNotFound when there is none).
func (d *Driver) onVolume(ctx context.Context, op, id string, f func(*volumeRecord) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	v, err := d.volume(op, id)
	if err != nil {
		return err
	}
	return f(v)
}

// requireDetached fails with ErrConflict while the volume is attached.
func (v *volumeRecord) requireDetached(op string) error {
	if v.vol.NodeID != "" {
		return conflict(op, v.vol.ID, "volume %q is attached to node %q", v.vol.ID, v.vol.NodeID)
	}
	return nil
}

// ListVolumes implements [compute.VolumeManager.ListVolumes], in creation
// order.
func (d *Driver) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "ListVolumes"); err != nil {
		return nil, err
	}
	recs := sortedByID(d.volumes, func(v *volumeRecord) string { return v.vol.ID })
	out := make([]*compute.Volume, len(recs))
	for i, v := range recs {
		out[i] = v.vol.Clone()
	}
	return out, nil
}

// CreateVolume implements [compute.VolumeManager.CreateVolume]. Name is
// required; Size must be 1 to MaxVolumeSize GB, or may be 0 with a
// SnapshotID (the snapshot's size), never smaller than the snapshot. A nil
// Location means the snapshot's location, else the first one. The volume is
// available at once; its id is "vol-<n>". ProviderOptions must be nil.
func (d *Driver) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	const op = "CreateVolume"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, invalid(op, "", "nil request")
	}
	if req.ProviderOptions != nil {
		return nil, invalid(op, "", "ProviderOptions of type %T: the dummy provider takes none", req.ProviderOptions)
	}
	if strings.TrimSpace(req.Name) == "" {
		return nil, invalid(op, "", "a volume name is required")
	}
	size := req.Size
	var from *snapshotRecord
	if req.SnapshotID != "" {
		s, ok := d.snapshots[req.SnapshotID]
		if !ok {
			return nil, invalid(op, "", "unknown snapshot %q", req.SnapshotID)
		}
		from = s
		if size == 0 {
			size = s.snap.Size
		}
		if size < s.snap.Size {
			return nil, invalid(op, "", "size %d GB is smaller than snapshot %q (%d GB)", size, s.snap.ID, s.snap.Size)
		}
	}
	if size < 1 || size > MaxVolumeSize {
		return nil, invalid(op, "", "size %d GB: want 1 to %d", size, MaxVolumeSize)
	}
	loc, err := d.lookupLocation(op, req.Location, from == nil)
	if err != nil {
		return nil, err
	}
	locID := ""
	if loc != nil {
		locID = loc.ID
	} else {
		locID = from.location
	}
	id := "vol-" + strconv.Itoa(d.nextVol)
	d.nextVol++
	extra := map[string]any{"location_id": locID}
	if from != nil {
		extra["snapshot_id"] = from.snap.ID
	}
	v := &volumeRecord{location: locID, vol: &compute.Volume{
		ID: id, Name: req.Name, Size: size, State: types.VolumeStateAvailable,
		Provider: types.ProviderDummy, Extra: extra,
	}}
	d.volumes[id] = v
	return v.vol.Clone(), nil
}

// AttachVolume implements [compute.VolumeManager.AttachVolume]. The volume
// must be available and in the node's location, the node running or
// stopped; device "" picks the first free one from "/dev/vdb".
func (d *Driver) AttachVolume(ctx context.Context, volumeID, nodeID, device string) error {
	const op = "AttachVolume"
	return d.onVolume(ctx, op, volumeID, func(v *volumeRecord) error {
		return d.attach(op, v, nodeID, device)
	})
}

// attach attaches volume v to node nodeID, as AttachVolume.
func (d *Driver) attach(op string, v *volumeRecord, nodeID, device string) error {
	volumeID := v.vol.ID
	r, err := d.node(op, nodeID)
	if err != nil {
		return err
	}
	if err := requireUsable(op, r, volumeID); err != nil {
		return err
	}
	if err := v.requireDetached(op); err != nil {
		return err
	}
	if r.node.Location != nil && r.node.Location.ID != v.location {
		return invalid(op, volumeID, "volume %q is in location %q, node %q in %q",
			volumeID, v.location, nodeID, r.node.Location.ID)
	}
	used := map[string]bool{}
	for _, o := range d.volumes {
		if o.vol.NodeID == nodeID {
			used[fmt.Sprint(o.vol.Extra["device"])] = true
		}
	}
	if device == "" {
		for c := 'b'; c <= 'z' && device == ""; c++ {
			if dev := "/dev/vd" + string(c); !used[dev] {
				device = dev
			}
		}
		if device == "" {
			return compute.Errorf(types.ProviderDummy, op, volumeID, compute.ErrQuotaExceeded,
				"node %q has no free device", nodeID)
		}
	} else if used[device] {
		return conflict(op, volumeID, "device %q of node %q is in use", device, nodeID)
	}
	v.vol.NodeID, v.vol.State = nodeID, types.VolumeStateInUse
	v.vol.Extra["device"] = device
	return nil
}

// DetachVolume implements [compute.VolumeManager.DetachVolume]; a volume that
// is not attached gives ErrConflict.
func (d *Driver) DetachVolume(ctx context.Context, volumeID string) error {
	const op = "DetachVolume"
	return d.onVolume(ctx, op, volumeID, func(v *volumeRecord) error {
		if v.vol.NodeID == "" {
			return conflict(op, volumeID, "volume %q is not attached", volumeID)
		}
		v.detach()
		return nil
	})
}

// DestroyVolume implements [compute.VolumeManager.DestroyVolume]; an
// attached volume gives ErrConflict. Its snapshots remain.
func (d *Driver) DestroyVolume(ctx context.Context, volumeID string) error {
	const op = "DestroyVolume"
	return d.onVolume(ctx, op, volumeID, func(v *volumeRecord) error {
		if err := v.requireDetached(op); err != nil {
			return err
		}
		delete(d.volumes, volumeID)
		return nil
	})
}

// ResizeVolume implements [compute.VolumeResizer.ResizeVolume]: the volume
// may grow (or keep its size) up to MaxVolumeSize; shrinking gives
// ErrInvalidArgument.
func (d *Driver) ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*compute.Volume, error) {
	const op = "ResizeVolume"
	var out *compute.Volume
	err := d.onVolume(ctx, op, volumeID, func(v *volumeRecord) error {
		if sizeGB < v.vol.Size || sizeGB > MaxVolumeSize {
			return invalid(op, volumeID, "size %d GB: want %d to %d (volumes only grow)", sizeGB, v.vol.Size, MaxVolumeSize)
		}
		v.vol.Size = sizeGB
		out = v.vol.Clone()
		return nil
	})
	return out, err
}

// ListVolumeSnapshots implements
// [compute.SnapshotManager.ListVolumeSnapshots], in creation order; an
// unknown volume gives ErrNotFound.
func (d *Driver) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	const op = "ListVolumeSnapshots"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	if volumeID != "" {
		if _, err := d.volume(op, volumeID); err != nil {
			return nil, err
		}
	}
	out := []*compute.VolumeSnapshot{}
	for _, s := range sortedByID(d.snapshots, func(s *snapshotRecord) string { return s.snap.ID }) {
		if volumeID == "" || s.snap.VolumeID == volumeID {
			out = append(out, s.snap.Clone())
		}
	}
	return out, nil
}

// CreateVolumeSnapshot implements
// [compute.SnapshotManager.CreateVolumeSnapshot]. The snapshot, "snap-<n>",
// is available at once with the volume's size; name "" becomes
// "<volume name>-snap-<n>".
func (d *Driver) CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*compute.VolumeSnapshot, error) {
	const op = "CreateVolumeSnapshot"
	var out *compute.VolumeSnapshot
	err := d.onVolume(ctx, op, volumeID, func(v *volumeRecord) error {
		n := strconv.Itoa(d.nextSnap)
		d.nextSnap++
		if name == "" {
			name = v.vol.Name + "-snap-" + n
		}
		s := &snapshotRecord{location: v.location, snap: &compute.VolumeSnapshot{
			ID: "snap-" + n, Name: name, VolumeID: volumeID, Size: v.vol.Size,
			State: types.SnapshotStateAvailable, CreatedAt: d.opts.Now(), Provider: types.ProviderDummy,
			Extra: map[string]any{"volume_name": v.vol.Name},
		}}
		d.snapshots[s.snap.ID] = s
		out = s.snap.Clone()
		return nil
	})
	return out, err
}

// DestroyVolumeSnapshot implements
// [compute.SnapshotManager.DestroyVolumeSnapshot].
func (d *Driver) DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error {
	const op = "DestroyVolumeSnapshot"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	if _, ok := d.snapshots[snapshotID]; !ok {
		return notFound(op, "snapshot", snapshotID)
	}
	delete(d.snapshots, snapshotID)
	return nil
}

// sortedByID returns m's values ordered by the number in their ids.
func sortedByID[T any](m map[string]T, id func(T) string) []T {
	return slices.SortedFunc(maps.Values(m), func(a, b T) int {
		return cmp.Compare(idNumber(id(a)), idNumber(id(b)))
	})
}
