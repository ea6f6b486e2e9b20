package cloudstack

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

const gb = 1 << 30

// bytesToGB converts a size in bytes to whole GB, rounding up.
func bytesToGB(b int64) int {
	if b <= 0 {
		return 0
	}
	return int((b + gb - 1) / gb)
}

// volumeStates maps CloudStack volume states to compute states; anything
// else is VolumeStateUnknown. A Ready volume attached to a VM is in use.
var volumeStates = map[string]types.VolumeState{
	"allocated":          types.VolumeStateAvailable,
	"ready":              types.VolumeStateAvailable,
	"creating":           types.VolumeStateCreating,
	"uploading":          types.VolumeStateCreating,
	"uploadinprogress":   types.VolumeStateCreating,
	"uploaded":           types.VolumeStateCreating,
	"uploadop":           types.VolumeStateCreating,
	"notuploaded":        types.VolumeStateCreating,
	"copying":            types.VolumeStateCreating,
	"resizing":           types.VolumeStateUpdating,
	"migrating":          types.VolumeStateMigrating,
	"snapshotting":       types.VolumeStateBackup,
	"revertsnapshotting": types.VolumeStateBackup,
	"attaching":          types.VolumeStateAttaching,
	"destroying":         types.VolumeStateDeleting,
	"expunging":          types.VolumeStateDeleting,
	"destroy":            types.VolumeStateDeleted,
	"expunged":           types.VolumeStateDeleted,
	"uploaderror":        types.VolumeStateError,
	"uploadabandoned":    types.VolumeStateError,
}

// VolumeState returns the compute state of a CloudStack volume state; an
// available volume attached to a VM (attached true) is in use.
func VolumeState(state string, attached bool) types.VolumeState {
	s, ok := volumeStates[strings.ToLower(state)]
	if !ok {
		return types.VolumeStateUnknown
	}
	if s == types.VolumeStateAvailable && attached {
		return types.VolumeStateInUse
	}
	return s
}

// toVolume converts a volume; Size is in GB (CloudStack sends bytes).
func (d *Driver) toVolume(v *Volume) *compute.Volume {
	x := map[string]any{
		"state":            v.State,
		"type":             v.Type,
		"zone_id":          v.ZoneID,
		"zone_name":        v.ZoneName,
		"disk_offering_id": v.DiskOfferingID,
		"created":          v.Created,
		"volume":           v,
	}
	if v.DeviceID != nil {
		x["device_id"] = *v.DeviceID
	}
	if len(v.Tags) > 0 {
		x["tags"] = tagMap(v.Tags)
	}
	return &compute.Volume{
		ID: v.ID, Name: v.Name, Size: bytesToGB(v.Size), State: VolumeState(v.State, v.VirtualMachineID != ""),
		NodeID: v.VirtualMachineID, Provider: d.provider, Extra: x,
	}
}

// ListVolumes implements compute.VolumeManager.ListVolumes (listVolumes,
// all pages). Volumes being destroyed or expunged are left out.
func (d *Driver) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	vols, err := listAll[Volume](ctx, d, "ListVolumes", "listVolumes", d.scoped(nil, true), "volume")
	if err != nil {
		return nil, err
	}
	out := make([]*compute.Volume, 0, len(vols))
	for i := range vols {
		if volumeGone(&vols[i]) {
			continue
		}
		out = append(out, d.toVolume(&vols[i]))
	}
	return out, nil
}

func volumeGone(v *Volume) bool {
	switch strings.ToLower(v.State) {
	case "destroy", "expunging", "expunged", "destroying":
		return true
	}
	return v.Destroyed
}

// getVolume returns the volume with the given id, or ErrNotFound.
func (d *Driver) getVolume(ctx context.Context, op, id string) (*Volume, error) {
	if strings.TrimSpace(id) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "empty volume id")
	}
	vols, err := listAll[Volume](ctx, d, op, "listVolumes", d.scoped(url.Values{"id": {id}, "listall": {"true"}}, true), "volume")
	if err != nil {
		return nil, err
	}
	for i := range vols {
		if vols[i].ID == id && !volumeGone(&vols[i]) {
			return &vols[i], nil
		}
	}
	return nil, d.errorf(op, id, compute.ErrNotFound, "no volume with id %q", id)
}

// CreateVolumeOptions are CloudStack's options for CreateVolume, given as
// compute.CreateVolumeRequest.ProviderOptions.
type CreateVolumeOptions struct {
	// DiskOfferingID picks the disk offering; by default the first offering
	// of exactly the requested size, else the first customized one.
	DiskOfferingID string
	// ProjectID creates the volume in a project.
	ProjectID string
	// VirtualMachineID attaches the new volume to a VM.
	VirtualMachineID string
}

