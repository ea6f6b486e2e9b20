package cloudstack_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// The tests of this file run the address, rule, security group, affinity
// group, project, catalogue and tag Ex methods end to end against the
// simulator (spec_params_test.go checks the parameters they send).

// rulesSim is a simulator and what the tests need of its catalogue.
type rulesSim struct {
	sim   *cloudstacksim.Server
	url   string
	zone1 string // security groups, shared network
	zone2 string // isolated networks: NAT, firewall
	image string
	size  string
}

// newRulesSim starts a simulator and looks up its catalogue.
func newRulesSim(t *testing.T) *rulesSim {
	t.Helper()
	sim, srv := startSim(t, nil)
	r := &rulesSim{sim: sim, url: srv.URL + cloudstacksim.DefaultPath}
	ids := lookupSimIDs(t, r.driver(t, sim.AdminCredentials()))
	r.zone1, r.zone2, r.image, r.size = ids.zone1, ids.zone2, ids.image, ids.size
	return r
}

// driver returns a driver for the simulator with the given credentials.
func (r *rulesSim) driver(t *testing.T, cred cloudstacksim.Credentials) *cloudstack.Driver {
	t.Helper()
	d, err := cloudstack.New(&cloudstack.Options{URL: r.url, Key: cred.APIKey, Secret: cred.SecretKey,
		Settings: cloudstack.Settings{JobPollInterval: time.Millisecond, JobPollMaxInterval: 5 * time.Millisecond}})
	require.NoError(t, err)
	return d
}

// node creates a running VM in zone.
func (r *rulesSim) node(t *testing.T, d *cloudstack.Driver, name, zone string) *compute.Node {
	t.Helper()
	n, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: r.image},
		Size: &compute.Size{ID: r.size}, Location: &compute.Location{ID: zone}})
	require.NoError(t, err)
	return n
}

// unknownID is a well-formed id that names nothing.
const unknownID = "0b5f0a9e-3c1e-4d59-9d3c-1b2f3e4a5b6c"

func ipIDs(ips []cloudstack.PublicIP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.ID
	}
	return out
}

// ipfRuleIDs returns the ids of a node's Extra["ip_forwarding_rules"].
func ipfRuleIDs(n *compute.Node) []string {
	rules := n.Extra["ip_forwarding_rules"].([]cloudstack.IPForwardingRule)
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID
	}
	return out
}

// pfRuleIDs returns the ids of a node's Extra["port_forwarding_rules"].
func pfRuleIDs(n *compute.Node) []string {
	rules := n.Extra["port_forwarding_rules"].([]cloudstack.PortForwardingRule)
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID
	}
	return out
}

