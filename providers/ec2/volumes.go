package ec2

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// CreateVolumeOptions are EBS settings for CreateVolumeRequest.ProviderOptions.
type CreateVolumeOptions struct {
	// VolumeType is gp3 (the default), gp2, io1, io2, st1, sc1 or standard.
	VolumeType string `mapstructure:"volume_type"`
	// IOPS and Throughput (MiB/s) apply to the types that take them.
	IOPS       int32 `mapstructure:"iops"`
	Throughput int32 `mapstructure:"throughput"`
	// Encrypted encrypts the volume, with KMSKeyID or the account's default key.
	Encrypted bool   `mapstructure:"encrypted"`
	KMSKeyID  string `mapstructure:"kms_key_id"`
}

// volumeStates maps EBS volume states.
var volumeStates = map[ec2types.VolumeState]types.VolumeState{
	ec2types.VolumeStateCreating:  types.VolumeStateCreating,
	ec2types.VolumeStateAvailable: types.VolumeStateAvailable,
	ec2types.VolumeStateInUse:     types.VolumeStateInUse,
	ec2types.VolumeStateDeleting:  types.VolumeStateDeleting,
	ec2types.VolumeStateDeleted:   types.VolumeStateDeleted,
	ec2types.VolumeStateError:     types.VolumeStateError,
}

// toVolume maps an EBS volume.
func toVolume(v ec2types.Volume) *compute.Volume {
	tags := tagMap(v.Tags)
	out := &compute.Volume{ID: aws.ToString(v.VolumeId), Name: tags["Name"], Size: int(aws.ToInt32(v.Size)),
		State: types.VolumeStateUnknown, Provider: provider, Extra: map[string]any{
			"zone": aws.ToString(v.AvailabilityZone), "volume_type": string(v.VolumeType),
			"encrypted": aws.ToBool(v.Encrypted), "snapshot_id": aws.ToString(v.SnapshotId)}}
	if s, ok := volumeStates[v.State]; ok {
		out.State = s
	}
	if tags != nil {
		out.Extra["tags"] = tags
	}
	for _, a := range v.Attachments {
		if a.State == ec2types.VolumeAttachmentStateAttached || a.State == ec2types.VolumeAttachmentStateAttaching {
			out.NodeID = aws.ToString(a.InstanceId)
			out.Extra["device"] = aws.ToString(a.Device)
			if a.State == ec2types.VolumeAttachmentStateAttaching {
				out.State = types.VolumeStateAttaching
			}
		}
	}
	if v.CreateTime != nil {
		out.Extra["created_at"] = *v.CreateTime
	}
	return out
}

// ListVolumes returns every EBS volume (DescribeVolumes, every page).
func (d *Driver) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	vols := []*compute.Volume{}
	p := ec2.NewDescribeVolumesPaginator(d.client, &ec2.DescribeVolumesInput{MaxResults: aws.Int32(500)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ListVolumes", "", err)
		}
		for _, v := range page.Volumes {
			vols = append(vols, toVolume(v))
		}
	}
	return vols, nil
}

// getVolume returns one volume.
func (d *Driver) getVolume(ctx context.Context, op, id string) (*compute.Volume, error) {
	out, err := d.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}})
	if err != nil {
		return nil, wrap(op, id, err)
	}
	if len(out.Volumes) == 0 {
		return nil, compute.Errorf(provider, op, id, compute.ErrNotFound, "EC2 has no volume %s", id)
	}
	return toVolume(out.Volumes[0]), nil
}

// CreateVolume creates an EBS volume (CreateVolume, with a ClientToken)
// named by a Name tag, in the request's zone or else the region's first,
// of Size GiB and/or from SnapshotID; ProviderOptions may be a
// *CreateVolumeOptions.
func (d *Driver) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	const op = "CreateVolume"
	if req == nil || strings.TrimSpace(req.Name) == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a name is required")
	}
	if req.Size <= 0 && req.SnapshotID == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a size in GB or a snapshot is required")
	}
	opts, err := compute.ProviderOptionsOf[CreateVolumeOptions](provider, op, req.ProviderOptions)
	if err != nil {
		return nil, err
	}
	zone := ""
	if req.Location != nil {
		zone = req.Location.ID
	}
	if zone == "" {
		locs, err := d.ListLocations(ctx)
		if err != nil {
			return nil, err
		}
		if len(locs) == 0 {
			return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "the region lists no zone: give a Location")
		}
		zone = locs[0].ID
	}
	in := &ec2.CreateVolumeInput{AvailabilityZone: aws.String(zone), ClientToken: aws.String(clientToken("")),
		VolumeType: ec2types.VolumeTypeGp3,
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVolume,
			Tags: ec2Tags(map[string]string{"Name": req.Name})}}}
	if req.Size > 0 {
		in.Size = aws.Int32(int32(req.Size))
	}
	if req.SnapshotID != "" {
		in.SnapshotId = aws.String(req.SnapshotID)
	}
	if opts.VolumeType != "" {
		in.VolumeType = ec2types.VolumeType(opts.VolumeType)
	}
	if opts.IOPS > 0 {
		in.Iops = aws.Int32(opts.IOPS)
	}
	if opts.Throughput > 0 {
		in.Throughput = aws.Int32(opts.Throughput)
	}
	if opts.Encrypted {
		in.Encrypted = aws.Bool(true)
	}
	if opts.KMSKeyID != "" {
		in.KmsKeyId = aws.String(opts.KMSKeyID)
	}
	out, err := d.client.CreateVolume(ctx, in)
	if err != nil {
		return nil, wrap(op, "", err)
	}
	v := toVolume(ec2types.Volume{VolumeId: out.VolumeId, Size: out.Size, State: out.State, Tags: out.Tags,
		AvailabilityZone: out.AvailabilityZone, VolumeType: out.VolumeType, Encrypted: out.Encrypted,
		SnapshotId: out.SnapshotId, CreateTime: out.CreateTime})
	v.Name = req.Name
	return v, nil
}

