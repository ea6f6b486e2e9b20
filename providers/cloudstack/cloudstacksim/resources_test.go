package cloudstacksim_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestResources_VolumesSnapshotsTemplates(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, nil)
	vmID := vm["id"].(string)
	sub := c.ok("createVolume", map[string]string{"name": "data1", "diskofferingid": k.diskCustom, "size": "3", "zoneid": k.zone1})
	res := c.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["volume"].(map[string]any)
	if res["id"] != sub["id"] || res["state"] != "Allocated" || res["size"].(float64) != 3<<30 || res["type"] != "DATADISK" {
		t.Fatalf("createVolume: %v", res)
	}
	volID := res["id"].(string)
	c.fail(431, "createVolume", map[string]string{"name": "x", "diskofferingid": k.diskCustom, "zoneid": k.zone1})
	c.fail(431, "createVolume", map[string]string{"name": "x", "zoneid": k.zone1})
	// Not Ready yet: no snapshot.
	c.fail(431, "createSnapshot", map[string]string{"volumeid": volID})
	att := c.job("attachVolume", map[string]string{"id": volID, "virtualmachineid": vmID})["volume"].(map[string]any)
	if att["virtualmachineid"] != vmID || att["state"] != "Ready" || att["deviceid"].(float64) != 1 {
		t.Fatalf("attach: %v", att)
	}
	c.fail(431, "deleteVolume", map[string]string{"id": volID})
	rs := c.job("resizeVolume", map[string]string{"id": volID, "size": "5"})["volume"].(map[string]any)
	if rs["size"].(float64) != 5<<30 {
		t.Errorf("resize: %v", rs)
	}
	if e := c.fail(431, "resizeVolume", map[string]string{"id": volID, "size": "4"}); !strings.Contains(e["errortext"].(string), "shrinkok") {
		t.Errorf("shrink: %v", e)
	}
	snap := c.job("createSnapshot", map[string]string{"volumeid": volID})["snapshot"].(map[string]any)
	if snap["state"] != "BackedUp" || snap["volumeid"] != volID || !strings.Contains(snap["name"].(string), "data1") {
		t.Fatalf("snapshot: %v", snap)
	}
	if got := items(c.ok("listSnapshots", map[string]string{"volumeid": volID}), "snapshot"); len(got) != 1 {
		t.Errorf("listSnapshots: %v", got)
	}
	tmpl := c.job("createTemplate", map[string]string{"snapshotid": snap["id"].(string), "name": "from-snap", "displaytext": "From snapshot",
		"ostypeid": k.osLinux, "passwordenabled": "true"})["template"].(map[string]any)
	if tmpl["isready"] != true || tmpl["passwordenabled"] != true || tmpl["zoneid"] != k.zone1 || tmpl["templatetype"] != "USER" {
		t.Fatalf("template: %v", tmpl)
	}
	self := items(c.ok("listTemplates", map[string]string{"templatefilter": "self"}), "template")
	if len(self) != 1 || self[0]["name"] != "from-snap" {
		t.Errorf("templatefilter=self: %v", self)
	}
	if v := deploy(c, k, map[string]string{"templateid": tmpl["id"].(string)}); v["password"] == "" {
		t.Errorf("VM from the new template: %v", v)
	}
	c.job("deleteSnapshot", map[string]string{"id": snap["id"].(string)})
	det := c.job("detachVolume", map[string]string{"id": volID})["volume"].(map[string]any)
	if det["virtualmachineid"] != nil {
		t.Errorf("detach: %v", det)
	}
	if r := c.ok("deleteVolume", map[string]string{"id": volID}); r["success"] != true {
		t.Errorf("deleteVolume: %v", r)
	}
	root := items(c.ok("listVolumes", map[string]string{"virtualmachineid": vmID}), "volume")
	if len(root) != 1 || root[0]["type"] != "ROOT" {
		t.Fatalf("root volume: %v", root)
	}
	sub = c.ok("detachVolume", map[string]string{"id": root[0]["id"].(string)})
	if q := c.waitJob(sub["jobid"].(string)); q["jobstatus"].(float64) != 2 {
		t.Errorf("detaching a ROOT volume: %v", q)
	}
}

