package compute

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfig_ResolveEndpoint(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"explicit https URL", Config{URL: "https://cloud.example/client/api"}, "https://cloud.example/client/api"},
		{"explicit http URL", Config{URL: " http://127.0.0.1:8080/client/api "}, "http://127.0.0.1:8080/client/api"},
		{"URL without path takes the default", Config{URL: "https://cloud.example"}, "https://cloud.example/client/api"},
		{"URL wins over Host", Config{URL: "https://a.example/x", Host: "b.example", Port: 1}, "https://a.example/x"},
		{"host is TLS by default", Config{Host: "cloud.example"}, "https://cloud.example/client/api"},
		{"insecure host", Config{Host: "cloud.example", Insecure: true, Port: 8080}, "http://cloud.example:8080/client/api"},
		{"host and path", Config{Host: "cloud.example", Path: "api"}, "https://cloud.example/api"},
		{"IPv6 host", Config{Host: "2001:db8::1", Port: 443}, "https://[2001:db8::1]:443/client/api"},
		{"default host", Config{}, "https://default.example/client/api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := tt.cfg.ResolveEndpoint("default.example", "/client/api")
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
		})
	}
	bad := []struct {
		name string
		cfg  Config
	}{
		{"no endpoint", Config{}},
		{"bad scheme", Config{URL: "ftp://cloud.example"}},
		{"no host", Config{URL: "https:///client/api"}},
		{"unparsable", Config{URL: "https://cloud.example/%zz"}},
		{"host is a URL", Config{Host: "https://cloud.example"}},
		{"port out of range", Config{Host: "cloud.example", Port: 70000}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cfg.ResolveEndpoint("", "")
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
	_, err := Config{URL: "ftp://user:secret@cloud.example"}.ResolveEndpoint("", "")
	assert.NotContains(t, err.Error(), "secret")
	for _, raw := range []string{"127.0.0.1:8080/client/api", "localhost:8080/client/api", "cloud.example/client/api"} {
		_, err = Config{URL: raw}.ResolveEndpoint("", "")
		assert.EqualError(t, err, `invalid argument: the API URL needs http:// or https:// (got "`+raw+`")`)
	}
	_, err = Config{URL: "alice:pw@cloud.example:8080/x"}.ResolveEndpoint("", "")
	assert.NotContains(t, err.Error(), "pw")
	u, err := Config{URL: "HTTPS://cloud.example/client/api"}.ResolveEndpoint("", "")
	require.NoError(t, err)
	assert.Equal(t, "https", u.Scheme)
}

func TestConfig_StringHidesTheSecret(t *testing.T) {
	cfg := Config{URL: "https://cloud.example", Key: "KEY", Secret: "SECRET", Timeout: time.Second,
		Password: "PASSWORD", Token: "TOKEN", SessionToken: "SESSION", Username: "alice", Project: "demo"}
	for _, s := range []string{cfg.String(), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		for _, secret := range []string{"SECRET", "PASSWORD", "TOKEN", "SESSION"} {
			assert.NotContains(t, s, secret)
		}
		assert.Contains(t, s, "(redacted)")
		assert.Contains(t, s, `Username:"alice"`)
	}
	assert.NotContains(t, Config{}.String(), "redacted")
	assert.False(t, Config{URL: "x", Project: "p"}.HasCredentials())
	for _, c := range []Config{{Key: "k"}, {Secret: "s"}, {Token: "t"}, {SessionToken: "t"}, {Username: "u"}, {Password: "p"}} {
		assert.True(t, c.HasCredentials(), "%v", c)
	}
}

func TestNodeAuth_StringHidesThePassword(t *testing.T) {
	tests := []struct {
		auth NodeAuth
		want string
	}{
		{NodeAuth{}, "none"},
		{NodeAuthSSHKey("ssh-ed25519 AAAA"), "ssh-key"},
		{NodeAuthPassword("hunter2"), "password(redacted)"},
		{NodeAuth{SSHKey: "k", Password: "hunter2"}, "ssh-key+password(redacted)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.auth.String())
		assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", tt.auth, tt.auth, tt.auth, tt.auth), "hunter2")
		req := CreateNodeRequest{Name: "n", Auth: tt.auth}
		assert.NotContains(t, fmt.Sprintf("%v %+v", req, req), "hunter2")
	}
	assert.True(t, NodeAuth{}.IsZero())
	assert.False(t, NodeAuthPassword("x").IsZero())
}