func TestSim_ExAddressesAndRules(t *testing.T) {
	r := newRulesSim(t)
	d := r.driver(t, r.sim.AdminCredentials())
	ctx := t.Context()
	vm1 := r.node(t, d, "nat-vm", r.zone2)
	vm2 := r.node(t, d, "pf-vm", r.zone2)

	ip1, err := d.ExAllocatePublicIP(ctx, &cloudstack.AllocatePublicIPOptions{ZoneID: r.zone2})
	require.NoError(t, err)
	assert.Equal(t, "Allocated", ip1.State)
	assert.Equal(t, r.zone2, ip1.ZoneID)
	assert.False(t, ip1.IsSourceNAT)
	require.NotEmpty(t, ip1.AssociatedNetworkID)
	ip2, err := d.ExAllocatePublicIP(ctx, &cloudstack.AllocatePublicIPOptions{NetworkID: ip1.AssociatedNetworkID})
	require.NoError(t, err)
	assert.Equal(t, ip1.AssociatedNetworkID, ip2.AssociatedNetworkID)

	ips, err := d.ExListPublicIPs(ctx, &cloudstack.ListPublicIPsOptions{ZoneID: r.zone2, IsSourceNAT: new(false)})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{ip1.ID, ip2.ID}, ipIDs(ips))
	ips, err = d.ExListPublicIPs(ctx, &cloudstack.ListPublicIPsOptions{ID: ip2.ID})
	require.NoError(t, err)
	require.Len(t, ips, 1)
	assert.Equal(t, ip2.IPAddress, ips[0].IPAddress)

	// Static NAT and IP forwarding on ip1 for vm1.
	_, err = d.ExCreateIPForwardingRule(ctx, ip1.ID, &cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(22)})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "IP forwarding needs static NAT")
	require.NoError(t, d.ExEnableStaticNAT(ctx, ip1.ID, vm1.ID, nil))
	ips, err = d.ExListPublicIPs(ctx, &cloudstack.ListPublicIPsOptions{IsStaticNAT: new(true)})
	require.NoError(t, err)
	require.Len(t, ips, 1)
	assert.Equal(t, vm1.ID, ips[0].VirtualMachineID)
	ipf, err := d.ExCreateIPForwardingRule(ctx, ip1.ID, &cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(22), EndPort: new(23)})
	require.NoError(t, err)
	assert.Equal(t, 22, ipf.StartPort)
	assert.Equal(t, 23, ipf.EndPort)
	assert.Equal(t, vm1.ID, ipf.VirtualMachineID)
	assert.Equal(t, ip1.IPAddress, ipf.IPAddress)
	ipfs, err := d.ExListIPForwardingRules(ctx, &cloudstack.ListIPForwardingRulesOptions{VirtualMachineID: vm1.ID})
	require.NoError(t, err)
	require.Len(t, ipfs, 1)
	assert.Equal(t, ipf.ID, ipfs[0].ID)
	_, err = d.ExCreateIPForwardingRule(ctx, ip1.ID, &cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(23), EndPort: new(30)})
	assert.ErrorIs(t, err, compute.ErrConflict, "overlapping static NAT ports")
	opened, err := d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip1.ID})
	require.NoError(t, err)
	require.Len(t, opened, 1, "openfirewall (default true) opened the ports")
	assert.Equal(t, 22, opened[0].StartPort)
	assert.Equal(t, 23, opened[0].EndPort)

	// Port forwarding on ip2 to vm2, with its firewall rule.
	pf, err := d.ExCreatePortForwardingRule(ctx, ip2.ID, vm2.ID, &cloudstack.PortForwardingRuleOptions{
		Protocol: "tcp", PublicPort: new(2222), PrivatePort: new(22), CIDRList: []string{"192.0.2.0/24"}})
	require.NoError(t, err)
	assert.Equal(t, "2222", pf.PublicPort)
	assert.Equal(t, "22", pf.PrivatePort)
	assert.Equal(t, vm2.ID, pf.VirtualMachineID)
	assert.Equal(t, "192.0.2.0/24", pf.CIDRList)
	pfs, err := d.ExListPortForwardingRules(ctx, &cloudstack.ListPortForwardingRulesOptions{VirtualMachineID: vm2.ID})
	require.NoError(t, err)
	require.Len(t, pfs, 1)
	assert.Equal(t, pf.ID, pfs[0].ID)
	pfs, err = d.ExListPortForwardingRules(ctx, &cloudstack.ListPortForwardingRulesOptions{VirtualMachineID: vm1.ID})
	require.NoError(t, err)
	assert.NotNil(t, pfs)
	assert.Empty(t, pfs)
	_, err = d.ExCreatePortForwardingRule(ctx, ip1.ID, vm1.ID, &cloudstack.PortForwardingRuleOptions{Protocol: "tcp", PublicPort: new(80), PrivatePort: new(80)})
	assert.ErrorIs(t, err, compute.ErrConflict, "no port forwarding on a static NAT address")

	// Each node has its own public address, not the other's (Libcloud's
	// ex_get_node gave a node every VM-bound address).
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	byID := map[string]*compute.Node{}
	for _, n := range nodes {
		byID[n.ID] = n
	}
	require.Contains(t, byID, vm1.ID)
	require.Contains(t, byID, vm2.ID)
	assert.Contains(t, byID[vm1.ID].PublicIPs, ip1.IPAddress)
	assert.NotContains(t, byID[vm1.ID].PublicIPs, ip2.IPAddress)
	assert.Contains(t, byID[vm2.ID].PublicIPs, ip2.IPAddress)
	assert.NotContains(t, byID[vm2.ID].PublicIPs, ip1.IPAddress)
	for id, want := range map[string]string{vm1.ID: ip1.IPAddress, vm2.ID: ip2.IPAddress} {
		n, err := d.GetNode(ctx, id)
		require.NoError(t, err)
		assert.Contains(t, n.PublicIPs, want)
		other := ip1.IPAddress
		if other == want {
			other = ip2.IPAddress
		}
		assert.NotContains(t, n.PublicIPs, other)
		byID[id] = n
	}
	// Extra has each node's own rules, as Libcloud's list_nodes and
	// ex_get_node attach them, from every listing.
	for vm, n := range byID {
		wantIPF, wantPF := []string{}, []string{}
		switch vm {
		case vm1.ID:
			wantIPF = []string{ipf.ID}
		case vm2.ID:
			wantPF = []string{pf.ID}
		}
		assert.Equal(t, wantIPF, ipfRuleIDs(n), "ip_forwarding_rules of %s", n.Name)
		assert.Equal(t, wantPF, pfRuleIDs(n), "port_forwarding_rules of %s", n.Name)
	}
	for n, err := range d.ExIterNodes(ctx, nil) {
		require.NoError(t, err)
		if n.ID == vm1.ID {
			assert.Equal(t, []string{ipf.ID}, ipfRuleIDs(n), "ExIterNodes")
		}
	}
	skipped, err := d.ExGetNode(ctx, vm1.ID, &cloudstack.ListNodesOptions{SkipAddresses: true})
	require.NoError(t, err)
	assert.Equal(t, []string{}, ipfRuleIDs(skipped), "SkipAddresses leaves the rules out")

	// Ingress firewall rules.
	fw, err := d.ExCreateFirewallRule(ctx, ip2.ID, &cloudstack.FirewallRuleOptions{Protocol: "tcp", StartPort: new(80), EndPort: new(81), CIDRList: []string{"0.0.0.0/0"}})
	require.NoError(t, err)
	assert.Equal(t, "tcp", fw.Protocol)
	assert.Equal(t, 80, fw.StartPort)
	assert.Equal(t, 81, fw.EndPort)
	assert.Equal(t, ip2.ID, fw.IPAddressID)
	assert.Equal(t, "Active", fw.State)
	icmp, err := d.ExCreateFirewallRule(ctx, ip2.ID, &cloudstack.FirewallRuleOptions{Protocol: "icmp", ICMPType: new(8), ICMPCode: new(0)})
	require.NoError(t, err)
	require.NotNil(t, icmp.ICMPType)
	assert.Equal(t, 8, *icmp.ICMPType)
	assert.Equal(t, 0, *icmp.ICMPCode)
	_, err = d.ExCreateFirewallRule(ctx, ip2.ID, &cloudstack.FirewallRuleOptions{Protocol: "tcp", StartPort: new(81)})
	assert.ErrorIs(t, err, compute.ErrConflict, "overlapping range")
	rules, err := d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip2.ID})
	require.NoError(t, err)
	assert.Len(t, rules, 3, "the rule, the ICMP rule and the port forwarding's firewall rule")
	require.NoError(t, d.ExDeleteFirewallRule(ctx, fw.ID))
	_, err = d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{ID: fw.ID})
	assert.ErrorIs(t, err, compute.ErrNotFound, "the server refuses ids that name nothing")
	rules, err = d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip2.ID})
	require.NoError(t, err)
	assert.Len(t, rules, 2)
	assert.ErrorIs(t, d.ExDeleteFirewallRule(ctx, fw.ID), compute.ErrNotFound)

	// Egress firewall rules of the isolated network.
	eg, err := d.ExCreateEgressFirewallRule(ctx, ip1.AssociatedNetworkID, &cloudstack.FirewallRuleOptions{Protocol: "tcp", StartPort: new(443),
		DestCIDRList: []string{"203.0.113.0/24"}})
	require.NoError(t, err)
	assert.Equal(t, "Egress", eg.TrafficType)
	assert.Equal(t, ip1.AssociatedNetworkID, eg.NetworkID)
	assert.Equal(t, "203.0.113.0/24", eg.DestCIDRList)
	egs, err := d.ExListEgressFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{NetworkID: ip1.AssociatedNetworkID})
	require.NoError(t, err)
	require.Len(t, egs, 1)
	assert.Equal(t, eg.ID, egs[0].ID)
	ingress, err := d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{ID: eg.ID})
	require.NoError(t, err)
	assert.Empty(t, ingress, "egress rules are not listed as ingress rules")
	require.NoError(t, d.ExDeleteEgressFirewallRule(ctx, eg.ID))
	egs, err = d.ExListEgressFirewallRules(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, egs)
	assert.Empty(t, egs)

	// Tear down.
	require.NoError(t, d.ExDeleteIPForwardingRule(ctx, ipf.ID))
	assert.ErrorIs(t, d.ExDeleteIPForwardingRule(ctx, ipf.ID), compute.ErrNotFound)
	opened, err = d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip1.ID})
	require.NoError(t, err)
	assert.Empty(t, opened, "the firewall rule goes with its static NAT rule")
	ipf2, err := d.ExCreateIPForwardingRule(ctx, ip1.ID, &cloudstack.IPForwardingRuleOptions{Protocol: "udp", StartPort: new(53)})
	require.NoError(t, err)
	require.NoError(t, d.ExDisableStaticNAT(ctx, ip1.ID))
	_, err = d.ExListIPForwardingRules(ctx, &cloudstack.ListIPForwardingRulesOptions{ID: ipf2.ID})
	assert.ErrorIs(t, err, compute.ErrNotFound, "disabling static NAT removes its rules")
	opened, err = d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip1.ID})
	require.NoError(t, err)
	assert.Empty(t, opened, "and the firewall rules they opened")
	assert.ErrorIs(t, d.ExDisableStaticNAT(ctx, ip1.ID), compute.ErrInvalidArgument, "static NAT already off")
	require.NoError(t, d.ExDeletePortForwardingRule(ctx, pf.ID))
	assert.ErrorIs(t, d.ExDeletePortForwardingRule(ctx, pf.ID), compute.ErrNotFound)
	rules, err = d.ExListFirewallRules(ctx, &cloudstack.ListFirewallRulesOptions{IPAddressID: ip2.ID})
	require.NoError(t, err)
	require.Len(t, rules, 1, "the port forwarding's firewall rule went with it")
	assert.Equal(t, icmp.ID, rules[0].ID)
	n, err := d.GetNode(ctx, vm1.ID)
	require.NoError(t, err)
	assert.NotContains(t, n.PublicIPs, ip1.IPAddress)
	require.NoError(t, d.ExReleasePublicIP(ctx, ip1.ID))
	require.NoError(t, d.ExReleasePublicIP(ctx, ip2.ID))
	assert.ErrorIs(t, d.ExReleasePublicIP(ctx, ip2.ID), compute.ErrNotFound)
	ips, err = d.ExListPublicIPs(ctx, &cloudstack.ListPublicIPsOptions{ZoneID: r.zone2, IsSourceNAT: new(false)})
	require.NoError(t, err)
	assert.Empty(t, ips)
	assert.ErrorIs(t, d.ExEnableStaticNAT(ctx, unknownID, vm1.ID, nil), compute.ErrNotFound)
	assert.ErrorIs(t, d.ExEnableStaticNAT(ctx, "", vm1.ID, nil), compute.ErrInvalidArgument)
}