func TestResources_Templates(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	count := func(p map[string]string) int {
		t.Helper()
		return len(items(c.ok("listTemplates", p), "template"))
	}
	// Built-in templates are in both zones: one row per zone.
	if n := count(map[string]string{"templatefilter": "featured"}); n != 8 {
		t.Errorf("featured: %d rows", n)
	}
	if n := count(map[string]string{"templatefilter": "executable", "zoneid": k.zone1}); n != 4 {
		t.Errorf("executable in zone 1: %d", n)
	}
	if n := count(map[string]string{"templatefilter": "community", "zoneid": k.zone1}); n != 1 {
		t.Errorf("community: %d", n)
	}
	if n := count(map[string]string{"templatefilter": "featured", "id": k.tiny}); n != 2 {
		t.Errorf("by id: %d", n)
	}
	c.fail(431, "listTemplates", map[string]string{"templatefilter": "bogus"})
	c.as(c.sim.UserCredentials()).fail(431, "listTemplates", map[string]string{"templatefilter": "all"})
	c.fail(431, "listTemplates", nil)
}

func TestResources_KeyPairs(t *testing.T) {
	c := newSim(t, nil)
	kp := c.ok("createSSHKeyPair", map[string]string{"name": "a"})["keypair"].(map[string]any)
	if !strings.HasPrefix(kp["privatekey"].(string), "-----BEGIN RSA PRIVATE KEY-----") || strings.Count(kp["fingerprint"].(string), ":") != 15 {
		t.Fatalf("createSSHKeyPair: %v", kp)
	}
	c.fail(431, "createSSHKeyPair", map[string]string{"name": "a"})
	reg := c.ok("registerSSHKeyPair", map[string]string{"name": "b", "publickey": testPublicKey})["keypair"].(map[string]any)
	if reg["privatekey"] != nil || reg["fingerprint"] == "" {
		t.Errorf("register: %v", reg)
	}
	if e := c.fail(431, "registerSSHKeyPair", map[string]string{"name": "c", "publickey": "ssh-rsa bm90IGEga2V5"}); e["errortext"] != "Public key is invalid" {
		t.Errorf("invalid key: %v", e)
	}
	list := items(c.ok("listSSHKeyPairs", map[string]string{"name": "b"}), "sshkeypair")
	if len(list) != 1 || list[0]["fingerprint"] != reg["fingerprint"] || list[0]["privatekey"] != nil {
		t.Errorf("list: %v", list)
	}
	if got := c.as(c.sim.UserCredentials()).ok("listSSHKeyPairs", nil); got["count"] != nil {
		t.Errorf("the user sees the admin's keys: %v", got)
	}
	c.ok("deleteSSHKeyPair", map[string]string{"name": "a"})
	if e := c.fail(431, "deleteSSHKeyPair", map[string]string{"name": "a"}); !strings.Contains(e["errortext"].(string), "does not exist") {
		t.Errorf("delete twice: %v", e)
	}
}

