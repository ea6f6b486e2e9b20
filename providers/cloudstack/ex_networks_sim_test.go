package cloudstack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// The tests of this file run the network, VPC, ACL, router, NIC and VPN Ex
// methods end to end against the simulator: create, list and delete round
// trips with state, and the server's refusals as typed errors.

// vpcCatalogue returns the ids of zone 2, the default VPC offering and the
// tier offerings (with and without load balancing).
func vpcCatalogue(t *testing.T, d *cloudstack.Driver) (zone2, vpcOffering, tierLB, tierNoLB string) {
	t.Helper()
	ctx := t.Context()
	zone2 = lookupSimIDs(t, d).zone2
	offs, err := d.ExListVPCOfferings(ctx, &cloudstack.ListVPCOfferingsOptions{Name: "Default VPC offering"})
	require.NoError(t, err)
	require.Len(t, offs, 1)
	assert.True(t, offs[0].IsDefault)
	tiers, err := d.ExListNetworkOfferings(ctx, &cloudstack.ListNetworkOfferingsOptions{ForVPC: new(true)})
	require.NoError(t, err)
	require.Len(t, tiers, 2)
	for _, o := range tiers {
		assert.True(t, o.ForVPC)
		if o.Name == "DefaultIsolatedNetworkOfferingForVpcNetworks" {
			tierLB = o.ID
		} else {
			tierNoLB = o.ID
		}
	}
	return zone2, offs[0].ID, tierLB, tierNoLB
}

