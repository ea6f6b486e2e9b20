package cloudstack_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// The tests of this file run the network, VPC, router and network ACL Ex
// methods against Libcloud's recorded answers.

func TestFixtures_ExListNetworks(t *testing.T) {
	d, fs := newFixtureDriver(t)
	nets, err := d.ExListNetworks(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, nets, 1)
	n := nets[0]
	assert.Equal(t, "00304a04-c7ea-4e77-a786-18bc64347bf7", n.ID)
	assert.Equal(t, "guestNetworkForBasicZone", n.Name)
	assert.Equal(t, "Shared", n.Type)
	assert.Equal(t, "Domain", n.ACLType)
	assert.Equal(t, "Setup", n.State)
	assert.Equal(t, "45964a3a-8a1c-4438-a377-0ff1e264047a", n.NetworkOfferingID)
	assert.Equal(t, "1128bd56-b4d9-4ac6-a7b9-c715b187ce11", n.ZoneID)
	assert.Equal(t, "80.245.17.229", n.DNS1)
	assert.True(t, n.CanUseForDeploy)
	assert.True(t, n.SubdomainAccess)
	assert.False(t, n.IsSystem)
	require.Len(t, n.Services, 3)
	assert.Equal(t, "SecurityGroup", n.Services[0].Name)
	assert.Equal(t, "ROOT", n.Domain)
	assert.Empty(t, n.Extra)
	r := only(t, fs, "listNetworks")
	assert.Equal(t, url.Values{"command": {"listNetworks"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(r))

	// Filters are sent under their spec names; Name narrows with keyword
	// and is then matched exactly.
	fs.reset()
	nets, err = d.ExListNetworks(t.Context(), &cloudstack.ListNetworksOptions{
		ListScope: cloudstack.ListScope{ProjectID: "p1", ListAll: true, Account: "a", DomainID: "dom", IsRecursive: true},
		ID:        "i", Name: "guestNetwork", ZoneID: "z", VPCID: "v", Type: "Isolated", TrafficType: "Guest", ACLType: "Account",
		NetworkOfferingID: "o", CanUseForDeploy: new(true), ForVPC: new(false), IsSystem: new(false), RestartRequired: new(true),
		SupportedServices: []string{"SourceNat", "Dhcp"}, Tags: map[string]string{"env": "prod"},
	})
	require.NoError(t, err)
	assert.Empty(t, nets, "guestNetwork is not guestNetworkForBasicZone")
	assert.Equal(t, url.Values{"command": {"listNetworks"}, "projectid": {"p1"}, "listall": {"true"}, "account": {"a"},
		"domainid": {"dom"}, "isrecursive": {"true"}, "id": {"i"}, "keyword": {"guestNetwork"}, "zoneid": {"z"}, "vpcid": {"v"},
		"type": {"Isolated"}, "traffictype": {"Guest"}, "acltype": {"Account"}, "networkofferingid": {"o"},
		"canusefordeploy": {"true"}, "forvpc": {"false"}, "issystem": {"false"}, "restartrequired": {"true"},
		"supportedservices": {"SourceNat,Dhcp"}, "tags[0].key": {"env"}, "tags[0].value": {"prod"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listNetworks")))

	fs.reset()
	nets, err = d.ExListNetworks(t.Context(), &cloudstack.ListNetworksOptions{Name: "guestNetworkForBasicZone", Keyword: "guest"})
	require.NoError(t, err)
	assert.Len(t, nets, 1)
	assert.Equal(t, "guest", only(t, fs, "listNetworks").params.Get("keyword"), "an explicit keyword wins")
}

func TestFixtures_ExListNetworksEmpty(t *testing.T) {
	d, fs := newFixtureDriver(t)
	fs.override("listNetworks", `{"listnetworksresponse":{}}`)
	nets, err := d.ExListNetworks(t.Context(), nil)
	require.NoError(t, err)
	assert.NotNil(t, nets)
	assert.Empty(t, nets)
}

func TestFixtures_ExListNetworksProjectSetting(t *testing.T) {
	d0, fs := newFixtureDriver(t)
	d, err := cloudstack.New(&cloudstack.Options{URL: d0.Endpoint(), Key: "apikey", Secret: "secret",
		Settings: cloudstack.Settings{ProjectID: "proj", ListAll: true}})
	require.NoError(t, err)
	_, err = d.ExListNetworks(t.Context(), nil)
	require.NoError(t, err)
	r := only(t, fs, "listNetworks")
	assert.Equal(t, "proj", r.params.Get("projectid"))
	assert.Equal(t, "true", r.params.Get("listall"))
}

func TestFixtures_ExCreateNetwork(t *testing.T) {
	d, fs := newFixtureDriver(t)
	n, err := d.ExCreateNetwork(t.Context(), &cloudstack.CreateNetworkRequest{
		Name: "test", NetworkOfferingID: "c348cabe-0208-49e0-91ad-32b88c55fd8c", ZoneID: "2",
		Gateway: "10.1.1.1", Netmask: "255.255.255.0", NetworkDomain: "test.local",
		Owner: cloudstack.OwnerOptions{ProjectID: "d5f1209d-3a28-4dfb-8cc1-884e5d5e1d56"},
	})
	require.NoError(t, err)
	assert.Equal(t, "a804d341-996e-4d9a-b2b0-226c648dc6e3", n.ID)
	assert.Equal(t, "test", n.Name)
	assert.Equal(t, "10.1.1.0/24", n.CIDR)
	assert.Equal(t, "Allocated", n.State)
	assert.Equal(t, "Isolated", n.Type)
	assert.Equal(t, "rkuipers_admin", n.Account)
	assert.Equal(t, "d5f1209d-3a28-4dfb-8cc1-884e5d5e1d56", n.ProjectID)
	require.NotEmpty(t, n.Services)
	assert.Equal(t, "Firewall", n.Services[0].Name)
	require.NotEmpty(t, n.Services[0].Capabilities)
	assert.Equal(t, "SupportedProtocols", n.Services[0].Capabilities[0].Name)
	assert.Equal(t, "tcp,udp,icmp", n.Services[0].Capabilities[0].Value)
	r := only(t, fs, "createNetwork")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createNetwork"}, "name": {"test"}, "displaytext": {"test"},
		"networkofferingid": {"c348cabe-0208-49e0-91ad-32b88c55fd8c"}, "zoneid": {"2"}, "gateway": {"10.1.1.1"},
		"netmask": {"255.255.255.0"}, "networkdomain": {"test.local"}, "projectid": {"d5f1209d-3a28-4dfb-8cc1-884e5d5e1d56"}},
		apiParams(r))
	assert.NotContains(t, fs.commands(), "queryAsyncJobResult", "createNetwork is synchronous")

	fs.reset()
	_, err = d.ExCreateNetwork(t.Context(), &cloudstack.CreateNetworkRequest{Name: "tier", DisplayText: "Tier 1",
		NetworkOfferingID: "o", ZoneID: "z", Gateway: "10.0.1.1", Netmask: "255.255.255.0", VPCID: "v", ACLID: "acl",
		DisplayNetwork: new(false), Owner: cloudstack.OwnerOptions{Account: "bob", DomainID: "dom"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createNetwork"}, "name": {"tier"}, "displaytext": {"Tier 1"},
		"networkofferingid": {"o"}, "zoneid": {"z"}, "gateway": {"10.0.1.1"}, "netmask": {"255.255.255.0"},
		"vpcid": {"v"}, "aclid": {"acl"}, "displaynetwork": {"false"}, "account": {"bob"}, "domainid": {"dom"}},
		apiParams(only(t, fs, "createNetwork")))

	fs.reset()
	for _, bad := range []*cloudstack.CreateNetworkRequest{
		nil, {NetworkOfferingID: "o", ZoneID: "z"}, {Name: "n", ZoneID: "z"}, {Name: "n", NetworkOfferingID: "o"},
		{Name: "n", NetworkOfferingID: "o", ZoneID: "z", Gateway: "10.0.0.1"},
	} {
		_, err := d.ExCreateNetwork(t.Context(), bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExDeleteNetwork(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExDeleteNetwork(t.Context(), "a804d341-996e-4d9a-b2b0-226c648dc6e3", nil))
	r := only(t, fs, "deleteNetwork")
	assert.Equal(t, url.Values{"command": {"deleteNetwork"}, "id": {"a804d341-996e-4d9a-b2b0-226c648dc6e3"}}, apiParams(r),
		"forced is not sent (Libcloud sends forced=None)")
	assert.Equal(t, "deleteNetwork", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.reset()
	require.NoError(t, d.ExDeleteNetwork(t.Context(), "n", &cloudstack.DeleteNetworkOptions{Forced: true}))
	assert.Equal(t, "true", only(t, fs, "deleteNetwork").params.Get("forced"))

	// A job answering success=false is an error.
	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobstatus":1,"jobresult":{"success":false,"displaytext":"refused"}}}`)
	err := d.ExDeleteNetwork(t.Context(), "n", nil)
	require.ErrorIs(t, err, compute.ErrInternal)
	assert.Contains(t, err.Error(), "refused")
	assert.ErrorIs(t, d.ExDeleteNetwork(t.Context(), "", nil), compute.ErrInvalidArgument)
}

func TestFixtures_ExListNetworkOfferings(t *testing.T) {
	d, fs := newFixtureDriver(t)
	offs, err := d.ExListNetworkOfferings(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, offs, 2)
	o := offs[0]
	assert.Equal(t, "c348cabe-0208-49e0-91ad-32b88c55fd8c", o.ID)
	assert.Equal(t, "SourceNatNiciraNvpNetwork", o.Name)
	assert.Equal(t, "Isolated", o.GuestIPType)
	assert.Equal(t, "BETA-SBP-DC-1-pSTT", o.Tags)
	assert.Equal(t, -1, o.NetworkRate)
	assert.True(t, o.IsDefault)
	assert.False(t, o.ForVPC)
	assert.Equal(t, "01f93707-3a35-44a6-84e9-ea767287a6b2", o.ServiceOfferingID)
	require.NotEmpty(t, o.Services)
	assert.Equal(t, "VirtualRouter", o.Services[0].Providers[0].Name)
	assert.Equal(t, "7c09e208-2af5-43d6-9f0b-53868ef788ea", offs[1].ID)
	assert.Equal(t, url.Values{"command": {"listNetworkOfferings"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listNetworkOfferings")))

	fs.reset()
	offs, err = d.ExListNetworkOfferings(t.Context(), &cloudstack.ListNetworkOfferingsOptions{
		ID: "i", Name: "SourceNatNiciraNvpNetwork", ZoneID: "z", NetworkID: "n", GuestIPType: "Isolated", State: "Enabled",
		Availability: "Optional", TrafficType: "Guest", Keyword: "k", ForVPC: new(false), IsDefault: new(true),
		SourceNATSupported: new(true), SpecifyVLAN: new(false), SupportedServices: []string{"Vpn"},
	})
	require.NoError(t, err)
	require.Len(t, offs, 1, "the name is matched exactly")
	assert.Equal(t, url.Values{"command": {"listNetworkOfferings"}, "id": {"i"}, "name": {"SourceNatNiciraNvpNetwork"},
		"zoneid": {"z"}, "networkid": {"n"}, "guestiptype": {"Isolated"}, "state": {"Enabled"}, "availability": {"Optional"},
		"traffictype": {"Guest"}, "keyword": {"k"}, "forvpc": {"false"}, "isdefault": {"true"}, "sourcenatsupported": {"true"},
		"specifyvlan": {"false"}, "supportedservices": {"Vpn"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listNetworkOfferings")))
}

func TestFixtures_ExListVPCOfferings(t *testing.T) {
	d, fs := newFixtureDriver(t)
	offs, err := d.ExListVPCOfferings(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, offs, 1)
	assert.Equal(t, "cd7dbd68-4333-4507-b80d-9840cab32841", offs[0].ID)
	assert.Equal(t, "Default VPC  offering with Netscaler", offs[0].Name)
	assert.Equal(t, "Enabled", offs[0].State)
	assert.False(t, offs[0].IsDefault)
	require.Len(t, offs[0].Services, 9)
	assert.Equal(t, "Lb", offs[0].Services[5].Name)
	assert.Equal(t, []cloudstack.ServiceProvider{{Name: "Netscaler"}, {Name: "InternalLbVm"}}, offs[0].Services[5].Providers)
	assert.Equal(t, url.Values{"command": {"listVPCOfferings"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listVPCOfferings")))

	fs.reset()
	_, err = d.ExListVPCOfferings(t.Context(), &cloudstack.ListVPCOfferingsOptions{ID: "i", Name: "n", ZoneID: "z",
		State: "Enabled", Keyword: "k", IsDefault: new(true), SupportedServices: []string{"Vpn", "NetworkACL"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listVPCOfferings"}, "id": {"i"}, "name": {"n"}, "zoneid": {"z"},
		"state": {"Enabled"}, "keyword": {"k"}, "isdefault": {"true"}, "supportedservices": {"Vpn,NetworkACL"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVPCOfferings")))
}

func TestFixtures_ExListVPCs(t *testing.T) {
	d, fs := newFixtureDriver(t)
	vpcs, err := d.ExListVPCs(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, vpcs, 1)
	v := vpcs[0]
	assert.Equal(t, "6adc8ad1-a8a1-4a4e-af75-2c3643297041", v.ID)
	assert.Equal(t, "test", v.Name)
	assert.Equal(t, "10.1.1.0/16", v.CIDR)
	assert.Equal(t, "Enabled", v.State)
	assert.Equal(t, "2", v.ZoneID)
	assert.Equal(t, "ef58092b-8547-4d41-8dc3-cdaa471e12b1", v.VPCOfferingID)
	assert.Equal(t, "test.local", v.NetworkDomain)
	assert.Equal(t, "test_admin", v.Account)
	assert.Empty(t, v.Networks)
	assert.Len(t, v.Services, 10)
	assert.Equal(t, url.Values{"command": {"listVPCs"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVPCs")))

	fs.reset()
	vpcs, err = d.ExListVPCs(t.Context(), &cloudstack.ListVPCsOptions{ListScope: cloudstack.ListScope{ProjectID: "p"},
		ID: "i", Name: "tes", ZoneID: "z", VPCOfferingID: "o", CIDR: "10.0.0.0/16", State: "Enabled", Keyword: "k",
		RestartRequired: new(false), Tags: map[string]string{"b": "2", "a": "1"}})
	require.NoError(t, err)
	assert.Empty(t, vpcs, `"tes" does not match "test"`)
	assert.Equal(t, url.Values{"command": {"listVPCs"}, "projectid": {"p"}, "id": {"i"}, "name": {"tes"}, "zoneid": {"z"},
		"vpcofferingid": {"o"}, "cidr": {"10.0.0.0/16"}, "state": {"Enabled"}, "keyword": {"k"}, "restartrequired": {"false"},
		"tags[0].key": {"a"}, "tags[0].value": {"1"}, "tags[1].key": {"b"}, "tags[1].value": {"2"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVPCs")))
}

// createVPCJob is the job result of createVPC_default's job, which
// Libcloud's fixtures lack (Libcloud does not wait for it).
const createVPCJob = `{"queryasyncjobresultresponse":{"jobid":"f618f672-c714-4031-8c79-bb1300a2163c","jobstatus":1,
"jobresultcode":0,"jobresulttype":"object","cmd":"org.apache.cloudstack.api.command.user.vpc.CreateVPCCmd",
"jobresult":{"vpc":{"id":"c78499e1-b3a2-4a2a-9759-c2bcb1b79cd4","name":"test","displaytext":"test","state":"Enabled",
"zoneid":"2","cidr":"10.1.1.0/16","vpcofferingid":"ef58092b-8547-4d41-8dc3-cdaa471e12b1","networkdomain":"test.local",
"restartrequired":false,"network":[],"tags":[],"redundantvpcrouter":false,"distributedvpcrouter":false}}}}`

func TestFixtures_ExCreateVPC(t *testing.T) {
	d, fs := newFixtureDriver(t)
	fs.override("queryAsyncJobResult", createVPCJob)
	v, err := d.ExCreateVPC(t.Context(), &cloudstack.CreateVPCRequest{Name: "test", CIDR: "10.1.1.0/16",
		VPCOfferingID: "ef58092b-8547-4d41-8dc3-cdaa471e12b1", ZoneID: "2", NetworkDomain: "test.local"})
	require.NoError(t, err)
	assert.Equal(t, "c78499e1-b3a2-4a2a-9759-c2bcb1b79cd4", v.ID)
	assert.Equal(t, "Enabled", v.State)
	assert.Equal(t, "10.1.1.0/16", v.CIDR)
	r := only(t, fs, "createVPC")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createVPC"}, "name": {"test"}, "displaytext": {"test"}, "cidr": {"10.1.1.0/16"},
		"vpcofferingid": {"ef58092b-8547-4d41-8dc3-cdaa471e12b1"}, "zoneid": {"2"}, "networkdomain": {"test.local"}}, apiParams(r))
	assert.Equal(t, "f618f672-c714-4031-8c79-bb1300a2163c", only(t, fs, "queryAsyncJobResult").params.Get("jobid"),
		"createVPC is async: the job is awaited")

	fs.reset()
	_, err = d.ExCreateVPC(t.Context(), &cloudstack.CreateVPCRequest{Name: "n", DisplayText: "N", CIDR: "10.0.0.0/16",
		VPCOfferingID: "o", ZoneID: "z", DNS1: "1.1.1.1", DNS2: "8.8.8.8", Start: new(false),
		Owner: cloudstack.OwnerOptions{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createVPC"}, "name": {"n"}, "displaytext": {"N"}, "cidr": {"10.0.0.0/16"},
		"vpcofferingid": {"o"}, "zoneid": {"z"}, "dns1": {"1.1.1.1"}, "dns2": {"8.8.8.8"}, "start": {"false"},
		"projectid": {"p"}}, apiParams(only(t, fs, "createVPC")))

	fs.reset()
	for _, bad := range []*cloudstack.CreateVPCRequest{nil, {CIDR: "c", VPCOfferingID: "o", ZoneID: "z"},
		{Name: "n", VPCOfferingID: "o", ZoneID: "z"}, {Name: "n", CIDR: "c", ZoneID: "z"}, {Name: "n", CIDR: "c", VPCOfferingID: "o"}} {
		_, err := d.ExCreateVPC(t.Context(), bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExDeleteVPC(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExDeleteVPC(t.Context(), "c78499e1-b3a2-4a2a-9759-c2bcb1b79cd4"))
	assert.Equal(t, url.Values{"command": {"deleteVPC"}, "id": {"c78499e1-b3a2-4a2a-9759-c2bcb1b79cd4"}},
		apiParams(only(t, fs, "deleteVPC")))
	assert.Equal(t, "deleteVPC", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
	assert.ErrorIs(t, d.ExDeleteVPC(t.Context(), ""), compute.ErrInvalidArgument)
}

func TestFixtures_ExListRouters(t *testing.T) {
	d, fs := newFixtureDriver(t)
	routers, err := d.ExListRouters(t.Context(), &cloudstack.ListRoutersOptions{VPCID: "3ec197ca-167f-40f0-b306-edf97a0490bf"})
	require.NoError(t, err)
	require.Len(t, routers, 1)
	r := routers[0]
	assert.Equal(t, "634c57f2-5ea2-487b-a5d3-5bb5550de691", r.ID)
	assert.Equal(t, "r-21786-VM", r.Name)
	assert.Equal(t, "Running", r.State)
	assert.Equal(t, "178.237.34.110", r.PublicIP)
	assert.Equal(t, "3ec197ca-167f-40f0-b306-edf97a0490bf", r.VPCID)
	assert.Equal(t, "VIRTUAL_ROUTER", r.Role)
	assert.Equal(t, "10.10.10.1", r.GuestIPAddress)
	require.Len(t, r.NICs, 2)
	assert.Equal(t, "Public", r.NICs[0].TrafficType)
	assert.Equal(t, "lswitch:3a682dc2-2c86-439a-97cf-e594957e9e72", r.NICs[1].BroadcastURI)
	assert.Equal(t, url.Values{"command": {"listRouters"}, "vpcid": {"3ec197ca-167f-40f0-b306-edf97a0490bf"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listRouters")))

	fs.reset()
	routers, err = d.ExListRouters(t.Context(), &cloudstack.ListRoutersOptions{ListScope: cloudstack.ListScope{ListAll: true},
		ID: "i", Name: "r-21786", NetworkID: "n", ZoneID: "z", State: "Running", Keyword: "k", ForVPC: new(true)})
	require.NoError(t, err)
	assert.Empty(t, routers)
	assert.Equal(t, url.Values{"command": {"listRouters"}, "listall": {"true"}, "id": {"i"}, "name": {"r-21786"},
		"networkid": {"n"}, "zoneid": {"z"}, "state": {"Running"}, "keyword": {"k"}, "forvpc": {"true"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listRouters")))
}

// createACLListJob is the job result of createNetworkACLList_default's
// job, which Libcloud's fixtures lack.
const createACLListJob = `{"queryasyncjobresultresponse":{"jobid":"0e6707fa-15d9-4cd4-8e16-fd58232321e1","jobstatus":1,
"jobresultcode":0,"jobresulttype":"object","jobresult":{"networkacllist":{"id":"5692ffdc-d98e-4c7e-a53e-817835e97694",
"name":"test","description":"test","vpcid":"cf698ec3-edd0-466c-a8f6-f9096700b6ec","fordisplay":true}}}}`

func TestFixtures_ExCreateNetworkACLList(t *testing.T) {
	d, fs := newFixtureDriver(t)
	fs.override("queryAsyncJobResult", createACLListJob)
	l, err := d.ExCreateNetworkACLList(t.Context(), "test", "cf698ec3-edd0-466c-a8f6-f9096700b6ec",
		&cloudstack.CreateNetworkACLListOptions{Description: "test", ForDisplay: new(true)})
	require.NoError(t, err)
	assert.Equal(t, "5692ffdc-d98e-4c7e-a53e-817835e97694", l.ID)
	assert.Equal(t, "test", l.Name)
	assert.Equal(t, "cf698ec3-edd0-466c-a8f6-f9096700b6ec", l.VPCID)
	assert.True(t, l.ForDisplay)
	assert.Equal(t, url.Values{"command": {"createNetworkACLList"}, "name": {"test"}, "vpcid": {"cf698ec3-edd0-466c-a8f6-f9096700b6ec"},
		"description": {"test"}, "fordisplay": {"true"}}, apiParams(only(t, fs, "createNetworkACLList")))
	assert.Equal(t, "0e6707fa-15d9-4cd4-8e16-fd58232321e1", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.reset()
	_, err = d.ExCreateNetworkACLList(t.Context(), "", "v", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExCreateNetworkACLList(t.Context(), "n", "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExListNetworkACLLists(t *testing.T) {
	d, fs := newFixtureDriver(t)
	lists, err := d.ExListNetworkACLLists(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, lists, 1)
	assert.Equal(t, cloudstack.NetworkACLList{ID: "54bd8cc6-5db0-4f64-8495-a0dfaf3fb4d5", Name: "test", Description: "test",
		VPCID: "cf698ec3-edd0-466c-a8f6-f9096700b6ec"}, lists[0])
	assert.Equal(t, url.Values{"command": {"listNetworkACLLists"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listNetworkACLLists")))

	fs.reset()
	lists, err = d.ExListNetworkACLLists(t.Context(), &cloudstack.ListNetworkACLListsOptions{ID: "i", Name: "tes", VPCID: "v",
		NetworkID: "n", Keyword: "k"})
	require.NoError(t, err)
	assert.Empty(t, lists)
	assert.Equal(t, url.Values{"command": {"listNetworkACLLists"}, "id": {"i"}, "name": {"tes"}, "vpcid": {"v"},
		"networkid": {"n"}, "keyword": {"k"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listNetworkACLLists")))
}

func TestFixtures_ExReplaceNetworkACLList(t *testing.T) {
	d, fs := newFixtureDriver(t)
	// Libcloud has no fixture for it: the server answers a job whose
	// result is a SuccessResponse.
	fs.override("replaceNetworkACLList", `{"replacenetworkacllistresponse":{"jobid":"replace-1"}}`)
	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"replace-1","jobstatus":1,"jobresult":{"success":true}}}`)
	require.NoError(t, d.ExReplaceNetworkACLList(t.Context(), "acl-1", "net-1"))
	r := only(t, fs, "replaceNetworkACLList")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"replaceNetworkACLList"}, "aclid": {"acl-1"}, "networkid": {"net-1"}}, apiParams(r))
	assert.Equal(t, "replace-1", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"replace-1","jobstatus":2,"jobresult":{"errorcode":431,"errortext":"Network and ACL should belong to same VPC"}}}`)
	err := d.ExReplaceNetworkACLList(t.Context(), "acl-1", "net-1")
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "net-1", ce.ID)
	assert.Equal(t, "ExReplaceNetworkACLList", ce.Op)
	assert.ErrorIs(t, d.ExReplaceNetworkACLList(t.Context(), "", "n"), compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExReplaceNetworkACLList(t.Context(), "a", ""), compute.ErrInvalidArgument)
}

func TestFixtures_ExCreateNetworkACL(t *testing.T) {
	d, fs := newFixtureDriver(t)
	acl, err := d.ExCreateNetworkACL(t.Context(), &cloudstack.CreateNetworkACLRequest{
		ACLID: "0420fe87-b781-4579-a083-4890fb718d7e", Protocol: "tcp", CIDRList: []string{"0.0.0.0/0"},
		StartPort: new(1), EndPort: new(1), Action: "Allow", TrafficType: "Egress",
	})
	require.NoError(t, err)
	assert.Equal(t, "54bd8cc6-5db0-4f64-8495-a0dfaf3fb4d5", acl.ID)
	assert.Equal(t, "tcp", acl.Protocol)
	assert.Equal(t, "1", acl.StartPort)
	assert.Equal(t, "Egress", acl.TrafficType)
	assert.Equal(t, 20, acl.Number)
	assert.Equal(t, "Allow", acl.Action)
	assert.Equal(t, "0420fe87-b781-4579-a083-4890fb718d7e", acl.ACLID)
	r := only(t, fs, "createNetworkACL")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createNetworkACL"}, "aclid": {"0420fe87-b781-4579-a083-4890fb718d7e"},
		"protocol": {"tcp"}, "cidrlist": {"0.0.0.0/0"}, "startport": {"1"}, "endport": {"1"}, "action": {"Allow"},
		"traffictype": {"Egress"}}, apiParams(r))
	assert.Equal(t, "111112", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.reset()
	_, err = d.ExCreateNetworkACL(t.Context(), &cloudstack.CreateNetworkACLRequest{NetworkID: "n", Protocol: "icmp",
		ICMPType: new(0), ICMPCode: new(-1), Number: new(5), Reason: "ping", ForDisplay: new(true)})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createNetworkACL"}, "networkid": {"n"}, "protocol": {"icmp"}, "icmptype": {"0"},
		"icmpcode": {"-1"}, "number": {"5"}, "reason": {"ping"}, "fordisplay": {"true"}},
		apiParams(only(t, fs, "createNetworkACL")), "ICMP type 0 is sent: pointers tell it from unset")

	fs.reset()
	for _, bad := range []*cloudstack.CreateNetworkACLRequest{nil, {ACLID: "a"}, {Protocol: "tcp"}} {
		_, err := d.ExCreateNetworkACL(t.Context(), bad)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExListNetworkACLs(t *testing.T) {
	d, fs := newFixtureDriver(t)
	acls, err := d.ExListNetworkACLs(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, acls, 1)
	a := acls[0]
	assert.Equal(t, "54bd8cc6-5db0-4f64-8495-a0dfaf3fb4d5", a.ID)
	assert.Equal(t, "80", a.StartPort)
	assert.Equal(t, "80", a.EndPort)
	assert.Equal(t, "Ingress", a.TrafficType)
	assert.Equal(t, "Active", a.State)
	assert.Equal(t, "0.0.0.0/0", a.CIDRList)
	assert.Equal(t, 1, a.Number)
	assert.Equal(t, "4b1a2ef9-b53a-4e1b-9a45-0408b3ce3494", a.ACLID)
	assert.Equal(t, url.Values{"command": {"listNetworkACLs"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listNetworkACLs")))

	fs.reset()
	_, err = d.ExListNetworkACLs(t.Context(), &cloudstack.ListNetworkACLsOptions{ID: "i", ACLID: "a", NetworkID: "n",
		Protocol: "tcp", Action: "Deny", TrafficType: "Egress", Keyword: "k", Tags: map[string]string{"x": "y"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listNetworkACLs"}, "id": {"i"}, "aclid": {"a"}, "networkid": {"n"},
		"protocol": {"tcp"}, "action": {"Deny"}, "traffictype": {"Egress"}, "keyword": {"k"}, "tags[0].key": {"x"},
		"tags[0].value": {"y"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listNetworkACLs")))
}
