package computetest

import (
	"context"
	"errors"
	"fmt"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

func volumeID(v *compute.Volume) string { return v.ID }

func (e *env) cleanupVolume(id string) {
	e.cleanup("destroying volume "+id, func(ctx context.Context) error {
		if err := e.d.DetachVolume(ctx, id); err == nil || errors.Is(err, compute.ErrUnavailable) {
			return fmt.Errorf("%w: detached first", compute.ErrConflict) // come back to destroy it
		}
		return e.d.DestroyVolume(ctx, id)
	})
}

// createVolume creates a volume of the fixture size in the fixture location
// and destroys it when the subtest ends.
func (e *env) createVolume(kind string) *compute.Volume {
	e.t.Helper()
	name := e.name(kind)
	v, err := e.d.CreateVolume(e.ctx(), &compute.CreateVolumeRequest{
		Name: name, Size: e.f.VolumeSize, Location: &compute.Location{ID: e.f.LocationID},
	})
	if err != nil {
		e.t.Fatalf("CreateVolume %q: %v", name, err)
	}
	e.cleanupVolume(v.ID)
	if v.Name != name || v.Size != e.f.VolumeSize {
		e.t.Errorf("CreateVolume returned {Name %q Size %d}, want {%q %d}", v.Name, v.Size, name, e.f.VolumeSize)
	}
	e.waitVolume(v.ID, "available", func(v *compute.Volume) bool { return v.State == types.VolumeStateAvailable })
	return v
}

// waitVolume waits until ListVolumes shows the volume satisfying ok, or,
// with a nil ok, no longer shows it.
func (e *env) waitVolume(id, what string, ok func(*compute.Volume) bool) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("volume %q %s", id, what), func(ctx context.Context) (bool, string, error) {
		vs, err := e.d.ListVolumes(ctx)
		if err != nil {
			return false, "", err
		}
		v := find(vs, volumeID, id)
		switch {
		case v == nil:
			return ok == nil, "not listed", nil
		case ok == nil:
			return false, "still listed", nil
		}
		return ok(v), fmt.Sprintf("state %s, node %q, size %d", v.State, v.NodeID, v.Size), nil
	})
}

func testVolumes(e *env) {
	e.require(e.caps.Volumes, "Volumes")
	ctx := e.ctx()
	node := e.createRunning("vol")
	v := e.createVolume("vol")

	if err := e.d.AttachVolume(ctx, v.ID, node.ID, ""); err != nil {
		e.t.Fatalf("AttachVolume: %v", err)
	}
	e.waitVolume(v.ID, "attached", func(x *compute.Volume) bool {
		return x.NodeID == node.ID && x.State == types.VolumeStateInUse
	})
	expectKind(e.t, "AttachVolume of an attached volume", e.d.AttachVolume(ctx, v.ID, node.ID, ""), "",
		compute.ErrConflict, compute.ErrInvalidArgument)
	expectKind(e.t, "DestroyVolume of an attached volume", e.d.DestroyVolume(ctx, v.ID), "",
		compute.ErrConflict, compute.ErrInvalidArgument)

	if err := e.d.DetachVolume(ctx, v.ID); err != nil {
		e.t.Fatalf("DetachVolume: %v", err)
	}
	e.waitVolume(v.ID, "detached", func(x *compute.Volume) bool {
		return x.NodeID == "" && x.State == types.VolumeStateAvailable
	})
	expectKind(e.t, "DetachVolume of a detached volume", e.d.DetachVolume(ctx, v.ID), "",
		compute.ErrConflict, compute.ErrInvalidArgument)
	expectKind(e.t, "AttachVolume to a missing node", e.d.AttachVolume(ctx, v.ID, e.f.MissingID, ""), e.f.MissingID,
		compute.ErrNotFound, compute.ErrInvalidArgument)

	if err := e.d.DestroyVolume(ctx, v.ID); err != nil {
		e.t.Fatalf("DestroyVolume: %v", err)
	}
	e.waitVolume(v.ID, "gone", nil)
	expectKind(e.t, "DestroyVolume again", e.d.DestroyVolume(ctx, v.ID), v.ID, compute.ErrNotFound)

	missing := e.f.MissingID
	expectKind(e.t, "DestroyVolume of a missing volume", e.d.DestroyVolume(ctx, missing), missing, compute.ErrNotFound)
	expectKind(e.t, "DetachVolume of a missing volume", e.d.DetachVolume(ctx, missing), missing, compute.ErrNotFound)
	expectKind(e.t, "AttachVolume of a missing volume", e.d.AttachVolume(ctx, missing, node.ID, ""), missing, compute.ErrNotFound)

	for what, req := range map[string]*compute.CreateVolumeRequest{
		"nil request": nil,
		"no name":     {Size: e.f.VolumeSize},
		"no size":     {Name: e.name("vol")},
		"bad size":    {Name: e.name("vol"), Size: -1},
	} {
		v, err := e.d.CreateVolume(ctx, req)
		if err == nil {
			e.cleanupVolume(v.ID)
		}
		expectKind(e.t, "CreateVolume with "+what, err, "", compute.ErrInvalidArgument)
	}
}

