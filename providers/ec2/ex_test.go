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

func TestExSecurityGroupsAddressesConsole(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	ctx := t.Context()

	sg, err := d.ExCreateSecurityGroup(ctx, "web", "web servers", "")
	require.NoError(t, err)
	_, err = d.ExCreateSecurityGroup(ctx, "web", "again", "")
	require.ErrorIs(t, err, compute.ErrAlreadyExists)
	ssh := ec2.SecurityGroupRule{Protocol: "tcp", FromPort: 22, ToPort: 22, CIDRs: []string{"0.0.0.0/0"}}
	require.NoError(t, d.ExAuthorizeSecurityGroupIngress(ctx, sg, ssh))
	require.ErrorIs(t, d.ExAuthorizeSecurityGroupIngress(ctx, sg, ssh), compute.ErrAlreadyExists)
	require.NoError(t, d.ExRevokeSecurityGroupIngress(ctx, sg, ssh))
	require.NoError(t, d.ExAuthorizeSecurityGroupEgress(ctx, sg, ssh))
	require.NoError(t, d.ExRevokeSecurityGroupEgress(ctx, sg, ssh))

	req := request("ex")
	req.SecurityGroups = []string{sg}
	n, err := d.CreateNode(ctx, req)
	require.NoError(t, err)
	_, err = compute.WaitForState(ctx, d, n.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond})
	require.NoError(t, err)
	require.ErrorIs(t, d.ExDeleteSecurityGroup(ctx, sg), compute.ErrConflict, "a group in use")

	ip, err := d.ExAllocateAddress(ctx)
	require.NoError(t, err)
	assoc, err := d.ExAssociateAddress(ctx, ip.AllocationID, n.ID)
	require.NoError(t, err)
	got, err := d.GetNode(ctx, n.ID)
	require.NoError(t, err)
	assert.Contains(t, got.PublicIPs, ip.PublicIP)
	ips, err := d.ExListAddresses(ctx)
	require.NoError(t, err)
	require.Len(t, ips, 1)
	assert.Equal(t, n.ID, ips[0].InstanceID)
	require.NoError(t, d.ExDisassociateAddress(ctx, assoc))
	require.NoError(t, d.ExReleaseAddress(ctx, ip.AllocationID))

	out, err := d.ExGetConsoleOutput(ctx, n.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, out)
}
