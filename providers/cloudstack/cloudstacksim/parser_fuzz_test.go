package cloudstacksim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// FuzzRequestParser sends arbitrary requests to the simulator: any query
// string and form body, GET or POST, optionally signed with the admin's
// key so that the command's own parameter parsing and validation run too.
// Whatever arrives, the simulator answers (no panic) with a status, a
// Content-Type, and either a well-formed JSON envelope (one
// "...response" member) or the XML error for requests without
// response=json.
func FuzzRequestParser(f *testing.F) {
	seeds := []struct {
		query string
		body  string
		post  bool
		sign  bool
	}{
		{"command=listZones&response=json", "", false, true},
		{"command=listZones&response=json", "", false, false},
		{"command=listZones", "", false, true},
		{"command=deployVirtualMachine&response=json&zoneid=x&templateid=y&serviceofferingid=z", "", true, true},
		{"", "command=listVirtualMachines&response=json&page=1&pagesize=-1", true, true},
		{"command=listVirtualMachines&response=json&page=0&pagesize=501", "", false, true},
		{"command=createTags&response=json&tags[0].key=a&tags[0].value=b&resourcetype=UserVm&resourceids=1,2", "", false, true},
		{"command=listZones&response=json&id=%zz", "", false, false},
		{"command=listZones;response=json", "", false, false},
		{"command=queryAsyncJobResult&response=json&jobid=" + strings.Repeat("9", 80), "", false, true},
		{"command=deployVirtualMachine&response=json&userdata=!!!notbase64", "", true, true},
		{"command=listVirtualMachines&response=json&tags[x].key=1&details[0]=2", "", false, true},
		{"command=nosuchcommand&response=json", "", false, true},
		{"command=listZones&response=JSON&signatureVersion=3&expires=2000-01-01T00:00:00+0000", "", false, false},
		{"", "command=createSSHKeyPair&response=json&name=k\x00", true, true},
		{"command=listZones&response=json", "\xff\xfe%", true, false},
	}
	for _, s := range seeds {
		f.Add(s.query, []byte(s.body), s.post, s.sign)
	}
	sim := cloudstacksim.New(&cloudstacksim.Options{SSHKeyBits: 1024})
	creds := sim.AdminCredentials()
	f.Fuzz(func(t *testing.T, query string, body []byte, post, sign bool) {
		if sign {
			// Sign the parameters as sent (query and body together, as the
			// servlet merges them); unparsable input is sent unsigned.
			all := query
			if post && len(body) > 0 {
				all += "&" + string(body)
			}
			if v, err := url.ParseQuery(all); err == nil {
				query, body = cloudstacksim.SignValues(v, creds.APIKey, creds.SecretKey).Encode(), nil
			}
		}
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		req := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: cloudstacksim.DefaultPath, RawQuery: query},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1,
			ProtoMinor: 1,
			Header:     http.Header{},
			Body:       io.NopCloser(bytes.NewReader(body)),
			Host:       "sim.invalid",
			RemoteAddr: "127.0.0.1:1",
		}
		req.ContentLength = int64(len(body))
		if post {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req = req.WithContext(t.Context())
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)

		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		ct := rec.Header().Get("Content-Type")
		out := rec.Body.Bytes()
		switch {
		case strings.HasPrefix(ct, "text/xml"):
			if !bytes.HasPrefix(out, []byte("<?xml")) {
				t.Fatalf("XML content type, body %q", out)
			}
		case strings.HasPrefix(ct, "application/json"):
			var env map[string]json.RawMessage
			if err := json.Unmarshal(out, &env); err != nil {
				t.Fatalf("invalid JSON answer (status %d): %v: %q", rec.Code, err, out)
			}
			if len(env) != 1 {
				t.Fatalf("the envelope has %d members: %q", len(env), out)
			}
			for k, v := range env {
				if !strings.HasSuffix(k, "response") {
					t.Fatalf("envelope member %q is not a ...response: %q", k, out)
				}
				if len(v) == 0 || v[0] != '{' {
					t.Fatalf("the envelope's value is not an object: %q", out)
				}
			}
		default:
			t.Fatalf("status %d with Content-Type %q: %q", rec.Code, ct, out)
		}
	})
}
