package openstack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
	"github.com/goclouds/goclouds/types"
)

// exSim returns a driver on a fresh simulator with one running server.
func exSim(t *testing.T) (*openstack.Driver, *compute.Node) {
	t.Helper()
	sim, u := startSim(t, &openstacksim.Options{Servers: 1})
	d := simDriver(t, sim, u)
	nodes, err := d.ListNodes(context.Background())
	require.NoError(t, err)
	require.Len(t, nodes, 1)
	return d, nodes[0]
}

func TestExFloatingIPs(t *testing.T) {
	ctx := context.Background()
	d, node := exSim(t)

	pools, err := d.ExListFloatingIPPools(ctx)
	require.NoError(t, err)
	require.Equal(t, []*openstack.FloatingIPPool{{ID: openstacksim.PublicNetworkID, Name: "public"}}, pools)

	f, err := d.ExCreateFloatingIP(ctx, pools[0].ID)
	require.NoError(t, err)
	assert.Equal(t, openstacksim.PublicNetworkID, f.PoolID)
	assert.Empty(t, f.PortID)
	require.NotEmpty(t, f.Address)

	// Attach by address: the server's port on "private" gets it.
	got, err := d.ExAttachFloatingIP(ctx, node.ID, f.Address)
	require.NoError(t, err)
	assert.Equal(t, f.ID, got.ID)
	assert.Equal(t, node.ID, got.NodeID)
	assert.Equal(t, node.PrivateIPs[0], got.FixedIP)
	n, err := d.GetNode(ctx, node.ID)
	require.NoError(t, err)
	assert.Contains(t, n.PublicIPs, f.Address)

	list, err := d.ExListFloatingIPs(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, node.ID, list[0].NodeID)
	assert.Equal(t, got.PortID, list[0].PortID)

	// Detach by id: allocated still, no longer the node's.
	got, err = d.ExDetachFloatingIP(ctx, f.ID)
	require.NoError(t, err)
	assert.Empty(t, got.PortID)
	assert.Empty(t, got.NodeID)
	n, err = d.GetNode(ctx, node.ID)
	require.NoError(t, err)
	assert.NotContains(t, n.PublicIPs, f.Address)

	require.NoError(t, d.ExDeleteFloatingIP(ctx, f.Address))
	list, err = d.ExListFloatingIPs(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)

	for name, err := range map[string]error{
		"delete again":         d.ExDeleteFloatingIP(ctx, f.ID),
		"delete unknown addr":  d.ExDeleteFloatingIP(ctx, "203.0.113.9"),
		"attach unknown node":  second(d.ExAttachFloatingIP(ctx, "no-such-server", must(t, d, pools[0].ID).ID)),
		"detach unknown":       second(d.ExDetachFloatingIP(ctx, "no-such-ip")),
		"attach empty node id": second(d.ExAttachFloatingIP(ctx, "", f.ID)),
	} {
		assert.ErrorIs(t, err, compute.ErrNotFound, name)
	}
	_, err = d.ExCreateFloatingIP(ctx, openstacksim.PrivateNetworkID)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "a pool that is not external")
	_, err = d.ExCreateFloatingIP(ctx, "")
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

// must allocates a floating IP from pool.
func must(t *testing.T, d *openstack.Driver, pool string) *openstack.FloatingIP {
	t.Helper()
	f, err := d.ExCreateFloatingIP(context.Background(), pool)
	require.NoError(t, err)
	return f
}

// second returns the error of a two-result call.
func second[T any](_ T, err error) error { return err }

