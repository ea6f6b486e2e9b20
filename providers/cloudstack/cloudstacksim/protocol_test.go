package cloudstacksim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// body sends a signed command and returns the status and the raw body.
func (c *apiClient) body(command string, params map[string]string) (int, string) {
	c.t.Helper()
	v := url.Values{"command": {command}}
	for k, val := range params {
		v.Set(k, val)
	}
	status, b := c.raw(cloudstacksim.SignValues(v, c.cred.APIKey, c.cred.SecretKey))
	return status, string(b)
}

func TestEnvelope_ListShapes(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{VMs: 3})
	user := c.as(c.sim.UserCredentials())
	if status, b := user.body("listVolumes", nil); status != 200 || b != `{"listvolumesresponse":{}}` {
		t.Errorf("empty list: HTTP %d: %s", status, b)
	}
	if status, b := c.body("listVirtualMachines", map[string]string{"page": "2", "pagesize": "3"}); status != 200 || b != `{"listvirtualmachinesresponse":{"count":3}}` {
		t.Errorf("past the last page: HTTP %d: %s", status, b)
	}
	_, b := c.body("listVirtualMachines", map[string]string{"page": "2", "pagesize": "2"})
	var env struct {
		R struct {
			Count int              `json:"count"`
			VMs   []map[string]any `json:"virtualmachine"`
		} `json:"listvirtualmachinesresponse"`
	}
	if err := json.Unmarshal([]byte(b), &env); err != nil || env.R.Count != 3 || len(env.R.VMs) != 1 {
		t.Errorf("count must be the total (3) and the page hold 1 row: %s", b)
	}
	if !strings.HasPrefix(b, `{"listvirtualmachinesresponse":{"count":3,"virtualmachine":[{"id":"`) {
		t.Errorf("envelope layout: %s", b)
	}
}

