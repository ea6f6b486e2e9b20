package cloudstacksim_test

import (
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// failJob runs an async command whose job must fail with code and returns
// the job's error text.
func failJob(c *apiClient, code int, command string, params map[string]string) string {
	c.t.Helper()
	sub := c.ok(command, params)
	q := c.waitJob(sub["jobid"].(string))
	res, _ := q["jobresult"].(map[string]any)
	if q["jobstatus"].(float64) != 2 || q["jobresultcode"].(float64) != float64(code) || res["errorcode"].(float64) != float64(code) {
		c.t.Fatalf("%s %v: job %v, want a failure with %d", command, params, q, code)
	}
	return res["errortext"].(string)
}

// netCat holds the ids of the VPC catalogue.
type netCat struct {
	cat
	vpcOffering, redundantOffering string
	tierOffering, tierNoLB         string
}

func netCatalogue(c *apiClient) netCat {
	c.t.Helper()
	k := netCat{cat: catalogue(c)}
	for _, o := range items(c.ok("listVPCOfferings", nil), "vpcoffering") {
		switch o["name"] {
		case "Default VPC offering":
			k.vpcOffering = o["id"].(string)
		case "Redundant VPC offering":
			k.redundantOffering = o["id"].(string)
		}
	}
	for _, o := range items(c.ok("listNetworkOfferings", map[string]string{"forvpc": "true"}), "networkoffering") {
		switch o["name"] {
		case "DefaultIsolatedNetworkOfferingForVpcNetworks":
			k.tierOffering = o["id"].(string)
		case "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB":
			k.tierNoLB = o["id"].(string)
		}
	}
	if k.vpcOffering == "" || k.redundantOffering == "" || k.tierOffering == "" || k.tierNoLB == "" {
		c.t.Fatalf("VPC catalogue incomplete: %+v", k)
	}
	return k
}

// newVPC creates a VPC in zone 2 and returns the job's vpc object.
func newVPC(c *apiClient, k netCat, name, cidr string, extra map[string]string) map[string]any {
	c.t.Helper()
	p := map[string]string{"name": name, "displaytext": name, "cidr": cidr, "vpcofferingid": k.vpcOffering, "zoneid": k.zone2}
	for key, v := range extra {
		p[key] = v
	}
	return c.job("createVPC", p)["vpc"].(map[string]any)
}

// newTier creates a tier of a VPC.
func newTier(c *apiClient, k netCat, vpcID, name, gateway, offering string) map[string]any {
	c.t.Helper()
	return c.ok("createNetwork", map[string]string{"name": name, "displaytext": name, "networkofferingid": offering,
		"zoneid": k.zone2, "vpcid": vpcID, "gateway": gateway, "netmask": "255.255.255.0"})["network"].(map[string]any)
}

func TestVPC_Offerings(t *testing.T) {
	c := newSim(t, nil)
	offs := items(c.ok("listVPCOfferings", nil), "vpcoffering")
	if len(offs) != 2 || offs[0]["name"] != "Default VPC offering" || offs[0]["isdefault"] != true || offs[0]["state"] != "Enabled" {
		t.Fatalf("VPC offerings: %v", offs)
	}
	services := map[string]string{}
	for _, s := range offs[0]["service"].([]any) {
		sv := s.(map[string]any)
		services[sv["name"].(string)] = sv["provider"].([]any)[0].(map[string]any)["name"].(string)
	}
	for _, want := range []string{"NetworkACL", "SourceNat", "Vpn", "StaticNat", "PortForwarding"} {
		if services[want] != "VpcVirtualRouter" {
			t.Errorf("service %s: %v", want, services)
		}
	}
	if got := items(c.ok("listVPCOfferings", map[string]string{"isdefault": "true"}), "vpcoffering"); len(got) != 1 {
		t.Errorf("isdefault=true: %v", got)
	}
	if got := c.ok("listVPCOfferings", map[string]string{"supportedservices": "Vpn,Gateway"}); got["count"] != nil {
		t.Errorf("supportedservices with Gateway: %v", got)
	}
	if got := items(c.ok("listVPCOfferings", map[string]string{"name": "Redundant VPC offering"}), "vpcoffering"); len(got) != 1 {
		t.Errorf("by name: %v", got)
	}
	// Offerings for tiers are network offerings with forvpc=true; the
	// non-VPC listing is unchanged.
	if got := items(c.ok("listNetworkOfferings", map[string]string{"forvpc": "true"}), "networkoffering"); len(got) != 2 {
		t.Errorf("forvpc=true: %v", got)
	}
}

func TestVPC_LifecycleWithTiersRouterAndSourceNAT(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	u := c.as(c.sim.UserCredentials())

	sub := u.ok("createVPC", map[string]string{"name": "vpc1", "displaytext": "VPC one", "cidr": "10.10.0.0/16",
		"vpcofferingid": k.vpcOffering, "zoneid": k.zone2, "networkdomain": "vpc1.internal"})
	if sub["id"] == nil || sub["jobid"] == nil {
		t.Fatalf("createVPC is a create command: %v", sub)
	}
	q := u.waitJob(sub["jobid"].(string))
	v := q["jobresult"].(map[string]any)["vpc"].(map[string]any)
	vpcID := v["id"].(string)
	if vpcID != sub["id"] || v["state"] != "Enabled" || v["cidr"] != "10.10.0.0/16" || v["account"] != "user" ||
		v["networkdomain"] != "vpc1.internal" || v["vpcofferingid"] != k.vpcOffering || len(v["network"].([]any)) != 0 {
		t.Fatalf("VPC: %v", v)
	}
	if q["jobinstancetype"] != "Vpc" || q["jobinstanceid"] != vpcID {
		t.Errorf("job: %v", q)
	}
	if got := items(u.ok("listVPCs", nil), "vpc"); len(got) != 1 || got[0]["id"] != vpcID {
		t.Fatalf("user's VPCs: %v", got)
	}
	if got := c.ok("listVPCs", nil); got["count"] != nil {
		t.Errorf("the admin sees only its own VPCs without listall: %v", got)
	}

	// The VPC's router owns its source NAT address.
	ips := items(u.ok("listPublicIpAddresses", map[string]string{"vpcid": vpcID}), "publicipaddress")
	if len(ips) != 1 || ips[0]["issourcenat"] != true || ips[0]["vpcid"] != vpcID {
		t.Fatalf("VPC addresses: %v", ips)
	}
	routers := items(c.ok("listRouters", map[string]string{"vpcid": vpcID, "listall": "true"}), "router")
	if len(routers) != 1 {
		t.Fatalf("routers: %v", routers)
	}
	r := routers[0]
	if r["vpcid"] != vpcID || r["publicip"] != ips[0]["ipaddress"] || r["state"] != "Running" || r["role"] != "VIRTUAL_ROUTER" ||
		r["account"] != "user" || !strings.HasPrefix(r["name"].(string), "r-") {
		t.Fatalf("router: %v", r)
	}
	u.fail(401, "listRouters", nil) // an admin-only command
	extra := u.job("associateIpAddress", map[string]string{"vpcid": vpcID})["ipaddress"].(map[string]any)
	if extra["vpcid"] != vpcID || extra["associatednetworkid"] != nil || extra["issourcenat"] != false {
		t.Fatalf("address of the VPC: %v", extra)
	}
	release := failJob(u, 431, "disassociateIpAddress", map[string]string{"id": ips[0]["id"].(string)})
	if !strings.Contains(release, "source nat") {
		t.Errorf("releasing the source NAT address: %s", release)
	}

	// Tiers: VPC offerings only, inside the CIDR, apart, at most three.
	e := u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.isolatedOffering, "zoneid": k.zone2,
		"vpcid": vpcID, "gateway": "10.10.1.1", "netmask": "255.255.255.0"})
	if !strings.Contains(e["errortext"].(string), "can't be used for VPC networks") {
		t.Errorf("non-VPC offering: %v", e)
	}
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierOffering, "zoneid": k.zone2})
	if !strings.Contains(e["errortext"].(string), "VPC networks only") {
		t.Errorf("VPC offering without vpcid: %v", e)
	}
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierOffering, "zoneid": k.zone2, "vpcid": vpcID})
	if !strings.Contains(e["errortext"].(string), "Gateway/netmask are required") {
		t.Errorf("tier without gateway: %v", e)
	}
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierOffering, "zoneid": k.zone2,
		"vpcid": vpcID, "gateway": "10.20.1.1", "netmask": "255.255.255.0"})
	if !strings.Contains(e["errortext"].(string), "is not within vpc") {
		t.Errorf("tier outside the VPC: %v", e)
	}
	web := newTier(u, k, vpcID, "web", "10.10.1.1", k.tierOffering)
	if web["vpcid"] != vpcID || web["cidr"] != "10.10.1.0/24" || web["gateway"] != "10.10.1.1" || web["aclname"] != "default_deny" ||
		web["networkdomain"] != "vpc1.internal" || web["type"] != "Isolated" {
		t.Fatalf("tier: %v", web)
	}
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierNoLB, "zoneid": k.zone2,
		"vpcid": vpcID, "gateway": "10.10.1.129", "netmask": "255.255.255.128"})
	if !strings.Contains(e["errortext"].(string), "crosses other network cidr") {
		t.Errorf("overlapping tier: %v", e)
	}
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierOffering, "zoneid": k.zone2,
		"vpcid": vpcID, "gateway": "10.10.2.1", "netmask": "255.255.255.0"})
	if !strings.Contains(e["errortext"].(string), "Public LB service is already supported") {
		t.Errorf("second tier with Lb: %v", e)
	}
	app := newTier(u, k, vpcID, "app", "10.10.2.1", k.tierNoLB)
	newTier(u, k, vpcID, "db", "10.10.3.1", k.tierNoLB)
	e = u.fail(431, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierNoLB, "zoneid": k.zone2,
		"vpcid": vpcID, "gateway": "10.10.4.1", "netmask": "255.255.255.0"})
	if !strings.Contains(e["errortext"].(string), "vpc.max.networks") {
		t.Errorf("fourth tier: %v", e)
	}
	if got := items(u.ok("listNetworks", map[string]string{"vpcid": vpcID}), "network"); len(got) != 3 {
		t.Errorf("tiers: %v", got)
	}
	for _, n := range items(u.ok("listNetworks", map[string]string{"forvpc": "false"}), "network") {
		if n["vpcid"] != nil {
			t.Errorf("forvpc=false lists a tier: %v", n)
		}
	}
	if got := items(u.ok("listNetworks", map[string]string{"forvpc": "true"}), "network"); len(got) != 3 {
		t.Errorf("forvpc=true: %v", got)
	}
	if got := items(u.ok("listVPCs", map[string]string{"id": vpcID}), "vpc"); len(got[0]["network"].([]any)) != 3 {
		t.Errorf("the VPC lists its tiers: %v", got[0]["network"])
	}

	// A VM on a tier: an address of the tier, and the router gets a NIC on it.
	vm := u.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny, "serviceofferingid": k.tinyOffering,
		"networkids": web["id"].(string), "name": "web-1"})["virtualmachine"].(map[string]any)
	nic := vm["nic"].([]any)[0].(map[string]any)
	if !strings.HasPrefix(nic["ipaddress"].(string), "10.10.1.") || nic["ipaddress"] == "10.10.1.1" || nic["gateway"] != "10.10.1.1" ||
		nic["vpcid"] != vpcID {
		t.Fatalf("VM NIC on a tier: %v", nic)
	}
	r = items(c.ok("listRouters", map[string]string{"networkid": web["id"].(string), "listall": "true"}), "router")[0]
	guest := false
	for _, n := range r["nic"].([]any) {
		n := n.(map[string]any)
		guest = guest || (n["networkid"] == web["id"] && n["ipaddress"] == "10.10.1.1" && n["traffictype"] == "Guest")
	}
	if !guest {
		t.Errorf("router NICs: %v", r["nic"])
	}

	// Deletion: refused while tiers exist, and tiers while VMs use them.
	if txt := failJob(u, 431, "deleteVPC", map[string]string{"id": vpcID}); !strings.Contains(txt, "as its used by 3 networks") {
		t.Errorf("deleteVPC with tiers: %s", txt)
	}
	failJob(u, 530, "deleteNetwork", map[string]string{"id": web["id"].(string)})
	c.job("destroyVirtualMachine", map[string]string{"id": vm["id"].(string), "expunge": "true"})
	for _, n := range items(u.ok("listNetworks", map[string]string{"vpcid": vpcID}), "network") {
		u.job("deleteNetwork", map[string]string{"id": n["id"].(string)})
	}
	u.job("deleteVPC", map[string]string{"id": vpcID})
	u.fail(431, "listVPCs", map[string]string{"id": vpcID})
	if got := c.ok("listRouters", map[string]string{"listall": "true", "forvpc": "true"}); got["count"] != nil {
		t.Errorf("routers after deleteVPC: %v", got)
	}
	if got := items(u.ok("listPublicIpAddresses", map[string]string{"zoneid": k.zone2}), "publicipaddress"); len(got) != 1 || got[0]["issourcenat"] != true {
		t.Errorf("the VPC's addresses are released, the isolated network's source NAT address stays: %v", got)
	}
	_ = app
}

