package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
)

// A cloudmonkey 6 config file as cmk writes it: core options in the unnamed
// section, one section per profile.
const cmk6Config = `prompt = 🐵
asyncblock = true
timeout = 1800
output = json
verifycert = true
profile = prod
autocomplete = true
postrequest = true

[localcloud]
url = http://localhost:8080/client/api
username = admin
password = password
domain = /
apikey =
secretkey =

[prod]
url = https://cloud.example.com/client/api
username = admin
password = password
domain = /
apikey = file-key
secretkey = file#secret;with=chars

[staging]
url = https://staging.example.com/client/api
apikey = staging-key
secretkey = staging-secret
`

// A cloudmonkey 5.3 config file: core options in [core], verifysslcert and
// timeout in each profile.
const cmk5Config = `[core]
profile = server
asyncblock = true
history_file = /root/.cloudmonkey/history

[ui]
color = true
display = json

[server]
domain = /
username = admin
apikey = legacy-key
url = https://legacy.example.com/client/api
expires = 600
secretkey = legacy-secret
timeout = 3600
password = password
verifysslcert = false
signatureversion = 2
`

// recordedConfig runs the CLI on the recording provider and returns the
// compute.Config the factory got.
func recordedConfig(t *testing.T, environ map[string]string, args ...string) compute.Config {
	t.Helper()
	recordMu.Lock()
	recorded = nil
	recordMu.Unlock()
	if environ == nil {
		environ = map[string]string{}
	}
	if _, ok := environ[envProvider]; !ok {
		args = append([]string{"--provider", string(providerRecord)}, args...)
	}
	r := runEnv(t, environ, append(args, "locations", "list")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	recordMu.Lock()
	defer recordMu.Unlock()
	require.Len(t, recorded, 1)
	return recorded[0]
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// homeWithConfig makes a home directory holding .cmk/config.
func homeWithConfig(t *testing.T, content string) string {
	t.Helper()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".cmk"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".cmk", "config"), []byte(content), 0o600))
	return home
}

func TestConfigPrecedence(t *testing.T) {
	home := homeWithConfig(t, cmk6Config)
	env := map[string]string{
		"HOME":       home,
		envURL:       "https://env.example.com/client/api",
		envAPIKey:    "env-key",
		envTimeout:   "900",
		envSecretKey: "",
	}

	// Config file alone: the active profile [prod].
	cfg := recordedConfig(t, map[string]string{"HOME": home})
	assert.Equal(t, "https://cloud.example.com/client/api", cfg.URL)
	assert.Equal(t, "file-key", cfg.Key)
	assert.Equal(t, "file#secret;with=chars", cfg.Secret, "inline comments are not stripped, as cloudmonkey")
	assert.Equal(t, 1800*time.Second, cfg.Timeout)
	assert.False(t, cfg.Insecure)

	// Environment over the file, per setting (the secret comes from the
	// file since the variable is empty).
	cfg = recordedConfig(t, env)
	assert.Equal(t, "https://env.example.com/client/api", cfg.URL)
	assert.Equal(t, "env-key", cfg.Key)
	assert.Equal(t, "file#secret;with=chars", cfg.Secret)
	assert.Equal(t, 900*time.Second, cfg.Timeout)

	// Flags over the environment.
	cfg = recordedConfig(t, env, "--url", "https://flag.example.com/client/api", "--api-key", "flag-key",
		"--secret-key", "flag-secret", "--timeout", "2m", "--insecure", "--region", "eu")
	assert.Equal(t, "https://flag.example.com/client/api", cfg.URL)
	assert.Equal(t, "flag-key", cfg.Key)
	assert.Equal(t, "flag-secret", cfg.Secret)
	assert.Equal(t, 2*time.Minute, cfg.Timeout)
	assert.True(t, cfg.Insecure)
	assert.Equal(t, "eu", cfg.Region)

	// --profile picks another section.
	cfg = recordedConfig(t, map[string]string{"HOME": home}, "--profile", "staging")
	assert.Equal(t, "https://staging.example.com/client/api", cfg.URL)
	assert.Equal(t, "staging-key", cfg.Key)
	assert.Equal(t, 1800*time.Second, cfg.Timeout, "timeout falls back to the core option")

	// --config names another file; HOME's is then not read.
	other := writeConfig(t, "[p]\nurl = https://other.example.com/client/api\napikey = k\nsecretkey = s\n")
	cfg = recordedConfig(t, map[string]string{"HOME": home}, "--config", other, "--profile", "p")
	assert.Equal(t, "https://other.example.com/client/api", cfg.URL)
	assert.Zero(t, cfg.Timeout)
}

