package csapi

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// The reference's vectors TV1-TV4 (cloudstack-api.md §1.4).
func TestSignature_ReferenceVectors(t *testing.T) {
	cases := []struct {
		name, secret string
		params       url.Values
		canonical    string
		signature    string
	}{
		{
			name:   "TV1 developer docs",
			secret: "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ",
			params: values("apiKey", "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg",
				"command", "listUsers", "response", "json"),
			canonical: "apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json",
			signature: "TTpdDq/7j/J58XCRHomKoQXEQds=",
		},
		{
			name:      "TV2 fog",
			secret:    "abcdefg",
			params:    values("account", "Lorem Ipsum", "domainid", "42", "q", "keywords"),
			canonical: "account=lorem%20ipsum&domainid=42&q=keywords",
			signature: "V2CxRU4zQQtox1DZsH/66GDdzhg=",
		},
		{
			name:      "TV3 empty value is signed",
			secret:    "abcdefg",
			params:    values("account", "Lorem Ipsum", "domainid", "42", "q", ""),
			canonical: "account=lorem%20ipsum&domainid=42&q=",
			signature: "5bsDirm5pPgVoreQ6vquKRN+4HI=",
		},
		{
			name:   "TV4 special characters and v3",
			secret: "s3cr3t",
			params: values("apiKey", "abc123", "command", "deployVirtualMachine", "expires", "2025-01-01T00:15:00+0000",
				"name", "my vm*+~/é", "response", "json", "signatureVersion", "3", "zoneid", "1a2b"),
			canonical: "apikey=abc123&command=deployvirtualmachine&expires=2025-01-01t00%3a15%3a00%2b0000&name=my%20vm*%2b%7e%2f%c3%a9&response=json&signatureversion=3&zoneid=1a2b",
			signature: "5x4Bz4KBjvQKReNZMcLE9PBfxYQ=",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.canonical, StringToSign(c.params))
			assert.Equal(t, c.signature, Signature(c.params, c.secret))
		})
	}
}

// Libcloud's three vectors (libcloud-inventory.md §C.2).
func TestSignature_LibcloudVectors(t *testing.T) {
	base := func(kv ...string) url.Values {
		v := values(kv...)
		v.Set("apiKey", "fnord")
		v.Set("response", "json")
		return v
	}
	deploy := []string{"command", "deployVirtualMachine", "name", "fred", "displayname", "George",
		"serviceofferingid", "5", "templateid", "17", "zoneid", "23", "networkids", "42"}
	ringo := append([]string(nil), deploy...)
	ringo[5] = "George+Ringo"
	assert.Equal(t, "z/a9Y7J52u48VpqIgiwaGUMCso0=", Signature(base("command", "listVirtualMachines"), "abracadabra"))
	assert.Equal(t, "gHTo7mYmadZ+zluKHzlEKb1i/QU=", Signature(base(deploy...), "abracadabra"))
	p := base(ringo...)
	assert.Equal(t, "apikey=fnord&command=deployvirtualmachine&displayname=george%2bringo&name=fred&networkids=42&response=json&serviceofferingid=5&templateid=17&zoneid=23", StringToSign(p))
	assert.Equal(t, "tAgfrreI1ZvWlWLClD3gu4+aKv4=", Signature(p, "abracadabra"))
}

func TestEncode_JavaURLEncoder(t *testing.T) {
	cases := map[string]string{
		"*.example.com": "*.example.com",
		"foo?":          "foo%3F",
		"this that":     "this%20that",
		"a~b":           "a%7Eb",
		"a+b/c=d":       "a%2Bb%2Fc%3Dd",
		"é":             "%C3%A9",
		"-._*":          "-._*",
		"[0].key":       "%5B0%5D.key",
		"":              "",
		"\x00\xff":      "%00%FF",
	}
	for in, want := range cases {
		assert.Equal(t, want, Encode(in), in)
	}
}

