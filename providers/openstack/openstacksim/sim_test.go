package openstacksim_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

func TestKeystoneAuth(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.raw("POST", "/identity/v3/auth/tokens", `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":"wrong"}}}}}`, nil)
	if resp.StatusCode != 401 || !strings.Contains(readAll(resp), `"title":"Unauthorized"`) {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	c := e.sim.UserCredentials()
	resp = e.raw("POST", "/identity/v3/auth/tokens", `{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"`+
		c.ApplicationCredentialID+`","secret":"`+c.ApplicationCredentialSecret+`"}}}}`, nil)
	body := readAll(resp)
	if resp.StatusCode != 201 || resp.Header.Get("X-Subject-Token") == "" {
		t.Fatalf("application credential: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{`"type":"compute"`, `"type":"image"`, `"type":"volumev3"`, `"type":"block-storage"`, `"type":"network"`, `"type":"identity"`, `"interface":"internal"`, `"region":"RegionOne"`, `"expires_at"`} {
		if !strings.Contains(body, want) {
			t.Errorf("token body lacks %s", want)
		}
	}
	if r := e.raw("GET", "/identity", "", nil); r.StatusCode != 300 || !strings.Contains(readAll(r), `"v3.14"`) {
		t.Errorf("version discovery: %d", r.StatusCode)
	}
}

func TestTokenExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := &now
	e := newEnv(t, &openstacksim.Options{TokenLifetime: time.Minute, Now: func() time.Time { return *clock }})
	if st, _, _ := e.do("GET", "/compute/v2.1/servers", "", ""); st != 200 {
		t.Fatalf("fresh token: %d", st)
	}
	now = now.Add(2 * time.Minute)
	st, out, hdr := e.do("GET", "/compute/v2.1/servers", "", "")
	if st != 401 || out["error"] == nil || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Keystone uri=") {
		t.Fatalf("expired token: %d %v", st, out)
	}
	e.token = e.login(e.sim.AdminCredentials())
	if st, _, _ := e.do("GET", "/compute/v2.1/servers", "", ""); st != 200 {
		t.Fatalf("re-authenticated: %d", st)
	}
}

func TestMicroversionNegotiation(t *testing.T) {
	e := newEnv(t, nil)
	st, out, _ := e.do("GET", "/compute/v2.1/flavors", "", "2.999")
	if st != 406 || out["computeFault"] == nil {
		t.Errorf("2.999: %d %v", st, out)
	}
	if st, _, _ := e.do("GET", "/compute/v2.1/flavors", "", "two"); st != 400 {
		t.Errorf("malformed: %d", st)
	}
	_, _, hdr := e.do("GET", "/compute/v2.1/flavors", "", "latest")
	if hdr.Get("X-OpenStack-Nova-API-Version") != openstacksim.MaxComputeMicroversion {
		t.Errorf("latest: %q", hdr.Get("X-OpenStack-Nova-API-Version"))
	}
	_, _, hdr = e.do("GET", "/compute/v2.1/flavors", "", "")
	if hdr.Get("OpenStack-API-Version") != "compute 2.1" {
		t.Errorf("default: %q", hdr.Get("OpenStack-API-Version"))
	}
}