func TestConfigProviderPrecedence(t *testing.T) {
	// GOCLOUDS_PROVIDER selects the provider; --provider overrides it.
	r := runEnv(t, map[string]string{envProvider: "dummy"}, "nodes", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"provider": "dummy"`)

	r = runEnv(t, map[string]string{envProvider: "cloudstack"}, "--provider", "dummy", "nodes", "list")
	require.Equal(t, exitOK, r.code, r.stderr)

	r = runEnv(t, map[string]string{envProvider: "dummy"}, "--provider", "cloudstack", "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "provider cloudstack is not configured")

	// A provider key in the profile (a goclouds extension) is honoured.
	path := writeConfig(t, "profile = play\n[play]\nprovider = dummy\n")
	r = runEnv(t, nil, "--config", path, "nodes", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "dummy-1")
}

func TestConfigCloudMonkey5(t *testing.T) {
	cfg := recordedConfig(t, nil, "--config", writeConfig(t, cmk5Config))
	assert.Equal(t, "https://legacy.example.com/client/api", cfg.URL)
	assert.Equal(t, "legacy-key", cfg.Key)
	assert.Equal(t, "legacy-secret", cfg.Secret)
	assert.Equal(t, 3600*time.Second, cfg.Timeout)
	assert.True(t, cfg.Insecure, "verifysslcert = false")
}

func TestConfigVerifyCertInCore(t *testing.T) {
	path := writeConfig(t, "verifycert = false\nprofile = x\n[x]\nurl = https://x/client/api\n")
	assert.True(t, recordedConfig(t, nil, "--config", path).Insecure)
	assert.False(t, recordedConfig(t, nil, "--config", path, "--insecure=false").Insecure, "the flag wins")
}

func TestConfigErrors(t *testing.T) {
	home := homeWithConfig(t, cmk6Config)
	for _, tc := range []struct {
		name    string
		environ map[string]string
		args    []string
		want    string
	}{
		{"unknown profile", map[string]string{"HOME": home}, []string{"--profile", "nope"}, `no profile "nope" (profiles: localcloud, prod, staging)`},
		{"missing config file", nil, []string{"--config", "/nonexistent/config"}, "config file"},
		{"profile without file", map[string]string{"HOME": t.TempDir()}, []string{"--profile", "prod"}, "no config file"},
		{"malformed file", nil, []string{"--config", writeConfig(t, "[broken\n")}, "unclosed section"},
		{"bad timeout flag", nil, []string{"--timeout", "soon"}, `"soon" is neither`},
		{"bad timeout env", map[string]string{envTimeout: "-5"}, nil, "env CLOUDSTACK_TIMEOUT"},
		{"bad verifycert", nil, []string{"--config", writeConfig(t, "verifycert = maybe\n")}, "verifycert"},
		{"bad option", nil, []string{"--option", "novalue"}, "want key=value"},
		{"unknown provider", nil, []string{"--provider", "nimbus"}, `unknown provider "nimbus"`},
		{"bad dummy option", nil, []string{"--provider", "dummy", "--option", "nodes=many"}, "nodes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runEnv(t, tc.environ, append(tc.args, "nodes", "list")...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.want)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
		})
	}
}

func TestConfigMissingSettings(t *testing.T) {
	r := runEnv(t, nil, "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	for _, want := range []string{"provider cloudstack is not configured", "--url", envURL, "--api-key", envAPIKey,
		"--secret-key", envSecretKey, "~/.cmk/config", "goclouds demo"} {
		assert.Contains(t, r.stderr, want)
	}
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"))

	// Only what is missing is named; the cmk default profile has no keys.
	home := homeWithConfig(t, strings.Replace(cmk6Config, "profile = prod", "profile = localcloud", 1))
	r = runEnv(t, map[string]string{"HOME": home}, "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.NotContains(t, r.stderr, envURL)
	assert.Contains(t, r.stderr, envAPIKey)
	assert.Contains(t, r.stderr, "profile [localcloud] of "+filepath.Join(home, ".cmk", "config"))

	// Presets need keys but not a URL.
	r = runEnv(t, map[string]string{envAPIKey: "k"}, "--provider", "exoscale", "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, envSecretKey)
	assert.NotContains(t, r.stderr, envURL)
}

func TestParseTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"900": 900 * time.Second, "1.5": 1500 * time.Millisecond, "90s": 90 * time.Second, "5m": 5 * time.Minute, "0": 0,
	} {
		got, err := parseTimeout(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "soon", "-1", "-1s", "1e300"} {
		_, err := parseTimeout(bad)
		assert.Error(t, err, bad)
	}
}

// settingsFor resolves the settings of a command line's global flags.
func settingsFor(t *testing.T, environ map[string]string, args ...string) *settings {
	t.Helper()
	env := &cliEnv{getenv: func(k string) string { return environ[k] }}
	root := newRootCmd(env)
	require.NoError(t, root.PersistentFlags().Parse(args))
	s, err := env.resolveSettings()
	require.NoError(t, err)
	return s
}

func TestTimeoutBoundsCloudStackJobs(t *testing.T) {
	s := settingsFor(t, map[string]string{envTimeout: "1800"}, "--provider", "cloudstack")
	assert.Equal(t, "30m0s", s.options["job_timeout"], "CLOUDSTACK_TIMEOUT is the async job timeout, as in Terraform")
	s = settingsFor(t, nil, "--provider", "ikoula", "--timeout", "90s", "--option", "Job-Timeout=5m")
	assert.Equal(t, map[string]any{"Job-Timeout": "5m"}, s.options, "an explicit job_timeout wins")
	s = settingsFor(t, nil, "--provider", "dummy", "--timeout", "90s")
	assert.Nil(t, s.options, "other providers get no CloudStack option")
	s = settingsFor(t, nil, "--provider", "cloudstack")
	assert.Nil(t, s.options)
	assert.Equal(t, "flag --provider", s.sources["provider"])
}

func TestConfigProfileCompletion(t *testing.T) {
	home := homeWithConfig(t, cmk6Config)
	r := runEnv(t, map[string]string{"HOME": home}, "__complete", "--profile", "")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "localcloud\nprod\nstaging\n"), r.stdout)
	r = runEnv(t, nil, "__complete", "--config", writeConfig(t, cmk5Config), "--profile", "")
	assert.True(t, strings.HasPrefix(r.stdout, "server\nui\n"), r.stdout)
}

func TestConfigPasswordLoginHint(t *testing.T) {
	home := homeWithConfig(t, strings.Replace(cmk6Config, "profile = prod", "profile = localcloud", 1))
	r := runEnv(t, map[string]string{"HOME": home}, "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "not the profile's username and password")
	r = runEnv(t, nil, "--config", writeConfig(t, "[p]\nurl = https://x/client/api\napikey = k\n"), "--profile", "p", "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, envSecretKey)
	assert.NotContains(t, r.stderr, "username")
}

func TestCAFileOption(t *testing.T) {
	s := settingsFor(t, map[string]string{envCAFile: "/etc/ca.pem"}, "--provider", "cloudstack")
	assert.Equal(t, "/etc/ca.pem", s.options["ca_file"], "CLOUDSTACK_CA_FILE")
	assert.Equal(t, "env "+envCAFile, s.sources["ca-file"])
	s = settingsFor(t, map[string]string{envCAFile: "/etc/ca.pem"}, "--provider", "exoscale", "--ca-file", "/tmp/other.pem")
	assert.Equal(t, "/tmp/other.pem", s.options["ca_file"], "the flag wins")
	s = settingsFor(t, nil, "--provider", "cloudstack", "--ca-file", "/tmp/a.pem", "--option", "CA-File=/tmp/b.pem")
	assert.Equal(t, map[string]any{"CA-File": "/tmp/b.pem"}, s.options, "an explicit ca_file option wins")
	s = settingsFor(t, map[string]string{envCAFile: "/etc/ca.pem"}, "--provider", "dummy")
	assert.Nil(t, s.options, "other providers get no CloudStack option from the environment")

	env := &cliEnv{getenv: func(string) string { return "" }}
	root := newRootCmd(env)
	require.NoError(t, root.PersistentFlags().Parse([]string{"--provider", "dummy", "--ca-file", "/tmp/a.pem"}))
	_, err := env.resolveSettings()
	assert.ErrorContains(t, err, "--ca-file")
}
