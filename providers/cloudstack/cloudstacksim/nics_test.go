package cloudstacksim_test

import (
	"strings"
	"testing"
)

// nicsOf returns a VM's NICs by network id.
func nicsOf(vm map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, n := range vm["nic"].([]any) {
		nic := n.(map[string]any)
		out[nic["networkid"].(string)] = nic
	}
	return out
}

func TestNICs_AddListRemoveDefault(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	u := c.as(c.sim.UserCredentials())
	vm := u.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering, "name": "multi"})["virtualmachine"].(map[string]any)
	vmID := vm["id"].(string)
	first := vm["nic"].([]any)[0].(map[string]any)
	back := u.ok("createNetwork", map[string]string{"name": "backend", "networkofferingid": k.isolatedOffering,
		"zoneid": k.zone2, "gateway": "192.168.7.1", "netmask": "255.255.255.0"})["network"].(map[string]any)
	backID := back["id"].(string)

	res := u.job("addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": backID})
	nics := nicsOf(res["virtualmachine"].(map[string]any))
	second := nics[backID]
	if len(nics) != 2 || second == nil || !strings.HasPrefix(second["ipaddress"].(string), "192.168.7.") ||
		second["ipaddress"] == "192.168.7.1" || second["isdefault"] != false || second["deviceid"] != "1" ||
		second["gateway"] != "192.168.7.1" || second["netmask"] != "255.255.255.0" {
		t.Fatalf("added NIC: %v", nics)
	}
	listed := items(u.ok("listNics", map[string]string{"virtualmachineid": vmID}), "nic")
	if len(listed) != 2 || listed[0]["id"] != first["id"] || listed[1]["id"] != second["id"] || listed[1]["virtualmachineid"] != vmID {
		t.Fatalf("listNics: %v", listed)
	}
	if got := items(u.ok("listNics", map[string]string{"virtualmachineid": vmID, "networkid": backID}), "nic"); len(got) != 1 || got[0]["id"] != second["id"] {
		t.Errorf("by network: %v", got)
	}
	if got := items(u.ok("listNics", map[string]string{"virtualmachineid": vmID, "nicid": first["id"].(string)}), "nic"); len(got) != 1 || got[0]["isdefault"] != true {
		t.Errorf("by nic: %v", got)
	}

	// One NIC per network; the network is now in use.
	failJob(u, 530, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": backID})
	if txt := failJob(c, 530, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": backID}); !strings.Contains(txt, "already in") {
		t.Errorf("the root admin sees why: %s", txt)
	}
	failJob(u, 530, "deleteNetwork", map[string]string{"id": backID})

	// The default NIC stays; another one goes, its address back to the pool.
	if txt := failJob(u, 431, "removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": first["id"].(string)}); !strings.Contains(txt, "nic is default") {
		t.Errorf("removing the default NIC: %s", txt)
	}
	res = u.job("removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": second["id"].(string)})
	if nics := nicsOf(res["virtualmachine"].(map[string]any)); len(nics) != 1 || nics[backID] != nil {
		t.Fatalf("after removal: %v", nics)
	}
	u.fail(431, "listNics", map[string]string{"virtualmachineid": vmID, "nicid": second["id"].(string)})
	again := nicsOf(u.job("addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": backID})["virtualmachine"].(map[string]any))[backID]
	if again["ipaddress"] != second["ipaddress"] {
		t.Errorf("the released address is reused: %v, then %v", second["ipaddress"], again["ipaddress"])
	}

	// Making the new NIC the default lets the first one go.
	res = u.job("updateDefaultNicForVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": again["id"].(string)})
	if nics := nicsOf(res["virtualmachine"].(map[string]any)); nics[backID]["isdefault"] != true || nics[first["networkid"].(string)]["isdefault"] != false {
		t.Fatalf("new default: %v", nics)
	}
	failJob(u, 431, "updateDefaultNicForVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": again["id"].(string)})
	u.job("removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": first["id"].(string)})
	if got := items(u.ok("listNics", map[string]string{"virtualmachineid": vmID}), "nic"); len(got) != 1 || got[0]["networkid"] != backID {
		t.Errorf("NICs: %v", got)
	}

	// A NIC of another VM is refused.
	other := u.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering, "name": "other"})["virtualmachine"].(map[string]any)
	otherNIC := other["nic"].([]any)[0].(map[string]any)
	e := u.fail(431, "removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": otherNIC["id"].(string)})
	if !strings.Contains(e["errortext"].(string), "does not belong") {
		t.Errorf("NIC of another VM: %v", e)
	}
}