func TestVPC_CreateErrorsAndLimits(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	for cidr, want := range map[string]string{
		"10.0.0.0/33":    "Invalid CIDR",
		"not-a-cidr":     "Invalid CIDR",
		"100.64.0.0/16":  "not RFC 1918 compliant",
		"8.8.0.0/16":     "not RFC 1918 compliant",
		"192.168.0.0/15": "not RFC 1918 compliant",
	} {
		e := c.fail(431, "createVPC", map[string]string{"name": "v", "displaytext": "v", "cidr": cidr,
			"vpcofferingid": k.vpcOffering, "zoneid": k.zone2})
		if !strings.Contains(e["errortext"].(string), want) {
			t.Errorf("cidr %s: %v", cidr, e)
		}
	}
	e := c.fail(431, "createVPC", map[string]string{"name": "v", "displaytext": "v", "cidr": "10.0.0.0/16",
		"vpcofferingid": k.vpcOffering, "zoneid": k.zone2, "networkdomain": "-bad"})
	if !strings.Contains(e["errortext"].(string), "Invalid network domain") {
		t.Errorf("network domain: %v", e)
	}
	c.fail(431, "createVPC", map[string]string{"name": "v", "displaytext": "v", "cidr": "10.0.0.0/16"}) // missing parameters
	c.fail(431, "deleteVPC", map[string]string{"id": k.zone2})                                          // not a VPC

	// The VPC limit of an account is enforced (532).
	c.ok("updateResourceLimit", map[string]string{"account": "user", "domainid": domainOf(c), "resourcetype": "7", "max": "1"})
	u := c.as(c.sim.UserCredentials())
	newVPC(u, k, "one", "10.1.0.0/16", nil)
	u.fail(532, "createVPC", map[string]string{"name": "two", "displaytext": "two", "cidr": "10.2.0.0/16",
		"vpcofferingid": k.vpcOffering, "zoneid": k.zone2})

	// Another account's VPC cannot be used or deleted.
	mine := newVPC(c, k, "admins", "10.3.0.0/16", nil)
	u.fail(531, "deleteVPC", map[string]string{"id": mine["id"].(string)})
	u.fail(531, "associateIpAddress", map[string]string{"vpcid": mine["id"].(string)})
	u.fail(531, "createNetwork", map[string]string{"name": "t", "networkofferingid": k.tierOffering, "zoneid": k.zone2,
		"vpcid": mine["id"].(string), "gateway": "10.3.1.1", "netmask": "255.255.255.0"})
}