func TestSim_ExSecurityGroups(t *testing.T) {
	r := newRulesSim(t)
	d := r.driver(t, r.sim.UserCredentials())
	ctx := t.Context()

	g, err := d.ExCreateSecurityGroup(ctx, "web", &cloudstack.CreateSecurityGroupOptions{Description: "web servers"})
	require.NoError(t, err)
	assert.Equal(t, "web", g.Name)
	assert.Equal(t, "web servers", g.Description)
	assert.Equal(t, "user", g.Account)
	_, err = d.ExCreateSecurityGroup(ctx, "web", nil)
	assert.ErrorIs(t, err, compute.ErrAlreadyExists)
	_, err = d.ExCreateSecurityGroup(ctx, "we", nil)
	require.NoError(t, err, "a name contained in another's is fine (Libcloud refused it)")

	in, err := d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{Name: "web"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "tcp", StartPort: new(80), CIDRList: []string{"0.0.0.0/0"}})
	require.NoError(t, err)
	assert.Equal(t, g.ID, in.ID)
	require.Len(t, in.IngressRules, 1)
	http := in.IngressRules[0]
	assert.Equal(t, 80, http.StartPort)
	assert.Equal(t, 80, http.EndPort, "EndPort defaults to StartPort")
	assert.Equal(t, "0.0.0.0/0", http.CIDR)
	in, err = d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{ID: g.ID},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "icmp", CIDRList: []string{"10.0.0.0/8"}})
	require.NoError(t, err)
	require.Len(t, in.IngressRules, 1, "the job reports the rules it added")
	assert.Equal(t, -1, in.IngressRules[0].ICMPType)
	assert.Equal(t, -1, in.IngressRules[0].ICMPCode)
	// Libcloud's test_ex_authorize_security_group_ingress: udp 0-65535.
	// Port 0, ICMP type 0 and code 0 are values, sent as such.
	every, err := d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{Name: "we"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "udp", StartPort: new(0), EndPort: new(65535), CIDRList: []string{"0.0.0.0/0"}})
	require.NoError(t, err)
	require.Len(t, every.IngressRules, 1)
	assert.Equal(t, "udp", every.IngressRules[0].Protocol)
	assert.Equal(t, 0, every.IngressRules[0].StartPort)
	assert.Equal(t, 65535, every.IngressRules[0].EndPort)
	every, err = d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{Name: "we"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "tcp", StartPort: new(0), CIDRList: []string{"0.0.0.0/0"}})
	require.NoError(t, err)
	require.Len(t, every.IngressRules, 1)
	assert.Equal(t, 65535, every.IngressRules[0].EndPort, "0 to 0 is every port on the server")
	echoReply, err := d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{Name: "we"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "icmp", ICMPType: new(0), ICMPCode: new(0), CIDRList: []string{"0.0.0.0/0"}})
	require.NoError(t, err)
	require.Len(t, echoReply.IngressRules, 1)
	assert.Equal(t, 0, echoReply.IngressRules[0].ICMPType)
	assert.Equal(t, 0, echoReply.IngressRules[0].ICMPCode)
	_, err = d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{Name: "we"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "udp", StartPort: new(-1), CIDRList: []string{"0.0.0.0/0"}})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "the server checks the range")

	out, err := d.ExAuthorizeSecurityGroupEgress(ctx, cloudstack.SecurityGroupRef{ID: g.ID},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "udp", StartPort: new(53), EndPort: new(53), CIDRList: []string{"0.0.0.0/0"},
			UserSecurityGroups: []cloudstack.UserSecurityGroup{{Account: "user", Group: "we"}}})
	require.NoError(t, err)
	require.Len(t, out.EgressRules, 2)
	assert.Empty(t, out.IngressRules)

	groups, err := d.ExListSecurityGroups(ctx, &cloudstack.ListSecurityGroupsOptions{SecurityGroupName: "web"})
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Len(t, groups[0].IngressRules, 2)
	assert.Len(t, groups[0].EgressRules, 2)
	all, err := d.ExListSecurityGroups(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all, 3, "default, web and we")

	require.NoError(t, d.ExRevokeSecurityGroupIngress(ctx, http.RuleID))
	assert.ErrorIs(t, d.ExRevokeSecurityGroupIngress(ctx, http.RuleID), compute.ErrNotFound)
	assert.ErrorIs(t, d.ExRevokeSecurityGroupEgress(ctx, in.IngressRules[0].RuleID), compute.ErrNotFound,
		"an ingress rule is not an egress rule")
	require.NoError(t, d.ExRevokeSecurityGroupEgress(ctx, out.EgressRules[0].RuleID))
	groups, err = d.ExListSecurityGroups(ctx, &cloudstack.ListSecurityGroupsOptions{ID: g.ID})
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Len(t, groups[0].IngressRules, 1)
	assert.Len(t, groups[0].EgressRules, 1)

	for _, bad := range []*cloudstack.SecurityGroupRuleOptions{
		nil, {CIDRList: []string{"0.0.0.0/0"}}, {Protocol: "tcp"}, {Protocol: "tcp", CIDRList: []string{"0.0.0.0/0"}},
		{Protocol: "icmp", StartPort: new(1), CIDRList: []string{"0.0.0.0/0"}},
		{Protocol: "udp", StartPort: new(1), ICMPType: new(8), CIDRList: []string{"0.0.0.0/0"}},
	} {
		_, err := d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{ID: g.ID}, bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument, "%+v", bad)
	}
	_, err = d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{}, &cloudstack.SecurityGroupRuleOptions{Protocol: "all", CIDRList: []string{"0.0.0.0/0"}})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExAuthorizeSecurityGroupIngress(ctx, cloudstack.SecurityGroupRef{ID: unknownID}, &cloudstack.SecurityGroupRuleOptions{Protocol: "all", CIDRList: []string{"0.0.0.0/0"}})
	assert.ErrorIs(t, err, compute.ErrNotFound)

	require.NoError(t, d.ExDeleteSecurityGroup(ctx, cloudstack.SecurityGroupRef{Name: "web"}))
	require.NoError(t, d.ExDeleteSecurityGroup(ctx, cloudstack.SecurityGroupRef{ID: all[2].ID}))
	assert.ErrorIs(t, d.ExDeleteSecurityGroup(ctx, cloudstack.SecurityGroupRef{ID: g.ID}), compute.ErrNotFound)
	assert.ErrorIs(t, d.ExDeleteSecurityGroup(ctx, cloudstack.SecurityGroupRef{}), compute.ErrInvalidArgument)
	groups, err = d.ExListSecurityGroups(ctx, &cloudstack.ListSecurityGroupsOptions{SecurityGroupName: "web"})
	require.NoError(t, err)
	assert.NotNil(t, groups)
	assert.Empty(t, groups)
}

