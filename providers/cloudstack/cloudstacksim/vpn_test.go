package cloudstacksim_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// customerGateway returns createVpnCustomerGateway parameters.
func customerGateway(name, ip, cidrs string) map[string]string {
	return map[string]string{"name": name, "gateway": ip, "cidrlist": cidrs, "ikepolicy": "aes256-sha256;modp2048",
		"esppolicy": "aes256-sha256", "ipsecpsk": "not-so-secret-psk"}
}

func TestVPN_GatewaysCustomerGatewaysConnections(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	u := c.as(c.sim.UserCredentials())
	v := newVPC(u, k, "vpn-vpc", "10.90.0.0/16", nil)
	vpcID := v["id"].(string)
	nat := items(u.ok("listPublicIpAddresses", map[string]string{"vpcid": vpcID}), "publicipaddress")[0]

	// The gateway sits on the VPC's source NAT address; one per VPC.
	sub := u.ok("createVpnGateway", map[string]string{"vpcid": vpcID})
	if sub["id"] == nil {
		t.Fatalf("createVpnGateway is a create command: %v", sub)
	}
	gw := u.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["vpngateway"].(map[string]any)
	gwID := gw["id"].(string)
	if gw["publicip"] != nat["ipaddress"] || gw["vpcid"] != vpcID || gw["vpcname"] != "vpn-vpc" || gw["account"] != "user" {
		t.Fatalf("gateway: %v (source NAT %v)", gw, nat["ipaddress"])
	}
	if e := u.fail(431, "createVpnGateway", map[string]string{"vpcid": vpcID}); !strings.Contains(e["errortext"].(string), "already existed") {
		t.Errorf("second gateway: %v", e)
	}
	if got := items(u.ok("listVpnGateways", map[string]string{"vpcid": vpcID}), "vpngateway"); len(got) != 1 || got[0]["id"] != gwID {
		t.Errorf("gateways: %v", got)
	}

	// Customer gateways are validated in the job.
	cg := u.job("createVpnCustomerGateway", customerGateway("office", "198.51.100.10", "192.168.10.0/24,192.168.11.0/24"))["vpncustomergateway"].(map[string]any)
	cgID := cg["id"].(string)
	if cg["name"] != "office" || cg["gateway"] != "198.51.100.10" || cg["cidrlist"] != "192.168.10.0/24,192.168.11.0/24" ||
		cg["ikelifetime"].(float64) != 86400 || cg["esplifetime"].(float64) != 3600 || cg["ikeversion"] != "ike" ||
		cg["dpd"] != false || cg["ipsecpsk"] != "not-so-secret-psk" {
		t.Fatalf("customer gateway: %v", cg)
	}
	p := customerGateway("", "203.0.113.5", "172.20.0.0/16")
	if got := u.job("createVpnCustomerGateway", p)["vpncustomergateway"].(map[string]any); got["name"] != "VPN-203.0.113.5" {
		t.Errorf("default name: %v", got)
	}
	for _, tc := range []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"name": "office", "gateway": "198.51.100.99"}, "with name office already existed"},
		{map[string]string{"name": "x", "gateway": "198.51.100.10"}, "with ip 198.51.100.10 already existed"},
		{map[string]string{"gateway": "not-an-ip"}, "ip not-an-ip is invalid"},
		{map[string]string{"cidrlist": "10.0.0.0/8,nope"}, "contains an invalid cidr"},
		{map[string]string{"ikepolicy": "rot13-md5"}, "IKE policy rot13-md5 is invalid"},
		{map[string]string{"esppolicy": "aes128-sha1;modp1"}, "ESP policy aes128-sha1;modp1 is invalid"},
		{map[string]string{"ikelifetime": "100000"}, "IKE lifetime 100000"},
		{map[string]string{"ipsecpsk": `bad"psk`}, "invalid characters"},
	} {
		params := customerGateway("other", "198.51.100.20", "192.168.20.0/24")
		for key, val := range tc.change {
			params[key] = val
		}
		txt := failJob(u, 431, "createVpnCustomerGateway", params)
		if !strings.Contains(txt, tc.want) {
			t.Errorf("%v: %s, want %q", tc.change, txt, tc.want)
		}
		if strings.Contains(txt, "psk") && strings.Contains(txt, params["ipsecpsk"]) {
			t.Errorf("the pre-shared key appears in an error: %s", txt)
		}
	}

	// A connection: same account, no overlap with the VPC, once per pair.
	sub = u.ok("createVpnConnection", map[string]string{"s2svpngatewayid": gwID, "s2scustomergatewayid": cgID})
	if sub["id"] == nil {
		t.Fatalf("createVpnConnection is a create command: %v", sub)
	}
	conn := u.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["vpnconnection"].(map[string]any)
	connID := conn["id"].(string)
	if conn["state"] != "Connected" || conn["s2svpngatewayid"] != gwID || conn["s2scustomergatewayid"] != cgID ||
		conn["publicip"] != nat["ipaddress"] || conn["gateway"] != "198.51.100.10" || conn["passive"] != false ||
		conn["cidrlist"] != "192.168.10.0/24,192.168.11.0/24" {
		t.Fatalf("connection: %v", conn)
	}
	if e := u.fail(431, "createVpnConnection", map[string]string{"s2svpngatewayid": gwID, "s2scustomergatewayid": cgID}); !strings.Contains(e["errortext"].(string), "already existed") {
		t.Errorf("second connection: %v", e)
	}
	overlapVPC := u.job("createVpnCustomerGateway", customerGateway("overlap", "198.51.100.30", "10.90.5.0/24"))["vpncustomergateway"].(map[string]any)
	if e := u.fail(431, "createVpnConnection", map[string]string{"s2svpngatewayid": gwID, "s2scustomergatewayid": overlapVPC["id"].(string)}); !strings.Contains(e["errortext"].(string), "overlapped with VPC cidr") {
		t.Errorf("overlap with the VPC: %v", e)
	}
	overlapPeer := u.job("createVpnCustomerGateway", customerGateway("peer", "198.51.100.31", "192.168.11.128/25"))["vpncustomergateway"].(map[string]any)
	if e := u.fail(431, "createVpnConnection", map[string]string{"s2svpngatewayid": gwID, "s2scustomergatewayid": overlapPeer["id"].(string)}); !strings.Contains(e["errortext"].(string), "overlapped with customer gateway") {
		t.Errorf("overlap with another connection: %v", e)
	}
	adminCG := c.job("createVpnCustomerGateway", customerGateway("admins", "198.51.100.40", "192.168.40.0/24"))["vpncustomergateway"].(map[string]any)
	if e := c.fail(431, "createVpnConnection", map[string]string{"s2svpngatewayid": gwID, "s2scustomergatewayid": adminCG["id"].(string)}); !strings.Contains(e["errortext"].(string), "same account") {
		t.Errorf("gateways of two accounts: %v", e)
	}
	if got := items(u.ok("listVpnConnections", map[string]string{"vpcid": vpcID}), "vpnconnection"); len(got) != 1 || got[0]["id"] != connID {
		t.Errorf("connections: %v", got)
	}

	// Deletion order: connections first.
	if txt := failJob(u, 431, "deleteVpnGateway", map[string]string{"id": gwID}); !strings.Contains(txt, "still related VPN connections") {
		t.Errorf("gateway in use: %s", txt)
	}
	if txt := failJob(u, 431, "deleteVpnCustomerGateway", map[string]string{"id": cgID}); !strings.Contains(txt, "still related VPN connections") {
		t.Errorf("customer gateway in use: %s", txt)
	}
	u.job("deleteVpnConnection", map[string]string{"id": connID})
	u.job("deleteVpnCustomerGateway", map[string]string{"id": cgID})
	u.job("deleteVpnGateway", map[string]string{"id": gwID})
	u.fail(431, "listVpnGateways", map[string]string{"id": gwID})
	u.fail(431, "listVpnCustomerGateways", map[string]string{"id": cgID})
	if got := u.ok("listVpnConnections", nil); got["count"] != nil {
		t.Errorf("connections after deletion: %v", got)
	}
}

