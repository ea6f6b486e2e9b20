package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// dummyEnv is an environment whose user cache directory is a temporary
// one (never the real one).
func dummyEnv(t *testing.T) (map[string]string, string) {
	t.Helper()
	home, cache := t.TempDir(), t.TempDir()
	return map[string]string{"HOME": home, "XDG_CACHE_HOME": cache, envProvider: "dummy"},
		filepath.Join(cache, "goclouds", "dummy-state.json")
}

// runOK runs the CLI in environ and requires success without a word on
// stderr.
func runOK(t *testing.T, environ map[string]string, args ...string) string {
	t.Helper()
	r := runEnv(t, environ, args...)
	require.Equal(t, exitOK, r.code, "goclouds %s\nstderr: %s", strings.Join(args, " "), r.stderr)
	require.Empty(t, r.stderr)
	return r.stdout
}

func TestDummyKeepsItsCloud(t *testing.T) {
	environ, state := dummyEnv(t)
	runOK(t, environ, "nodes", "create", "web1", "--image", "Ubuntu 9.10", "--size", "Small")
	assert.FileExists(t, state, "the default state file, in the user cache dir")
	assert.Contains(t, runOK(t, environ, "nodes", "list"), "web1", "the next run sees the node")
	runOK(t, environ, "volumes", "create", "data1", "--size", "20")
	runOK(t, environ, "volumes", "attach", "data1", "web1")
	assert.Contains(t, runOK(t, environ, "volumes", "list"), "inuse  3")

	assert.Equal(t, "removed "+state+"\n", runOK(t, environ, "dummy", "reset"))
	assert.NotContains(t, runOK(t, environ, "nodes", "list"), "web1", "reset forgets it")
	runOK(t, environ, "dummy", "reset")
	assert.Equal(t, "no state at "+state+"\n", runOK(t, environ, "dummy", "reset"))

	// --state-file FILE (or GOCLOUDS_STATE_FILE) chooses the file; - keeps nothing.
	own := filepath.Join(t.TempDir(), "tour.json")
	runOK(t, environ, "--state-file", own, "nodes", "create", "db1", "--image", "1", "--size", "1")
	assert.Contains(t, runOK(t, map[string]string{envStateFile: own, envProvider: "dummy"}, "nodes", "list"), "db1")
	assert.NoFileExists(t, state)
	runOK(t, environ, "--state-file", "-", "nodes", "create", "tmp1", "--image", "1", "--size", "1")
	assert.NotContains(t, runOK(t, environ, "--state-file", "-", "nodes", "list"), "tmp1")
	assert.NoFileExists(t, state)

	// Without a cache directory (no HOME) nothing is kept, nothing fails.
	runOK(t, map[string]string{envProvider: "dummy"}, "nodes", "list")
}

// TestDummyStateConcurrentRuns: runs at once take turns on the state file,
// so none loses another's node.
func TestDummyStateConcurrentRuns(t *testing.T) {
	environ, _ := dummyEnv(t)
	const n = 8
	var wg sync.WaitGroup
	codes := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = runEnv(t, environ, "nodes", "create", fmt.Sprintf("c%d", i), "--image", "1", "--size", "1").code
		}()
	}
	wg.Wait()
	out := runOK(t, environ, "nodes", "list", "-o", "csv")
	for i := range n {
		assert.Equal(t, exitOK, codes[i])
		assert.Contains(t, out, fmt.Sprintf(",c%d,", i))
	}
}

func TestDummyStateErrors(t *testing.T) {
	environ, state := dummyEnv(t)
	require.NoError(t, os.MkdirAll(filepath.Dir(state), 0o700))
	require.NoError(t, os.WriteFile(state, []byte("{not json"), 0o600))
	r := runEnv(t, environ, "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, state)
	assert.Contains(t, r.stderr, "goclouds dummy reset")
	runOK(t, environ, "dummy", "reset")
	runOK(t, environ, "nodes", "list")

	r = runEnv(t, nil, "--provider", "cloudstack", "--url", "http://127.0.0.1:1/client/api", "--api-key", "k",
		"--secret-key", "s", "--state-file", "x.json", "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "only the dummy provider")
}

// TestDummyTransitionDelay: --option transition_delay=3s makes a stop take
// that long, seen by the next runs.
func TestDummyTransitionDelay(t *testing.T) {
	environ, _ := dummyEnv(t)
	start := time.Now()
	runOK(t, environ, "--option", "transition_delay=3s", "nodes", "stop", "dummy-1")
	get := runOK(t, environ, "nodes", "get", "dummy-1", "-o", "json")
	if time.Since(start) < 3*time.Second { // a very slow machine may be past it
		assert.Contains(t, get, `"state": "stopping"`)
	}
	runOK(t, environ, "nodes", "wait", "dummy-1", "--state", "stopped", "--interval", "50ms")
	assert.GreaterOrEqual(t, time.Since(start), 3*time.Second, "the stop took the delay")
}

// TestBrokenCmkConfig: a malformed ~/.cmk/config names its file and line,
// and does not matter to a provider chosen without it.
func TestBrokenCmkConfig(t *testing.T) {
	environ, _ := dummyEnv(t)
	cfg := filepath.Join(environ["HOME"], ".cmk", "config")
	require.NoError(t, os.MkdirAll(filepath.Dir(cfg), 0o700))
	require.NoError(t, os.WriteFile(cfg, []byte("profile = x\n[x]\nurl = http://a\nbogus line\n"), 0o600))
	runOK(t, environ, "nodes", "list")
	runOK(t, environ, "--provider", "dummy", "nodes", "list")

	delete(environ, envProvider)
	r := runEnv(t, environ, "nodes", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, cfg+":4: want key = value")
}

// TestInsecureWarning: the driver's warning about TLS verification is a
// "goclouds: warning:" line, like every other message of the CLI.
func TestInsecureWarning(t *testing.T) {
	sim := cloudstacksim.New(&cloudstacksim.Options{})
	srv := httptest.NewTLSServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	creds := sim.UserCredentials()
	r := runEnv(t, map[string]string{envURL: srv.URL + sim.Path(), envAPIKey: creds.APIKey, envSecretKey: creds.SecretKey},
		"--insecure", "locations", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "goclouds: warning: cloudstack: TLS certificate verification is turned off (Insecure) (endpoint "+srv.URL+sim.Path()+")\n", r.stderr)
}