func TestSim_ExVPCNetworksACLsVPN(t *testing.T) {
	sim, srv := newSim(t, 0)
	user := simDriver(t, srv, sim.UserCredentials())
	admin := simDriver(t, srv, sim.AdminCredentials())
	ctx := t.Context()
	zone2, vpcOffering, tierLB, tierNoLB := vpcCatalogue(t, user)

	// VPC.
	vpc, err := user.ExCreateVPC(ctx, &cloudstack.CreateVPCRequest{Name: "shop", CIDR: "10.30.0.0/16",
		VPCOfferingID: vpcOffering, ZoneID: zone2, NetworkDomain: "shop.internal"})
	require.NoError(t, err)
	assert.Equal(t, "Enabled", vpc.State)
	assert.Equal(t, "10.30.0.0/16", vpc.CIDR)
	assert.Equal(t, "shop", vpc.DisplayText, "display text defaults to the name")
	assert.Equal(t, "user", vpc.Account)
	assert.NotEmpty(t, vpc.Services)
	_, err = user.ExCreateVPC(ctx, &cloudstack.CreateVPCRequest{Name: "bad", CIDR: "8.8.0.0/16", VPCOfferingID: vpcOffering, ZoneID: zone2})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "not RFC 1918")
	vpcs, err := user.ExListVPCs(ctx, &cloudstack.ListVPCsOptions{Name: "sho"})
	require.NoError(t, err)
	assert.NotNil(t, vpcs)
	assert.Empty(t, vpcs, "names match exactly")
	vpcs, err = user.ExListVPCs(ctx, &cloudstack.ListVPCsOptions{Name: "shop", ZoneID: zone2})
	require.NoError(t, err)
	require.Len(t, vpcs, 1)
	assert.Equal(t, vpc.ID, vpcs[0].ID)

	// Router: admins only, with the VPC's source NAT address.
	_, err = user.ExListRouters(ctx, nil)
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	routers, err := admin.ExListRouters(ctx, &cloudstack.ListRoutersOptions{ListScope: cloudstack.ListScope{ListAll: true}, VPCID: vpc.ID})
	require.NoError(t, err)
	require.Len(t, routers, 1)
	router := routers[0]
	assert.Equal(t, vpc.ID, router.VPCID)
	assert.Equal(t, "Running", router.State)
	assert.NotEmpty(t, router.PublicIP)
	assert.NotEmpty(t, router.NICs)
	byName, err := admin.ExListRouters(ctx, &cloudstack.ListRoutersOptions{ListScope: cloudstack.ListScope{ListAll: true}, Name: router.Name})
	require.NoError(t, err)
	require.Len(t, byName, 1)

	// Tiers.
	web, err := user.ExCreateNetwork(ctx, &cloudstack.CreateNetworkRequest{Name: "web", NetworkOfferingID: tierLB, ZoneID: zone2,
		VPCID: vpc.ID, Gateway: "10.30.1.1", Netmask: "255.255.255.0"})
	require.NoError(t, err)
	assert.Equal(t, vpc.ID, web.VPCID)
	assert.Equal(t, "10.30.1.0/24", web.CIDR)
	assert.Equal(t, "default_deny", web.ACLName)
	assert.Equal(t, "shop.internal", web.NetworkDomain)
	_, err = user.ExCreateNetwork(ctx, &cloudstack.CreateNetworkRequest{Name: "out", NetworkOfferingID: tierNoLB, ZoneID: zone2,
		VPCID: vpc.ID, Gateway: "10.31.1.1", Netmask: "255.255.255.0"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "outside the VPC CIDR")
	_, err = user.ExCreateNetwork(ctx, &cloudstack.CreateNetworkRequest{Name: "lb2", NetworkOfferingID: tierLB, ZoneID: zone2,
		VPCID: vpc.ID, Gateway: "10.30.2.1", Netmask: "255.255.255.0"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "a second tier with public load balancing")
	app, err := user.ExCreateNetwork(ctx, &cloudstack.CreateNetworkRequest{Name: "app", NetworkOfferingID: tierNoLB, ZoneID: zone2,
		VPCID: vpc.ID, Gateway: "10.30.2.1", Netmask: "255.255.255.0"})
	require.NoError(t, err)
	tiers, err := user.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{VPCID: vpc.ID})
	require.NoError(t, err)
	assert.Len(t, tiers, 2)
	named, err := user.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{Name: "app"})
	require.NoError(t, err)
	require.Len(t, named, 1)
	assert.Equal(t, app.ID, named[0].ID)
	vpcs, err = user.ExListVPCs(ctx, &cloudstack.ListVPCsOptions{ID: vpc.ID})
	require.NoError(t, err)
	assert.Len(t, vpcs[0].Networks, 2, "a VPC lists its tiers")

	// ACL lists and rules.
	all, err := user.ExListNetworkACLLists(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all, 2, "the built-in lists")
	acl, err := user.ExCreateNetworkACLList(ctx, "web-acl", vpc.ID, &cloudstack.CreateNetworkACLListOptions{Description: "web tier"})
	require.NoError(t, err)
	assert.Equal(t, vpc.ID, acl.VPCID)
	assert.Equal(t, "web tier", acl.Description)
	for _, port := range []int{80, 443} {
		r, err := user.ExCreateNetworkACL(ctx, &cloudstack.CreateNetworkACLRequest{ACLID: acl.ID, Protocol: "tcp",
			StartPort: new(port), CIDRList: []string{"0.0.0.0/0"}})
		require.NoError(t, err)
		assert.Equal(t, "Active", r.State)
		assert.Equal(t, "Allow", r.Action)
		assert.Equal(t, "Ingress", r.TrafficType)
	}
	_, err = user.ExCreateNetworkACL(ctx, &cloudstack.CreateNetworkACLRequest{ACLID: acl.ID, Protocol: "tcp", Number: new(1)})
	require.ErrorIs(t, err, compute.ErrAlreadyExists, "rule number 1 exists")
	_, err = user.ExCreateNetworkACL(ctx, &cloudstack.CreateNetworkACLRequest{ACLID: all[0].ID, Protocol: "tcp"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "built-in lists cannot be modified")
	rules, err := user.ExListNetworkACLs(ctx, &cloudstack.ListNetworkACLsOptions{ACLID: acl.ID})
	require.NoError(t, err)
	require.Len(t, rules, 2)
	assert.Equal(t, []string{"80", "443"}, []string{rules[0].StartPort, rules[1].StartPort})
	assert.Equal(t, []int{1, 2}, []int{rules[0].Number, rules[1].Number})
	require.NoError(t, user.ExReplaceNetworkACLList(ctx, acl.ID, web.ID))
	lists, err := user.ExListNetworkACLLists(ctx, &cloudstack.ListNetworkACLListsOptions{NetworkID: web.ID})
	require.NoError(t, err)
	require.Len(t, lists, 1)
	assert.Equal(t, acl.ID, lists[0].ID)
	nets, err := user.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{ID: web.ID})
	require.NoError(t, err)
	assert.Equal(t, "web-acl", nets[0].ACLName)
	plain, err := user.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{ZoneID: zone2, ForVPC: new(false)})
	require.NoError(t, err)
	require.NotEmpty(t, plain)
	err = user.ExReplaceNetworkACLList(ctx, acl.ID, plain[0].ID)
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "not a VPC tier")

	// Site-to-site VPN.
	gw, err := user.ExCreateVPNGateway(ctx, vpc.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, router.PublicIP, gw.PublicIP, "the gateway is on the VPC's source NAT address")
	_, err = user.ExCreateVPNGateway(ctx, vpc.ID, nil)
	require.ErrorIs(t, err, compute.ErrAlreadyExists)
	cgw, err := user.ExCreateVPNCustomerGateway(ctx, &cloudstack.CreateVPNCustomerGatewayRequest{Name: "hq", Gateway: "198.51.100.1",
		CIDRList: []string{"192.168.0.0/24"}, IKEPolicy: "aes256-sha256;modp2048", ESPPolicy: "aes256-sha256", IPsecPSK: "hq-psk",
		IKELifetime: 8 * time.Hour, DPD: new(true)})
	require.NoError(t, err)
	assert.Equal(t, int64(28800), cgw.IKELifetime)
	assert.Equal(t, int64(3600), cgw.ESPLifetime)
	assert.True(t, cgw.DPD)
	_, err = user.ExCreateVPNCustomerGateway(ctx, &cloudstack.CreateVPNCustomerGatewayRequest{Name: "bad", Gateway: "198.51.100.2",
		CIDRList: []string{"192.168.1.0/24"}, IKEPolicy: "des-md5", ESPPolicy: "aes256-sha256", IPsecPSK: "bad-psk"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "an IKE policy the server does not know")
	assert.NotContains(t, err.Error(), "bad-psk")
	conn, err := user.ExCreateVPNConnection(ctx, cgw.ID, gw.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, "Connected", conn.State)
	assert.Equal(t, gw.ID, conn.VPNGatewayID)
	assert.Equal(t, "192.168.0.0/24", conn.CIDRList)
	conns, err := user.ExListVPNConnections(ctx, &cloudstack.ListVPNGatewaysOptions{VPCID: vpc.ID})
	require.NoError(t, err)
	require.Len(t, conns, 1)
	gws, err := user.ExListVPNGateways(ctx, &cloudstack.ListVPNGatewaysOptions{VPCID: vpc.ID})
	require.NoError(t, err)
	require.Len(t, gws, 1)
	cgws, err := user.ExListVPNCustomerGateways(ctx, nil)
	require.NoError(t, err)
	require.Len(t, cgws, 1)
	assert.Equal(t, "hq-psk", cgws[0].IPsecPSK)

	// Deletes in the wrong order are refused; in the right order they work.
	require.ErrorIs(t, user.ExDeleteVPNGateway(ctx, gw.ID), compute.ErrInvalidArgument)
	require.ErrorIs(t, user.ExDeleteVPNCustomerGateway(ctx, cgw.ID), compute.ErrInvalidArgument)
	require.ErrorIs(t, user.ExDeleteVPC(ctx, vpc.ID), compute.ErrInvalidArgument, "the VPC has tiers")
	require.NoError(t, user.ExDeleteVPNConnection(ctx, conn.ID))
	require.NoError(t, user.ExDeleteVPNCustomerGateway(ctx, cgw.ID))
	require.NoError(t, user.ExDeleteVPNGateway(ctx, gw.ID))
	require.NoError(t, user.ExDeleteNetwork(ctx, web.ID, nil))
	require.NoError(t, user.ExDeleteNetwork(ctx, app.ID, nil))
	require.NoError(t, user.ExDeleteVPC(ctx, vpc.ID))
	err = user.ExDeleteVPC(ctx, vpc.ID)
	require.ErrorIs(t, err, compute.ErrNotFound)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, vpc.ID, ce.ID)
	assert.Equal(t, "ExDeleteVPC", ce.Op)
	vpcs, err = user.ExListVPCs(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, vpcs)
	assert.Empty(t, vpcs)
	acls, err := user.ExListNetworkACLLists(ctx, &cloudstack.ListNetworkACLListsOptions{ListScope: cloudstack.ListScope{ListAll: true}})
	require.NoError(t, err)
	assert.Len(t, acls, 2, "the VPC's list went with it")
	_, err = user.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{ID: web.ID})
	require.ErrorIs(t, err, compute.ErrNotFound)
}