func TestVPN_DeleteVPCRemovesGatewayAndConnections(t *testing.T) {
	c := newSim(t, nil)
	k := netCatalogue(c)
	v := newVPC(c, k, "gone", "10.91.0.0/16", nil)
	gw := c.job("createVpnGateway", map[string]string{"vpcid": v["id"].(string)})["vpngateway"].(map[string]any)
	cg := c.job("createVpnCustomerGateway", customerGateway("remote", "198.51.100.50", "192.168.50.0/24"))["vpncustomergateway"].(map[string]any)
	c.job("createVpnConnection", map[string]string{"s2svpngatewayid": gw["id"].(string), "s2scustomergatewayid": cg["id"].(string)})
	c.job("deleteVPC", map[string]string{"id": v["id"].(string)})
	if got := c.ok("listVpnGateways", nil); got["count"] != nil {
		t.Errorf("gateways: %v", got)
	}
	if got := c.ok("listVpnConnections", nil); got["count"] != nil {
		t.Errorf("connections: %v", got)
	}
	if got := items(c.ok("listVpnCustomerGateways", nil), "vpncustomergateway"); len(got) != 1 {
		t.Errorf("the customer gateway is the account's, it stays: %v", got)
	}
}

// fakeClock is a settable clock for the simulator.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

func TestVPN_ConnectionStates(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	c := newSim(t, &cloudstacksim.Options{Now: clock.now, JobDelay: 5 * time.Millisecond})
	k := netCatalogue(c)
	v := newVPC(c, k, "states", "10.92.0.0/16", nil)
	gw := c.job("createVpnGateway", map[string]string{"vpcid": v["id"].(string)})["vpngateway"].(map[string]any)
	active := c.job("createVpnCustomerGateway", customerGateway("a", "198.51.100.60", "192.168.60.0/24"))["vpncustomergateway"].(map[string]any)
	passive := c.job("createVpnCustomerGateway", customerGateway("p", "198.51.100.61", "192.168.61.0/24"))["vpncustomergateway"].(map[string]any)

	sub := c.ok("createVpnConnection", map[string]string{"s2svpngatewayid": gw["id"].(string), "s2scustomergatewayid": active["id"].(string)})
	id := sub["id"].(string)
	conn := c.waitJob(sub["jobid"].(string))["jobresult"].(map[string]any)["vpnconnection"].(map[string]any)
	if conn["state"] != "Connecting" {
		t.Fatalf("at the end of the job: %v", conn["state"])
	}
	if got := items(c.ok("listVpnConnections", map[string]string{"id": id}), "vpnconnection")[0]; got["state"] != "Connecting" {
		t.Fatalf("before the tunnel settles: %v", got["state"])
	}
	clock.advance(time.Second)
	if got := items(c.ok("listVpnConnections", map[string]string{"id": id}), "vpnconnection")[0]; got["state"] != "Connected" {
		t.Fatalf("once settled: %v", got["state"])
	}

	p := c.job("createVpnConnection", map[string]string{"s2svpngatewayid": gw["id"].(string), "s2scustomergatewayid": passive["id"].(string),
		"passive": "true"})["vpnconnection"].(map[string]any)
	clock.advance(time.Hour)
	if got := items(c.ok("listVpnConnections", map[string]string{"id": p["id"].(string)}), "vpnconnection")[0]; got["state"] != "Disconnected" || got["passive"] != true {
		t.Fatalf("a passive connection waits for its peer: %v", got)
	}
}