func TestServerStateMachine(t *testing.T) {
	e := newEnv(t, &openstacksim.Options{TransitionDelay: 20 * time.Millisecond})
	id := e.createServer("sm", "2.47")
	_, out, _ := e.do("GET", "/compute/v2.1/servers/"+id, "", "2.47")
	if sv := out["server"].(map[string]any); sv["status"] != "BUILD" || sv["OS-EXT-STS:vm_state"] != "building" {
		t.Fatalf("just created: %v %v", sv["status"], sv["OS-EXT-STS:vm_state"])
	}
	sv := e.waitStatus(id, "ACTIVE")
	if sv["flavor"].(map[string]any)["original_name"] != "m1.tiny" || sv["addresses"].(map[string]any)["private"] == nil {
		t.Errorf("active server: %v", sv)
	}
	act := func(body string) (int, map[string]any) {
		st, out, _ := e.do("POST", "/compute/v2.1/servers/"+id+"/action", body, "2.47")
		return st, out
	}
	if st, _ := act(`{"os-stop":null}`); st != 202 {
		t.Fatalf("stop: %d", st)
	}
	if st, out := act(`{"os-stop":null}`); st != 409 || !strings.Contains(out["conflictingRequest"].(map[string]any)["message"].(string), "task_state powering-off") {
		t.Errorf("stop while stopping: %d %v", st, out)
	}
	e.waitStatus(id, "SHUTOFF")
	if st, out := act(`{"os-stop":null}`); st != 409 || !strings.Contains(out["conflictingRequest"].(map[string]any)["message"].(string), "vm_state stopped") {
		t.Errorf("stop stopped: %d %v", st, out)
	}
	for _, step := range []struct{ body, want string }{
		{`{"os-start":null}`, "ACTIVE"}, {`{"reboot":{"type":"HARD"}}`, "ACTIVE"}, {`{"resize":{"flavorRef":"2"}}`, "VERIFY_RESIZE"},
		{`{"confirmResize":null}`, "ACTIVE"}, {`{"pause":null}`, "PAUSED"}, {`{"unpause":null}`, "ACTIVE"},
		{`{"suspend":null}`, "SUSPENDED"}, {`{"resume":null}`, "ACTIVE"}, {`{"shelve":null}`, "SHELVED_OFFLOADED"},
		{`{"unshelve":null}`, "ACTIVE"},
	} {
		if st, out := act(step.body); st != 202 && st != 204 {
			t.Fatalf("%s: %d %v", step.body, st, out)
		}
		e.waitStatus(id, step.want)
	}
	if sv := e.waitStatus(id, "ACTIVE"); sv["flavor"].(map[string]any)["original_name"] != "m1.small" {
		t.Errorf("resized flavor: %v", sv["flavor"])
	}
	st, out, _ := e.do("POST", "/compute/v2.1/servers/"+id+"/action", `{"createImage":{"name":"snap"}}`, "2.45")
	if st != 202 || out["image_id"] == nil {
		t.Fatalf("createImage: %d %v", st, out)
	}
	if st, _, _ := e.do("DELETE", "/compute/v2.1/servers/"+id, "", ""); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, out, _ := e.do("GET", "/compute/v2.1/servers/"+id, "", "")
		if st == 404 {
			if out["itemNotFound"].(map[string]any)["code"] != float64(404) {
				t.Errorf("404 body: %v", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server never went away")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServerListFiltersAndPaging(t *testing.T) {
	e := newEnv(t, &openstacksim.Options{Servers: 5})
	st, out, _ := e.do("GET", "/compute/v2.1/servers/detail?limit=2", "", "")
	if st != 200 || len(out["servers"].([]any)) != 2 || out["servers_links"] == nil {
		t.Fatalf("page 1: %d %v", st, out)
	}
	next := out["servers_links"].([]any)[0].(map[string]any)["href"].(string)
	seen := 2
	for next != "" {
		_, out, _ = e.do("GET", strings.TrimPrefix(next, e.base), "", "")
		seen += len(out["servers"].([]any))
		next = ""
		if l, ok := out["servers_links"].([]any); ok {
			next = l[0].(map[string]any)["href"].(string)
		}
	}
	if seen != 5 {
		t.Errorf("paged through %d servers, want 5", seen)
	}
	_, out, _ = e.do("GET", "/compute/v2.1/servers?name=server-[12]$&status=active", "", "")
	if n := len(out["servers"].([]any)); n != 2 {
		t.Errorf("name regex + status: %d servers", n)
	}
}

func TestKeypairsAndErrors(t *testing.T) {
	e := newEnv(t, &openstacksim.Options{KeyBits: 1024})
	st, out, _ := e.do("POST", "/compute/v2.1/os-keypairs", `{"keypair":{"name":"k"}}`, "2.92")
	if st != 400 || out["badRequest"] == nil {
		t.Errorf("2.92 generate: %d %v", st, out)
	}
	st, out, _ = e.do("POST", "/compute/v2.1/os-keypairs", `{"keypair":{"name":"k"}}`, "2.2")
	kp, _ := out["keypair"].(map[string]any)
	if st != 201 || kp["private_key"] == nil || len(strings.Split(kp["fingerprint"].(string), ":")) != 16 {
		t.Fatalf("generate: %d %v", st, out)
	}
	if st, out, _ := e.do("POST", "/compute/v2.1/os-keypairs", `{"keypair":{"name":"k","public_key":"`+kp["public_key"].(string)+`"}}`, "2.92"); st != 409 || out["conflictingRequest"] == nil {
		t.Errorf("duplicate: %d %v", st, out)
	}
	if err := e.sim.SetQuota("admin", openstacksim.Quota{Instances: 0, Cores: -1, RAM: -1}); err != nil {
		t.Fatal(err)
	}
	st, out, _ = e.do("POST", "/compute/v2.1/servers", `{"server":{"name":"q","imageRef":"`+openstacksim.CirrosImageID+`","flavorRef":"1"}}`, "")
	if st != 403 || !strings.HasPrefix(out["forbidden"].(map[string]any)["message"].(string), "Quota exceeded for instances") {
		t.Errorf("quota: %d %v", st, out)
	}
	if st, out, _ := e.do("POST", "/compute/v2.1/servers", `{"server":{"name":"u","imageRef":"`+openstacksim.CirrosImageID+`","flavorRef":"1","user_data":"`+strings.Repeat("A", 65536)+`"}}`, ""); st != 400 || out["badRequest"] == nil {
		t.Errorf("user_data too long: %d", st)
	}
	st, out, _ = e.do("GET", "/networking/v2.0/networks/nope", "", "")
	if ne, _ := out["NeutronError"].(map[string]any); st != 404 || ne["type"] != "NetworkNotFound" {
		t.Errorf("neutron 404: %d %v", st, out)
	}
}

func TestKnobs(t *testing.T) {
	e := newEnv(t, nil)
	e.sim.InjectFault("compute:ListFlavors", openstacksim.Fault{Status: 503, Times: 1})
	if st, out, _ := e.do("GET", "/compute/v2.1/flavors", "", ""); st != 503 || out["serviceUnavailable"] == nil {
		t.Errorf("fault: %d %v", st, out)
	}
	if st, _, _ := e.do("GET", "/compute/v2.1/flavors", "", ""); st != 200 {
		t.Errorf("after the fault: %d", st)
	}
	if n := e.sim.RequestCount("compute:ListFlavors"); n != 2 {
		t.Errorf("RequestCount %d", n)
	}
	e.sim.InjectFault("compute:CreateServer", openstacksim.Fault{Kind: openstacksim.FaultDropAfter, Times: 1})
	req, _ := http.NewRequest("POST", e.base+"/compute/v2.1/servers", strings.NewReader(`{"server":{"name":"d","imageRef":"`+openstacksim.CirrosImageID+`","flavorRef":"1"}}`))
	req.Header.Set("X-Auth-Token", e.token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("drop after: got an answer")
	}
	if _, out, _ := e.do("GET", "/compute/v2.1/servers?name=^d$", "", ""); len(out["servers"].([]any)) != 1 {
		t.Error("drop after: the server was not created")
	}
	e.sim.SetThrottle(openstacksim.Throttle{Max: 1, Interval: time.Hour})
	e.do("GET", "/compute/v2.1/flavors", "", "")
	st, out, hdr := e.do("GET", "/compute/v2.1/flavors", "", "")
	if st != 429 || hdr.Get("Retry-After") == "" || out["overLimit"] == nil {
		t.Errorf("throttled: %d %v %v", st, hdr, out)
	}
}

func TestFloatingIPAndVolumes(t *testing.T) {
	e := newEnv(t, nil)
	id := e.createServer("fip", "")
	e.waitStatus(id, "ACTIVE")
	_, out, _ := e.do("GET", "/networking/v2.0/ports?device_id="+id, "", "")
	portID := out["ports"].([]any)[0].(map[string]any)["id"].(string)
	st, out, _ := e.do("POST", "/networking/v2.0/floatingips", `{"floatingip":{"floating_network_id":"`+openstacksim.PublicNetworkID+`","port_id":"`+portID+`"}}`, "")
	if st != 201 {
		t.Fatalf("floating ip: %d %v", st, out)
	}
	sv := e.waitStatus(id, "ACTIVE")
	addrs := sv["addresses"].(map[string]any)["private"].([]any)
	if len(addrs) != 2 || addrs[1].(map[string]any)["OS-EXT-IPS:type"] != "floating" {
		t.Errorf("addresses: %v", addrs)
	}
	vp := "/volume/v3/" + openstacksim.AdminProjectID + "/volumes"
	_, out, _ = e.do("POST", vp, `{"volume":{"size":1,"name":"v"}}`, "")
	vid := out["volume"].(map[string]any)["id"].(string)
	waitVolume := func(status string) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, out, _ := e.do("GET", vp+"/"+vid, "", "")
			if out["volume"].(map[string]any)["status"] == status {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("volume never %s: %v", status, out)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitVolume("available")
	if st, out, _ := e.do("POST", "/compute/v2.1/servers/"+id+"/os-volume_attachments", `{"volumeAttachment":{"volumeId":"`+vid+`"}}`, ""); st != 200 {
		t.Fatalf("attach: %d %v", st, out)
	}
	waitVolume("in-use")
	if st, _, _ := e.do("DELETE", vp+"/"+vid, "", ""); st != 400 {
		t.Errorf("delete in-use volume: %d", st)
	}
	if st, _, _ := e.do("DELETE", "/compute/v2.1/servers/"+id+"/os-volume_attachments/"+vid, "", ""); st != 202 {
		t.Fatalf("detach: %d", st)
	}
	waitVolume("available")
}

func readAll(r *http.Response) string {
	b := new(strings.Builder)
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