func TestSim_ExAffinityGroups(t *testing.T) {
	r := newRulesSim(t)
	d := r.driver(t, r.sim.UserCredentials())
	ctx := t.Context()

	types, err := d.ExListAffinityGroupTypes(ctx)
	require.NoError(t, err)
	var names []string
	for _, ty := range types {
		names = append(names, ty.Type)
	}
	assert.Contains(t, names, "host anti-affinity")

	groups, err := d.ExListAffinityGroups(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, groups)
	assert.Empty(t, groups)
	g, err := d.ExCreateAffinityGroup(ctx, "spread", "host anti-affinity", &cloudstack.CreateAffinityGroupOptions{Description: "apart"})
	require.NoError(t, err)
	assert.Equal(t, "spread", g.Name)
	assert.Equal(t, "host anti-affinity", g.Type)
	assert.Equal(t, "apart", g.Description)
	_, err = d.ExCreateAffinityGroup(ctx, "spread", "host anti-affinity", nil)
	assert.ErrorIs(t, err, compute.ErrAlreadyExists)
	_, err = d.ExCreateAffinityGroup(ctx, "x", "bogus", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExCreateAffinityGroup(ctx, "spr", "host affinity", nil)
	require.NoError(t, err)

	groups, err = d.ExListAffinityGroups(ctx, &cloudstack.ListAffinityGroupsOptions{Name: "spread"})
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, g.ID, groups[0].ID)
	groups, err = d.ExListAffinityGroups(ctx, &cloudstack.ListAffinityGroupsOptions{Type: "host affinity"})
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, "spr", groups[0].Name)

	require.NoError(t, d.ExDeleteAffinityGroup(ctx, g.ID))
	assert.ErrorIs(t, d.ExDeleteAffinityGroup(ctx, g.ID), compute.ErrNotFound)
	assert.ErrorIs(t, d.ExDeleteAffinityGroup(ctx, ""), compute.ErrInvalidArgument)
	groups, err = d.ExListAffinityGroups(ctx, &cloudstack.ListAffinityGroupsOptions{Name: "spread"})
	require.NoError(t, err)
	assert.Empty(t, groups)
}