func TestSim_ExNICsAndAffinity(t *testing.T) {
	sim, srv := newSim(t, 2*time.Millisecond)
	d := simDriver(t, srv, sim.AdminCredentials())
	ctx := t.Context()
	image, size, _ := catalogue(t, d)
	zone2, _, _, _ := vpcCatalogue(t, d)
	node, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "nics", Image: &compute.Image{ID: image},
		Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone2}})
	require.NoError(t, err)
	iso, err := d.ExListNetworkOfferings(ctx, &cloudstack.ListNetworkOfferingsOptions{Name: "DefaultIsolatedNetworkOfferingWithSourceNatService"})
	require.NoError(t, err)
	require.Len(t, iso, 1)
	backend, err := d.ExCreateNetwork(ctx, &cloudstack.CreateNetworkRequest{Name: "backend", NetworkOfferingID: iso[0].ID,
		ZoneID: zone2, Gateway: "192.168.50.1", Netmask: "255.255.255.0"})
	require.NoError(t, err)

	nics, err := d.ExListNics(ctx, node.ID, nil)
	require.NoError(t, err)
	require.Len(t, nics, 1)
	first := nics[0]
	assert.True(t, first.IsDefault)
	nic, err := d.ExAttachNicToNode(ctx, node.ID, backend.ID, &cloudstack.AttachNicOptions{IPAddress: "192.168.50.20"})
	require.NoError(t, err)
	assert.Equal(t, "192.168.50.20", nic.IPAddress)
	assert.Equal(t, backend.ID, nic.NetworkID)
	assert.False(t, nic.IsDefault)
	assert.Equal(t, "1", nic.DeviceID)
	_, err = d.ExAttachNicToNode(ctx, node.ID, backend.ID, nil)
	require.ErrorIs(t, err, compute.ErrInternal, "one NIC per network (a 530 from the job)")
	_, err = d.ExAttachNicToNode(ctx, node.ID, "5fa1c0de-0000-4000-8000-00000000c0de", nil)
	require.ErrorIs(t, err, compute.ErrNotFound)
	nics, err = d.ExListNics(ctx, node.ID, nil)
	require.NoError(t, err)
	assert.Len(t, nics, 2)
	only, err := d.ExListNics(ctx, node.ID, &cloudstack.ListNicsOptions{NetworkID: backend.ID})
	require.NoError(t, err)
	require.Len(t, only, 1)
	assert.Equal(t, nic.ID, only[0].ID)
	got, err := d.GetNode(ctx, node.ID)
	require.NoError(t, err)
	assert.Contains(t, got.PrivateIPs, "192.168.50.20", "the node's addresses include the new NIC's")

	require.ErrorIs(t, d.ExDeleteNetwork(ctx, backend.ID, nil), compute.ErrInternal, "a network in use")
	err = d.ExDetachNicFromNode(ctx, first.ID, node.ID)
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "the default NIC stays")
	assert.Contains(t, err.Error(), "nic is default")
	require.NoError(t, d.ExDetachNicFromNode(ctx, nic.ID, node.ID))
	nics, err = d.ExListNics(ctx, node.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{first.ID}, []string{nics[0].ID})
	require.NoError(t, d.ExDeleteNetwork(ctx, backend.ID, nil))
	_, err = d.ExListNics(ctx, "5fa1c0de-0000-4000-8000-00000000c0de", nil)
	require.ErrorIs(t, err, compute.ErrNotFound)

	// Affinity groups change on stopped VMs only.
	group, err := d.ExCreateAffinityGroup(ctx, "spread", "host anti-affinity", nil)
	require.NoError(t, err)
	_, err = d.ExUpdateNodeAffinityGroup(ctx, node.ID, []string{group.ID})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "the VM is running")
	require.NoError(t, d.StopNode(ctx, node.ID))
	updated, err := d.ExUpdateNodeAffinityGroup(ctx, node.ID, []string{group.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{group.ID}, updated.Extra["affinity_group"])
	cleared, err := d.ExUpdateNodeAffinityGroup(ctx, node.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{}, cleared.Extra["affinity_group"])
	require.NoError(t, d.DestroyNode(ctx, node.ID))
}

func TestSim_ExNetworksUserScope(t *testing.T) {
	sim, srv := newSim(t, 0)
	user := simDriver(t, srv, sim.UserCredentials())
	admin := simDriver(t, srv, sim.AdminCredentials())
	ctx := context.Background()
	zone2, vpcOffering, _, _ := vpcCatalogue(t, user)
	mine, err := admin.ExCreateVPC(ctx, &cloudstack.CreateVPCRequest{Name: "admins", CIDR: "10.40.0.0/16", VPCOfferingID: vpcOffering, ZoneID: zone2})
	require.NoError(t, err)
	err = user.ExDeleteVPC(ctx, mine.ID)
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	theirs, err := user.ExListVPCs(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, theirs)
	everyone, err := admin.ExListVPCs(ctx, &cloudstack.ListVPCsOptions{ListScope: cloudstack.ListScope{ListAll: true}})
	require.NoError(t, err)
	assert.Len(t, everyone, 1)
	_, err = user.ExCreateNetworkACLList(ctx, "x", mine.ID, nil)
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	assert.True(t, strings.Contains(err.Error(), "permission"), err.Error())
}
