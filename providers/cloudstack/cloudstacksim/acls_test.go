package cloudstacksim_test

import (
	"strings"
	"testing"
)

func TestACL_DefaultLists(t *testing.T) {
	c := newSim(t, nil)
	u := c.as(c.sim.UserCredentials())
	lists := items(u.ok("listNetworkACLLists", nil), "networkacllist")
	byName := map[string]map[string]any{}
	for _, l := range lists {
		byName[l["name"].(string)] = l
	}
	if len(lists) != 2 || byName["default_allow"] == nil || byName["default_deny"] == nil || byName["default_deny"]["vpcid"] != nil {
		t.Fatalf("built-in lists: %v", lists)
	}
	deny := items(u.ok("listNetworkACLs", map[string]string{"aclid": byName["default_deny"]["id"].(string)}), "networkacl")
	if len(deny) != 2 {
		t.Fatalf("default_deny rules: %v", deny)
	}
	for i, r := range deny {
		if r["action"] != "Deny" || r["protocol"] != "all" || r["cidrlist"] != "0.0.0.0/0" || r["number"].(float64) != float64(i+1) ||
			r["state"] != "Active" || r["startport"] != nil {
			t.Errorf("default_deny rule: %v", r)
		}
	}
	if deny[0]["traffictype"] != "Ingress" || deny[1]["traffictype"] != "Egress" {
		t.Errorf("traffic types: %v", deny)
	}
	if got := items(u.ok("listNetworkACLs", map[string]string{"action": "allow"}), "networkacl"); len(got) != 2 {
		t.Errorf("allow rules: %v", got)
	}
	e := u.fail(431, "createNetworkACL", map[string]string{"aclid": byName["default_allow"]["id"].(string), "protocol": "tcp"})
	if e["errortext"] != "Default ACL cannot be modified" {
		t.Errorf("rule in a built-in list: %v", e)
	}
}

