package openstacksim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// env is a simulator behind httptest with a token for the admin user.
type env struct {
	t     *testing.T
	sim   *openstacksim.Server
	base  string
	token string
}

func newEnv(t *testing.T, opts *openstacksim.Options) *env {
	t.Helper()
	sim := openstacksim.NewServer(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	e := &env{t: t, sim: sim, base: ts.URL}
	e.token = e.login(sim.AdminCredentials())
	return e
}

// login issues a password token.
func (e *env) login(c openstacksim.Credentials) string {
	e.t.Helper()
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"` + c.Username +
		`","domain":{"name":"Default"},"password":"` + c.Password + `"}}},"scope":{"project":{"name":"` +
		c.ProjectName + `","domain":{"name":"Default"}}}}}`
	resp := e.raw("POST", "/identity/v3/auth/tokens", body, nil)
	if resp.StatusCode != 201 {
		e.t.Fatalf("login: %d", resp.StatusCode)
	}
	return resp.Header.Get("X-Subject-Token")
}

// raw sends a request and returns the response with its body read into
// resp.Body again.
func (e *env) raw(method, path, body string, hdr map[string]string) *http.Response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp
}

// do sends an authenticated request at microversion mv ("" for none) and
// decodes the JSON answer.
func (e *env) do(method, path, body, mv string) (int, map[string]any, http.Header) {
	e.t.Helper()
	h := map[string]string{"X-Auth-Token": e.token}
	if mv != "" {
		h["OpenStack-API-Version"] = "compute " + mv
	}
	resp := e.raw(method, path, body, h)
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		_ = json.Unmarshal(data, &out)
	}
	return resp.StatusCode, out, resp.Header
}

// createServer creates a server and returns its id.
func (e *env) createServer(name, mv string) string {
	e.t.Helper()
	st, out, _ := e.do("POST", "/compute/v2.1/servers", `{"server":{"name":"`+name+`","imageRef":"`+
		openstacksim.CirrosImageID+`","flavorRef":"1","networks":[{"uuid":"`+openstacksim.PrivateNetworkID+`"}]}}`, mv)
	if st != 202 {
		e.t.Fatalf("create: %d %v", st, out)
	}
	return out["server"].(map[string]any)["id"].(string)
}

// waitStatus polls a server until it has status (generous deadline).
func (e *env) waitStatus(id, status string) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, out, _ := e.do("GET", "/compute/v2.1/servers/"+id, "", "2.47")
		if st == 200 {
			sv := out["server"].(map[string]any)
			if sv["status"] == status {
				return sv
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("server %s never reached %s (last %d %v)", id, status, st, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
