package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/compute"
)

// CreateImage creates an AMI from the instance (CreateImage; EC2 reboots
// the instance for a consistent image) and returns it, usually pending.
func (d *Driver) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	const op = "CreateImage"
	if strings.TrimSpace(name) == "" {
		return nil, compute.Errorf(provider, op, nodeID, compute.ErrInvalidArgument, "an image name is required")
	}
	in := &ec2.CreateImageInput{InstanceId: aws.String(nodeID), Name: aws.String(name)}
	if description != "" {
		in.Description = aws.String(description)
	}
	var out *ec2.CreateImageOutput
	err := d.consistent(ctx, nodeID, func() (err error) {
		out, err = d.client.CreateImage(ctx, in)
		return err
	})
	if err != nil {
		return nil, wrap(op, nodeID, err)
	}
	id := aws.ToString(out.ImageId)
	img, err := d.GetImage(ctx, id)
	if err != nil {
		// Not visible yet: report what EC2 answered.
		return &compute.Image{ID: id, Name: name, Provider: provider, Extra: map[string]any{"state": "pending"}}, nil //nolint:nilerr
	}
	return img, nil
}

// DeleteImage deregisters the AMI (DeregisterImage). Its EBS snapshots
// stay; delete them with DestroyVolumeSnapshot.
func (d *Driver) DeleteImage(ctx context.Context, imageID string) error {
	_, err := d.client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(imageID)})
	return wrap("DeleteImage", imageID, err)
}