func TestSim_ExProjectsAndLimits(t *testing.T) {
	r := newRulesSim(t)
	admin := r.driver(t, r.sim.AdminCredentials())
	user := r.driver(t, r.sim.UserCredentials())
	ctx := t.Context()

	projects, err := user.ExListProjects(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, projects)
	assert.Empty(t, projects)
	_, err = user.ExRawRequest(ctx, "createProject", map[string][]string{"name": {"alpha"}, "displaytext": {"Alpha"}})
	require.NoError(t, err)
	_, err = user.ExRawRequest(ctx, "createProject", map[string][]string{"name": {"alphabet"}, "displaytext": {"Alphabet"}})
	require.NoError(t, err)
	projects, err = user.ExListProjects(ctx, &cloudstack.ListProjectsOptions{Name: "alpha"})
	require.NoError(t, err)
	require.Len(t, projects, 1)
	p := projects[0]
	assert.Equal(t, "alpha", p.Name)
	assert.Equal(t, "Alpha", p.DisplayText)
	assert.Equal(t, "Active", p.State)
	assert.Equal(t, cloudstack.Unlimited, p.VMLimit)
	assert.Equal(t, cloudstack.Unlimited, p.VMAvailable)
	assert.Equal(t, int64(0), p.VMTotal)
	all, err := admin.ExListProjects(ctx, &cloudstack.ListProjectsOptions{ListAll: true})
	require.NoError(t, err)
	assert.Len(t, all, 2)

	l, err := user.ExLimits(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(-1), l.MaxInstances)
	_, err = admin.ExRawRequest(ctx, "updateResourceLimit", map[string][]string{"account": {"user"},
		"domainid": {p.DomainID}, "resourcetype": {"0"}, "max": {"5"}})
	require.NoError(t, err)
	_, err = admin.ExRawRequest(ctx, "updateResourceLimit", map[string][]string{"account": {"user"},
		"domainid": {p.DomainID}, "resourcetype": {"9"}, "max": {"2048"}})
	require.NoError(t, err)
	l, err = user.ExLimits(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(5), l.MaxInstances)
	assert.Equal(t, int64(2048), l.MaxMemory)
	assert.Equal(t, int64(-1), l.MaxPublicIPs)
	assert.Equal(t, int64(5), l.Map()["max_instances"])
	assert.Len(t, l.Rows, 12)
	pl, err := user.ExLimits(ctx, &cloudstack.LimitsOptions{OwnerOptions: cloudstack.OwnerOptions{ProjectID: p.ID}})
	require.NoError(t, err)
	assert.Equal(t, int64(-1), pl.MaxInstances, "the project's limits, not the account's")
	require.NotEmpty(t, pl.Rows)
	assert.Equal(t, p.ID, pl.Rows[0].ProjectID)
}

