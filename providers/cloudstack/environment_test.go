package cloudstack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// cleanEnvironment clears the CLOUDSTACK_* variables and points HOME at an
// empty directory, returning it.
func cleanEnvironment(t *testing.T) string {
	t.Helper()
	for _, v := range []string{cloudstack.EnvAPIURL, cloudstack.EnvAPIKey, cloudstack.EnvSecretKey,
		cloudstack.EnvEndpoint, cloudstack.EnvKey, cloudstack.EnvSecret} {
		t.Setenv(v, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

func writeCmk(t *testing.T, home, content string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".cmk"), 0o700))
	path := filepath.Join(home, ".cmk", "config")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

const testCmkConfig = "verifycert = false\nprofile = prod\n[localcloud]\nurl = http://localhost:8080/client/api\n" +
	"[prod]\nurl = https://cmk.example.com/client/api\napikey = cmk-key\nsecretkey = cmk#secret\n"

func TestFromEnvironmentOrder(t *testing.T) {
	home := cleanEnvironment(t)
	c, err := cloudstack.FromEnvironment()
	require.NoError(t, err)
	assert.Nil(t, c, "nothing anywhere")

	path := writeCmk(t, home, testCmkConfig)
	c, err = cloudstack.FromEnvironment()
	require.NoError(t, err)
	require.NotNil(t, c)
	assert.Equal(t, cloudstack.Credentials{URL: "https://cmk.example.com/client/api", Key: "cmk-key", Secret: "cmk#secret",
		Insecure: true, Source: "cmk profile prod of " + path}, *c)
	assert.NotContains(t, c.String(), "cmk#secret")

	t.Setenv(cloudstack.EnvEndpoint, "https://cs.example.com/client/api")
	t.Setenv(cloudstack.EnvKey, "cs-key")
	t.Setenv(cloudstack.EnvSecret, "cs-secret")
	c, err = cloudstack.FromEnvironment()
	require.NoError(t, err)
	assert.Equal(t, "env CLOUDSTACK_KEY", c.Source)
	assert.Equal(t, "https://cs.example.com/client/api", c.URL)

	t.Setenv(cloudstack.EnvAPIURL, "https://tf.example.com/client/api")
	t.Setenv(cloudstack.EnvAPIKey, "tf-key")
	t.Setenv(cloudstack.EnvSecretKey, "tf-secret")
	c, err = cloudstack.FromEnvironment()
	require.NoError(t, err)
	assert.Equal(t, cloudstack.Credentials{URL: "https://tf.example.com/client/api", Key: "tf-key", Secret: "tf-secret",
		Source: "env CLOUDSTACK_API_KEY"}, *c)

	// A key without its secret is no source.
	t.Setenv(cloudstack.EnvSecretKey, "")
	c, err = cloudstack.FromEnvironment()
	require.NoError(t, err)
	assert.Equal(t, "env CLOUDSTACK_KEY", c.Source)
}

func TestFromEnvironmentBadFile(t *testing.T) {
	home := cleanEnvironment(t)
	writeCmk(t, home, "[unclosed\n")
	_, err := cloudstack.FromEnvironment()
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "line 1")

	writeCmk(t, home, "profile = other\n[prod]\napikey = k\nsecretkey = s\n")
	c, err := cloudstack.FromEnvironment()
	require.NoError(t, err)
	assert.Nil(t, c, "the active profile is missing: nothing found")
}