func TestACL_ListsRulesAndReplacement(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	u := c.as(c.sim.UserCredentials())
	v := newVPC(u, k, "acl-vpc", "10.50.0.0/16", nil)
	vpcID := v["id"].(string)
	web := newTier(u, k, vpcID, "web", "10.50.1.1", k.tierNoLB)
	webID := web["id"].(string)

	sub := u.ok("createNetworkACLList", map[string]string{"name": "web-acl", "description": "for web", "vpcid": vpcID})
	if sub["id"] == nil {
		t.Fatalf("createNetworkACLList is a create command: %v", sub)
	}
	l := u.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["networkacllist"].(map[string]any)
	listID := l["id"].(string)
	if l["name"] != "web-acl" || l["description"] != "for web" || l["vpcid"] != vpcID || l["vpcname"] != "acl-vpc" {
		t.Fatalf("list: %v", l)
	}
	if got := items(u.ok("listNetworkACLLists", map[string]string{"vpcid": vpcID}), "networkacllist"); len(got) != 1 || got[0]["id"] != listID {
		t.Errorf("the VPC's lists (built-ins excluded): %v", got)
	}
	if got := items(u.ok("listNetworkACLLists", nil), "networkacllist"); len(got) != 3 {
		t.Errorf("all lists: %v", got)
	}
	if got := c.ok("listNetworkACLLists", map[string]string{"vpcid": vpcID}); got["count"] != nil {
		t.Errorf("another account does not see the list without listall: %v", got)
	}

	// Rules: numbered in order, validated as the server does.
	rule := func(params map[string]string) map[string]any {
		t.Helper()
		params["aclid"] = listID
		return u.job("createNetworkACL", params)["networkacl"].(map[string]any)
	}
	r1 := rule(map[string]string{"protocol": "TCP", "startport": "80", "cidrlist": "0.0.0.0/0,10.0.0.0/8"})
	if r1["number"].(float64) != 1 || r1["protocol"] != "tcp" || r1["startport"] != "80" || r1["endport"] != "80" ||
		r1["action"] != "Allow" || r1["traffictype"] != "Ingress" || r1["state"] != "Active" || r1["aclid"] != listID ||
		r1["cidrlist"] != "0.0.0.0/0,10.0.0.0/8" {
		t.Fatalf("rule 1: %v", r1)
	}
	r2 := rule(map[string]string{"protocol": "icmp", "action": "deny", "traffictype": "egress"})
	if r2["number"].(float64) != 2 || r2["icmptype"].(float64) != -1 || r2["icmpcode"].(float64) != -1 || r2["action"] != "Deny" ||
		r2["traffictype"] != "Egress" {
		t.Fatalf("rule 2: %v", r2)
	}
	r10 := rule(map[string]string{"protocol": "all", "number": "10", "reason": "catch all"})
	if r10["number"].(float64) != 10 || r10["reason"] != "catch all" {
		t.Fatalf("rule 10: %v", r10)
	}
	if r := rule(map[string]string{"protocol": "47"}); r["number"].(float64) != 11 || r["protocol"] != "47" {
		t.Fatalf("numbered after the highest: %v", r)
	}
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{map[string]string{"protocol": "tcp", "number": "10"}, "already exists"},
		{map[string]string{"protocol": "gre"}, "Invalid protocol"},
		{map[string]string{"protocol": "300"}, "Invalid protocol number"},
		{map[string]string{"protocol": "all", "startport": "1"}, "must be null"},
		{map[string]string{"protocol": "tcp", "startport": "90", "endport": "80"}, "bigger than end port"},
		{map[string]string{"protocol": "tcp", "startport": "70000"}, "invalid"},
		{map[string]string{"protocol": "tcp", "icmptype": "8"}, "ICMP protocol only"},
		{map[string]string{"protocol": "icmp", "icmptype": "300"}, "icmp type"},
		{map[string]string{"protocol": "tcp", "action": "reject"}, "Invalid action"},
		{map[string]string{"protocol": "tcp", "traffictype": "sideways"}, "Invalid traffic type"},
		{map[string]string{"protocol": "tcp", "cidrlist": "10.0.0.0/8,not-a-cidr"}, "Invalid cidr"},
		{map[string]string{"protocol": "tcp", "number": "0"}, "Invalid number"},
	} {
		tc.params["aclid"] = listID
		e := u.fail(431, "createNetworkACL", tc.params)
		if !strings.Contains(e["errortext"].(string), tc.want) {
			t.Errorf("%v: %v, want %q", tc.params, e, tc.want)
		}
	}
	got := items(u.ok("listNetworkACLs", map[string]string{"aclid": listID}), "networkacl")
	if len(got) != 4 {
		t.Fatalf("rules of the list: %v", got)
	}
	if got := items(u.ok("listNetworkACLs", map[string]string{"aclid": listID, "protocol": "icmp"}), "networkacl"); len(got) != 1 {
		t.Errorf("by protocol: %v", got)
	}

	// The tier starts on default_deny; replacing its list.
	if web["aclname"] != "default_deny" {
		t.Fatalf("tier ACL: %v", web)
	}
	u.job("replaceNetworkACLList", map[string]string{"aclid": listID, "networkid": webID})
	n := items(u.ok("listNetworks", map[string]string{"id": webID}), "network")[0]
	if n["aclid"] != listID || n["aclname"] != "web-acl" {
		t.Fatalf("after replace: %v", n)
	}
	if got := items(u.ok("listNetworkACLLists", map[string]string{"networkid": webID}), "networkacllist"); len(got) != 1 || got[0]["id"] != listID {
		t.Errorf("list of the tier: %v", got)
	}
	if got := items(u.ok("listNetworkACLs", map[string]string{"networkid": webID}), "networkacl"); len(got) != 4 {
		t.Errorf("rules of the tier: %v", got)
	}

	// A list of another VPC, or a network outside VPCs, is refused in the job.
	other := newVPC(u, k, "other", "10.60.0.0/16", nil)
	otherList := u.job("createNetworkACLList", map[string]string{"name": "x", "vpcid": other["id"].(string)})["networkacllist"].(map[string]any)
	if txt := failJob(u, 431, "replaceNetworkACLList", map[string]string{"aclid": otherList["id"].(string), "networkid": webID}); !strings.Contains(txt, "same VPC") {
		t.Errorf("list of another VPC: %s", txt)
	}
	plain := items(u.ok("listNetworks", map[string]string{"zoneid": k.zone2, "forvpc": "false"}), "network")[0]
	if txt := failJob(u, 431, "replaceNetworkACLList", map[string]string{"aclid": listID, "networkid": plain["id"].(string)}); !strings.Contains(txt, "not part of a VPC") {
		t.Errorf("network outside VPCs: %s", txt)
	}
	// Another account may not use a list; the root admin may.
	adminVPC := newVPC(c, k, "admin-vpc", "10.80.0.0/16", nil)
	adminList := c.job("createNetworkACLList", map[string]string{"name": "a", "vpcid": adminVPC["id"].(string)})["networkacllist"].(map[string]any)
	u.fail(531, "createNetworkACL", map[string]string{"aclid": adminList["id"].(string), "protocol": "tcp"})
	u.fail(531, "createNetworkACLList", map[string]string{"name": "b", "vpcid": adminVPC["id"].(string)})
	c.job("createNetworkACL", map[string]string{"aclid": listID, "protocol": "tcp"})
}

func TestACL_RuleOnTierWithBuiltInListMakesItsOwnList(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	v := newVPC(c, k, "auto", "10.70.0.0/16", nil)
	tier := newTier(c, k, v["id"].(string), "app", "10.70.1.1", k.tierNoLB)
	r := c.job("createNetworkACL", map[string]string{"networkid": tier["id"].(string), "protocol": "udp", "startport": "53",
		"endport": "53"})["networkacl"].(map[string]any)
	n := items(c.ok("listNetworks", map[string]string{"id": tier["id"].(string)}), "network")[0]
	if n["aclid"] == nil || n["aclname"] == "default_deny" || n["aclid"] != r["aclid"] ||
		!strings.HasPrefix(n["aclname"].(string), "VPC_auto_Tier_app_ACL_") {
		t.Fatalf("tier %v, rule %v", n, r)
	}
	lists := items(c.ok("listNetworkACLLists", map[string]string{"vpcid": v["id"].(string)}), "networkacllist")
	if len(lists) != 1 || lists[0]["id"] != r["aclid"] {
		t.Fatalf("the VPC's lists: %v", lists)
	}
	// Deleting the VPC removes its lists and their rules.
	c.job("deleteNetwork", map[string]string{"id": tier["id"].(string)})
	c.job("deleteVPC", map[string]string{"id": v["id"].(string)})
	c.fail(431, "listNetworkACLs", map[string]string{"id": r["id"].(string)})
	c.fail(431, "listNetworkACLLists", map[string]string{"id": r["aclid"].(string)})
}
