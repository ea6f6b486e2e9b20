package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// ResizeNode implements compute.NodeResizer: it gives a stopped instance
// another instance type (ModifyInstanceAttribute InstanceType) and returns
// it. EC2 changes the type of stopped instances only: any other state
// gives ErrConflict.
func (d *Driver) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	const op = "ResizeNode"
	if size == nil || size.ID == "" {
		return nil, compute.Errorf(provider, op, id, compute.ErrInvalidArgument, "a size is required")
	}
	n, err := d.GetNode(ctx, id)
	if err != nil {
		return nil, compute.NewError(provider, op, id, nil, err)
	}
	if n.State != types.NodeStateStopped {
		return nil, compute.Errorf(provider, op, id, compute.ErrConflict,
			"EC2 changes the instance type of stopped instances only; instance %s is %s", id, n.Extra["state"])
	}
	if n.Size != nil && n.Size.ID == size.ID {
		return n, nil
	}
	_, err = d.client.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(id),
		InstanceType: &ec2types.AttributeValue{Value: aws.String(size.ID)}})
	if err != nil {
		return nil, wrap(op, id, err)
	}
	return d.GetNode(ctx, id)
}
