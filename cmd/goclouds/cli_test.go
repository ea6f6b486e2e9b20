package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// Test providers, registered once for the whole test binary:
//
//   - "clitest" is the dummy driver, one instance per API key, so a test's
//     successive CLI runs (given the same --api-key) see the same state,
//     with a fixed clock so the output is stable. --option nodes=N sets the
//     initial node count of a new instance.
//   - "clirecord" records the compute.Config it is given and returns a
//     fresh dummy driver.
const (
	providerTest   types.Provider = "clitest"
	providerRecord types.Provider = "clirecord"
)

var (
	testDriversMu sync.Mutex
	testDrivers   = map[string]*dummy.Driver{}

	recordMu sync.Mutex
	recorded []compute.Config
)

// fixedNow is the dummy clock of "clitest" drivers.
func fixedNow() time.Time { return time.Date(2024, 5, 17, 12, 0, 0, 0, time.UTC) }

func TestMain(m *testing.M) {
	err := providers.Register(providerTest, func(cfg compute.Config) (compute.Driver, error) {
		testDriversMu.Lock()
		defer testDriversMu.Unlock()
		d, ok := testDrivers[cfg.Key]
		if !ok {
			opts := &dummy.Options{Now: fixedNow}
			if n, ok := cfg.Options["nodes"].(string); ok {
				opts.Nodes = map[string]int{"none": -1, "1": 1, "2": 2}[n]
			}
			d = dummy.New(opts)
			testDrivers[cfg.Key] = d
		}
		return d, nil
	})
	if err == nil {
		err = providers.Register(providerRecord, func(cfg compute.Config) (compute.Driver, error) {
			recordMu.Lock()
			recorded = append(recorded, cfg)
			recordMu.Unlock()
			return dummy.New(nil), nil
		})
	}
	if err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// result is what one CLI run produced.
type result struct {
	stdout, stderr string
	code           int
}

// runEnv runs the CLI in-process with the given environment (nothing else
// from the real environment, so no real ~/.cmk/config is read).
func runEnv(t *testing.T, environ map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr, func(k string) string { return environ[k] })
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// runCLI runs the CLI with an empty environment.
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	return runEnv(t, nil, args...)
}

// testArgs are the global flags selecting a "clitest" driver of its own for
// the test.
func testArgs(t *testing.T, args ...string) []string {
	return append([]string{"--provider", string(providerTest), "--api-key", t.Name()}, args...)
}

// ok runs the CLI on the test's own "clitest" driver and requires success.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	r := runCLI(t, testArgs(t, args...)...)
	require.Equal(t, exitOK, r.code, "goclouds %s\nstderr: %s", strings.Join(args, " "), r.stderr)
	require.Empty(t, r.stderr)
	return r.stdout
}

// fails runs the CLI on the test's own "clitest" driver and requires the
// exit code; it returns stderr.
func fails(t *testing.T, code int, args ...string) string {
	t.Helper()
	r := runCLI(t, testArgs(t, args...)...)
	require.Equal(t, code, r.code, "goclouds %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.stdout, r.stderr)
	require.Empty(t, r.stdout)
	require.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
	require.True(t, strings.HasPrefix(r.stderr, "goclouds: "), r.stderr)
	return r.stderr
}

// golden compares got with testdata/<name>.golden, rewriting it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	require.Equal(t, string(want), got, "output differs from %s (go test -update rewrites it)", path)
}

// cancelledContext returns a context that is already cancelled, as after
// Ctrl-C.
func cancelledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
