package csapi

import (
	"strings"
	"testing"
)

// TestSnippetRedactsSecrets: the body excerpt that malformed-answer errors
// carry never holds the value of a secret member, even when the secret
// comes first, holds escapes, or is cut off by a truncated body.
func TestSnippetRedactsSecrets(t *testing.T) {
	const key = `-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQC7vbqajDw4o6gJy8UtmIbkcpnkO3Kwc4qsEnSZp\n-----END RSA PRIVATE KEY-----`
	cases := []struct {
		body   string
		secret string
		keep   string
	}{
		{`{"createsshkeypairresponse":{"keypair":{"privatekey":"` + key + `","name":"k1"}}},"`, "MIICXAIBAAKBgQC7", `"name":"k1"`},
		{`{"createsshkeypairresponse":{"keypair":{"privatekey":"` + key[:60], "MIICXAIBAAKB", "createsshkeypairresponse"},
		{`{"virtualmachine":{"password":"pa\"ss-Wd9","id":"v1"}}`, `ss-Wd9`, `"id":"v1"`},
		{`{"vm":{"userdata":"I2Nsb3VkLWNvbmZpZwo=","name":"x"}}`, "I2Nsb3VkLWNvbmZpZwo", `"name":"x"`},
		{`{"user":{"secretkey" : "s3cr3t-value","apikey":"public-key"}}`, "s3cr3t-value", `"apikey":"public-key"`},
		{`{"x":{"currentPassword":"Old-Pw-1"}}`, "Old-Pw-1", `"x"`},
	}
	for _, c := range cases {
		got := snippet([]byte(c.body))
		if strings.Contains(got, c.secret) {
			t.Errorf("snippet(%q) = %q: the secret is visible", c.body, got)
		}
		if !strings.Contains(got, "REDACTED") {
			t.Errorf("snippet(%q) = %q: nothing redacted", c.body, got)
		}
		if !strings.Contains(got, c.keep) {
			t.Errorf("snippet(%q) = %q: lost %q", c.body, got, c.keep)
		}
	}
	if got := snippet([]byte(`<html>502 Bad Gateway</html>`)); got != `<html>502 Bad Gateway</html>` {
		t.Errorf("a non-JSON body changed: %q", got)
	}
}
