package ec2_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// TestCreateNetworksAndGroups: Networks[0] is the subnet; security group
// names are sent as names without a subnet and resolved to ids in the
// subnet's VPC with one.
func TestCreateNetworksAndGroups(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	ctx := t.Context()
	subnets, err := d.Client().DescribeSubnets(ctx, &awsec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("availability-zone"), Values: []string{simZone}}}})
	require.NoError(t, err)
	require.NotEmpty(t, subnets.Subnets)
	subnet := aws.ToString(subnets.Subnets[0].SubnetId)
	groups, err := d.Client().DescribeSecurityGroups(ctx, &awsec2.DescribeSecurityGroupsInput{GroupNames: []string{"default"}})
	require.NoError(t, err)
	defaultID := aws.ToString(groups.SecurityGroups[0].GroupId)

	req := request("named-group")
	req.SecurityGroups = []string{"default"}
	n, err := d.CreateNode(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, []string{defaultID}, n.Extra["security_group_ids"])

	req = request("in-subnet")
	req.Networks = []string{subnet}
	req.SecurityGroups = []string{"default"}
	n, err = d.CreateNode(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, subnet, n.Extra["subnet_id"])
	assert.Equal(t, []string{defaultID}, n.Extra["security_group_ids"])

	req.SecurityGroups = []string{"no-such-group"}
	_, err = d.CreateNode(ctx, req)
	require.ErrorIs(t, err, compute.ErrNotFound)
}

// TestAttachVolumeChoosesDevice: "" picks /dev/sdf, then /dev/sdg.
func TestAttachVolumeChoosesDevice(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	ctx := t.Context()
	n, err := d.CreateNode(ctx, request("vols"))
	require.NoError(t, err)
	_, err = compute.WaitForState(ctx, d, n.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)
	var devices []string
	for _, name := range []string{"a", "b"} {
		v, err := d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: name, Size: 1, Location: &compute.Location{ID: simZone}})
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			got, err := d.ListVolumes(ctx)
			require.NoError(t, err)
			for _, g := range got {
				if g.ID == v.ID {
					return g.State == types.VolumeStateAvailable
				}
			}
			return false
		}, 10*time.Second, 5*time.Millisecond)
		require.NoError(t, d.AttachVolume(ctx, v.ID, n.ID, ""))
		got, err := d.ListVolumes(ctx)
		require.NoError(t, err)
		for _, g := range got {
			if g.ID == v.ID {
				assert.Equal(t, n.ID, g.NodeID)
				devices = append(devices, g.Extra["device"].(string))
			}
		}
	}
	assert.Equal(t, []string{"/dev/sdf", "/dev/sdg"}, devices)
}
