package cloudstack_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
)

// handlerTransport sends requests straight to an http.Handler, so that a
// fuzz iteration costs no socket.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// reservedParam reports the parameters the driver sets itself.
func reservedParam(name string) bool {
	switch strings.ToLower(name) {
	case "command", "apikey", "signature", "response", "signatureversion", "expires":
		return true
	}
	return false
}

// FuzzSignerVerifier signs requests with arbitrary parameter names and
// values and has the simulator's verifier (ApiServer.verifyRequest's
// algorithm, written independently) check them over the wire: a request
// the driver signed is never refused with 401, whatever the names, values
// (any bytes: invalid UTF-8, control characters, '&', '=', '+', '%', '*',
// '~', brackets, spaces), their case and order, with and without
// signatureversion 3. The driver's signature also equals the simulator's
// for the same decoded parameters.
func FuzzSignerVerifier(f *testing.F) {
	seeds := []struct {
		n1, v1, n2, v2 string
		legacy         bool
	}{
		{"name", "my vm*+~/é", "keyword", "a b", false},
		{"tags[0].key", "Env", "tags[0].value", "dev&prod=1", true},
		{"Zoneid", "x", "available", "true", false},
		{"q", "", "B", "%41", false},
		{"iptonetworklist[0].ip", "10.0.0.1", "details[0].cpuNumber", "2", true},
		{"keyword", "\xff\xfe", "name", "日本語 テスト", false},
		{"keyword", "tab\there", "name", "line\nbreak", false},
		{"", "empty name", "a;b", "semi;colon", false},
		{"keyword", strings.Repeat("long value ", 300), "name", "post", false},
		{"Name", "upper", "name", "lower", false},
	}
	for _, s := range seeds {
		f.Add(s.n1, s.v1, s.n2, s.v2, s.legacy)
	}
	sim := cloudstacksim.New(nil)
	creds := sim.AdminCredentials()
	client := &http.Client{Transport: handlerTransport{sim}}
	drivers := map[bool]*cloudstack.Driver{}
	for _, legacy := range []bool{false, true} {
		d, err := cloudstack.New(&cloudstack.Options{
			URL: "http://sim.invalid" + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey,
			HTTPClient: client, Settings: cloudstack.Settings{LegacySignature: legacy, RetryMax: -1},
		})
		if err != nil {
			f.Fatal(err)
		}
		drivers[legacy] = d
	}
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2 string, legacy bool) {
		params := url.Values{}
		params.Set(n1, v1)
		params.Set(n2, v2)
		_, err := drivers[legacy].ExRawRequest(t.Context(), "listZones", params)
		if reservedParam(n1) || reservedParam(n2) {
			if !errors.Is(err, compute.ErrInvalidArgument) {
				t.Fatalf("a reserved parameter was accepted: %v", err)
			}
			return
		}
		if err != nil {
			var ce *compute.Error
			if !errors.As(err, &ce) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			var ae *cloudstack.APIError
			if errors.As(err, &ae) && ae.ErrorCode == 401 {
				t.Fatalf("the simulator refused the driver's signature for %q=%q, %q=%q: %v", n1, v1, n2, v2, err)
			}
		}

		// The same decoded parameters, signed by both sides, directly. The
		// server sees strings decoded from UTF-8 (invalid bytes replaced),
		// which is what the driver signs and sends.
		p := url.Values{"command": {"listZones"}, "apikey": {creds.APIKey}, "response": {"json"}}
		m := map[string]string{}
		for k, v := range params {
			k = strings.ToValidUTF8(k, "\uFFFD")
			val := strings.ToValidUTF8(v[0], "\uFFFD")
			if reservedParam(k) || !utf8.ValidString(k) {
				return
			}
			p.Set(k, val)
		}
		for k, v := range p {
			m[k] = v[0]
		}
		if got, want := csapi.Signature(p, creds.SecretKey), cloudstacksim.Sign(m, creds.SecretKey); got != want {
			t.Fatalf("signatures differ for %v: driver %s, simulator %s (driver string %q, simulator string %q)",
				m, got, want, csapi.StringToSign(p), cloudstacksim.StringToSign(m))
		}
	})
}