func TestResources_SecurityAndAffinityGroups(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	sg := c.ok("createSecurityGroup", map[string]string{"name": "web", "description": "Web"})["securitygroup"].(map[string]any)
	c.fail(431, "createSecurityGroup", map[string]string{"name": "web"})
	in := c.job("authorizeSecurityGroupIngress", map[string]string{"securitygroupname": "web", "protocol": "TCP", "startport": "80", "endport": "81",
		"cidrlist": "0.0.0.0/0,10.0.0.0/8"})["securitygroup"].(map[string]any)
	rules := in["ingressrule"].([]any)
	if len(rules) != 2 || rules[0].(map[string]any)["startport"].(float64) != 80 || rules[1].(map[string]any)["cidr"] != "10.0.0.0/8" {
		t.Fatalf("ingress: %v", in)
	}
	out := c.job("authorizeSecurityGroupEgress", map[string]string{"securitygroupid": sg["id"].(string), "protocol": "icmp", "icmptype": "-1",
		"icmpcode": "-1", "cidrlist": "0.0.0.0/0"})["securitygroup"].(map[string]any)
	if len(out["egressrule"].([]any)) != 1 {
		t.Fatalf("egress: %v", out)
	}
	c.fail(431, "authorizeSecurityGroupIngress", map[string]string{"securitygroupname": "web", "protocol": "tcp", "cidrlist": "0.0.0.0/0"})
	c.fail(431, "authorizeSecurityGroupIngress", map[string]string{"securitygroupname": "web", "protocol": "tcp", "startport": "1", "endport": "2"})
	// Port 0 is a port of security group rules (not of firewall rules), and
	// 0 to 0 is every port, as SecurityGroupManagerImpl reads them.
	for _, ports := range [][3]string{{"0", "65535", "65535"}, {"0", "0", "65535"}, {"0", "22", "22"}} {
		g := c.job("authorizeSecurityGroupIngress", map[string]string{"securitygroupname": "web", "protocol": "udp",
			"startport": ports[0], "endport": ports[1], "cidrlist": "192.0.2.0/24"})["securitygroup"].(map[string]any)
		r := g["ingressrule"].([]any)[0].(map[string]any)
		if r["startport"] != float64(0) || fmt.Sprint(r["endport"]) != ports[2] {
			t.Fatalf("udp %s-%s gave %v", ports[0], ports[1], r)
		}
		c.job("revokeSecurityGroupIngress", map[string]string{"id": r["ruleid"].(string)})
	}
	for _, ports := range [][2]string{{"0", ""}, {"", "22"}, {"-1", "22"}, {"1", "65536"}, {"30", "20"}} {
		p := map[string]string{"securitygroupname": "web", "protocol": "udp", "cidrlist": "192.0.2.0/24"}
		if ports[0] != "" {
			p["startport"] = ports[0]
		}
		if ports[1] != "" {
			p["endport"] = ports[1]
		}
		c.fail(431, "authorizeSecurityGroupIngress", p)
	}
	listed := items(c.ok("listSecurityGroups", map[string]string{"securitygroupname": "web"}), "securitygroup")[0]
	if len(listed["ingressrule"].([]any)) != 2 || len(listed["egressrule"].([]any)) != 1 {
		t.Fatalf("listed: %v", listed)
	}
	ruleID := rules[0].(map[string]any)["ruleid"].(string)
	c.job("revokeSecurityGroupIngress", map[string]string{"id": ruleID})
	c.fail(431, "revokeSecurityGroupIngress", map[string]string{"id": ruleID})
	vm := deploy(c, k, map[string]string{"securitygroupids": sg["id"].(string)})
	if e := c.fail(536, "deleteSecurityGroup", map[string]string{"name": "web"}); e["cserrorcode"].(float64) != 4375 {
		t.Errorf("in use: %v", e)
	}
	c.fail(431, "deleteSecurityGroup", map[string]string{"name": "default"})
	c.job("destroyVirtualMachine", map[string]string{"id": vm["id"].(string), "expunge": "true"})
	c.ok("deleteSecurityGroup", map[string]string{"name": "web"})

	types := items(c.ok("listAffinityGroupTypes", nil), "affinityGroupType")
	if len(types) != 2 || types[0]["type"] != "host anti-affinity" {
		t.Errorf("types: %v", types)
	}
	sub := c.ok("createAffinityGroup", map[string]string{"name": "ag", "type": "host affinity"})
	ag := c.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["affinitygroup"].(map[string]any)
	if ag["id"] != sub["id"] || ag["type"] != "host affinity" {
		t.Fatalf("affinity group: %v %v", sub, ag)
	}
	c.fail(431, "createAffinityGroup", map[string]string{"name": "ag2", "type": "nope"})
	vm = deploy(c, k, map[string]string{"startvm": "false"})
	upd := c.job("updateVMAffinityGroup", map[string]string{"id": vm["id"].(string), "affinitygroupids": ag["id"].(string)})
	if upd["virtualmachine"].(map[string]any)["affinitygroup"].([]any)[0].(map[string]any)["name"] != "ag" {
		t.Errorf("updateVMAffinityGroup: %v", upd)
	}
	if got := items(c.ok("listAffinityGroups", nil), "affinitygroup")[0]["virtualmachineIds"].([]any); len(got) != 1 {
		t.Errorf("virtualmachineIds: %v", got)
	}
	sub = c.ok("deleteAffinityGroup", map[string]string{"id": ag["id"].(string)})
	if q := c.waitJob(sub["jobid"].(string)); q["jobresultcode"].(float64) != 536 {
		t.Errorf("deleting a used group: %v", q)
	}
}