func testVolumeResize(e *env) {
	e.require(e.caps.VolumeResize, "VolumeResize")
	ctx := e.ctx()
	v := e.createVolume("resize")
	grown := e.f.VolumeSize + 1
	got, err := e.d.ResizeVolume(ctx, v.ID, grown)
	if err != nil {
		e.t.Fatalf("ResizeVolume: %v", err)
	}
	if got.ID != v.ID || got.Size != grown {
		e.t.Errorf("ResizeVolume returned {%q %d GB}, want {%q %d GB}", got.ID, got.Size, v.ID, grown)
	}
	e.waitVolume(v.ID, fmt.Sprintf("of %d GB", grown), func(x *compute.Volume) bool { return x.Size == grown })
	_, err = e.d.ResizeVolume(ctx, e.f.MissingID, grown)
	expectKind(e.t, "ResizeVolume of a missing volume", err, e.f.MissingID, compute.ErrNotFound)
	_, err = e.d.ResizeVolume(ctx, v.ID, 0)
	expectKind(e.t, "ResizeVolume to 0 GB", err, "", compute.ErrInvalidArgument)
}

func snapshotID(s *compute.VolumeSnapshot) string { return s.ID }

func (e *env) cleanupSnapshot(id string) {
	e.cleanup("destroying snapshot "+id, func(ctx context.Context) error { return e.d.DestroyVolumeSnapshot(ctx, id) })
}

// waitSnapshot waits until ListVolumeSnapshots(volumeID) shows the snapshot
// available, or, when gone, no longer shows it.
func (e *env) waitSnapshot(volumeID, id string, gone bool) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("snapshot %q listed=%v", id, !gone), func(ctx context.Context) (bool, string, error) {
		ss, err := e.d.ListVolumeSnapshots(ctx, volumeID)
		if err != nil {
			return false, "", err
		}
		s := find(ss, snapshotID, id)
		switch {
		case s == nil:
			return gone, "not listed", nil
		case gone:
			return false, "still listed", nil
		}
		return s.State == types.SnapshotStateAvailable, "state " + string(s.State), nil
	})
}

func testSnapshots(e *env) {
	e.require(e.caps.Snapshots, "Snapshots")
	ctx := e.ctx()
	// Snapshot an attached volume: some providers (CloudStack) allocate a
	// volume's storage only when it is first attached.
	node := e.createRunning("snap")
	v := e.createVolume("snap")
	mustOK(e.t, "AttachVolume", e.d.AttachVolume(ctx, v.ID, node.ID, ""))
	e.waitVolume(v.ID, "attached", func(x *compute.Volume) bool { return x.NodeID == node.ID })

	name := e.name("snap")
	s, err := e.d.CreateVolumeSnapshot(ctx, v.ID, name)
	if err != nil {
		e.t.Fatalf("CreateVolumeSnapshot: %v", err)
	}
	e.cleanupSnapshot(s.ID)
	if s.VolumeID != v.ID || s.Name != name {
		e.t.Errorf("CreateVolumeSnapshot returned {VolumeID %q Name %q}, want {%q %q}", s.VolumeID, s.Name, v.ID, name)
	}
	e.waitSnapshot(v.ID, s.ID, false)
	if find(try(e.d.ListVolumeSnapshots(ctx, "")).must(e.t, "ListVolumeSnapshots(\"\")"), snapshotID, s.ID) == nil {
		e.t.Errorf("snapshot %q is not among all snapshots", s.ID)
	}

	if e.caps.VolumesFromSnapshots {
		from, err := e.d.CreateVolume(ctx, &compute.CreateVolumeRequest{
			Name: e.name("fromsnap"), SnapshotID: s.ID, Location: &compute.Location{ID: e.f.LocationID},
		})
		if err != nil {
			e.t.Fatalf("CreateVolume from snapshot: %v", err)
		}
		e.cleanupVolume(from.ID)
		if from.Size < v.Size {
			e.t.Errorf("a volume from a snapshot of %d GB has %d GB", v.Size, from.Size)
		}
		e.waitVolume(from.ID, "listed", func(*compute.Volume) bool { return true })
	}

	if err := e.d.DestroyVolumeSnapshot(ctx, s.ID); err != nil {
		e.t.Fatalf("DestroyVolumeSnapshot: %v", err)
	}
	e.waitSnapshot(v.ID, s.ID, true)
	expectKind(e.t, "DestroyVolumeSnapshot again", e.d.DestroyVolumeSnapshot(ctx, s.ID), s.ID, compute.ErrNotFound)

	missing := e.f.MissingID
	expectKind(e.t, "DestroyVolumeSnapshot of a missing snapshot", e.d.DestroyVolumeSnapshot(ctx, missing), missing, compute.ErrNotFound)
	_, err = e.d.CreateVolumeSnapshot(ctx, missing, "")
	expectKind(e.t, "CreateVolumeSnapshot of a missing volume", err, missing, compute.ErrNotFound)
	if ss, err := e.d.ListVolumeSnapshots(ctx, missing); err != nil {
		expectKind(e.t, "ListVolumeSnapshots of a missing volume", err, missing, compute.ErrNotFound)
	} else if len(ss) != 0 {
		e.t.Errorf("ListVolumeSnapshots of a missing volume returned %d snapshots", len(ss))
	}
}
