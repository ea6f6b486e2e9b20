package cloudstacksim_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// deploy runs deployVirtualMachine in zone 1 with tiny Linux / tinyOffering
// plus extra parameters and returns the VM of the job result.
func deploy(c *apiClient, k cat, extra map[string]string) map[string]any {
	c.t.Helper()
	p := map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering}
	for key, v := range extra {
		p[key] = v
	}
	return c.job("deployVirtualMachine", p)["virtualmachine"].(map[string]any)
}

// vmByID lists one VM by id.
func vmByID(c *apiClient, id string) map[string]any {
	c.t.Helper()
	vms := items(c.ok("listVirtualMachines", map[string]string{"id": id}), "virtualmachine")
	if len(vms) != 1 {
		c.t.Fatalf("VM %s: %v", id, vms)
	}
	return vms[0]
}

func TestVM_Lifecycle(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, map[string]string{"name": "web-1", "displayname": "Web 1", "group": "web"})
	id := vm["id"].(string)
	if vm["state"] != "Running" || vm["name"] != "web-1" || vm["displayname"] != "Web 1" || vm["group"] != "web" {
		t.Fatalf("deployed: %v", vm)
	}
	if nic := vm["nic"].([]any)[0].(map[string]any); !strings.HasPrefix(nic["ipaddress"].(string), "10.16.") || nic["isdefault"] != true {
		t.Errorf("nic: %v", nic)
	}
	step := func(command string, params map[string]string, want string) {
		t.Helper()
		res := c.job(command, params)
		if got := res["virtualmachine"].(map[string]any)["state"]; got != want {
			t.Fatalf("%s: state %v, want %s", command, got, want)
		}
		if got := vmByID(c, id)["state"]; got != want {
			t.Fatalf("after %s: listed state %v, want %s", command, got, want)
		}
	}
	step("stopVirtualMachine", map[string]string{"id": id, "forced": "true"}, "Stopped")
	step("stopVirtualMachine", map[string]string{"id": id}, "Stopped") // already stopped: no-op
	step("startVirtualMachine", map[string]string{"id": id}, "Running")
	step("startVirtualMachine", map[string]string{"id": id}, "Running")
	step("rebootVirtualMachine", map[string]string{"id": id}, "Running")
	step("destroyVirtualMachine", map[string]string{"id": id}, "Destroyed")
	if got := c.ok("recoverVirtualMachine", map[string]string{"id": id})["virtualmachine"].(map[string]any)["state"]; got != "Stopped" {
		t.Fatalf("recover: %v", got)
	}
	// Expunging requires a destroyed VM; the job fails otherwise.
	sub := c.ok("expungeVirtualMachine", map[string]string{"id": id})
	if q := c.waitJob(sub["jobid"].(string)); q["jobstatus"].(float64) != 2 || q["jobresultcode"].(float64) != 431 {
		t.Fatalf("expunge of a stopped VM: %v", q)
	}
	c.job("destroyVirtualMachine", map[string]string{"id": id, "expunge": "true"})
	e := c.fail(431, "listVirtualMachines", map[string]string{"id": id})
	if !strings.Contains(e["errortext"].(string), "entity does not exist") {
		t.Errorf("expunged VM: %v", e)
	}
}

func TestVM_ScaleChangeRestoreUpdate(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, nil)
	id := vm["id"].(string)
	res := c.job("scaleVirtualMachine", map[string]string{"id": id, "serviceofferingid": k.small})["virtualmachine"].(map[string]any)
	if res["serviceofferingname"] != cloudstacksim.OfferingSmall || res["memory"].(float64) != 512 || res["state"] != "Running" {
		t.Fatalf("scale: %v", res)
	}
	e := c.fail(431, "changeServiceForVirtualMachine", map[string]string{"id": id, "serviceofferingid": k.medium})
	if !strings.Contains(e["errortext"].(string), "make sure the virtual machine is stopped") {
		t.Errorf("change service while running: %v", e)
	}
	c.job("stopVirtualMachine", map[string]string{"id": id})
	res = c.ok("changeServiceForVirtualMachine", map[string]string{"id": id, "serviceofferingid": k.medium})["virtualmachine"].(map[string]any)
	if res["memory"].(float64) != 1024 {
		t.Errorf("change service: %v", res)
	}
	rootBefore := items(c.ok("listVolumes", map[string]string{"virtualmachineid": id, "type": "ROOT"}), "volume")[0]["id"]
	res = c.job("restoreVirtualMachine", map[string]string{"virtualmachineid": id, "templateid": k.ubuntu})["virtualmachine"].(map[string]any)
	if res["templateid"] != k.ubuntu || res["passwordenabled"] != true || len(res["password"].(string)) != 6 {
		t.Errorf("restore: %v", res)
	}
	rootAfter := items(c.ok("listVolumes", map[string]string{"virtualmachineid": id, "type": "ROOT"}), "volume")[0]["id"]
	if rootAfter == rootBefore {
		t.Error("restore kept the ROOT volume")
	}
	res = c.ok("updateVirtualMachine", map[string]string{"id": id, "displayname": "renamed", "group": "g2", "haenable": "true",
		"details[0].key1": "v1"})["virtualmachine"].(map[string]any)
	if res["displayname"] != "renamed" || res["group"] != "g2" || res["haenable"] != true || res["details"].(map[string]any)["key1"] != "v1" {
		t.Errorf("update: %v", res)
	}
	if _, has := res["password"]; has {
		t.Error("password shown outside deploy/restore/reset results")
	}
}