func TestEnvelope_Errors(t *testing.T) {
	c := newSim(t, nil)
	cases := []struct {
		name, command string
		params        map[string]string
		status        int
		want          string
	}{
		{"missing parameter", "deployVirtualMachine", nil, 431,
			`{"deployvirtualmachineresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command deployvirtualmachine due to missing parameter zoneid"}}`},
		{"unknown id", "listZones", map[string]string{"id": "11111111-2222-4333-8444-555555555555"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command listzones due to invalid value. Invalid parameter id value=11111111-2222-4333-8444-555555555555 due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."}}`},
		{"bad integer", "listVirtualMachines", map[string]string{"page": "one", "pagesize": "10"}, 431,
			`{"listvirtualmachinesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command listvirtualmachines due to invalid value one for parameter page"}}`},
		{"too long", "createSecurityGroup", map[string]string{"name": strings.Repeat("x", 256)}, 431,
			`{"createsecuritygroupresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command createsecuritygroup due to invalid value. Value greater than max allowed length 255 for param: name"}}`},
		{"malformed map", "listVirtualMachines", map[string]string{"tags[0]key": "a"}, 430,
			`{"listvirtualmachinesresponse":{"uuidList":[],"errorcode":430,"cserrorcode":9999,"errortext":"Unable to decode parameter tags[0]key; if specifying an object array, please use parameter[index].field=XXX, e.g. userGroupList[0].group=httpGroup"}}`},
		{"page without pagesize", "listZones", map[string]string{"page": "1"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"\"page\" parameter is required when \"pagesize\" is specified"}}`},
		{"pagesize without page", "listZones", map[string]string{"pagesize": "10"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"\"page\" parameter is required when \"pagesize\" is specified"}}`},
		{"pagesize too big", "listZones", map[string]string{"page": "1", "pagesize": "501"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":4350,"errortext":"Page size can't exceed max allowed page size value: 500"}}`},
		{"unlimited with page", "listZones", map[string]string{"page": "1", "pagesize": "-1"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":4350,"errortext":"Can't specify page parameter when pagesize is -1 (Unlimited)"}}`},
		{"control character", "listZones", map[string]string{"name": "a\x01b"}, 431,
			`{"listzonesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Received value containing illegal ASCII non-printable characters for parameter name"}}`},
		{"plain value for a map", "listVirtualMachines", map[string]string{"tags": "x"}, 431,
			`{"listvirtualmachinesresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command listvirtualmachines due to invalid value x for parameter tags"}}`},
		{"restoreVirtualMachine names itself restorevm", "restoreVirtualMachine", nil, 431,
			`{"restorevmresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command restorevm due to missing parameter virtualmachineid"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, b := c.body(tc.command, tc.params)
			if status != tc.status || b != tc.want {
				t.Fatalf("HTTP %d: %s\nwant %d: %s", status, b, tc.status, tc.want)
			}
		})
	}
}

func TestEnvelope_Validation(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	// Unknown parameters are ignored; parameter names are case-insensitive.
	if got := items(c.ok("listZones", map[string]string{"noSuchParam": "1", "ID": k.zone2}), "zone"); len(got) != 1 || got[0]["id"] != k.zone2 {
		t.Errorf("ID=zone2: %v", got)
	}
	// A non-uuid value of a parameter added after 3.x is ignored.
	if got := c.ok("listVirtualMachines", map[string]string{"ids": "not-a-uuid"}); got["count"] != nil {
		t.Errorf("ids=not-a-uuid: %v", got)
	}
	// A uuid of another kind of entity is not found.
	e := c.fail(431, "listZones", map[string]string{"id": k.tiny})
	if !strings.Contains(e["errortext"].(string), "entity does not exist") {
		t.Errorf("template id as zone id: %v", e)
	}
	// Booleans are read like Boolean.valueOf: anything but "true" is false.
	if got := c.ok("listNetworkOfferings", map[string]string{"forvpc": "yes"}); got["count"].(float64) != 3 {
		t.Errorf("forvpc=yes: %v", got)
	}
	// pagesize=-1 is unlimited without page.
	c.ok("listZones", map[string]string{"pagesize": "-1"})
}

func TestEnvelope_XMLNotSupported(t *testing.T) {
	c := newSim(t, nil)
	v := cloudstacksim.SignValues(url.Values{"command": {"listZones"}, "response": {"xml"}}, c.cred.APIKey, c.cred.SecretKey)
	status, b := c.raw(v)
	if status != 432 || !strings.Contains(string(b), "<errorcode>432</errorcode>") || !strings.Contains(string(b), "response=json") {
		t.Fatalf("HTTP %d: %s", status, b)
	}
}

func TestEnvelope_PathsAndMethods(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{Paths: []string{"/compute", "/client/api"}})
	for _, p := range []string{"/compute", "/client/api"} {
		cc := *c
		cc.url = strings.TrimSuffix(c.url, "/compute") + p
		cc.ok("listZones", nil)
	}
	resp, err := http.Get(strings.TrimSuffix(c.url, "/compute") + "/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: HTTP %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodDelete, c.url, nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: HTTP %d", resp.StatusCode)
	}
}

func TestPaging_WalkAll(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{VMs: 1234})
	seen := map[string]bool{}
	for page := 1; ; page++ {
		r := c.ok("listVirtualMachines", map[string]string{"page": fmt.Sprint(page), "pagesize": "500"})
		if r["count"].(float64) != 1234 {
			t.Fatalf("count %v", r["count"])
		}
		vms := items(r, "virtualmachine")
		if len(vms) == 0 {
			break
		}
		for _, v := range vms {
			seen[v["id"].(string)] = true
		}
	}
	if len(seen) != 1234 {
		t.Fatalf("walked %d distinct VMs, want 1234", len(seen))
	}
	if n := len(items(c.ok("listVirtualMachines", nil), "virtualmachine")); n != 500 {
		t.Errorf("default page: %d rows, want 500", n)
	}
	if n := len(items(c.ok("listVirtualMachines", map[string]string{"pagesize": "-1"}), "virtualmachine")); n != 1234 {
		t.Errorf("pagesize=-1: %d rows, want 1234", n)
	}
}