func TestExSecurityGroups(t *testing.T) {
	ctx := context.Background()
	d, _ := exSim(t)

	groups, err := d.ExListSecurityGroups(ctx)
	require.NoError(t, err)
	names := []string{}
	for _, g := range groups {
		names = append(names, g.Name)
	}
	assert.Contains(t, names, "default")

	g, err := d.ExCreateSecurityGroup(ctx, "web", "HTTP and SSH")
	require.NoError(t, err)
	assert.Equal(t, "HTTP and SSH", g.Description)
	assert.Len(t, g.Rules, 2, "Neutron's default egress rules")

	r, err := d.ExCreateSecurityGroupRule(ctx, openstack.SecurityGroupRule{
		GroupID: g.ID, Protocol: "TCP", PortMin: 22, PortMax: 22, RemoteIPPrefix: "0.0.0.0/0"})
	require.NoError(t, err)
	assert.Equal(t, openstack.SecurityGroupRule{ID: r.ID, GroupID: g.ID, Direction: "ingress", EtherType: "IPv4",
		Protocol: "tcp", PortMin: 22, PortMax: 22, RemoteIPPrefix: "0.0.0.0/0"}, *r)
	_, err = d.ExCreateSecurityGroupRule(ctx, openstack.SecurityGroupRule{
		GroupID: g.ID, Protocol: "tcp", PortMin: 22, PortMax: 22, RemoteIPPrefix: "0.0.0.0/0"})
	assert.ErrorIs(t, err, compute.ErrAlreadyExists)

	for name, rule := range map[string]openstack.SecurityGroupRule{
		"no group":     {Protocol: "tcp"},
		"direction":    {GroupID: g.ID, Direction: "inbound"},
		"ether type":   {GroupID: g.ID, EtherType: "IPv5"},
		"port range":   {GroupID: g.ID, Protocol: "tcp", PortMin: 80, PortMax: 22},
		"port too big": {GroupID: g.ID, Protocol: "tcp", PortMin: 1, PortMax: 70000},
		"two remotes":  {GroupID: g.ID, RemoteIPPrefix: "10.0.0.0/8", RemoteGroupID: g.ID},
	} {
		_, err := d.ExCreateSecurityGroupRule(ctx, rule)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument, name)
	}
	_, err = d.ExCreateSecurityGroupRule(ctx, openstack.SecurityGroupRule{GroupID: "no-such-group"})
	assert.ErrorIs(t, err, compute.ErrNotFound)

	groups, err = d.ExListSecurityGroups(ctx)
	require.NoError(t, err)
	var found *openstack.SecurityGroup
	for _, x := range groups {
		if x.ID == g.ID {
			found = x
		}
	}
	require.NotNil(t, found)
	assert.Len(t, found.Rules, 3)

	require.NoError(t, d.ExDeleteSecurityGroupRule(ctx, r.ID))
	assert.ErrorIs(t, d.ExDeleteSecurityGroupRule(ctx, r.ID), compute.ErrNotFound)
	require.NoError(t, d.ExDeleteSecurityGroup(ctx, g.ID))
	assert.ErrorIs(t, d.ExDeleteSecurityGroup(ctx, g.ID), compute.ErrNotFound)
	_, err = d.ExCreateSecurityGroup(ctx, "default", "")
	assert.ErrorIs(t, err, compute.ErrAlreadyExists)
	_, err = d.ExCreateSecurityGroup(ctx, "", "")
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestExNetworksAndSubnets(t *testing.T) {
	ctx := context.Background()
	d, _ := exSim(t)

	n, err := d.ExCreateNetwork(ctx, "backend")
	require.NoError(t, err)
	assert.False(t, n.External)
	s, err := d.ExCreateSubnet(ctx, openstack.CreateSubnetRequest{Name: "backend-v4", NetworkID: n.ID, CIDR: "10.9.8.0/24"})
	require.NoError(t, err)
	assert.Equal(t, openstack.Subnet{ID: s.ID, Name: "backend-v4", NetworkID: n.ID, CIDR: "10.9.8.0/24", IPVersion: 4,
		GatewayIP: "10.9.8.1", EnableDHCP: true, DNSNameservers: []string{}, ProjectID: n.ProjectID}, *s)

	nets, err := d.ExListNetworks(ctx)
	require.NoError(t, err)
	byID := map[string]*openstack.Network{}
	for _, x := range nets {
		byID[x.ID] = x
	}
	require.Contains(t, byID, n.ID)
	assert.Equal(t, []string{s.ID}, byID[n.ID].SubnetIDs)
	assert.True(t, byID[openstacksim.PublicNetworkID].External)
	subs, err := d.ExListSubnets(ctx)
	require.NoError(t, err)
	assert.Contains(t, subnetIDs(subs), s.ID)

	_, err = d.ExCreateSubnet(ctx, openstack.CreateSubnetRequest{NetworkID: n.ID, CIDR: "10.9.8/24"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExCreateSubnet(ctx, openstack.CreateSubnetRequest{CIDR: "10.9.7.0/24"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExCreateSubnet(ctx, openstack.CreateSubnetRequest{NetworkID: "no-such-net", CIDR: "10.9.7.0/24"})
	assert.ErrorIs(t, err, compute.ErrNotFound)

	// A server on the network keeps both from going.
	vm, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "on-backend", Image: &compute.Image{ID: openstacksim.CirrosImageID},
		Size: &compute.Size{ID: "1"}, Networks: []string{n.ID}})
	require.NoError(t, err)
	_, err = compute.WaitForState(ctx, d, vm.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond, Timeout: 20 * time.Second})
	require.NoError(t, err)
	assert.ErrorIs(t, d.ExDeleteSubnet(ctx, s.ID), compute.ErrConflict)
	assert.ErrorIs(t, d.ExDeleteNetwork(ctx, n.ID), compute.ErrConflict)
	require.NoError(t, d.DestroyNode(ctx, vm.ID))
	require.Eventually(t, func() bool { return d.ExDeleteSubnet(ctx, s.ID) == nil }, 20*time.Second, 10*time.Millisecond)
	assert.ErrorIs(t, d.ExDeleteSubnet(ctx, s.ID), compute.ErrNotFound)
	require.NoError(t, d.ExDeleteNetwork(ctx, n.ID))
	assert.ErrorIs(t, d.ExDeleteNetwork(ctx, n.ID), compute.ErrNotFound)
	subs, err = d.ExListSubnets(ctx)
	require.NoError(t, err)
	assert.NotContains(t, subnetIDs(subs), s.ID)
}

// subnetIDs returns the subnets' ids.
func subnetIDs(list []*openstack.Subnet) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func TestExMetadata(t *testing.T) {
	ctx := context.Background()
	d, node := exSim(t)

	md, err := d.ExSetMetadata(ctx, node.ID, map[string]string{"role": "db", "tier": "2"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "db", "tier": "2"}, md)
	md, err = d.ExSetMetadata(ctx, node.ID, map[string]string{"role": "web"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "web"}, md, "replaced, not merged")
	md, err = d.ExGetMetadata(ctx, node.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "web"}, md)
	n, err := d.GetNode(ctx, node.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "web"}, n.Tags)

	_, err = d.ExSetMetadata(ctx, node.ID, map[string]string{strings.Repeat("k", 256): "v"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	many := map[string]string{}
	for i := range 129 {
		many[strings.Repeat("x", i+1)] = "v"
	}
	_, err = d.ExSetMetadata(ctx, node.ID, many)
	assert.ErrorIs(t, err, compute.ErrQuotaExceeded)
	_, err = d.ExGetMetadata(ctx, "no-such-server")
	assert.ErrorIs(t, err, compute.ErrNotFound)
	_, err = d.ExSetMetadata(ctx, "no-such-server", nil)
	assert.ErrorIs(t, err, compute.ErrNotFound)
}

func TestExRebuildNode(t *testing.T) {
	ctx := context.Background()
	d, node := exSim(t)

	n, err := d.ExRebuildNode(ctx, node.ID, openstacksim.CirrosImageID, &openstack.RebuildOptions{Name: "rebuilt"})
	require.NoError(t, err)
	assert.Equal(t, node.ID, n.ID)
	assert.Equal(t, types.NodeStatePending, n.State)
	assert.NotEmpty(t, n.Extra["admin_pass"], "Nova generated a password")
	n, err = compute.WaitForState(ctx, d, node.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond, Timeout: 20 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, "rebuilt", n.Name)
	assert.Equal(t, node.PrivateIPs, n.PrivateIPs, "addresses kept")

	_, err = d.ExRebuildNode(ctx, node.ID, "no-such-image", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExRebuildNode(ctx, node.ID, "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExRebuildNode(ctx, "no-such-server", openstacksim.CirrosImageID, nil)
	assert.ErrorIs(t, err, compute.ErrNotFound)
}

func TestExGetConsoleURL(t *testing.T) {
	ctx := context.Background()
	sim, u := startSim(t, &openstacksim.Options{Servers: 1})
	d := simDriver(t, sim, u)
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	id := nodes[0].ID

	url, err := d.ExGetConsoleURL(ctx, id)
	require.NoError(t, err)
	assert.Contains(t, url, "vnc_auto.html?path=%3Ftoken%3D")
	_, err = d.ExGetConsoleURL(ctx, "no-such-server")
	assert.ErrorIs(t, err, compute.ErrNotFound)

	require.NoError(t, d.StopNode(ctx, id))
	_, err = compute.WaitForState(ctx, d, id, types.NodeStateStopped, &compute.WaitOptions{Interval: 5 * time.Millisecond, Timeout: 20 * time.Second})
	require.NoError(t, err)
	_, err = d.ExGetConsoleURL(ctx, id)
	assert.ErrorIs(t, err, compute.ErrConflict, "a stopped server has no console")

	o := simOptions(u, sim.AdminCredentials())
	o.ComputeMicroversion = "2.1"
	old, err := openstack.New(o)
	require.NoError(t, err)
	_, err = old.ExGetConsoleURL(ctx, id)
	assert.ErrorIs(t, err, compute.ErrNotSupported)
}
