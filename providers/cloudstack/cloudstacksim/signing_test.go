package cloudstacksim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// The reference's signature test vectors (cloudstack-api.md §1.4).
var signatureVectors = []struct {
	name, secret string
	params       map[string]string
	toSign, sig  string
}{
	{"TV1", "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ",
		map[string]string{"apiKey": "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg", "command": "listUsers", "response": "json"},
		"apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json",
		"TTpdDq/7j/J58XCRHomKoQXEQds="},
	{"TV2", "abcdefg", map[string]string{"account": "Lorem Ipsum", "domainid": "42", "q": "keywords"},
		"account=lorem%20ipsum&domainid=42&q=keywords", "V2CxRU4zQQtox1DZsH/66GDdzhg="},
	{"TV3", "abcdefg", map[string]string{"account": "Lorem Ipsum", "domainid": "42", "q": ""},
		"account=lorem%20ipsum&domainid=42&q=", "5bsDirm5pPgVoreQ6vquKRN+4HI="},
	{"TV4", "s3cr3t", map[string]string{"apiKey": "abc123", "command": "deployVirtualMachine", "expires": "2025-01-01T00:15:00+0000",
		"name": "my vm*+~/é", "response": "json", "signatureVersion": "3", "zoneid": "1a2b"},
		"apikey=abc123&command=deployvirtualmachine&expires=2025-01-01t00%3a15%3a00%2b0000&name=my%20vm*%2b%7e%2f%c3%a9&response=json&signatureversion=3&zoneid=1a2b",
		"5x4Bz4KBjvQKReNZMcLE9PBfxYQ="},
}

func TestSign_Vectors(t *testing.T) {
	for _, tv := range signatureVectors {
		t.Run(tv.name, func(t *testing.T) {
			if got := cloudstacksim.StringToSign(tv.params); got != tv.toSign {
				t.Errorf("string to sign\n got %s\nwant %s", got, tv.toSign)
			}
			if got := cloudstacksim.Sign(tv.params, tv.secret); got != tv.sig {
				t.Errorf("signature %s, want %s", got, tv.sig)
			}
			withSig := map[string]string{"Signature": "ignored"}
			for k, v := range tv.params {
				withSig[k] = v
			}
			if got := cloudstacksim.Sign(withSig, tv.secret); got != tv.sig {
				t.Errorf("the signature parameter must not be signed: %s", got)
			}
		})
	}
}

// sendSigned sends params plus the given signature as a GET.
func sendSigned(c *apiClient, params map[string]string, sig string) (int, []byte) {
	v := url.Values{}
	for k, val := range params {
		v.Set(k, val)
	}
	if sig != "" {
		v.Set("signature", sig)
	}
	return c.raw(v)
}

func TestVerify_TV1Accepted(t *testing.T) {
	tv := signatureVectors[0]
	c := newSim(t, &cloudstacksim.Options{APIKey: tv.params["apiKey"], SecretKey: tv.secret})
	status, body := sendSigned(c, tv.params, tv.sig)
	if status != http.StatusOK || !strings.Contains(string(body), `"listusersresponse":{"count":2,"user":[`) {
		t.Fatalf("HTTP %d: %s", status, body)
	}
}

func TestVerify_TV4SignatureVersion3(t *testing.T) {
	tv := signatureVectors[3]
	before := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newSim(t, &cloudstacksim.Options{APIKey: "abc123", SecretKey: tv.secret, Now: func() time.Time { return before }})
	// The signature verifies (expires is 15 minutes ahead), so validation
	// runs next and rejects zoneid=1a2b: a pre-3.x uuid parameter with a
	// value that is neither a uuid nor an id.
	status, body := sendSigned(c, tv.params, tv.sig)
	want := `{"deployvirtualmachineresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command deployvirtualmachine due to invalid value. Invalid parameter zoneid value=1a2b due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."}}`
	if status != 431 || string(body) != want {
		t.Fatalf("HTTP %d: %s", status, body)
	}
	// After expiry the same request is a 401.
	after := newSim(t, &cloudstacksim.Options{APIKey: "abc123", SecretKey: tv.secret,
		Now: func() time.Time { return time.Date(2025, 1, 1, 0, 15, 1, 0, time.UTC) }})
	status, body = sendSigned(after, tv.params, tv.sig)
	if status != 401 || !strings.Contains(string(body), "unable to verify user credentials and/or request signature") {
		t.Fatalf("expired: HTTP %d: %s", status, body)
	}
}