func TestFactoryFromConfigAlone(t *testing.T) {
	home := cleanEnvironment(t)
	_, err := cloudstack.Factory(compute.Config{URL: "https://x.example.com/client/api"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument, "no credentials anywhere")

	// Typed options in ProviderOptions, overridden by Config's fields.
	base := &cloudstack.Options{URL: "https://opts.example.com/client/api", Key: "k", Secret: "s",
		Settings: cloudstack.Settings{ZoneID: "z1"}}
	d, err := cloudstack.Factory(compute.Config{ProviderOptions: base, Project: "p-1", Options: map[string]any{"list_all": "true"}})
	require.NoError(t, err)
	cs := d.(*cloudstack.Driver)
	assert.Equal(t, "https://opts.example.com/client/api", cs.Endpoint())
	assert.Equal(t, "p-1", cs.Settings().ProjectID)
	assert.Equal(t, "z1", cs.Settings().ZoneID)
	assert.True(t, cs.Settings().ListAll)
	assert.Empty(t, base.ProjectID, "the caller's options are not modified")

	d, err = cloudstack.Factory(compute.Config{ProviderOptions: *base, URL: "https://cfg.example.com/client/api"})
	require.NoError(t, err)
	assert.Equal(t, "https://cfg.example.com/client/api", d.(*cloudstack.Driver).Endpoint())

	_, err = cloudstack.Factory(compute.Config{ProviderOptions: "nope"})
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	for _, cfg := range []compute.Config{
		{URL: "https://x/client/api", Token: "t"},
		{URL: "https://x/client/api", Username: "admin", Password: "pw"},
	} {
		_, err := cloudstack.Factory(cfg)
		require.ErrorIs(t, err, compute.ErrInvalidArgument)
		assert.NotContains(t, err.Error(), "pw")
	}
	_, err = cloudstack.Factory(compute.Config{URL: "https://x/client/api", Key: "k", Secret: "s", CAFile: "/ca.pem"})
	require.NoError(t, err, "CAFile is not refused")

	// Without credentials: the cmk profile, with its endpoint.
	writeCmk(t, home, testCmkConfig)
	d, err = cloudstack.Factory(compute.Config{})
	require.NoError(t, err)
	assert.Equal(t, "https://cmk.example.com/client/api", d.(*cloudstack.Driver).Endpoint())
	// Config's endpoint wins over the source's.
	d, err = cloudstack.Factory(compute.Config{URL: "https://mine.example.com/client/api"})
	require.NoError(t, err)
	assert.Equal(t, "https://mine.example.com/client/api", d.(*cloudstack.Driver).Endpoint())
}

func TestCmkProfile(t *testing.T) {
	home := cleanEnvironment(t)
	path := writeCmk(t, home, testCmkConfig)
	p, err := cloudstack.LoadCmkProfile("", "")
	require.NoError(t, err)
	assert.Equal(t, "prod", p.Name)
	assert.Equal(t, path, p.File)
	assert.Equal(t, "cmk#secret", p.SecretKey)
	assert.True(t, p.Insecure)
	assert.NotContains(t, p.String(), "cmk#secret")
	assert.NotContains(t, p.GoString(), "cmk#secret")

	p, err = cloudstack.LoadCmkProfile(path, "localcloud")
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:8080/client/api", p.URL)

	_, err = cloudstack.LoadCmkProfile(path, "missing")
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "profiles: localcloud, prod")
	_, err = cloudstack.LoadCmkProfile(filepath.Join(home, "nope"), "")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestCmkConfigINIDialect(t *testing.T) {
	c, err := cloudstack.ParseCmkConfig(strings.NewReader("\ufeff# comment\n; other\nProfile: p\n[DEFAULT]\ntimeout = 5\n[p]\nURL = \"https://q/client/api\"\nsecretkey = `a#b`\nnote = \"\"\"line1\nline2\"\"\"\n[p]\napikey = k\n"))
	require.NoError(t, err)
	assert.Equal(t, "p", c.ActiveProfile(""))
	assert.Equal(t, "x", c.ActiveProfile("x"))
	assert.Equal(t, "5", c.Core["timeout"])
	assert.Equal(t, "https://q/client/api", c.Profiles["p"]["url"])
	assert.Equal(t, "a#b", c.Profiles["p"]["secretkey"])
	assert.Equal(t, "line1\nline2", c.Profiles["p"]["note"])
	assert.Equal(t, "k", c.Profiles["p"]["apikey"], "a repeated section continues")
	assert.Equal(t, []string{"p"}, c.ProfileNames())
	p, err := c.Profile("")
	require.NoError(t, err)
	assert.Equal(t, "5", p.Timeout, "the core timeout")

	empty, err := cloudstack.ParseCmkConfig(strings.NewReader(""))
	require.NoError(t, err)
	assert.Equal(t, "localcloud", empty.ActiveProfile(""))

	for _, bad := range []string{"[unclosed\n", "[]\n", "novalue\n", "=v\n", "k = \"\"\"open\n"} {
		_, err := cloudstack.ParseCmkConfig(strings.NewReader(bad))
		assert.Error(t, err, "%q", bad)
	}
	_, err = cloudstack.ParseCmkConfig(strings.NewReader("verifycert = maybe\n[p]\n"))
	require.NoError(t, err)
	bad, _ := cloudstack.ParseCmkConfig(strings.NewReader("verifycert = maybe\nprofile = p\n[p]\n"))
	_, err = bad.Profile("")
	assert.ErrorContains(t, err, "not true or false")
}