// domainOf returns the ROOT domain's id.
func domainOf(c *apiClient) string {
	c.t.Helper()
	return items(c.ok("listDomains", nil), "domain")[0]["id"].(string)
}

func TestVPC_StartFalseDefersRouter(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	v := newVPC(c, k, "lazy", "172.16.0.0/16", map[string]string{"start": "false"})
	id := v["id"].(string)
	if got := c.ok("listRouters", map[string]string{"vpcid": id}); got["count"] != nil {
		t.Fatalf("a VPC created with start=false has no router yet: %v", got)
	}
	// Without a source NAT address there is no VPN gateway (530).
	e := c.fail(530, "createVpnGateway", map[string]string{"vpcid": id})
	if !strings.Contains(e["errortext"].(string), "source nat ip") {
		t.Errorf("VPN gateway without router: %v", e)
	}
	newTier(c, k, id, "first", "172.16.1.1", k.tierNoLB)
	if got := items(c.ok("listRouters", map[string]string{"vpcid": id}), "router"); len(got) != 1 {
		t.Fatalf("the first tier starts the VPC: %v", got)
	}
}

func TestRouters_IsolatedNetworks(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	all := items(c.ok("listRouters", map[string]string{"listall": "true"}), "router")
	if len(all) != 2 {
		t.Fatalf("the two seeded isolated networks have a router each: %v", all)
	}
	own := items(c.ok("listRouters", nil), "router")
	if len(own) != 1 || own[0]["account"] != "admin" || own[0]["guestnetworkid"] == nil || own[0]["vpcid"] != nil {
		t.Fatalf("admin's router: %v", own)
	}
	r := own[0]
	// Ids are stable and resolvable.
	again := items(c.ok("listRouters", map[string]string{"id": r["id"].(string)}), "router")
	if len(again) != 1 || again[0]["id"] != r["id"] || again[0]["name"] != r["name"] {
		t.Fatalf("by id: %v", again)
	}
	if got := items(c.ok("listRouters", map[string]string{"networkid": r["guestnetworkid"].(string)}), "router"); len(got) != 1 {
		t.Errorf("by network: %v", got)
	}
	if got := c.ok("listRouters", map[string]string{"forvpc": "true", "listall": "true"}); got["count"] != nil {
		t.Errorf("forvpc=true without VPCs: %v", got)
	}
	if got := c.ok("listRouters", map[string]string{"zoneid": k.zone1, "listall": "true"}); got["count"] != nil {
		t.Errorf("zone 1 has no isolated networks: %v", got)
	}
	ips := items(c.ok("listPublicIpAddresses", map[string]string{"issourcenat": "true", "zoneid": k.zone2}), "publicipaddress")
	if len(ips) != 1 || ips[0]["ipaddress"] != r["publicip"] {
		t.Errorf("router public IP %v, source NAT %v", r["publicip"], ips)
	}
	if got := items(c.ok("listRouters", map[string]string{"name": r["name"].(string)}), "router"); len(got) != 1 {
		t.Errorf("by name: %v", got)
	}
	_ = cloudstacksim.ZoneName2
}