const unauthorized = `"uuidList":[],"errorcode":401,"errortext":"unable to verify user credentials and/or request signature"}}`

func TestVerify_Rejections(t *testing.T) {
	c := newSim(t, nil)
	cred := c.cred
	sign := func(p map[string]string, secret string) string { return cloudstacksim.Sign(p, secret) }
	base := func() map[string]string {
		return map[string]string{"command": "listZones", "apiKey": cred.APIKey, "response": "json"}
	}
	cases := []struct {
		name   string
		params map[string]string
		sig    func(map[string]string) string
		want   string
	}{
		{"wrong secret", base(), func(p map[string]string) string { return sign(p, "wrong") }, `{"listzonesresponse":{` + unauthorized},
		{"no signature", base(), func(map[string]string) string { return "" }, `{"listzonesresponse":{` + unauthorized},
		{"unknown api key", map[string]string{"command": "listZones", "apiKey": "nope", "response": "json"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"listzonesresponse":{` + unauthorized},
		{"unknown command", map[string]string{"command": "listFoo", "apiKey": cred.APIKey, "response": "json"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"errorresponse":{` + unauthorized},
		{"command names are case-sensitive", map[string]string{"command": "listzones", "apiKey": cred.APIKey, "response": "json"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"errorresponse":{` + unauthorized},
		{"version 3 without expires", map[string]string{"command": "listZones", "apiKey": cred.APIKey, "response": "json", "signatureVersion": "3"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"listzonesresponse":{` + unauthorized},
		{"version 3 with a bad expires", map[string]string{"command": "listZones", "apiKey": cred.APIKey, "response": "json", "signatureVersion": "3", "expires": "tomorrow"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"listzonesresponse":{` + unauthorized},
		{"version 3 expired", map[string]string{"command": "listZones", "apiKey": cred.APIKey, "response": "json", "signatureVersion": "3",
			"expires": cloudstacksim.FormatExpires(time.Now().Add(-time.Minute))},
			func(p map[string]string) string { return sign(p, cred.SecretKey) }, `{"listzonesresponse":{` + unauthorized},
		{"spec command the simulator lacks", map[string]string{"command": "listHosts", "apiKey": cred.APIKey, "response": "json"},
			func(p map[string]string) string { return sign(p, cred.SecretKey) },
			`{"listhostsresponse":{"uuidList":[],"errorcode":401,"errortext":"The given command 'listHosts' either does not exist, is not available for user."}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := sendSigned(c, tc.params, tc.sig(tc.params))
			if status != 401 || string(body) != tc.want {
				t.Fatalf("HTTP %d: %s\nwant %s", status, body, tc.want)
			}
		})
	}
}

func TestVerify_Accepted(t *testing.T) {
	c := newSim(t, nil)
	cred := c.cred
	future := time.Now().Add(10 * time.Minute).UTC()
	for _, expires := range []string{
		future.Format("2006-01-02T15:04:05-0700"),
		future.Format(time.RFC3339),
		future.Format("2006-01-02T15:04:05.000Z07:00"),
		future.Format("2006-01-02T15:04:05Z-0700"),
	} {
		p := map[string]string{"command": "listZones", "apikey": cred.APIKey, "response": "json", "signatureversion": "3", "expires": expires}
		if status, body := sendSigned(c, p, cloudstacksim.Sign(p, cred.SecretKey)); status != 200 {
			t.Errorf("expires %s: HTTP %d: %s", expires, status, body)
		}
	}
	// Values with characters Java's encoder treats specially, sent as GET
	// and as POST (the body is part of the signed parameters).
	p := map[string]string{"command": "listVirtualMachines", "apiKey": cred.APIKey, "response": "json",
		"keyword": "a b*c~d+e/f=é", "name": "x"}
	sig := cloudstacksim.Sign(p, cred.SecretKey)
	if status, body := sendSigned(c, p, sig); status != 200 {
		t.Errorf("GET: HTTP %d: %s", status, body)
	}
	if status, body := sendSigned(c.post(), p, sig); status != 200 {
		t.Errorf("POST: HTTP %d: %s", status, body)
	}
}