func TestSigner_Sign(t *testing.T) {
	now := time.Date(2025, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))
	s := &Signer{APIKey: "abc123", SecretKey: "s3cr3t", Lifetime: 15 * time.Minute, Now: func() time.Time { return now }}
	p := values("command", "deployVirtualMachine", "name", "my vm*+~/é", "zoneid", "1a2b")
	s.Sign(p)
	assert.Equal(t, "2025-01-01T00:15:00+0000", p.Get("expires"), "expires is UTC in the +0000 form")
	assert.Equal(t, "3", p.Get("signatureversion"))
	assert.Equal(t, "json", p.Get("response"))
	assert.Equal(t, "abc123", p.Get("apikey"))
	// Same parameters as TV4 with lower-case names: the signature is TV4's.
	assert.Equal(t, "5x4Bz4KBjvQKReNZMcLE9PBfxYQ=", p.Get("signature"))

	// Signing again replaces, never duplicates.
	s.Sign(p)
	assert.Len(t, p["signature"], 1)
	assert.Len(t, p["expires"], 1)

	legacy := &Signer{APIKey: "fnord", SecretKey: "abracadabra", Legacy: true}
	q := values("command", "listVirtualMachines", "expires", "x", "signatureversion", "3")
	legacy.Sign(q)
	assert.NotContains(t, q, "expires")
	assert.NotContains(t, q, "signatureversion")
	assert.Equal(t, "z/a9Y7J52u48VpqIgiwaGUMCso0=", q.Get("signature"))
}

func TestEncodeParams_RoundTrips(t *testing.T) {
	p := values("name", "my vm*+~/é&=%", "details[0].key", "a b", "empty", "")
	enc := EncodeParams(p)
	back, err := url.ParseQuery(enc)
	require.NoError(t, err)
	assert.Equal(t, p, back)
}

// The request path (newCall, encode) sends what Sign and EncodeParams give
// for the same parameters: one value per name, the signer's parameters
// replacing the caller's, the signature at its place in name order.
func TestCallEncode_MatchesSign(t *testing.T) {
	now := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	u, _ := url.Parse("http://cloud.example/client/api")
	cases := []struct {
		name   string
		legacy bool
		params url.Values
		extra  []param
	}{
		{name: "plain", params: values("available", "true")},
		{name: "none"},
		{name: "signer names replaced", params: url.Values{"apikey": {"x"}, "response": {"xml"}, "expires": {"y"},
			"signatureversion": {"2"}, "signature": {"z"}, "Signature": {"w"}, "command": {"other"}, "name": {"a b"}}},
		{name: "legacy", legacy: true, params: values("expires", "x", "signatureversion", "3", "zoneid", "1")},
		{name: "lists and odd names", params: url.Values{"ids": {"a", "b"}, "details[0].key": {"é~+"}, "empty": {""}, "none": {}}},
		{name: "extra replaces", params: values("page", "9", "name", "n"), extra: []param{{"page", "2"}, {"pagesize", "500"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Signer{APIKey: "key", SecretKey: "secret", Legacy: c.legacy, Now: clock}
			cl := NewClient(Config{Endpoint: u, Signer: s}).newCall("listZones", c.params, c.extra)
			got := cl.encode()

			want := url.Values{}
			for k, v := range c.params {
				if len(v) > 0 && k != "Signature" {
					want.Set(k, strings.Join(v, ","))
				}
			}
			for _, p := range c.extra {
				want.Set(p.name, p.value)
			}
			want.Set("command", "listZones")
			s.Sign(want)
			assert.Equal(t, EncodeParams(want), got)
			back, err := url.ParseQuery(got)
			require.NoError(t, err)
			for k, v := range back {
				assert.Len(t, v, 1, k)
			}
		})
	}
}

// A name made valid UTF-8 that collides with another is sent once.
func TestCallEncode_OneValuePerName(t *testing.T) {
	u, _ := url.Parse("http://cloud.example/client/api")
	cl := NewClient(Config{Endpoint: u}).newCall("listZones", url.Values{"a\xff": {"1"}, "a\xfe": {"2"}}, nil)
	back, err := url.ParseQuery(cl.encode())
	require.NoError(t, err)
	assert.Len(t, back["a\uFFFD"], 1)
	assert.Equal(t, "listZones", back.Get("command"))
	assert.NotContains(t, back, "signature", "no signer, no signature")
}

func TestHasLower(t *testing.T) {
	m := map[string]bool{"listapis": true}
	assert.True(t, hasLower(m, "listApis"))
	assert.True(t, hasLower(m, "LISTAPIS"))
	assert.False(t, hasLower(m, "listApi"))
	assert.False(t, hasLower(m, "listApisé"))
	assert.False(t, hasLower(m, strings.Repeat("x", 100)))
	assert.True(t, IsIdempotent("ListZones"))
	assert.False(t, IsIdempotent("getUploadParamsForVolume"))
	assert.False(t, IsIdempotent("li"))
}