// CreateVolume implements compute.VolumeManager.CreateVolume (createVolume,
// waiting for the job). Without a disk offering in the options, it takes
// the first listed offering of exactly Size GB, else the first customized
// one with size=Size (Libcloud took the first that matched either way). A
// volume from a snapshot needs no size. Without a Location the volume goes
// to the driver's ZoneID or the first zone.
func (d *Driver) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	const op = "CreateVolume"
	if req == nil {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "nil request")
	}
	var o CreateVolumeOptions
	switch v := req.ProviderOptions.(type) {
	case nil:
	case *CreateVolumeOptions:
		if v != nil {
			o = *v
		}
	case CreateVolumeOptions:
		o = v
	default:
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "ProviderOptions is %T, want *cloudstack.CreateVolumeOptions", req.ProviderOptions)
	}
	switch {
	case strings.TrimSpace(req.Name) == "":
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a name is required")
	case req.Size < 0:
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "size %d GB is negative", req.Size)
	case req.Size == 0 && req.SnapshotID == "":
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a size is required unless the volume comes from a snapshot")
	}
	p := url.Values{"name": {req.Name}}
	if req.SnapshotID != "" {
		p.Set("snapshotid", req.SnapshotID)
	} else {
		zoneID, err := d.zoneOf(ctx, op, req.Location)
		if err != nil {
			return nil, err
		}
		p.Set("zoneid", zoneID)
		offering, custom, err := d.diskOffering(ctx, op, o.DiskOfferingID, req.Size, zoneID)
		if err != nil {
			return nil, err
		}
		p.Set("diskofferingid", offering)
		if custom {
			p.Set("size", strconv.Itoa(req.Size))
		}
	}
	if req.SnapshotID != "" && req.Location != nil && req.Location.ID != "" {
		p.Set("zoneid", req.Location.ID)
	}
	if o.ProjectID != "" {
		p.Set("projectid", o.ProjectID)
	}
	if o.VirtualMachineID != "" {
		p.Set("virtualmachineid", o.VirtualMachineID)
	}
	var v Volume
	if err := d.callAsync(ctx, op, "createVolume", d.scoped(p, false), "volume", &v); err != nil {
		return nil, err
	}
	out := d.toVolume(&v)
	if out.Size == 0 && req.Size > 0 {
		out.Size = req.Size // an allocated volume may not report its size yet
	}
	return out, nil
}

// diskOffering picks the disk offering for a volume of size GB, reporting
// whether it is customized (so that the size must be sent).
func (d *Driver) diskOffering(ctx context.Context, op, id string, size int, zoneID string) (string, bool, error) {
	p := url.Values{}
	if id != "" {
		p.Set("id", id)
	}
	offerings, err := listAll[DiskOffering](ctx, d, op, "listDiskOfferings", p, "diskoffering")
	if err != nil {
		return "", false, err
	}
	usable := func(o *DiskOffering) bool { return o.ZoneID == "" || zoneID == "" || o.ZoneID == zoneID }
	if id != "" {
		for i := range offerings {
			if offerings[i].ID == id {
				return id, offerings[i].IsCustomized, nil
			}
		}
		return "", false, d.errorf(op, "", compute.ErrNotFound, "no disk offering with id %q", id)
	}
	for i := range offerings {
		if o := &offerings[i]; !o.IsCustomized && o.DiskSize == int64(size) && usable(o) {
			return o.ID, false, nil
		}
	}
	for i := range offerings {
		if o := &offerings[i]; o.IsCustomized && usable(o) {
			return o.ID, true, nil
		}
	}
	return "", false, d.errorf(op, "", compute.ErrInvalidArgument,
		"no disk offering of %d GB and no customized disk offering: pick one with CreateVolumeOptions.DiskOfferingID", size)
}

// AttachVolume implements compute.VolumeManager.AttachVolume (attachVolume,
// waiting for the job). device, when not empty, is CloudStack's numeric
// device id (deviceid).
func (d *Driver) AttachVolume(ctx context.Context, volumeID, nodeID, device string) error {
	const op = "AttachVolume"
	if strings.TrimSpace(volumeID) == "" || strings.TrimSpace(nodeID) == "" {
		return d.errorf(op, volumeID, compute.ErrInvalidArgument, "empty volume or node id")
	}
	p := url.Values{"id": {volumeID}, "virtualmachineid": {nodeID}}
	if device != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(device), 10, 32)
		if err != nil {
			return d.errorf(op, volumeID, compute.ErrInvalidArgument, "device %q: want CloudStack's numeric device id", device)
		}
		p.Set("deviceid", strconv.FormatUint(n, 10))
	}
	return d.callAsync(ctx, op, "attachVolume", p, "volume", nil)
}

// DetachVolume implements compute.VolumeManager.DetachVolume (detachVolume,
// waiting for the job).
func (d *Driver) DetachVolume(ctx context.Context, volumeID string) error {
	const op = "DetachVolume"
	if strings.TrimSpace(volumeID) == "" {
		return d.errorf(op, volumeID, compute.ErrInvalidArgument, "empty volume id")
	}
	return d.callAsync(ctx, op, "detachVolume", url.Values{"id": {volumeID}}, "volume", nil)
}

// DestroyVolume implements compute.VolumeManager.DestroyVolume
// (deleteVolume). A volume already destroyed gives ErrNotFound.
func (d *Driver) DestroyVolume(ctx context.Context, volumeID string) error {
	const op = "DestroyVolume"
	if _, err := d.getVolume(ctx, op, volumeID); err != nil {
		return err
	}
	return d.call(ctx, op, "deleteVolume", url.Values{"id": {volumeID}}, nil)
}

// ResizeVolume implements compute.VolumeResizer.ResizeVolume (resizeVolume
// with size in GB, waiting for the job).
func (d *Driver) ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*compute.Volume, error) {
	const op = "ResizeVolume"
	if strings.TrimSpace(volumeID) == "" {
		return nil, d.errorf(op, volumeID, compute.ErrInvalidArgument, "empty volume id")
	}
	if sizeGB <= 0 {
		return nil, d.errorf(op, volumeID, compute.ErrInvalidArgument, "size %d GB: want a positive size", sizeGB)
	}
	var v Volume
	if err := d.callAsync(ctx, op, "resizeVolume", url.Values{"id": {volumeID}, "size": {strconv.Itoa(sizeGB)}}, "volume", &v); err != nil {
		return nil, err
	}
	out := d.toVolume(&v)
	if out.ID == "" {
		out.ID = volumeID
	}
	return out, nil
}
