package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
)

// RebootNode reboots the instance (RebootInstances).
func (d *Driver) RebootNode(ctx context.Context, id string) error {
	return d.instanceCall(ctx, "RebootNode", id, func() error {
		_, err := d.client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{id}})
		return err
	})
}

// StartNode starts a stopped instance (StartInstances); starting a running
// one does nothing, as EC2.
func (d *Driver) StartNode(ctx context.Context, id string) error {
	return d.stateChange(ctx, "StartNode", id, func() ([]ec2types.InstanceStateChange, error) {
		out, err := d.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			return nil, err
		}
		return out.StartingInstances, nil
	})
}

// StopNode stops a running instance (StopInstances).
func (d *Driver) StopNode(ctx context.Context, id string) error {
	return d.stateChange(ctx, "StopNode", id, func() ([]ec2types.InstanceStateChange, error) {
		out, err := d.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			return nil, err
		}
		return out.StoppingInstances, nil
	})
}

// DestroyNode terminates the instance (TerminateInstances). EC2 accepts
// terminating a terminated instance; the driver answers ErrNotFound (with
// a *TerminatedError) since the node was already gone.
func (d *Driver) DestroyNode(ctx context.Context, id string) error {
	return d.stateChange(ctx, "DestroyNode", id, func() ([]ec2types.InstanceStateChange, error) {
		out, err := d.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
		if err != nil {
			return nil, err
		}
		return out.TerminatingInstances, nil
	})
}

// instanceCall runs a call about instance id, riding out eventual
// consistency, and wraps its error.
func (d *Driver) instanceCall(ctx context.Context, op, id string, call func() error) error {
	if id == "" {
		return compute.Errorf(provider, op, id, compute.ErrInvalidArgument, "an instance id is required")
	}
	return wrap(op, id, d.consistent(ctx, id, call))
}

// stateChange runs a Start/Stop/Terminate call; an instance that was
// already terminated gives ErrNotFound.
func (d *Driver) stateChange(ctx context.Context, op, id string, call func() ([]ec2types.InstanceStateChange, error)) error {
	var changes []ec2types.InstanceStateChange
	err := d.instanceCall(ctx, op, id, func() (err error) {
		changes, err = call()
		return err
	})
	if err != nil {
		return err
	}
	for _, c := range changes {
		if aws.ToString(c.InstanceId) == id && c.PreviousState != nil &&
			c.PreviousState.Name == ec2types.InstanceStateNameTerminated {
			return notFoundTerminated(op, &compute.Node{ID: id, State: nodeState(c.PreviousState.Name), Provider: provider})
		}
	}
	return nil
}