func TestSim_ExCatalog(t *testing.T) {
	r := newRulesSim(t)
	d := r.driver(t, r.sim.UserCredentials())
	ctx := t.Context()

	osTypes, err := d.ExListOSTypes(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, osTypes)
	var ubuntu cloudstack.OSType
	for _, o := range osTypes {
		if o.Description == "Ubuntu 22.04 LTS" {
			ubuntu = o
		}
	}
	require.NotEmpty(t, ubuntu.ID)
	assert.NotEmpty(t, ubuntu.OSCategoryID)
	one, err := d.ExListOSTypes(ctx, &cloudstack.ListOSTypesOptions{ID: ubuntu.ID})
	require.NoError(t, err)
	assert.Equal(t, []cloudstack.OSType{ubuntu}, one)

	iso, err := d.ExRegisterISO(ctx, "rescue", "http://mirror.example.com/rescue.iso",
		&cloudstack.RegisterISOOptions{ZoneID: r.zone1, OSTypeID: ubuntu.ID, DisplayText: "Rescue CD"})
	require.NoError(t, err)
	assert.Equal(t, "rescue", iso.Name)
	assert.Equal(t, "Rescue CD", iso.DisplayText)
	assert.Equal(t, "ISO", iso.Format)
	assert.Equal(t, r.zone1, iso.ZoneID)
	assert.Equal(t, ubuntu.ID, iso.OSTypeID)
	assert.True(t, iso.Bootable)
	isos, err := d.ExRawRequest(ctx, "listIsos", map[string][]string{"id": {iso.ID}})
	require.NoError(t, err)
	assert.Contains(t, string(isos), `"rescue"`)
	_, err = d.ExRegisterISO(ctx, "data", "http://mirror.example.com/data.iso", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "bootable by default: an OS type is needed")
	data, err := d.ExRegisterISO(ctx, "data", "https://mirror.example.com/data.iso", &cloudstack.RegisterISOOptions{Bootable: new(false)})
	require.NoError(t, err, "non-bootable, default zone")
	assert.False(t, data.Bootable)
	assert.Equal(t, r.zone1, data.ZoneID, "the first zone")
	_, err = d.ExRegisterISO(ctx, "bad", "ftp://mirror.example.com/x.iso", &cloudstack.RegisterISOOptions{Bootable: new(false)})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExRegisterISO(ctx, "bad", "http://mirror.example.com/x.qcow2", &cloudstack.RegisterISOOptions{Bootable: new(false)})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)

	n := r.node(t, d, "tpl-src", r.zone1)
	vols, err := d.ListVolumes(ctx)
	require.NoError(t, err)
	var root *compute.Volume
	for _, v := range vols {
		if v.Extra["type"] == "ROOT" {
			root = v
		}
	}
	require.NotNil(t, root)
	v, err := d.ExGetVolume(ctx, root.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, root.ID, v.ID)
	assert.Equal(t, root.Size, v.Size)
	_, err = d.ExGetVolume(ctx, unknownID, nil)
	assert.ErrorIs(t, err, compute.ErrNotFound)
	_, err = d.ExGetVolume(ctx, " ", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)

	snap, err := d.CreateVolumeSnapshot(ctx, root.ID, "before")
	require.NoError(t, err)
	img, err := d.ExCreateSnapshotTemplate(ctx, snap.ID, "golden", ubuntu.ID, &cloudstack.SnapshotTemplateOptions{PasswordEnabled: new(true)})
	require.NoError(t, err)
	assert.Equal(t, "golden", img.Name)
	tpl := img.Extra["template"].(*cloudstack.Template)
	assert.Equal(t, ubuntu.ID, tpl.OSTypeID)
	assert.True(t, tpl.PasswordEnabled)
	assert.Equal(t, "golden", tpl.DisplayText)
	got, err := d.GetImage(ctx, img.ID)
	require.NoError(t, err)
	assert.Equal(t, "golden", got.Name)
	_, err = d.ExCreateSnapshotTemplate(ctx, unknownID, "x", ubuntu.ID, nil)
	assert.ErrorIs(t, err, compute.ErrNotFound)
	_, err = d.ExCreateSnapshotTemplate(ctx, snap.ID, "x", "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_ = n
}

