package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// snapshotStates maps EBS snapshot states.
var snapshotStates = map[ec2types.SnapshotState]types.SnapshotState{
	ec2types.SnapshotStatePending:     types.SnapshotStateCreating,
	ec2types.SnapshotStateCompleted:   types.SnapshotStateAvailable,
	ec2types.SnapshotStateError:       types.SnapshotStateError,
	ec2types.SnapshotStateRecoverable: types.SnapshotStateAvailable,
	ec2types.SnapshotStateRecovering:  types.SnapshotStateRestoring,
}

// toSnapshot maps an EBS snapshot; its name is the Name tag, else its
// description.
func toSnapshot(s ec2types.Snapshot) *compute.VolumeSnapshot {
	tags := tagMap(s.Tags)
	out := &compute.VolumeSnapshot{ID: aws.ToString(s.SnapshotId), Name: tags["Name"], VolumeID: aws.ToString(s.VolumeId),
		Size: int(aws.ToInt32(s.VolumeSize)), State: types.SnapshotStateUnknown, Provider: provider,
		Extra: map[string]any{"description": aws.ToString(s.Description), "progress": aws.ToString(s.Progress),
			"owner_id": aws.ToString(s.OwnerId), "encrypted": aws.ToBool(s.Encrypted)}}
	if out.Name == "" {
		out.Name = aws.ToString(s.Description)
	}
	if st, ok := snapshotStates[s.State]; ok {
		out.State = st
	}
	if s.StartTime != nil {
		out.CreatedAt = *s.StartTime
	}
	if tags != nil {
		out.Extra["tags"] = tags
	}
	return out
}

// ListVolumeSnapshots returns the account's snapshots (OwnerIds self), of
// volumeID only unless it is "" (DescribeSnapshots, every page).
func (d *Driver) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	in := &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}, MaxResults: aws.Int32(1000)}
	if volumeID != "" {
		in.Filters = []ec2types.Filter{filter("volume-id", volumeID)}
	}
	snaps := []*compute.VolumeSnapshot{}
	p := ec2.NewDescribeSnapshotsPaginator(d.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ListVolumeSnapshots", volumeID, err)
		}
		for _, s := range page.Snapshots {
			snaps = append(snaps, toSnapshot(s))
		}
	}
	return snaps, nil
}

// CreateVolumeSnapshot snapshots the volume (CreateSnapshot); name becomes
// the description and the Name tag.
func (d *Driver) CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*compute.VolumeSnapshot, error) {
	in := &ec2.CreateSnapshotInput{VolumeId: aws.String(volumeID)}
	if name != "" {
		in.Description = aws.String(name)
		in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSnapshot,
			Tags: ec2Tags(map[string]string{"Name": name})}}
	}
	out, err := d.client.CreateSnapshot(ctx, in)
	if err != nil {
		return nil, wrap("CreateVolumeSnapshot", volumeID, err)
	}
	return toSnapshot(ec2types.Snapshot{SnapshotId: out.SnapshotId, VolumeId: out.VolumeId, VolumeSize: out.VolumeSize,
		State: out.State, Description: out.Description, Tags: out.Tags, StartTime: out.StartTime, Progress: out.Progress,
		OwnerId: out.OwnerId, Encrypted: out.Encrypted}), nil
}

// DestroyVolumeSnapshot deletes the snapshot (DeleteSnapshot).
func (d *Driver) DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error {
	_, err := d.client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(snapshotID)})
	return wrap("DestroyVolumeSnapshot", snapshotID, err)
}