func TestVM_DeployParameters(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	c.ok("createSecurityGroup", map[string]string{"name": "web"})
	c.job("createAffinityGroup", map[string]string{"name": "spread", "type": "host anti-affinity"})
	vm := deploy(c, k, map[string]string{"name": "full", "securitygroupnames": "web", "affinitygroupnames": "spread",
		"ipaddress": "10.16.3.3", "diskofferingid": k.diskCustom, "size": "7", "rootdisksize": "12",
		"details[0].cpuTopology": "x", "startvm": "true"})
	if got := vm["securitygroup"].([]any)[0].(map[string]any)["name"]; got != "web" {
		t.Errorf("security group: %v", got)
	}
	if got := vm["affinitygroup"].([]any)[0].(map[string]any)["name"]; got != "spread" {
		t.Errorf("affinity group: %v", got)
	}
	if got := vm["nic"].([]any)[0].(map[string]any)["ipaddress"]; got != "10.16.3.3" {
		t.Errorf("ipaddress: %v", got)
	}
	sizes := map[string]float64{}
	for _, v := range items(c.ok("listVolumes", map[string]string{"virtualmachineid": vm["id"].(string)}), "volume") {
		sizes[v["type"].(string)] = v["size"].(float64)
	}
	if sizes["ROOT"] != 12<<30 || sizes["DATADISK"] != 7<<30 {
		t.Errorf("volume sizes: %v", sizes)
	}
	// Validation errors answered synchronously.
	for _, tc := range []struct {
		params map[string]string
		status int
		text   string
	}{
		{map[string]string{"name": "1bad"}, 431, "Invalid name."},
		{map[string]string{"name": "full"}, 431, "The vm with hostName full already exists in the network domain"},
		{map[string]string{"ipaddress": "10.16.3.3"}, 533, "already in use"},
		{map[string]string{"keypair": "nope"}, 431, "A key pair with name 'nope' was not found."},
		{map[string]string{"securitygroupnames": "nope"}, 431, "Unable to find group by name nope"},
		{map[string]string{"diskofferingid": k.diskCustom}, 431, "This disk offering requires a custom size specified"},
		{map[string]string{"rootdisksize": "0", "templateid": k.windows}, 200, ""},
		{map[string]string{"templateid": k.notReady}, 530, "has not been completely downloaded to zone"},
		{map[string]string{"userdata": "not base64!"}, 431, "User data is not base64 encoded"},
		{map[string]string{"userdata": strings.Repeat("QUFB", 1024)}, 431, "User data is too long for an http GET request"},
		{map[string]string{"zoneid": k.zone2, "networkids": k.sharedNet}, 431, "doesn't belong to zone"},
	} {
		p := map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering}
		for key, v := range tc.params {
			p[key] = v
		}
		if tc.status == 200 {
			c.ok("deployVirtualMachine", p)
			continue
		}
		e := c.fail(tc.status, "deployVirtualMachine", p)
		if !strings.Contains(e["errortext"].(string), tc.text) {
			t.Errorf("%v: %v", tc.params, e["errortext"])
		}
	}
	// POST allows up to 32 KB of user data.
	p := map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering, "userdata": strings.Repeat("QUFB", 1024)}
	c.post().ok("deployVirtualMachine", p)
	p["userdata"] = strings.Repeat("QUFB", 8193)
	if e := c.post().fail(431, "deployVirtualMachine", p); !strings.Contains(e["errortext"].(string), "exceeded configurable max length : 32768") {
		t.Errorf("32 KB limit: %v", e)
	}
	// Users do not see internal error texts.
	p = map[string]string{"zoneid": k.zone1, "templateid": k.notReady, "serviceofferingid": k.tinyOffering}
	e := c.as(c.sim.UserCredentials()).fail(530, "deployVirtualMachine", p)
	if e["errortext"] != "Internal error executing command, please contact your system administrator" {
		t.Errorf("user sees %v", e["errortext"])
	}
	// An isolated network in zone 2.
	vm2 := deploy(c, k, map[string]string{"zoneid": k.zone2})
	if nic := vm2["nic"].([]any)[0].(map[string]any); nic["type"] != "Isolated" || !strings.HasPrefix(nic["ipaddress"].(string), "10.1.1.") {
		t.Errorf("zone 2 nic: %v", nic)
	}
}

