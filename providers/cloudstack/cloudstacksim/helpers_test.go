package cloudstacksim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// apiClient is a minimal signed CloudStack client for the tests.
type apiClient struct {
	t      testing.TB
	sim    *cloudstacksim.Server
	url    string
	cred   cloudstacksim.Credentials
	method string
}

// newSim starts a simulator on an httptest server and returns an admin
// client for it.
func newSim(t testing.TB, opts *cloudstacksim.Options) *apiClient {
	t.Helper()
	if opts == nil {
		opts = &cloudstacksim.Options{}
	}
	if opts.SSHKeyBits == 0 {
		opts.SSHKeyBits = 1024
	}
	sim := cloudstacksim.New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(func() {
		ts.Close()
		sim.Close()
	})
	return &apiClient{t: t, sim: sim, url: ts.URL + sim.Path(), cred: sim.AdminCredentials(), method: http.MethodGet}
}

// as returns a client using other credentials.
func (c *apiClient) as(cred cloudstacksim.Credentials) *apiClient {
	cp := *c
	cp.cred = cred
	return &cp
}

// post returns a client sending form POSTs.
func (c *apiClient) post() *apiClient {
	cp := *c
	cp.method = http.MethodPost
	return &cp
}

// raw sends already-built values (signed by the caller) and returns the
// status and body.
func (c *apiClient) raw(v url.Values) (int, []byte) {
	c.t.Helper()
	var resp *http.Response
	var err error
	if c.method == http.MethodPost {
		resp, err = http.PostForm(c.url, v)
	} else {
		resp, err = http.Get(c.url + "?" + v.Encode())
	}
	if err != nil {
		c.t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return resp.StatusCode, body
}

// call signs and sends a command; it returns the HTTP status and the
// decoded envelope.
func (c *apiClient) call(command string, params map[string]string) (int, map[string]any) {
	c.t.Helper()
	v := url.Values{}
	v.Set("command", command)
	for k, val := range params {
		v.Set(k, val)
	}
	status, body := c.raw(cloudstacksim.SignValues(v, c.cred.APIKey, c.cred.SecretKey))
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		c.t.Fatalf("%s: body is not JSON: %v: %s", command, err, body)
	}
	return status, env
}

// ok sends a command that must succeed and returns the inner object of its
// envelope.
func (c *apiClient) ok(command string, params map[string]string) map[string]any {
	c.t.Helper()
	status, env := c.call(command, params)
	inner := innerOf(c.t, env)
	if status != http.StatusOK {
		c.t.Fatalf("%s %v: HTTP %d: %v", command, params, status, inner)
	}
	return inner
}

// fail sends a command that must fail with status; it returns the error object.
func (c *apiClient) fail(status int, command string, params map[string]string) map[string]any {
	c.t.Helper()
	got, env := c.call(command, params)
	inner := innerOf(c.t, env)
	if got != status {
		c.t.Fatalf("%s %v: HTTP %d, want %d: %v", command, params, got, status, inner)
	}
	if code, _ := inner["errorcode"].(float64); int(code) != status {
		c.t.Fatalf("%s: errorcode %v, want %d", command, inner["errorcode"], status)
	}
	return inner
}

// job runs an async command to completion and returns the job result.
func (c *apiClient) job(command string, params map[string]string) map[string]any {
	c.t.Helper()
	sub := c.ok(command, params)
	q := c.waitJob(sub["jobid"].(string))
	if q["jobstatus"].(float64) != 1 {
		c.t.Fatalf("%s: job failed: %v", command, q["jobresult"])
	}
	return q["jobresult"].(map[string]any)
}

// waitJob polls queryAsyncJobResult until the job is done.
func (c *apiClient) waitJob(jobID string) map[string]any {
	c.t.Helper()
	for i := 0; i < 2000; i++ {
		q := c.ok("queryAsyncJobResult", map[string]string{"jobid": jobID})
		if q["jobstatus"].(float64) != 0 {
			return q
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.t.Fatalf("job %s did not finish", jobID)
	return nil
}

// items returns the list of a list answer under key (empty when absent).
func items(obj map[string]any, key string) []map[string]any {
	raw, _ := obj[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		out = append(out, r.(map[string]any))
	}
	return out
}

// innerOf returns the single "...response" object of an envelope.
func innerOf(t testing.TB, env map[string]any) map[string]any {
	t.Helper()
	if len(env) != 1 {
		t.Fatalf("envelope has %d keys: %v", len(env), env)
	}
	for k, v := range env {
		if !strings.HasSuffix(k, "response") {
			t.Fatalf("envelope key %q", k)
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("envelope value is %T", v)
		}
		return m
	}
	return nil
}

// envelopeKey returns the single key of an envelope.
func envelopeKey(env map[string]any) string {
	for k := range env {
		return k
	}
	return ""
}

// cat holds ids of the seeded catalogue.
type cat struct {
	zone1, zone2                       string
	tiny, ubuntu, windows, notReady    string
	tinyOffering, small, medium, large string
	diskSmall, diskCustom              string
	sharedNet                          string
	isolatedOffering                   string
	osLinux                            string
}

// catalogue looks the seeded catalogue up through the API.
func catalogue(c *apiClient) cat {
	c.t.Helper()
	var k cat
	byName := func(list []map[string]any, name string) string {
		for _, m := range list {
			if m["name"] == name || m["description"] == name {
				return m["id"].(string)
			}
		}
		c.t.Fatalf("%q not found in %v", name, list)
		return ""
	}
	zones := items(c.ok("listZones", nil), "zone")
	k.zone1, k.zone2 = byName(zones, cloudstacksim.ZoneName1), byName(zones, cloudstacksim.ZoneName2)
	tmpls := items(c.ok("listTemplates", map[string]string{"templatefilter": "all", "zoneid": k.zone1}), "template")
	k.tiny, k.ubuntu = byName(tmpls, cloudstacksim.TemplateTinyLinux), byName(tmpls, "Ubuntu 22.04 LTS")
	k.windows, k.notReady = byName(tmpls, "Windows Server 2019"), byName(tmpls, "Debian 12 (download in progress)")
	offs := items(c.ok("listServiceOfferings", nil), "serviceoffering")
	k.tinyOffering, k.small = byName(offs, cloudstacksim.OfferingTiny), byName(offs, cloudstacksim.OfferingSmall)
	k.medium, k.large = byName(offs, cloudstacksim.OfferingMedium), byName(offs, cloudstacksim.OfferingLarge)
	disks := items(c.ok("listDiskOfferings", nil), "diskoffering")
	k.diskSmall, k.diskCustom = byName(disks, "Small"), byName(disks, cloudstacksim.DiskOfferingCustom)
	nets := items(c.ok("listNetworks", map[string]string{"zoneid": k.zone1}), "network")
	k.sharedNet = byName(nets, "guest-shared-1")
	nos := items(c.ok("listNetworkOfferings", nil), "networkoffering")
	k.isolatedOffering = byName(nos, "DefaultIsolatedNetworkOfferingWithSourceNatService")
	k.osLinux = byName(items(c.ok("listOsTypes", nil), "ostype"), "Other Linux (64-bit)")
	return k
}

// jsonUnmarshal is json.Unmarshal, named for the tests that only check
// well-formedness.
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
