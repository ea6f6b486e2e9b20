package ec2

import (
	"context"
	"iter"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// NodesPageSize is how many instances one DescribeInstances page asks for
// when ListNodes collects every instance (EC2's maximum is 1000): the list
// is kept whole anyway, so the fewest round trips win.
const NodesPageSize = 1000

// StreamPageSize is how many instances one DescribeInstances page asks for
// when IterNodes streams them: a decoded page is most of what streaming
// holds, so a smaller page keeps its peak memory low, for a few more round
// trips.
const StreamPageSize = 250

// nodeStates maps EC2 instance states to node states. shutting-down is
// stopping: the instance is on its way to terminated, still holding its
// volumes. Terminated instances (EC2 lists them for about an hour) are
// gone for the portable API: left out of lists, ErrNotFound for GetNode.
var nodeStates = map[ec2types.InstanceStateName]types.NodeState{
	ec2types.InstanceStateNamePending:      types.NodeStatePending,
	ec2types.InstanceStateNameRunning:      types.NodeStateRunning,
	ec2types.InstanceStateNameShuttingDown: types.NodeStateStopping,
	ec2types.InstanceStateNameTerminated:   types.NodeStateTerminated,
	ec2types.InstanceStateNameStopping:     types.NodeStateStopping,
	ec2types.InstanceStateNameStopped:      types.NodeStateStopped,
}

// liveStates are the EC2 states of instances that are not terminated.
var liveStates = []string{"pending", "running", "shutting-down", "stopping", "stopped"}

// nodeState returns the node state of an EC2 state (unknown when EC2
// answers a state it did not have when this driver was written).
func nodeState(s ec2types.InstanceStateName) types.NodeState {
	if st, ok := nodeStates[s]; ok {
		return st
	}
	return types.NodeStateUnknown
}

// ec2StatesFor returns the EC2 states of live instances that map to any of
// states.
func ec2StatesFor(states []types.NodeState) []string {
	var out []string
	for _, s := range liveStates {
		if slices.Contains(states, nodeState(ec2types.InstanceStateName(s))) {
			out = append(out, s)
		}
	}
	return out
}

// toNode maps an instance to a node (docs/providers/ec2.md has the table).
func toNode(in ec2types.Instance) *compute.Node {
	n := &compute.Node{
		ID:         aws.ToString(in.InstanceId),
		PublicIPs:  []string{},
		PrivateIPs: []string{},
		Provider:   provider,
		Tags:       tagMap(in.Tags),
		Extra:      map[string]any{},
	}
	n.Name = n.Tags["Name"]
	if in.State != nil {
		n.State = nodeState(in.State.Name)
		n.Extra["state"] = string(in.State.Name)
	} else {
		n.State = types.NodeStateUnknown
	}
	if ip := aws.ToString(in.PublicIpAddress); ip != "" {
		n.PublicIPs = append(n.PublicIPs, ip)
	}
	if ip := aws.ToString(in.Ipv6Address); ip != "" {
		n.PublicIPs = append(n.PublicIPs, ip)
	}
	if ip := aws.ToString(in.PrivateIpAddress); ip != "" {
		n.PrivateIPs = append(n.PrivateIPs, ip)
	}
	for _, ni := range in.NetworkInterfaces {
		for _, p := range ni.PrivateIpAddresses {
			if ip := aws.ToString(p.PrivateIpAddress); ip != "" && !slices.Contains(n.PrivateIPs, ip) {
				n.PrivateIPs = append(n.PrivateIPs, ip)
			}
		}
	}
	if in.InstanceType != "" {
		n.Size = &compute.Size{ID: string(in.InstanceType), Name: string(in.InstanceType), Provider: provider}
	}
	if id := aws.ToString(in.ImageId); id != "" {
		n.Image = &compute.Image{ID: id, Provider: provider}
	}
	if in.Placement != nil && aws.ToString(in.Placement.AvailabilityZone) != "" {
		az := aws.ToString(in.Placement.AvailabilityZone)
		n.Location = &compute.Location{ID: az, Name: az, Provider: provider}
	}
	if in.LaunchTime != nil {
		n.CreatedAt = *in.LaunchTime
	}
	extra := map[string]string{
		"instance_type": string(in.InstanceType), "key_name": aws.ToString(in.KeyName),
		"subnet_id": aws.ToString(in.SubnetId), "vpc_id": aws.ToString(in.VpcId),
		"private_dns": aws.ToString(in.PrivateDnsName), "public_dns": aws.ToString(in.PublicDnsName),
		"architecture": string(in.Architecture), "root_device_type": string(in.RootDeviceType),
		"root_device_name": aws.ToString(in.RootDeviceName), "state_reason": stateReason(in),
		"platform": string(in.Platform), "client_token": aws.ToString(in.ClientToken),
	}
	for k, v := range extra {
		if v != "" {
			n.Extra[k] = v
		}
	}
	var groups []string
	for _, g := range in.SecurityGroups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	if groups != nil {
		n.Extra["security_group_ids"] = groups
	}
	return n
}

func stateReason(in ec2types.Instance) string {
	if in.StateReason != nil && aws.ToString(in.StateReason.Message) != "" {
		return aws.ToString(in.StateReason.Message)
	}
	return aws.ToString(in.StateTransitionReason)
}

// tagMap returns EC2 tags as a map, nil when there are none.
func tagMap(tags []ec2types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// filter returns an EC2 filter.
func filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

// ListNodes returns every instance that is not terminated, all pages of
// DescribeInstances.
func (d *Driver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	nodes := []*compute.Node{}
	for n, err := range d.iterNodes(ctx, "ListNodes", nil, NodesPageSize) {
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// IterNodes implements compute.NodeStreamer: DescribeInstances through the
// SDK's paginator, StreamPageSize instances a page, with the filter's tags
// (tag:K), name (tag:Name) and states (instance-state-name) sent as
// server-side filters and checked again here (EC2 treats * and ? in filter
// values as wildcards). Terminated instances are never yielded.
func (d *Driver) IterNodes(ctx context.Context, f *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return d.iterNodes(ctx, "IterNodes", f, StreamPageSize)
}

// iterNodes yields the instances f selects, pageSize a DescribeInstances page.
func (d *Driver) iterNodes(ctx context.Context, op string, f *compute.NodeFilter, pageSize int32) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		states := liveStates
		var fs []ec2types.Filter
		if f != nil {
			if len(f.States) > 0 {
				if states = ec2StatesFor(f.States); len(states) == 0 {
					return
				}
			}
			if f.Name != "" {
				fs = append(fs, filter("tag:Name", f.Name))
			}
			for k, v := range f.Tags {
				fs = append(fs, filter("tag:"+k, v))
			}
		}
		fs = append(fs, filter("instance-state-name", states...))
		p := ec2.NewDescribeInstancesPaginator(d.client, &ec2.DescribeInstancesInput{
			Filters: fs, MaxResults: aws.Int32(pageSize)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(nil, wrap(op, "", err))
				return
			}
			for _, r := range page.Reservations {
				for _, in := range r.Instances {
					n := toNode(in)
					if n.State == types.NodeStateTerminated || !f.Match(n) {
						continue
					}
					if !yield(n, nil) {
						return
					}
				}
			}
		}
	}
}

// GetNode returns the instance with the given id. An unknown id gives
// ErrNotFound; so does a terminated instance, with a *TerminatedError
// holding the node as EC2 still shows it.
func (d *Driver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	n, err := d.describeInstance(ctx, "GetNode", id)
	if err != nil {
		return nil, err
	}
	if n.State == types.NodeStateTerminated {
		return nil, notFoundTerminated("GetNode", n)
	}
	return n, nil
}

// describeInstance returns the instance id as EC2 shows it, terminated or
// not, riding out eventual consistency for a new id.
func (d *Driver) describeInstance(ctx context.Context, op, id string) (*compute.Node, error) {
	if id == "" {
		return nil, compute.Errorf(provider, op, id, compute.ErrInvalidArgument, "an instance id is required")
	}
	var out *ec2.DescribeInstancesOutput
	err := d.consistent(ctx, id, func() (err error) {
		out, err = d.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
		return err
	})
	if err != nil {
		return nil, wrap(op, id, err)
	}
	for _, r := range out.Reservations {
		for _, in := range r.Instances {
			if aws.ToString(in.InstanceId) == id {
				return toNode(in), nil
			}
		}
	}
	return nil, compute.Errorf(provider, op, id, compute.ErrNotFound, "EC2 has no instance %s", id)
}

// getNodesChunk is how many ids one GetNodes request filters on.
const getNodesChunk = 200

// GetNodes implements compute.NodeGetter: DescribeInstances with an
// instance-id filter (unknown ids are left out rather than failing the
// call, as InstanceIds would), 200 ids a request. Terminated instances are
// left out.
func (d *Driver) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	nodes := []*compute.Node{}
	for chunk := range slices.Chunk(ids, getNodesChunk) {
		p := ec2.NewDescribeInstancesPaginator(d.client, &ec2.DescribeInstancesInput{
			Filters: []ec2types.Filter{filter("instance-id", chunk...)}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, wrap("GetNodes", "", err)
			}
			for _, r := range page.Reservations {
				for _, in := range r.Instances {
					if n := toNode(in); n.State != types.NodeStateTerminated {
						nodes = append(nodes, n)
					}
				}
			}
		}
	}
	return nodes, nil
}