// deviceNames are the device names AttachVolume chooses from when given
// "": /dev/sdf to /dev/sdp, as AWS recommends for EBS data volumes.
var deviceNames = func() []string {
	var out []string
	for c := 'f'; c <= 'p'; c++ {
		out = append(out, "/dev/sd"+string(c))
	}
	return out
}()

// AttachVolume attaches the volume to the instance at device; "" picks the
// first of /dev/sdf../dev/sdp the instance does not use (xvdX counts as
// sdX).
func (d *Driver) AttachVolume(ctx context.Context, volumeID, nodeID, device string) error {
	const op = "AttachVolume"
	if device == "" {
		n, err := d.instanceDevices(ctx, nodeID)
		if err != nil {
			return err
		}
		for _, name := range deviceNames {
			if !slices.Contains(n, strings.TrimPrefix(name, "/dev/sd")) {
				device = name
				break
			}
		}
		if device == "" {
			return compute.Errorf(provider, op, volumeID, compute.ErrQuotaExceeded,
				"instance %s uses every device from /dev/sdf to /dev/sdp: give a device name", nodeID)
		}
	}
	_, err := d.client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(volumeID),
		InstanceId: aws.String(nodeID), Device: aws.String(device)})
	return wrap(op, volumeID, err)
}

// instanceDevices returns the letters of the devices instance id uses
// ("a1" for /dev/sda1, "f" for /dev/sdf or /dev/xvdf).
func (d *Driver) instanceDevices(ctx context.Context, id string) ([]string, error) {
	var out *ec2.DescribeInstancesOutput
	err := d.consistent(ctx, id, func() (err error) {
		out, err = d.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		return err
	})
	if err != nil {
		return nil, wrap("AttachVolume", id, err)
	}
	var used []string
	for _, r := range out.Reservations {
		for _, in := range r.Instances {
			for _, m := range in.BlockDeviceMappings {
				used = append(used, deviceLetters(aws.ToString(m.DeviceName)))
			}
		}
	}
	vols, err := d.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{
		Filters: []ec2types.Filter{filter("attachment.instance-id", id)}})
	if err != nil {
		return nil, wrap("AttachVolume", id, err)
	}
	for _, v := range vols.Volumes {
		for _, a := range v.Attachments {
			if aws.ToString(a.InstanceId) == id {
				used = append(used, deviceLetters(aws.ToString(a.Device)))
			}
		}
	}
	return used, nil
}

// deviceLetters strips /dev/sd, /dev/xvd or /dev/ from a device name.
func deviceLetters(dev string) string {
	for _, p := range []string{"/dev/sd", "/dev/xvd", "/dev/"} {
		if rest, ok := strings.CutPrefix(dev, p); ok {
			return rest
		}
	}
	return dev
}

// DetachVolume detaches the volume from its instance (DetachVolume).
func (d *Driver) DetachVolume(ctx context.Context, volumeID string) error {
	_, err := d.client.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: aws.String(volumeID)})
	return wrap("DetachVolume", volumeID, err)
}

// DestroyVolume deletes the volume (DeleteVolume); an attached volume
// gives ErrConflict (VolumeInUse).
func (d *Driver) DestroyVolume(ctx context.Context, volumeID string) error {
	_, err := d.client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(volumeID)})
	return wrap("DestroyVolume", volumeID, err)
}

// ResizeVolume grows the volume to sizeGB GiB (ModifyVolume) and returns
// it; EBS volumes cannot shrink (ErrInvalidArgument).
func (d *Driver) ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*compute.Volume, error) {
	const op = "ResizeVolume"
	if sizeGB <= 0 {
		return nil, compute.Errorf(provider, op, volumeID, compute.ErrInvalidArgument, "size %d GB is not positive", sizeGB)
	}
	v, err := d.getVolume(ctx, op, volumeID)
	if err != nil {
		return nil, err
	}
	if sizeGB < v.Size {
		return nil, compute.Errorf(provider, op, volumeID, compute.ErrInvalidArgument,
			"EBS volumes cannot shrink (from %d to %d GB)", v.Size, sizeGB)
	}
	if sizeGB == v.Size {
		return v, nil
	}
	out, err := d.client.ModifyVolume(ctx, &ec2.ModifyVolumeInput{VolumeId: aws.String(volumeID),
		Size: aws.Int32(int32(sizeGB))})
	if err != nil {
		return nil, wrap(op, volumeID, err)
	}
	// The new size applies as the modification proceeds (modifying,
	// optimizing, completed): report the target and the modification state.
	v.Size = sizeGB
	if m := out.VolumeModification; m != nil {
		v.Extra["modification_state"] = string(m.ModificationState)
	}
	return v, nil
}
