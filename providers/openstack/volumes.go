package openstack

import (
	"context"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/volumeattach"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// volumeStates maps Cinder volume statuses.
var volumeStates = map[string]types.VolumeState{
	"available": types.VolumeStateAvailable, "in-use": types.VolumeStateInUse,
	"creating": types.VolumeStateCreating, "attaching": types.VolumeStateAttaching,
	"detaching": types.VolumeStateUpdating, "deleting": types.VolumeStateDeleting,
	"error": types.VolumeStateError, "error_deleting": types.VolumeStateError,
	"error_extending": types.VolumeStateError, "error_restoring": types.VolumeStateError,
	"backing-up": types.VolumeStateBackup, "restoring-backup": types.VolumeStateBackup,
	"extending": types.VolumeStateUpdating, "retyping": types.VolumeStateMigrating,
	"maintenance": types.VolumeStateUpdating, "reserved": types.VolumeStateAttaching,
	"uploading": types.VolumeStateUpdating, "downloading": types.VolumeStateCreating,
}

// volumeClient returns the Cinder v3 client, or ErrNotSupported.
func (d *Driver) volumeClient(ctx context.Context, op string) (context.Context, *conn, error) {
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return ctx, nil, err
	}
	if c.volume == nil {
		return ctx, nil, d.wrap(op, "", c.volumeErr)
	}
	return ctx, c, nil
}

// ListVolumes returns the project's Cinder volumes, following pages.
func (d *Driver) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	ctx, c, err := d.volumeClient(ctx, "ListVolumes")
	if err != nil {
		return nil, err
	}
	out := []*compute.Volume{}
	err = volumes.List(c.volume, volumes.ListOpts{}).EachPage(ctx, func(_ context.Context, page pagination.Page) (bool, error) {
		list, err := volumes.ExtractVolumes(page)
		for i := range list {
			out = append(out, toVolume(&list[i]))
		}
		return err == nil, err
	})
	if err != nil {
		return nil, d.wrap("ListVolumes", "", err)
	}
	return out, nil
}

// CreateVolume creates a Cinder volume of Size GB (from SnapshotID when
// set) in Location's availability zone.
func (d *Driver) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	if req == nil || req.Name == "" {
		return nil, compute.Errorf(provider, "CreateVolume", "", compute.ErrInvalidArgument, "a volume needs a name")
	}
	if req.Size <= 0 && req.SnapshotID == "" {
		return nil, compute.Errorf(provider, "CreateVolume", "", compute.ErrInvalidArgument, "a volume needs a size in GB (or a snapshot)")
	}
	ctx, c, err := d.volumeClient(ctx, "CreateVolume")
	if err != nil {
		return nil, err
	}
	opts := volumes.CreateOpts{Name: req.Name, Size: req.Size, SnapshotID: req.SnapshotID}
	if req.Location != nil {
		opts.AvailabilityZone = req.Location.ID
	}
	v, err := volumes.Create(ctx, c.volume, opts, nil).Extract()
	if err != nil {
		return nil, d.wrap("CreateVolume", "", err)
	}
	return toVolume(v), nil
}

// AttachVolume attaches the volume to the server through Nova's volume
// attachments (device "" lets Nova choose).
func (d *Driver) AttachVolume(ctx context.Context, volumeID, nodeID, device string) error {
	ctx, c, err := d.begin(ctx, "AttachVolume")
	if err != nil {
		return err
	}
	_, err = volumeattach.Create(ctx, c.compute, nodeID, volumeattach.CreateOpts{VolumeID: volumeID, Device: device}).Extract()
	return d.wrap("AttachVolume", volumeID, err)
}

// DetachVolume detaches the volume from the server Cinder says holds it
// (Nova's detach needs the server id); a volume attached to none gives
// ErrConflict.
func (d *Driver) DetachVolume(ctx context.Context, volumeID string) error {
	ctx, c, err := d.volumeClient(ctx, "DetachVolume")
	if err != nil {
		return err
	}
	v, err := volumes.Get(ctx, c.volume, volumeID).Extract()
	if err != nil {
		return d.wrap("DetachVolume", volumeID, err)
	}
	if len(v.Attachments) == 0 {
		return compute.Errorf(provider, "DetachVolume", volumeID, compute.ErrConflict, "volume %s is not attached (status %s)", volumeID, v.Status)
	}
	for _, a := range v.Attachments {
		if err := volumeattach.Delete(ctx, c.compute, a.ServerID, volumeID).ExtractErr(); err != nil {
			return d.wrap("DetachVolume", volumeID, err)
		}
	}
	return nil
}

// DestroyVolume deletes the volume; an attached one gives ErrConflict.
func (d *Driver) DestroyVolume(ctx context.Context, volumeID string) error {
	ctx, c, err := d.volumeClient(ctx, "DestroyVolume")
	if err != nil {
		return err
	}
	return d.wrap("DestroyVolume", volumeID, volumes.Delete(ctx, c.volume, volumeID, volumes.DeleteOpts{}).ExtractErr())
}

// ResizeVolume extends the volume to sizeGB (Cinder's os-extend; an in-use
// volume is extended at microversion 3.42), waits under ctx while it is
// extending, and returns it as it is then.
func (d *Driver) ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*compute.Volume, error) {
	ctx, c, err := d.volumeClient(ctx, "ResizeVolume")
	if err != nil {
		return nil, err
	}
	v, err := volumes.Get(ctx, c.volume, volumeID).Extract()
	if err != nil {
		return nil, d.wrap("ResizeVolume", volumeID, err)
	}
	if sizeGB <= v.Size {
		return nil, compute.Errorf(provider, "ResizeVolume", volumeID, compute.ErrInvalidArgument,
			"Cinder only grows volumes: %d GB is not more than %d GB", sizeGB, v.Size)
	}
	client := *c.volume
	if v.Status == "in-use" {
		client.Microversion = "3.42"
	}
	if err := volumes.ExtendSize(ctx, &client, volumeID, volumes.ExtendSizeOpts{NewSize: sizeGB}).ExtractErr(); err != nil {
		return nil, d.wrap("ResizeVolume", volumeID, err)
	}
	t := time.NewTicker(resizePoll)
	defer t.Stop()
	for {
		if v, err = volumes.Get(ctx, c.volume, volumeID).Extract(); err != nil {
			return nil, d.wrap("ResizeVolume", volumeID, err)
		}
		if v.Status != "extending" {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	if v.Status == "error_extending" {
		return nil, compute.Errorf(provider, "ResizeVolume", volumeID, compute.ErrInternal, "Cinder failed to extend the volume")
	}
	return toVolume(v), nil
}

// toVolume converts a Cinder volume.
func toVolume(v *volumes.Volume) *compute.Volume {
	st, ok := volumeStates[v.Status]
	if !ok {
		st = types.VolumeStateUnknown
	}
	out := &compute.Volume{ID: v.ID, Name: v.Name, Size: v.Size, State: st, Provider: provider,
		Extra: map[string]any{"status": v.Status, "availability_zone": v.AvailabilityZone, "volume_type": v.VolumeType,
			"snapshot_id": v.SnapshotID, "bootable": v.Bootable, "description": v.Description, "created_at": v.CreatedAt}}
	if len(v.Attachments) > 0 && (v.Status == "in-use" || v.Status == "detaching") {
		out.NodeID = v.Attachments[0].ServerID
		out.Extra["device"] = v.Attachments[0].Device
	}
	return out
}