func TestNICs_AddressesStateAndAccess(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := c.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering, "name": "addr"})["virtualmachine"].(map[string]any)
	vmID := vm["id"].(string)
	net := c.ok("createNetwork", map[string]string{"name": "n2", "networkofferingid": k.isolatedOffering,
		"zoneid": k.zone2, "gateway": "192.168.8.1", "netmask": "255.255.255.0"})["network"].(map[string]any)
	netID := net["id"].(string)

	c.fail(431, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": netID, "macaddress": "zz:00"})
	c.fail(431, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": netID, "ipaddress": "bogus"})
	if txt := failJob(c, 431, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": netID, "ipaddress": "10.0.0.5"}); !strings.Contains(txt, "not in the network") {
		t.Errorf("address outside the network: %s", txt)
	}
	res := c.job("addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": netID,
		"ipaddress": "192.168.8.77", "macaddress": "02:AA:bb:00:00:01"})
	nic := nicsOf(res["virtualmachine"].(map[string]any))[netID]
	if nic["ipaddress"] != "192.168.8.77" || nic["macaddress"] != "02:aa:bb:00:00:01" {
		t.Fatalf("requested address and MAC: %v", nic)
	}

	// A VM in zone 1 cannot join a network of zone 2.
	z1 := c.job("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering})["virtualmachine"].(map[string]any)
	failJob(c, 530, "addNicToVirtualMachine", map[string]string{"virtualmachineid": z1["id"].(string), "networkid": netID})

	// A destroyed VM's NICs cannot change.
	c.job("destroyVirtualMachine", map[string]string{"id": z1["id"].(string)})
	failJob(c, 431, "addNicToVirtualMachine", map[string]string{"virtualmachineid": z1["id"].(string), "networkid": k.sharedNet})

	// Another account's VM or network is refused.
	u := c.as(c.sim.UserCredentials())
	u.fail(531, "addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": netID})
	u.fail(531, "listNics", map[string]string{"virtualmachineid": vmID})
	uvm := u.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering})["virtualmachine"].(map[string]any)
	u.fail(531, "addNicToVirtualMachine", map[string]string{"virtualmachineid": uvm["id"].(string), "networkid": netID})
	u.fail(431, "listNics", map[string]string{}) // virtualmachineid is required
}

func TestNICs_StaticNATBlocksRemoval(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := c.job("deployVirtualMachine", map[string]string{"zoneid": k.zone2, "templateid": k.tiny,
		"serviceofferingid": k.tinyOffering, "name": "nat"})["virtualmachine"].(map[string]any)
	vmID := vm["id"].(string)
	net := c.ok("createNetwork", map[string]string{"name": "n3", "networkofferingid": k.isolatedOffering,
		"zoneid": k.zone2, "gateway": "192.168.9.1", "netmask": "255.255.255.0"})["network"].(map[string]any)
	res := c.job("addNicToVirtualMachine", map[string]string{"virtualmachineid": vmID, "networkid": net["id"].(string)})
	nic := nicsOf(res["virtualmachine"].(map[string]any))[net["id"].(string)]
	ip := c.job("associateIpAddress", map[string]string{"zoneid": k.zone2})["ipaddress"].(map[string]any)
	c.ok("enableStaticNat", map[string]string{"ipaddressid": ip["id"].(string), "virtualmachineid": vmID,
		"vmguestip": nic["ipaddress"].(string)})
	txt := failJob(c, 431, "removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": nic["id"].(string)})
	if !strings.Contains(txt, "Static NAT rules") {
		t.Errorf("NIC with static NAT: %s", txt)
	}
	c.job("disableStaticNat", map[string]string{"ipaddressid": ip["id"].(string)})
	c.job("removeNicFromVirtualMachine", map[string]string{"virtualmachineid": vmID, "nicid": nic["id"].(string)})
}