func TestSim_ExTags(t *testing.T) {
	r := newRulesSim(t)
	d := r.driver(t, r.sim.UserCredentials())
	ctx := t.Context()
	n1 := r.node(t, d, "tagged-1", r.zone1)
	n2 := r.node(t, d, "tagged-2", r.zone1)

	require.NoError(t, d.ExCreateTags(ctx, []string{n1.ID, n2.ID}, "UserVm", map[string]string{"env": "prod", "team": "a b&c"}))
	tags, err := d.ExListTags(ctx, &cloudstack.ListTagsOptions{ResourceID: n1.ID})
	require.NoError(t, err)
	got := map[string]string{}
	for _, tg := range tags {
		got[tg.Key] = tg.Value
		assert.Equal(t, "UserVm", tg.ResourceType)
	}
	assert.Equal(t, map[string]string{"env": "prod", "team": "a b&c"}, got)
	node, err := d.GetNode(ctx, n1.ID)
	require.NoError(t, err)
	assert.Equal(t, got, node.Extra["tags"])
	assert.ErrorIs(t, d.ExCreateTags(ctx, []string{n1.ID}, "UserVm", map[string]string{"env": "dev"}), compute.ErrInvalidArgument,
		"a key already set")
	nodes, err := d.ExListNodes(ctx, &cloudstack.ListNodesOptions{Tags: map[string]string{"team": "a b&c"}})
	require.NoError(t, err)
	assert.Len(t, nodes, 2)

	require.NoError(t, d.ExDeleteTags(ctx, []string{n1.ID}, "UserVm", []string{"team"}))
	tags, err = d.ExListTags(ctx, &cloudstack.ListTagsOptions{ResourceID: n1.ID})
	require.NoError(t, err)
	require.Len(t, tags, 1)
	assert.Equal(t, "env", tags[0].Key)
	require.NoError(t, d.ExDeleteTags(ctx, []string{n2.ID}, "UserVm", nil))
	tags, err = d.ExListTags(ctx, &cloudstack.ListTagsOptions{ResourceID: n2.ID})
	require.NoError(t, err)
	assert.NotNil(t, tags)
	assert.Empty(t, tags)
	tags, err = d.ExListTags(ctx, &cloudstack.ListTagsOptions{Key: "env", Value: "prod"})
	require.NoError(t, err)
	assert.Len(t, tags, 1)

	assert.ErrorIs(t, d.ExCreateTags(ctx, []string{unknownID}, "UserVm", map[string]string{"k": "v"}), compute.ErrNotFound)
	assert.ErrorIs(t, d.ExCreateTags(ctx, nil, "UserVm", map[string]string{"k": "v"}), compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExCreateTags(ctx, []string{n1.ID}, "", map[string]string{"k": "v"}), compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExCreateTags(ctx, []string{n1.ID}, "UserVm", nil), compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExDeleteTags(ctx, []string{" "}, "UserVm", nil), compute.ErrInvalidArgument)
}
