package cloudstack_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// The tests of this file run the address, rule, security group, affinity
// group, project, catalogue and tag Ex methods against Libcloud's recorded
// answers (and, for the commands Libcloud never recorded, answers written
// in the server's format), checking what is sent and what is decoded.

func TestFixtures_ExListPublicIPs(t *testing.T) {
	d, fs := newFixtureDriver(t)
	ips, err := d.ExListPublicIPs(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, ips, 4)
	ip := ips[0]
	assert.Equal(t, "34000", ip.ID)
	assert.Equal(t, "1.1.1.116", ip.IPAddress)
	assert.Equal(t, "2600", ip.VirtualMachineID)
	assert.Equal(t, "1", ip.ZoneID)
	assert.Equal(t, "Sydney", ip.ZoneName)
	assert.Equal(t, "860", ip.AssociatedNetworkID)
	assert.Equal(t, "Allocated", ip.State)
	assert.Equal(t, "fakeaccount", ip.Account)
	assert.Equal(t, time.Date(2011, 6, 23, 5, 20, 39, 0, time.UTC), ip.Allocated.UTC())
	assert.True(t, ips[3].IsSourceNAT)
	assert.Equal(t, url.Values{"command": {"listPublicIpAddresses"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listPublicIpAddresses")))

	fs.reset()
	_, err = d.ExListPublicIPs(t.Context(), &cloudstack.ListPublicIPsOptions{
		ListScope: cloudstack.ListScope{ProjectID: "p", ListAll: true}, Keyword: "1.1", Tags: map[string]string{"a": "b"},
		ID: "i", IPAddress: "1.1.1.1", ZoneID: "z", AssociatedNetworkID: "an", NetworkID: "n", VPCID: "v", VlanID: "vl",
		PhysicalNetworkID: "pn", State: "Allocated", IsSourceNAT: new(false), IsStaticNAT: new(true), AllocatedOnly: new(true),
		ForVirtualNetwork: new(true), ForLoadBalancing: new(false), ForDisplay: new(true)})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listPublicIpAddresses"}, "projectid": {"p"}, "listall": {"true"},
		"keyword": {"1.1"}, "tags[0].key": {"a"}, "tags[0].value": {"b"}, "id": {"i"}, "ipaddress": {"1.1.1.1"},
		"zoneid": {"z"}, "associatednetworkid": {"an"}, "networkid": {"n"}, "vpcid": {"v"}, "vlanid": {"vl"},
		"physicalnetworkid": {"pn"}, "state": {"Allocated"}, "issourcenat": {"false"}, "isstaticnat": {"true"},
		"allocatedonly": {"true"}, "forvirtualnetwork": {"true"}, "forloadbalancing": {"false"}, "fordisplay": {"true"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listPublicIpAddresses")))

	fs.override("listPublicIpAddresses", `{"listpublicipaddressesresponse":{}}`)
	ips, err = d.ExListPublicIPs(t.Context(), nil)
	require.NoError(t, err)
	assert.NotNil(t, ips)
	assert.Empty(t, ips)
}

func TestFixtures_ExAllocateReleasePublicIP(t *testing.T) {
	d, fs := newFixtureDriver(t)
	ip, err := d.ExAllocatePublicIP(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "10987171-8cc9-4d0a-b98f-1698c09ddd2d", ip.ID)
	assert.Equal(t, "7.5.6.1", ip.IPAddress)
	assert.Equal(t, "edd15baf-b5af-4805-8484-3478ad236372", ip.AssociatedNetworkID)
	assert.Equal(t, "Allocating", ip.State)
	assert.Equal(t, "67", ip.Extra["vlanname"], "unmodelled fields are kept")
	assert.Equal(t, []string{"listZones", "associateIpAddress", "queryAsyncJobResult"}, fs.commands(),
		"without a zone, network or VPC the first zone is used, as Libcloud does")
	r := only(t, fs, "associateIpAddress")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"associateIpAddress"}, "zoneid": {"1"}}, apiParams(r))

	fs.reset()
	_, err = d.ExAllocatePublicIP(t.Context(), &cloudstack.AllocatePublicIPOptions{NetworkID: "n", VPCID: "v",
		IPAddress: "7.5.6.1", IsPortable: new(false), ForDisplay: new(true),
		OwnerOptions: cloudstack.OwnerOptions{Account: "acc", DomainID: "dom"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"associateIpAddress"}, "networkid": {"n"}, "vpcid": {"v"}, "ipaddress": {"7.5.6.1"},
		"isportable": {"false"}, "fordisplay": {"true"}, "account": {"acc"}, "domainid": {"dom"}},
		apiParams(only(t, fs, "associateIpAddress")))
	assert.Empty(t, fs.sent("listZones"))

	fs.reset()
	require.NoError(t, d.ExReleasePublicIP(t.Context(), ip.ID))
	assert.Equal(t, url.Values{"command": {"disassociateIpAddress"}, "id": {ip.ID}}, apiParams(only(t, fs, "disassociateIpAddress")))
	assert.Len(t, fs.sent("queryAsyncJobResult"), 1, "the job is awaited")
	assert.ErrorIs(t, d.ExReleasePublicIP(t.Context(), ""), compute.ErrInvalidArgument)
}

func TestFixtures_ExStaticNAT(t *testing.T) {
	d, fs := newFixtureDriver(t)
	fs.override("enableStaticNat", `{"enablestaticnatresponse":{"success":"true"}}`)
	require.NoError(t, d.ExEnableStaticNAT(t.Context(), "ip", "vm", &cloudstack.EnableStaticNATOptions{NetworkID: "n", VMGuestIP: "10.0.0.5"}))
	r := only(t, fs, "enableStaticNat")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"enableStaticNat"}, "ipaddressid": {"ip"}, "virtualmachineid": {"vm"},
		"networkid": {"n"}, "vmguestip": {"10.0.0.5"}}, apiParams(r))
	assert.Empty(t, fs.sent("queryAsyncJobResult"), "enableStaticNat is synchronous")

	fs.override("enableStaticNat", `{"enablestaticnatresponse":{"success":false,"displaytext":"no"}}`)
	err := d.ExEnableStaticNAT(t.Context(), "ip", "vm", nil)
	assert.ErrorIs(t, err, compute.ErrInternal, "success false is an error (Libcloud compared strings)")
	assert.ErrorContains(t, err, "no")
	assert.ErrorIs(t, d.ExEnableStaticNAT(t.Context(), "ip", "", nil), compute.ErrInvalidArgument)

	fs.reset()
	fs.override("disableStaticNat", `{"disablestaticnatresponse":{"jobid":"11112"}}`)
	require.NoError(t, d.ExDisableStaticNAT(t.Context(), "ip"))
	assert.Equal(t, url.Values{"command": {"disableStaticNat"}, "ipaddressid": {"ip"}}, apiParams(only(t, fs, "disableStaticNat")))
	assert.Len(t, fs.sent("queryAsyncJobResult"), 1)
}