func TestVM_PasswordAndKeys(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	kp := c.ok("createSSHKeyPair", map[string]string{"name": "k1"})["keypair"].(map[string]any)
	block, _ := pem.Decode([]byte(kp["privatekey"].(string)))
	if block == nil || block.Type != "RSA PRIVATE KEY" {
		t.Fatalf("private key: %v", kp["privatekey"])
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	vm := deploy(c, k, map[string]string{"templateid": k.ubuntu, "keypair": "k1"})
	password := vm["password"].(string)
	if vm["keypairs"] != "k1" || password == "" {
		t.Fatalf("deploy: %v", vm)
	}
	if _, has := vmByID(c, vm["id"].(string))["password"]; has {
		t.Error("listVirtualMachines shows the password")
	}
	enc := c.ok("getVMPassword", map[string]string{"id": vm["id"].(string)})["password"].(map[string]any)["encryptedpassword"].(string)
	raw, _ := base64.StdEncoding.DecodeString(enc)
	plain, err := priv.Decrypt(nil, raw, nil) // PKCS #1 v1.5, as CloudStack's clients decrypt it

	if err != nil || string(plain) != password {
		t.Fatalf("decrypted %q (%v), want %q", plain, err, password)
	}
	noPass := deploy(c, k, map[string]string{"keypair": "k1"})
	c.fail(431, "getVMPassword", map[string]string{"id": noPass["id"].(string)})
	// A reset gives a new password.
	c.job("stopVirtualMachine", map[string]string{"id": vm["id"].(string)})
	again := c.job("resetPasswordForVirtualMachine", map[string]string{"id": vm["id"].(string)})["virtualmachine"].(map[string]any)
	if again["password"] == "" || again["password"] == password {
		t.Errorf("reset password: %v", again["password"])
	}
	c.ok("registerSSHKeyPair", map[string]string{"name": "k2", "publickey": testPublicKey})
	res := c.job("resetSSHKeyForVirtualMachine", map[string]string{"id": vm["id"].(string), "keypair": "k2"})
	if res["virtualmachine"].(map[string]any)["keypairs"] != "k2" {
		t.Errorf("reset SSH key: %v", res)
	}
}

func TestVM_VMAddressKnob(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{VMAddress: "127.0.0.1"})
	k := catalogue(c)
	a := deploy(c, k, nil)
	b := deploy(c, k, nil)
	for _, vm := range []map[string]any{a, b} {
		if ip := vm["nic"].([]any)[0].(map[string]any)["ipaddress"]; ip != "127.0.0.1" {
			t.Errorf("ipaddress %v", ip)
		}
	}
	c.sim.SetVMAddress("")
	if ip := deploy(c, k, nil)["nic"].([]any)[0].(map[string]any)["ipaddress"]; ip == "127.0.0.1" {
		t.Error("SetVMAddress(\"\") did not restore allocation")
	}
}

func TestVM_ListFilters(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	a := deploy(c, k, map[string]string{"name": "alpha-web"})
	b := deploy(c, k, map[string]string{"name": "beta-web", "zoneid": k.zone2, "startvm": "false"})
	deploy(c, k, map[string]string{"name": "gamma-db"})
	c.job("createTags", map[string]string{"resourcetype": "UserVm", "resourceids": a["id"].(string), "tags[0].key": "env", "tags[0].value": "prod"})
	count := func(p map[string]string) int {
		t.Helper()
		return len(items(c.ok("listVirtualMachines", p), "virtualmachine"))
	}
	for _, tc := range []struct {
		p    map[string]string
		want int
	}{
		{map[string]string{"name": "web"}, 2},
		{map[string]string{"name": "alpha-web"}, 1},
		{map[string]string{"state": "Stopped"}, 1},
		{map[string]string{"state": "running"}, 2},
		{map[string]string{"zoneid": k.zone2}, 1},
		{map[string]string{"keyword": "db"}, 1},
		{map[string]string{"ids": a["id"].(string) + "," + b["id"].(string)}, 2},
		{map[string]string{"tags[0].key": "env", "tags[0].value": "prod"}, 1},
		{map[string]string{"tags[0].key": "env", "tags[0].value": "dev"}, 0},
		{map[string]string{"templateid": k.tiny}, 3},
		{map[string]string{"serviceofferingid": k.small}, 0},
	} {
		if got := count(tc.p); got != tc.want {
			t.Errorf("%v: %d VMs, want %d", tc.p, got, tc.want)
		}
	}
	tags := vmByID(c, a["id"].(string))["tags"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["key"] != "env" || tags[0].(map[string]any)["resourcetype"] != "UserVm" {
		t.Errorf("tags: %v", tags)
	}
}

// testPublicKey is an OpenSSH RSA public key (the Libcloud script's).
const testPublicKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCyp1nyVgFPosLfnIiTkZ59VWKdWNklxmfHypkLVaRAfDRjMesVHOiLcCueUPnzkf" +
	"zmycG0/6+V4voYLBbUDuj0LerllMJSuQmz69vfWejrcVXsBnp5uIznczFNRl+5XDHCOIf1ib89i3AWUbjQx3mg96S2TwRJNQ1tk1meZ" +
	"stbs62Bpvjo9CC2F1qqexhj6SFG4aJDYyteRxHzgMSG0QdoGBLJaM+namd4AMxEX7KztFBiGgKCGtU9xjCaR50Gc+gAPDaEq5ZJcxC7W" +
	"j+RSzKcDCclhcXt5tzlPXDGnfZO2kwN2kFKB5K/lNUHXr/MVkl0o4RJRghRQx5anmXMReiB libcloud-compat"