func TestResources_NetworkingRules(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, map[string]string{"zoneid": k.zone2})
	vmID := vm["id"].(string)
	netID := vm["nic"].([]any)[0].(map[string]any)["networkid"].(string)
	srcNAT := items(c.ok("listPublicIpAddresses", map[string]string{"issourcenat": "true"}), "publicipaddress")
	if len(srcNAT) != 1 || srcNAT[0]["associatednetworkid"] != netID {
		t.Fatalf("source NAT: %v", srcNAT)
	}
	sub := c.ok("associateIpAddress", map[string]string{"networkid": netID})
	ip := c.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["ipaddress"].(map[string]any)
	ipID := ip["id"].(string)
	if ip["id"] != sub["id"] || !strings.HasPrefix(ip["ipaddress"].(string), "198.19.") || ip["state"] != "Allocated" {
		t.Fatalf("associate: %v %v", sub, ip)
	}
	pf := c.job("createPortForwardingRule", map[string]string{"ipaddressid": ipID, "protocol": "tcp", "publicport": "2222",
		"privateport": "22", "virtualmachineid": vmID})["portforwardingrule"].(map[string]any)
	if pf["publicport"] != "2222" || pf["privateport"] != "22" || pf["virtualmachineid"] != vmID || pf["state"] != "Active" {
		t.Fatalf("port forwarding: %v", pf)
	}
	if e := c.fail(537, "createPortForwardingRule", map[string]string{"ipaddressid": ipID, "protocol": "tcp", "publicport": "2222",
		"privateport": "23", "virtualmachineid": vmID}); !strings.Contains(e["errortext"].(string), "conflicts with rule") {
		t.Errorf("conflict: %v", e)
	}
	fws := items(c.ok("listFirewallRules", map[string]string{"ipaddressid": ipID}), "firewallrule")
	if len(fws) != 1 || fws[0]["startport"].(float64) != 2222 {
		t.Errorf("openfirewall rule: %v", fws)
	}
	fw := c.job("createFirewallRule", map[string]string{"ipaddressid": ipID, "protocol": "icmp", "cidrlist": "10.0.0.0/8"})["firewallrule"].(map[string]any)
	if fw["icmptype"].(float64) != -1 || fw["cidrlist"] != "10.0.0.0/8" {
		t.Errorf("icmp rule: %v", fw)
	}
	eg := c.job("createEgressFirewallRule", map[string]string{"networkid": netID, "protocol": "udp", "startport": "53"})["firewallrule"].(map[string]any)
	if eg["traffictype"] != "Egress" || eg["endport"].(float64) != 53 {
		t.Errorf("egress rule: %v", eg)
	}
	if n := len(items(c.ok("listEgressFirewallRules", nil), "firewallrule")); n != 1 {
		t.Errorf("egress list: %d", n)
	}
	c.job("deleteEgressFirewallRule", map[string]string{"id": eg["id"].(string)})
	c.job("deletePortForwardingRule", map[string]string{"id": pf["id"].(string)})
	// Static NAT and its IP forwarding rules.
	c.ok("enableStaticNat", map[string]string{"ipaddressid": ipID, "virtualmachineid": vmID})
	listed := vmByID(c, vmID)
	if listed["publicip"] != ip["ipaddress"] || listed["publicipid"] != ipID {
		t.Errorf("static NAT on the VM: %v", listed)
	}
	ipf := c.job("createIpForwardingRule", map[string]string{"ipaddressid": ipID, "protocol": "tcp", "startport": "22"})["ipforwardingrule"].(map[string]any)
	if ipf["virtualmachineid"] != vmID {
		t.Errorf("ip forwarding: %v", ipf)
	}
	if n := len(items(c.ok("listIpForwardingRules", map[string]string{"virtualmachineid": vmID}), "ipforwardingrule")); n != 1 {
		t.Errorf("ip forwarding list: %d", n)
	}
	c.job("disableStaticNat", map[string]string{"ipaddressid": ipID})
	if got := c.ok("listIpForwardingRules", nil); got["count"] != nil {
		t.Errorf("rules survive disableStaticNat: %v", got)
	}
	c.job("disassociateIpAddress", map[string]string{"id": ipID})
	if got := c.ok("listFirewallRules", nil); got["count"] != nil {
		t.Errorf("rules survive disassociation: %v", got)
	}
	sub = c.ok("disassociateIpAddress", map[string]string{"id": srcNAT[0]["id"].(string)})
	if q := c.waitJob(sub["jobid"].(string)); q["jobstatus"].(float64) != 2 {
		t.Errorf("released the source NAT IP: %v", q)
	}
	// Networks.
	n := c.ok("createNetwork", map[string]string{"name": "mynet", "networkofferingid": k.isolatedOffering, "zoneid": k.zone2,
		"gateway": "192.168.5.1", "netmask": "255.255.255.0"})["network"].(map[string]any)
	if n["cidr"] != "192.168.5.0/24" || n["type"] != "Isolated" {
		t.Fatalf("createNetwork: %v", n)
	}
	vm2 := deploy(c, k, map[string]string{"zoneid": k.zone2, "networkids": n["id"].(string)})
	if ip := vm2["nic"].([]any)[0].(map[string]any)["ipaddress"]; ip != "192.168.5.2" {
		t.Errorf("nic on the new network: %v", ip)
	}
	sub = c.ok("deleteNetwork", map[string]string{"id": n["id"].(string)})
	if q := c.waitJob(sub["jobid"].(string)); q["jobstatus"].(float64) != 2 {
		t.Errorf("deleted a network in use: %v", q)
	}
}