func TestFixtures_ExFirewallRules(t *testing.T) {
	d, fs := newFixtureDriver(t)
	rules, err := d.ExListFirewallRules(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, cloudstack.FirewallRule{ID: "171597", Protocol: "tcp", StartPort: 33, EndPort: 34, IPAddressID: "34000",
		IPAddress: "1.1.1.116", CIDRList: "192.168.0.0/16", State: "Active"}, rules[0])
	assert.Equal(t, url.Values{"command": {"listFirewallRules"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listFirewallRules")))

	fs.reset()
	r, err := d.ExCreateFirewallRule(t.Context(), "34000", &cloudstack.FirewallRuleOptions{Protocol: "tcp",
		CIDRList: []string{"192.168.0.0/16"}, StartPort: new(33), EndPort: new(34)})
	require.NoError(t, err)
	assert.Equal(t, "172465", r.ID)
	assert.Equal(t, 33, r.StartPort)
	assert.Nil(t, r.ICMPType)
	assert.Equal(t, url.Values{"command": {"createFirewallRule"}, "ipaddressid": {"34000"}, "protocol": {"tcp"},
		"cidrlist": {"192.168.0.0/16"}, "startport": {"33"}, "endport": {"34"}}, apiParams(only(t, fs, "createFirewallRule")))

	fs.reset()
	fs.setScenario("firewallicmp")
	r, err = d.ExCreateFirewallRule(t.Context(), "34000", &cloudstack.FirewallRuleOptions{Protocol: "icmp",
		CIDRList: []string{"192.168.0.0/16"}, ICMPType: new(8), ICMPCode: new(0), Type: "user", ForDisplay: new(true)})
	require.NoError(t, err)
	require.NotNil(t, r.ICMPType)
	require.NotNil(t, r.ICMPCode)
	assert.Equal(t, 8, *r.ICMPType)
	assert.Equal(t, 0, *r.ICMPCode, "ICMP code 0 is kept, not dropped as a zero value")
	assert.Equal(t, url.Values{"command": {"createFirewallRule"}, "ipaddressid": {"34000"}, "protocol": {"icmp"},
		"cidrlist": {"192.168.0.0/16"}, "icmptype": {"8"}, "icmpcode": {"0"}, "type": {"user"}, "fordisplay": {"true"}},
		apiParams(only(t, fs, "createFirewallRule")))
	rules, err = d.ExListFirewallRules(t.Context(), &cloudstack.ListFirewallRulesOptions{IPAddressID: "34000", NetworkID: "n",
		ID: "52394", ForDisplay: new(true), Keyword: "k", Tags: map[string]string{"t": "v"},
		ListScope: cloudstack.ListScope{Account: "a", DomainID: "d", IsRecursive: true}})
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, "icmp", rules[0].Protocol)
	assert.Equal(t, url.Values{"command": {"listFirewallRules"}, "ipaddressid": {"34000"}, "networkid": {"n"}, "id": {"52394"},
		"fordisplay": {"true"}, "keyword": {"k"}, "tags[0].key": {"t"}, "tags[0].value": {"v"}, "account": {"a"},
		"domainid": {"d"}, "isrecursive": {"true"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listFirewallRules")))

	fs.reset()
	fs.setScenario("")
	require.NoError(t, d.ExDeleteFirewallRule(t.Context(), "172465"))
	assert.Equal(t, url.Values{"command": {"deleteFirewallRule"}, "id": {"172465"}}, apiParams(only(t, fs, "deleteFirewallRule")))

	for _, bad := range []*cloudstack.FirewallRuleOptions{nil, {}, {Protocol: "tcp", DestCIDRList: []string{"10.0.0.0/8"}}} {
		_, err := d.ExCreateFirewallRule(t.Context(), "34000", bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	_, err = d.ExCreateFirewallRule(t.Context(), " ", &cloudstack.FirewallRuleOptions{Protocol: "tcp"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestFixtures_ExEgressFirewallRules(t *testing.T) {
	d, fs := newFixtureDriver(t)
	rules, err := d.ExListEgressFirewallRules(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, "7d4e2924-49b6-4a5a-9a98-69f2f0f73c69", rules[0].ID)
	assert.Equal(t, "874be2ca-20a7-4360-80e9-7356c0018c0b", rules[0].NetworkID)
	assert.Equal(t, 80, rules[0].StartPort)
	assert.Equal(t, "192.168.0.0/16", rules[0].CIDRList)

	r, err := d.ExCreateEgressFirewallRule(t.Context(), "874be2ca", &cloudstack.FirewallRuleOptions{Protocol: "tcp",
		CIDRList: []string{"192.168.0.0/16", " "}, DestCIDRList: []string{"8.8.8.8/32"}, StartPort: new(33), EndPort: new(34)})
	require.NoError(t, err)
	assert.Equal(t, "172465", r.ID)
	assert.Equal(t, url.Values{"command": {"createEgressFirewallRule"}, "networkid": {"874be2ca"}, "protocol": {"tcp"},
		"cidrlist": {"192.168.0.0/16"}, "destcidrlist": {"8.8.8.8/32"}, "startport": {"33"}, "endport": {"34"}},
		apiParams(only(t, fs, "createEgressFirewallRule")))

	require.NoError(t, d.ExDeleteEgressFirewallRule(t.Context(), "7d4e2924"))
	assert.Equal(t, url.Values{"command": {"deleteEgressFirewallRule"}, "id": {"7d4e2924"}}, apiParams(only(t, fs, "deleteEgressFirewallRule")))

	fs.override("listEgressFirewallRules", `{"listegressfirewallrulesresponse":{}}`)
	rules, err = d.ExListEgressFirewallRules(t.Context(), nil)
	require.NoError(t, err)
	assert.NotNil(t, rules, "Libcloud raised KeyError on an empty list")
	assert.Empty(t, rules)
	_, err = d.ExCreateEgressFirewallRule(t.Context(), "", &cloudstack.FirewallRuleOptions{Protocol: "tcp"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestFixtures_ExPortForwardingRules(t *testing.T) {
	d, fs := newFixtureDriver(t)
	rules, err := d.ExListPortForwardingRules(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, "bc7ea3ee-a2c3-4b86-a53f-01bdaa1b2e32", rules[0].ID)
	assert.Equal(t, "2600", rules[0].VirtualMachineID)
	assert.Equal(t, "33", rules[0].PublicPort)
	assert.Equal(t, "34", rules[0].PrivateEndPort)
	assert.Equal(t, url.Values{"command": {"listPortForwardingRules"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listPortForwardingRules")))
	rules, err = d.ExListPortForwardingRules(t.Context(), &cloudstack.ListPortForwardingRulesOptions{VirtualMachineID: "260"})
	require.NoError(t, err)
	assert.Empty(t, rules, "the VM filter is exact")
	assert.False(t, fs.sent("listPortForwardingRules")[1].params.Has("virtualmachineid"), "not a parameter of the command")

	fs.reset()
	r, err := d.ExCreatePortForwardingRule(t.Context(), "96dac96f", "8879e159", &cloudstack.PortForwardingRuleOptions{
		Protocol: "tcp", PublicPort: new(33), PrivatePort: new(33), OpenFirewall: new(false)})
	require.NoError(t, err)
	assert.Equal(t, "bc7ea3ee-a2c3-4b86-a53f-01bdaa1b2e32", r.ID)
	assert.Equal(t, "7.5.1.7", r.IPAddress)
	assert.Equal(t, "testlib", r.VirtualMachineName)
	assert.Equal(t, url.Values{"command": {"createPortForwardingRule"}, "ipaddressid": {"96dac96f"}, "virtualmachineid": {"8879e159"},
		"protocol": {"tcp"}, "publicport": {"33"}, "privateport": {"33"}, "openfirewall": {"false"}},
		apiParams(only(t, fs, "createPortForwardingRule")))

	fs.reset()
	_, err = d.ExCreatePortForwardingRule(t.Context(), "ip", "vm", &cloudstack.PortForwardingRuleOptions{Protocol: "udp",
		PublicPort: new(1000), PublicEndPort: new(1010), PrivatePort: new(2000), PrivateEndPort: new(2010), CIDRList: []string{"10.0.0.0/8", "192.0.2.0/24"},
		NetworkID: "n", VMGuestIP: "10.1.1.9", ForDisplay: new(false)})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createPortForwardingRule"}, "ipaddressid": {"ip"}, "virtualmachineid": {"vm"},
		"protocol": {"udp"}, "publicport": {"1000"}, "publicendport": {"1010"}, "privateport": {"2000"}, "privateendport": {"2010"},
		"cidrlist": {"10.0.0.0/8,192.0.2.0/24"}, "networkid": {"n"}, "vmguestip": {"10.1.1.9"}, "fordisplay": {"false"}},
		apiParams(only(t, fs, "createPortForwardingRule")))

	fs.reset()
	require.NoError(t, d.ExDeletePortForwardingRule(t.Context(), "bc7ea3ee"))
	assert.Equal(t, url.Values{"command": {"deletePortForwardingRule"}, "id": {"bc7ea3ee"}}, apiParams(only(t, fs, "deletePortForwardingRule")))

	fs.reset()
	for _, bad := range []*cloudstack.PortForwardingRuleOptions{nil, {PublicPort: new(1), PrivatePort: new(1)}, {Protocol: "tcp", PublicPort: new(1)}} {
		_, err := d.ExCreatePortForwardingRule(t.Context(), "ip", "vm", bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	_, err = d.ExCreatePortForwardingRule(t.Context(), "ip", "", &cloudstack.PortForwardingRuleOptions{Protocol: "tcp", PublicPort: new(1), PrivatePort: new(1)})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExIPForwardingRules(t *testing.T) {
	d, fs := newFixtureDriver(t)
	rules, err := d.ExListIPForwardingRules(t.Context(), &cloudstack.ListIPForwardingRulesOptions{VirtualMachineID: "2600",
		IPAddressID: "34000", ID: "772fd410", Keyword: "k", ListScope: cloudstack.ListScope{ListAll: true}})
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, cloudstack.IPForwardingRule{ID: "772fd410-6649-43ed-befa-77be986b8906", Protocol: "tcp", StartPort: 33,
		EndPort: 34, IPAddressID: "34000", IPAddress: "1.1.1.116", VirtualMachineID: "2600", VirtualMachineName: "test",
		VirtualMachineDisplayName: "test", State: "Active"}, rules[0])
	assert.Equal(t, url.Values{"command": {"listIpForwardingRules"}, "virtualmachineid": {"2600"}, "ipaddressid": {"34000"},
		"id": {"772fd410"}, "keyword": {"k"}, "listall": {"true"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listIpForwardingRules")))

	fs.override("createIpForwardingRule", `{"createipforwardingruleresponse":{"id":"772fd410","jobid":"ipf1"}}`)
	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"ipf1","jobstatus":1,"jobresultcode":0,
		"jobresulttype":"object","jobresult":{"ipforwardingrule":{"id":"772fd410","protocol":"tcp","startport":33,"endport":33,
		"ipaddressid":"34000","ipaddress":"1.1.1.116","virtualmachineid":"2600","state":"Active"}}}}`)
	r, err := d.ExCreateIPForwardingRule(t.Context(), "34000", &cloudstack.IPForwardingRuleOptions{Protocol: "tcp", StartPort: new(33),
		CIDRList: []string{"0.0.0.0/0"}, OpenFirewall: new(true)})
	require.NoError(t, err)
	assert.Equal(t, "772fd410", r.ID)
	assert.Equal(t, "2600", r.VirtualMachineID)
	assert.Equal(t, url.Values{"command": {"createIpForwardingRule"}, "ipaddressid": {"34000"}, "protocol": {"tcp"},
		"startport": {"33"}, "cidrlist": {"0.0.0.0/0"}, "openfirewall": {"true"}}, apiParams(only(t, fs, "createIpForwardingRule")))
	_, err = d.ExCreateIPForwardingRule(t.Context(), "34000", &cloudstack.IPForwardingRuleOptions{Protocol: "icmp", StartPort: new(1), EndPort: new(9)})
	require.NoError(t, err, "every protocol is sent; Libcloud returned None for non-TCP/UDP")
	assert.Equal(t, "9", fs.sent("createIpForwardingRule")[1].params.Get("endport"))

	fs.override("deleteIpForwardingRule", `{"deleteipforwardingruleresponse":{"jobid":"ipf2"}}`)
	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"ipf2","jobstatus":1,"jobresult":{"success":true}}}`)
	require.NoError(t, d.ExDeleteIPForwardingRule(t.Context(), "772fd410"))
	assert.Equal(t, url.Values{"command": {"deleteIpForwardingRule"}, "id": {"772fd410"}}, apiParams(only(t, fs, "deleteIpForwardingRule")))

	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"ipf2","jobstatus":2,"jobresultcode":530,
		"jobresult":{"errorcode":530,"errortext":"Failed to delete"}}}`)
	err = d.ExDeleteIPForwardingRule(t.Context(), "772fd410")
	assert.ErrorIs(t, err, compute.ErrInternal)
	var ae *cloudstack.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 530, ae.ErrorCode)
	assert.Equal(t, "ipf2", ae.JobID)
	for _, bad := range []*cloudstack.IPForwardingRuleOptions{nil, {StartPort: new(1)}, {Protocol: "tcp"}} {
		_, err := d.ExCreateIPForwardingRule(t.Context(), "34000", bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
}

func TestFixtures_ExSecurityGroups(t *testing.T) {
	d, fs := newFixtureDriver(t)
	groups, err := d.ExListSecurityGroups(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, groups, 2)
	g := groups[0]
	assert.Equal(t, "ebfa2339", g.ID)
	assert.Equal(t, "default", g.Name)
	require.Len(t, g.IngressRules, 4)
	assert.Equal(t, cloudstack.SecurityGroupRule{RuleID: "b83428c0-7f4c-44d1-bc96-4e1720168fdf", Protocol: "tcp", StartPort: 22,
		EndPort: 22, CIDR: "0.0.0.0/0"}, g.IngressRules[0])
	assert.Equal(t, "default", g.IngressRules[2].SecurityGroupName)
	assert.Equal(t, "runseb@gmail.com", g.IngressRules[2].Account)
	assert.NotNil(t, g.EgressRules)
	assert.Empty(t, g.EgressRules)

	fs.reset()
	groups, err = d.ExListSecurityGroups(t.Context(), &cloudstack.ListSecurityGroupsOptions{SecurityGroupName: "mongo",
		VirtualMachineID: "vm", ID: "i", Keyword: "k", ListScope: cloudstack.ListScope{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Empty(t, groups, "the name is matched exactly (Libcloud matched substrings)")
	assert.Equal(t, url.Values{"command": {"listSecurityGroups"}, "securitygroupname": {"mongo"}, "virtualmachineid": {"vm"},
		"id": {"i"}, "keyword": {"k"}, "projectid": {"p"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listSecurityGroups")))

	fs.setScenario("no_groups")
	groups, err = d.ExListSecurityGroups(t.Context(), nil)
	require.NoError(t, err)
	assert.NotNil(t, groups)
	assert.Empty(t, groups)

	fs.reset()
	fs.setScenario("")
	g2, err := d.ExCreateSecurityGroup(t.Context(), "MySG", &cloudstack.CreateSecurityGroupOptions{Description: "d",
		OwnerOptions: cloudstack.OwnerOptions{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Equal(t, "895f9e41-4d89-468e-9b69-19a8f0d3a889", g2.ID)
	assert.Equal(t, "MySG", g2.Name)
	assert.Equal(t, []string{"createSecurityGroup"}, fs.commands(), "no listing first (Libcloud's substring check)")
	assert.Equal(t, url.Values{"command": {"createSecurityGroup"}, "name": {"MySG"}, "description": {"d"}, "projectid": {"p"}},
		apiParams(only(t, fs, "createSecurityGroup")))
	_, err = d.ExCreateSecurityGroup(t.Context(), "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)

	fs.reset()
	require.NoError(t, d.ExDeleteSecurityGroup(t.Context(), cloudstack.SecurityGroupRef{Name: "MySG"}), `"success":"true" is success`)
	assert.Equal(t, url.Values{"command": {"deleteSecurityGroup"}, "name": {"MySG"}}, apiParams(only(t, fs, "deleteSecurityGroup")))
	fs.reset()
	require.NoError(t, d.ExDeleteSecurityGroup(t.Context(), cloudstack.SecurityGroupRef{ID: "895f9e41", Name: "ignored"}))
	assert.Equal(t, url.Values{"command": {"deleteSecurityGroup"}, "id": {"895f9e41"}}, apiParams(only(t, fs, "deleteSecurityGroup")))
}

func TestFixtures_ExAuthorizeRevokeSecurityGroupRules(t *testing.T) {
	d, fs := newFixtureDriver(t)
	g, err := d.ExAuthorizeSecurityGroupIngress(t.Context(), cloudstack.SecurityGroupRef{Name: "test_sg"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "UDP", CIDRList: []string{"0.0.0.0/0"}, StartPort: new(0), EndPort: new(65535)})
	require.NoError(t, err)
	assert.Equal(t, "test_sg", g.Name)
	require.Len(t, g.IngressRules, 1)
	assert.Equal(t, "444444-4444-4444-4444-444444444444", g.IngressRules[0].RuleID)
	assert.Equal(t, 0, g.IngressRules[0].StartPort, "Libcloud sends and reads startport=0")
	assert.Equal(t, 65535, g.IngressRules[0].EndPort)
	assert.Equal(t, url.Values{"command": {"authorizeSecurityGroupIngress"}, "securitygroupname": {"test_sg"}, "protocol": {"UDP"},
		"startport": {"0"}, "endport": {"65535"}, "cidrlist": {"0.0.0.0/0"}}, apiParams(only(t, fs, "authorizeSecurityGroupIngress")))

	fs.reset()
	fs.override("authorizeSecurityGroupEgress", `{"authorizesecuritygroupegressresponse":{"jobid":"17200"}}`)
	_, err = d.ExAuthorizeSecurityGroupEgress(t.Context(), cloudstack.SecurityGroupRef{ID: "222222"},
		&cloudstack.SecurityGroupRuleOptions{Protocol: "icmp", ICMPType: new(0), UserSecurityGroups: []cloudstack.UserSecurityGroup{
			{Account: "bob", Group: "web"}, {Account: "eve", Group: "db"}}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"authorizeSecurityGroupEgress"}, "securitygroupid": {"222222"}, "protocol": {"icmp"},
		"icmptype": {"0"}, "icmpcode": {"-1"}, "usersecuritygrouplist[0].account": {"bob"}, "usersecuritygrouplist[0].group": {"web"},
		"usersecuritygrouplist[1].account": {"eve"}, "usersecuritygrouplist[1].group": {"db"}},
		apiParams(only(t, fs, "authorizeSecurityGroupEgress")))

	for _, cmd := range []string{"revokeSecurityGroupIngress", "revokeSecurityGroupEgress"} {
		fs.reset()
		fs.override(cmd, `{"`+cmd+`response":{"jobid":"1149342"}}`)
		revoke := d.ExRevokeSecurityGroupIngress
		if cmd == "revokeSecurityGroupEgress" {
			revoke = d.ExRevokeSecurityGroupEgress
		}
		require.NoError(t, revoke(t.Context(), "4444"))
		assert.Equal(t, url.Values{"command": {cmd}, "id": {"4444"}}, apiParams(only(t, fs, cmd)))
		assert.ErrorIs(t, revoke(t.Context(), ""), compute.ErrInvalidArgument)
	}
}

func TestFixtures_ExAffinityGroups(t *testing.T) {
	d, fs := newFixtureDriver(t)
	groups, err := d.ExListAffinityGroups(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, "11112", groups[0].ID)
	assert.Equal(t, "MyAG", groups[0].Name)
	assert.Equal(t, "MyAGType", groups[0].Type)
	groups, err = d.ExListAffinityGroups(t.Context(), &cloudstack.ListAffinityGroupsOptions{Name: "MyA", Type: "t", ID: "i",
		VirtualMachineID: "vm", Keyword: "k"})
	require.NoError(t, err)
	assert.Empty(t, groups, "exact names")
	assert.Equal(t, url.Values{"command": {"listAffinityGroups"}, "name": {"MyA"}, "type": {"t"}, "id": {"i"},
		"virtualmachineid": {"vm"}, "keyword": {"k"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(fs.sent("listAffinityGroups")[1]))

	types, err := d.ExListAffinityGroupTypes(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []cloudstack.AffinityGroupType{{Type: "MyAGType"}}, types, "read from the camel-case affinityGroupType key")

	fs.reset()
	g, err := d.ExCreateAffinityGroup(t.Context(), "MyAG2", "MyAGType", &cloudstack.CreateAffinityGroupOptions{Description: "d"})
	require.NoError(t, err)
	assert.Equal(t, "11113", g.ID)
	assert.Equal(t, "MyAG2", g.Name)
	assert.Equal(t, []string{"createAffinityGroup", "queryAsyncJobResult"}, fs.commands(), "no listing first")
	assert.Equal(t, url.Values{"command": {"createAffinityGroup"}, "name": {"MyAG2"}, "type": {"MyAGType"}, "description": {"d"}},
		apiParams(only(t, fs, "createAffinityGroup")))
	_, err = d.ExCreateAffinityGroup(t.Context(), "x", "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)

	fs.reset()
	require.NoError(t, d.ExDeleteAffinityGroup(t.Context(), "11113"))
	assert.Equal(t, url.Values{"command": {"deleteAffinityGroup"}, "id": {"11113"}}, apiParams(only(t, fs, "deleteAffinityGroup")))
}

func TestFixtures_ExListProjects(t *testing.T) {
	d, fs := newFixtureDriver(t)
	projects, err := d.ExListProjects(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, projects, 1)
	p := projects[0]
	assert.Equal(t, "e7ce14a8-abb7-48b9-931f-5f426febed6d", p.ID)
	assert.Equal(t, "ExampleProjectName", p.Name)
	assert.Equal(t, "ExampleProject", p.DisplayText)
	assert.Equal(t, cloudstack.Limit(32), p.CPULimit)
	assert.Equal(t, int64(14), p.CPUTotal)
	assert.Equal(t, cloudstack.Limit(18), p.CPUAvailable)
	assert.Equal(t, cloudstack.Unlimited, p.NetworkLimit, `"Unlimited" is -1, as Libcloud parses it`)
	assert.Equal(t, cloudstack.Limit(0), p.VPCLimit)
	assert.Equal(t, float64(183), p.SecondaryStorageTotal)
	assert.Equal(t, int64(7), p.VMRunning)
	assert.Equal(t, "CB0512", p.Extra["account"])
	assert.Equal(t, url.Values{"command": {"listProjects"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listProjects")))

	fs.reset()
	projects, err = d.ExListProjects(t.Context(), &cloudstack.ListProjectsOptions{Name: "ExampleProject", ID: "i",
		DisplayText: "dt", State: "Active", Keyword: "k", Tags: map[string]string{"a": "b"}, Account: "acc", DomainID: "dom",
		IsRecursive: true, ListAll: true, Username: "u"})
	require.NoError(t, err)
	assert.Empty(t, projects, "exact names")
	assert.Equal(t, url.Values{"command": {"listProjects"}, "name": {"ExampleProject"}, "id": {"i"}, "displaytext": {"dt"},
		"state": {"Active"}, "keyword": {"k"}, "tags[0].key": {"a"}, "tags[0].value": {"b"}, "account": {"acc"},
		"domainid": {"dom"}, "isrecursive": {"true"}, "listall": {"true"}, "username": {"u"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listProjects")))

	d2, err := cloudstack.New(&cloudstack.Options{URL: d.Endpoint(), Key: "apikey", Secret: "secret",
		Settings: cloudstack.Settings{ProjectID: "proj"}})
	require.NoError(t, err)
	fs.reset()
	_, err = d2.ExListProjects(t.Context(), nil)
	require.NoError(t, err)
	assert.False(t, only(t, fs, "listProjects").params.Has("projectid"), "listProjects takes no projectid")
}

func TestFixtures_ExLimits(t *testing.T) {
	d, fs := newFixtureDriver(t)
	l, err := d.ExLimits(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"max_instances": 20, "max_public_ips": -1, "max_volumes": 20, "max_snapshots": 20,
		"max_images": 20, "max_projects": -1, "max_networks": 20, "max_vpc": 20, "max_cpu": -1, "max_memory": -1,
		"max_primary_storage": -1, "max_secondary_storage": -1}, l.Map())
	assert.Equal(t, int64(20), l.MaxInstances)
	require.Len(t, l.Rows, 8)
	assert.Equal(t, 7, l.Rows[7].ResourceType)
	assert.Equal(t, "fakeuser@mycompany.com", l.Rows[0].Account)
	assert.Equal(t, url.Values{"command": {"listResourceLimits"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listResourceLimits")))

	fs.reset()
	_, err = d.ExLimits(t.Context(), &cloudstack.LimitsOptions{OwnerOptions: cloudstack.OwnerOptions{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Equal(t, "p", only(t, fs, "listResourceLimits").params.Get("projectid"))
}

func TestFixtures_ExListOSTypes(t *testing.T) {
	d, fs := newFixtureDriver(t)
	types, err := d.ExListOSTypes(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, types, 146)
	assert.Equal(t, cloudstack.OSType{ID: "1", OSCategoryID: "1", Description: "CentOS 4.5 (32-bit)"}, types[2])
	assert.Equal(t, url.Values{"command": {"listOsTypes"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listOsTypes")))

	fs.reset()
	_, err = d.ExListOSTypes(t.Context(), &cloudstack.ListOSTypesOptions{ID: "1", Description: "d", OSCategoryID: "c", Keyword: "k"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listOsTypes"}, "id": {"1"}, "description": {"d"}, "oscategoryid": {"c"},
		"keyword": {"k"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listOsTypes")))
}

func TestFixtures_ExRegisterISO(t *testing.T) {
	d, fs := newFixtureDriver(t)
	fs.override("registerIso", `{"registerisoresponse":{"count":1,"iso":[{"id":"3b8ab30e","name":"rescue","displaytext":"rescue",
		"ispublic":false,"isready":false,"bootable":false,"isfeatured":false,"crossZones":false,"ostypeid":"138",
		"ostypename":"None","account":"admin","zoneid":"1","zonename":"Sydney","status":"","format":"ISO","checksum":"",
		"directdownload":false,"tags":[]}]}}`)
	iso, err := d.ExRegisterISO(t.Context(), "rescue", "http://example.com/rescue.iso", &cloudstack.RegisterISOOptions{Bootable: new(false)})
	require.NoError(t, err)
	assert.Equal(t, "3b8ab30e", iso.ID)
	assert.Equal(t, "ISO", iso.Format)
	assert.Equal(t, "1", iso.ZoneID)
	assert.Equal(t, []string{"listZones", "registerIso"}, fs.commands(), "the first zone, as Libcloud")
	r := only(t, fs, "registerIso")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"registerIso"}, "name": {"rescue"}, "displaytext": {"rescue"},
		"url": {"http://example.com/rescue.iso"}, "zoneid": {"1"}, "bootable": {"false"}}, apiParams(r))

	fs.reset()
	_, err = d.ExRegisterISO(t.Context(), "rescue", "http://example.com/rescue.iso", &cloudstack.RegisterISOOptions{
		ZoneID: "-1", DisplayText: "Rescue", OSTypeID: "os", IsPublic: new(true), IsFeatured: new(false), IsExtractable: new(true),
		PasswordEnabled: new(false), IsDynamicallyScalable: new(true), DirectDownload: new(false), Checksum: "{md5}abc",
		OwnerOptions: cloudstack.OwnerOptions{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"registerIso"}, "name": {"rescue"}, "displaytext": {"Rescue"},
		"url": {"http://example.com/rescue.iso"}, "zoneid": {"-1"}, "ostypeid": {"os"}, "ispublic": {"true"},
		"isfeatured": {"false"}, "isextractable": {"true"}, "passwordenabled": {"false"}, "isdynamicallyscalable": {"true"},
		"directdownload": {"false"}, "checksum": {"{md5}abc"}, "projectid": {"p"}}, apiParams(only(t, fs, "registerIso")))

	fs.reset()
	for _, c := range []struct{ name, url string }{{"", "http://x/y.iso"}, {"n", ""}} {
		_, err := d.ExRegisterISO(t.Context(), c.name, c.url, &cloudstack.RegisterISOOptions{Bootable: new(false)})
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	_, err = d.ExRegisterISO(t.Context(), "n", "http://x/y.iso", &cloudstack.RegisterISOOptions{Bootable: new(true)})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "a bootable ISO needs an OS type")
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExCreateSnapshotTemplate(t *testing.T) {
	d, fs := newFixtureDriver(t)
	img, err := d.ExCreateSnapshotTemplate(t.Context(), "snap", "test-libcloud-template", "99", &cloudstack.SnapshotTemplateOptions{
		DisplayText: "t", PasswordEnabled: new(true), SSHKeyEnabled: new(false), IsPublic: new(false), IsFeatured: new(false),
		IsDynamicallyScalable: new(true), RequiresHVM: new(true), Bits: 64, TemplateTag: "tag", ProjectID: "p"})
	require.NoError(t, err)
	assert.Equal(t, "10260", img.ID)
	assert.Equal(t, "test-libcloud-template", img.Name)
	assert.Equal(t, "VMware", img.Extra["hypervisor"])
	assert.Equal(t, "OVA", img.Extra["format"])
	assert.Equal(t, "Other Linux (64-bit)", img.Extra["os"])
	tpl := img.Extra["template"].(*cloudstack.Template)
	assert.Equal(t, "10259", tpl.SourceTemplateID)
	assert.Equal(t, url.Values{"command": {"createTemplate"}, "snapshotid": {"snap"}, "name": {"test-libcloud-template"},
		"ostypeid": {"99"}, "displaytext": {"t"}, "passwordenabled": {"true"}, "sshkeyenabled": {"false"}, "ispublic": {"false"},
		"isfeatured": {"false"}, "isdynamicallyscalable": {"true"}, "requireshvm": {"true"}, "bits": {"64"},
		"templatetag": {"tag"}, "projectid": {"p"}}, apiParams(only(t, fs, "createTemplate")))

	fs.reset()
	_, err = d.ExCreateSnapshotTemplate(t.Context(), "snap", "n", "99", nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createTemplate"}, "snapshotid": {"snap"}, "name": {"n"}, "ostypeid": {"99"},
		"displaytext": {"n"}}, apiParams(only(t, fs, "createTemplate")))
	for _, args := range [][3]string{{"", "n", "99"}, {"s", "", "99"}, {"s", "n", ""}} {
		_, err := d.ExCreateSnapshotTemplate(t.Context(), args[0], args[1], args[2], nil)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
}

func TestFixtures_ExGetVolume(t *testing.T) {
	d, fs := newFixtureDriver(t)
	v, err := d.ExGetVolume(t.Context(), "fe1ada16-57a0-40ae-b577-01a153690fb4", &cloudstack.GetVolumeOptions{ProjectID: "p"})
	require.NoError(t, err)
	assert.Equal(t, "ROOT-69942", v.Name)
	assert.Equal(t, 1, v.Size, "139264 bytes round up to 1 GB")
	assert.Equal(t, "3239ade9-fd25-405c-8eda-59f0313a3fb0", v.NodeID)
	assert.Equal(t, url.Values{"command": {"listVolumes"}, "id": {"fe1ada16-57a0-40ae-b577-01a153690fb4"}, "listall": {"true"},
		"projectid": {"p"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVolumes")))

	fs.reset()
	_, err = d.ExGetVolume(t.Context(), "other", nil)
	assert.ErrorIs(t, err, compute.ErrNotFound)
	reqs := fs.sent("listVolumes")
	require.Len(t, reqs, 2, "looked for among every project's volumes too")
	assert.False(t, reqs[0].params.Has("projectid"))
	assert.Equal(t, "-1", reqs[1].params.Get("projectid"))
}

func TestFixtures_ExTags(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExCreateTags(t.Context(), []string{"1", "2"}, "UserVm", map[string]string{"b": "2", "a": "1"}))
	r := only(t, fs, "createTags")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createTags"}, "resourceids": {"1,2"}, "resourcetype": {"UserVm"},
		"tags[0].key": {"a"}, "tags[0].value": {"1"}, "tags[1].key": {"b"}, "tags[1].value": {"2"}}, apiParams(r))
	assert.Len(t, fs.sent("queryAsyncJobResult"), 1)

	fs.reset()
	require.NoError(t, d.ExDeleteTags(t.Context(), []string{"1"}, "UserVm", []string{"a", "b"}))
	assert.Equal(t, url.Values{"command": {"deleteTags"}, "resourceids": {"1"}, "resourcetype": {"UserVm"},
		"tags[0].key": {"a"}, "tags[1].key": {"b"}}, apiParams(only(t, fs, "deleteTags")))

	fs.override("listTags", `{"listtagsresponse":{"count":1,"tag":[{"key":"a","value":"1","resourcetype":"UserVm",
		"resourceid":"1","account":"admin","domainid":"d","domain":"ROOT"}]}}`)
	tags, err := d.ExListTags(t.Context(), &cloudstack.ListTagsOptions{ResourceType: "UserVm", ResourceID: "1", Key: "a",
		Value: "1", Customer: "c", Keyword: "k", ListScope: cloudstack.ListScope{ListAll: true}})
	require.NoError(t, err)
	assert.Equal(t, []cloudstack.Tag{{Key: "a", Value: "1", ResourceType: "UserVm", ResourceID: "1",
		Owner: cloudstack.Owner{Account: "admin", DomainID: "d", Domain: "ROOT"}}}, tags)
	assert.Equal(t, url.Values{"command": {"listTags"}, "resourcetype": {"UserVm"}, "resourceid": {"1"}, "key": {"a"},
		"value": {"1"}, "customer": {"c"}, "keyword": {"k"}, "listall": {"true"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listTags")))
}
