package ec2_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/types"
)

func TestExVPCsSubnetsTags(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	ctx := t.Context()

	before, err := d.ExListVPCs(ctx)
	require.NoError(t, err)
	vpc, err := d.ExCreateVPC(ctx, "10.20.0.0/16")
	require.NoError(t, err)
	assert.Equal(t, "10.20.0.0/16", vpc.CIDR)
	assert.False(t, vpc.IsDefault)
	_, err = d.ExCreateVPC(ctx, "not-a-cidr")
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	vpcs, err := d.ExListVPCs(ctx)
	require.NoError(t, err)
	require.Len(t, vpcs, len(before)+1)
	assert.Contains(t, vpcIDs(vpcs), vpc.ID)

	sn, err := d.ExCreateSubnet(ctx, vpc.ID, "10.20.1.0/24", simZone)
	require.NoError(t, err)
	assert.Equal(t, vpc.ID, sn.VPCID)
	assert.Equal(t, simZone, sn.Zone)
	assert.Equal(t, 251, sn.AvailableIPs, "a /24 less EC2's 5 reserved addresses")
	_, err = d.ExCreateSubnet(ctx, vpc.ID, "10.20.1.128/25", simZone)
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "overlapping subnet")
	_, err = d.ExCreateSubnet(ctx, "vpc-0000000000000000f", "10.20.2.0/24", "")
	require.ErrorIs(t, err, compute.ErrNotFound)
	subnets, err := d.ExListSubnets(ctx)
	require.NoError(t, err)
	found := false
	for _, s := range subnets {
		if s.ID == sn.ID {
			found = true
			assert.Equal(t, "10.20.1.0/24", s.CIDR)
		}
	}
	assert.True(t, found, "ExListSubnets lists the new subnet")

	require.NoError(t, d.ExCreateTags(ctx, []string{vpc.ID, sn.ID}, map[string]string{"env": "test", "team": "a"}))
	tags, err := d.ExListTags(ctx, sn.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"env": "test", "team": "a"}, tags)
	require.NoError(t, d.ExDeleteTags(ctx, []string{sn.ID}, []string{"team"}))
	tags, err = d.ExListTags(ctx, sn.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"env": "test"}, tags)
	tags, err = d.ExListTags(ctx, vpc.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"env": "test", "team": "a"}, tags, "only the named resource loses the tag")
	vpcs, err = d.ExListVPCs(ctx)
	require.NoError(t, err)
	for _, v := range vpcs {
		if v.ID == vpc.ID {
			assert.Equal(t, "test", v.Tags["env"])
		}
	}
	require.ErrorIs(t, d.ExCreateTags(ctx, []string{"subnet-0000000000000000f"}, map[string]string{"k": "v"}), compute.ErrNotFound)
	require.ErrorIs(t, d.ExCreateTags(ctx, []string{sn.ID}, map[string]string{"aws:x": "v"}), compute.ErrInvalidArgument)
	require.ErrorIs(t, d.ExCreateTags(ctx, nil, map[string]string{"k": "v"}), compute.ErrInvalidArgument)
	require.ErrorIs(t, d.ExDeleteTags(ctx, []string{sn.ID}, nil), compute.ErrInvalidArgument, "no keys would delete every tag")

	require.ErrorIs(t, d.ExDeleteVPC(ctx, vpc.ID), compute.ErrConflict, "a VPC with a subnet")
	require.NoError(t, d.ExDeleteSubnet(ctx, sn.ID))
	require.ErrorIs(t, d.ExDeleteSubnet(ctx, sn.ID), compute.ErrNotFound)
	require.NoError(t, d.ExDeleteVPC(ctx, vpc.ID))
	require.ErrorIs(t, d.ExDeleteVPC(ctx, vpc.ID), compute.ErrNotFound)
	vpcs, err = d.ExListVPCs(ctx)
	require.NoError(t, err)
	assert.NotContains(t, vpcIDs(vpcs), vpc.ID)
}

func TestExNetworkInterfacesAndInstanceAttributes(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	ctx := t.Context()

	n, err := d.CreateNode(ctx, request("attrs"))
	require.NoError(t, err)
	_, err = compute.WaitForState(ctx, d, n.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)

	nis, err := d.ExListNetworkInterfaces(ctx)
	require.NoError(t, err)
	var mine []string
	for _, ni := range nis {
		if ni.InstanceID == n.ID {
			mine = append(mine, ni.ID)
			assert.Equal(t, "in-use", ni.Status)
			assert.NotEmpty(t, ni.PrivateIP)
			assert.NotEmpty(t, ni.SubnetID)
			assert.NotEmpty(t, ni.SecurityGroupIDs)
			got, err := d.GetNode(ctx, n.ID)
			require.NoError(t, err)
			assert.Contains(t, got.PrivateIPs, ni.PrivateIP)
		}
	}
	assert.Len(t, mine, 1, "the instance's primary interface")

	typ, err := d.ExDescribeInstanceAttribute(ctx, n.ID, "instanceType")
	require.NoError(t, err)
	assert.Equal(t, simSize, typ)
	_, err = d.ExDescribeInstanceAttribute(ctx, n.ID, "bogus")
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExDescribeInstanceAttribute(ctx, "i-0000000000000000f", "instanceType")
	require.ErrorIs(t, err, compute.ErrNotFound)

	require.NoError(t, d.ExModifyInstanceAttribute(ctx, n.ID, "disableApiTermination", "true"))
	v, err := d.ExDescribeInstanceAttribute(ctx, n.ID, "disableApiTermination")
	require.NoError(t, err)
	assert.Equal(t, "true", v)
	require.NoError(t, d.ExModifyInstanceAttribute(ctx, n.ID, "disableApiTermination", "false"))
	require.NoError(t, d.ExModifyInstanceAttribute(ctx, n.ID, "instanceInitiatedShutdownBehavior", "terminate"))
	v, err = d.ExDescribeInstanceAttribute(ctx, n.ID, "instanceInitiatedShutdownBehavior")
	require.NoError(t, err)
	assert.Equal(t, "terminate", v)
	require.NoError(t, d.ExModifyInstanceAttribute(ctx, n.ID, "sourceDestCheck", "false"))
	require.ErrorIs(t, d.ExModifyInstanceAttribute(ctx, n.ID, "sourceDestCheck", "maybe"), compute.ErrInvalidArgument)
	require.ErrorIs(t, d.ExModifyInstanceAttribute(ctx, n.ID, "kernel", "aki-1"), compute.ErrInvalidArgument)

	require.ErrorIs(t, d.ExModifyInstanceAttribute(ctx, n.ID, "instanceType", "t3.small"), compute.ErrConflict,
		"a running instance keeps its type")
	require.NoError(t, d.StopNode(ctx, n.ID))
	_, err = compute.WaitForState(ctx, d, n.ID, types.NodeStateStopped, &compute.WaitOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, d.ExModifyInstanceAttribute(ctx, n.ID, "instanceType", "t3.small"))
	typ, err = d.ExDescribeInstanceAttribute(ctx, n.ID, "instanceType")
	require.NoError(t, err)
	assert.Equal(t, "t3.small", typ)
}

// vpcIDs returns the ids of the VPCs.
func vpcIDs(vpcs []*ec2.VPC) []string {
	ids := make([]string, 0, len(vpcs))
	for _, v := range vpcs {
		ids = append(ids, v.ID)
	}
	return ids
}