func TestResources_Tags(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, nil)
	id := vm["id"].(string)
	c.job("createTags", map[string]string{"resourcetype": "uservm", "resourceids": id, "tags[0].key": "a", "tags[0].value": "1",
		"tags[1].key": "b", "tags[1].value": "2"})
	tags := items(c.ok("listTags", map[string]string{"resourceid": id}), "tag")
	if len(tags) != 2 || tags[0]["resourcetype"] != "UserVm" || tags[1]["key"] != "b" {
		t.Fatalf("listTags: %v", tags)
	}
	sub := c.ok("createTags", map[string]string{"resourcetype": "UserVm", "resourceids": id, "tags[0].key": "a", "tags[0].value": "3"})
	if q := c.waitJob(sub["jobid"].(string)); q["jobstatus"].(float64) != 2 {
		t.Errorf("duplicate tag key: %v", q)
	}
	c.fail(431, "createTags", map[string]string{"resourcetype": "Spaceship", "resourceids": id, "tags[0].key": "a", "tags[0].value": "1"})
	c.job("deleteTags", map[string]string{"resourcetype": "UserVm", "resourceids": id, "tags[0].key": "a"})
	if tags := items(c.ok("listTags", nil), "tag"); len(tags) != 1 || tags[0]["key"] != "b" {
		t.Errorf("after delete: %v", tags)
	}
}

func TestResources_CapabilitiesApisOSTypes(t *testing.T) {
	c := newSim(t, nil)
	capab := c.ok("listCapabilities", nil)["capability"].(map[string]any)
	if capab["cloudstackversion"] != "4.18.0.0" || capab["customdiskofferingmaxsize"].(float64) != 1024 {
		t.Errorf("capabilities: %v", capab)
	}
	apis := c.ok("listApis", nil)
	list := items(apis, "api")
	if int(apis["count"].(float64)) != len(list) || len(list) < 80 {
		t.Fatalf("listApis: count %v, %d entries", apis["count"], len(list))
	}
	one := items(c.ok("listApis", map[string]string{"name": "deployVirtualMachine"}), "api")
	if len(one) != 1 || one[0]["isasync"] != true || len(one[0]["params"].([]any)) != 49 {
		t.Errorf("listApis name=deployVirtualMachine: %v", one)
	}
	c.fail(431, "listApis", map[string]string{"name": "listHosts"})
	if got := items(c.ok("listOsTypes", map[string]string{"keyword": "ubuntu"}), "ostype"); len(got) != 1 {
		t.Errorf("listOsTypes: %v", got)
	}
	if got := items(c.ok("listHypervisors", nil), "hypervisor"); len(got) == 0 {
		t.Errorf("listHypervisors: %v", got)
	}
}
