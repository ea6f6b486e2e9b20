package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
)

func TestInterruptedExitCode(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(cancelledContext(), []string{"--provider", "dummy", "nodes", "list"}, &stdout, &stderr, func(string) string { return "" })
	assert.Equal(t, exitInterrupted, code)
	assert.Equal(t, "goclouds: interrupted\n", stderr.String())
	assert.Empty(t, stdout.String())
}

func TestInterruptStopsWait(t *testing.T) {
	// A wait that would last ten minutes ends as soon as the context is
	// cancelled, as on Ctrl-C.
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		isTerminal: func(io.Writer) bool { return false }}
	done := make(chan int)
	go func() {
		done <- env.execute(ctx, []string{"--provider", "dummy", "nodes", "wait", "1", "--state", "stopped", "--interval", "1ms"})
	}()
	cancel()
	assert.Equal(t, exitInterrupted, <-done)
	assert.Equal(t, "goclouds: interrupted\n", stderr.String())
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{errors.New("boom"), exitFailure},
		{compute.NewError("x", "GetNode", "1", compute.ErrNotFound, nil), exitNotFound},
		{compute.NewError("x", "ListNodes", "", compute.ErrPermissionDenied, errors.New("401")), exitPermission},
		{compute.NewError("x", "CreateNode", "", compute.ErrQuotaExceeded, nil), exitFailure},
		{fmt.Errorf("wrapped: %w", context.Canceled), exitInterrupted},
		{context.DeadlineExceeded, exitFailure},
		{usageErrorf("bad"), exitUsage},
		{asUsage(compute.ErrNotFound), exitUsage},
	} {
		assert.Equal(t, tc.want, exitCode(tc.err), "%v", tc.err)
	}
	var buf bytes.Buffer
	reportError(&buf, errors.Join(errors.New("first"), errors.New("second")), "goclouds", scrubber{})
	assert.Equal(t, "goclouds: first; second\n", buf.String())
	buf.Reset()
	reportError(&buf, &compute.Error{Provider: "x", Op: "CreateNode", ID: "vm-1", Kind: compute.ErrUnavailable,
		Err: fmt.Errorf("job still running: %w", context.Canceled)}, "goclouds", scrubber{})
	assert.Equal(t, "goclouds: interrupted: compute: x: CreateNode \"vm-1\": unavailable: job still running: context canceled\n", buf.String())
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		env := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
			isTerminal: func(w io.Writer) bool { return terminal && w == &stderr }}
		code := env.execute(t.Context(), []string{"--provider", "dummy", "nodes", "create", "p1", "--image", "1", "--size", "1",
			"--wait", "--interval", "1ms", "-o", "json"})
		require.Equal(t, exitOK, code, stderr.String())
		assert.NotContains(t, stdout.String(), "\r", "progress never goes to stdout")
		if terminal {
			assert.Contains(t, stderr.String(), "creating node p1")
			assert.Contains(t, stderr.String(), "waiting for node")
			assert.True(t, strings.HasSuffix(stderr.String(), "\r\033[K"), "the line is cleared: %q", stderr.String())
		} else {
			assert.Empty(t, stderr.String())
		}
	}
	assert.False(t, isTerminal(&bytes.Buffer{}))
}

func TestDebugRedactsSecrets(t *testing.T) {
	const secret = "Sup3r/Secret+Key=="
	r := runEnv(t, map[string]string{envSecretKey: secret}, "--provider", string(providerRecord), "--debug",
		"--api-key", "visible-key", "nodes", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "goclouds: configuration")
	assert.Contains(t, r.stderr, "visible-key")
	assert.Contains(t, r.stderr, "env CLOUDSTACK_SECRET_KEY", "sources are logged")
	assert.NotContains(t, r.stderr, secret)
	assert.NotContains(t, r.stderr, url.QueryEscape(secret))

	// Without --debug nothing is logged.
	r = runEnv(t, map[string]string{envSecretKey: secret}, "--provider", string(providerRecord), "nodes", "list")
	assert.Empty(t, r.stderr)
}

func TestRedactingHandler(t *testing.T) {
	const secret = "s3cr3t+/="
	var buf bytes.Buffer
	log := slog.New(newRedactingHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), secret))
	u := "http://h/client/api?apikey=k&command=listZones&signature=abc%2Bdef&response=json"
	log.With("secretkey", secret).WithGroup("req").Debug("request "+secret,
		"url", u,
		"parsed", mustParse(t, u),
		"password", "hunter2",
		"private_key", "-----BEGIN",
		"body", []byte("userdata=Zm9v&name=x"),
		"err", fmt.Errorf("bad key %s", url.QueryEscape(secret)),
		slog.Group("nested", "signature", "xyz", "note", "has "+secret),
		"empty_password", "",
		"count", 3,
	)
	out := buf.String()
	for _, leaked := range []string{secret, url.QueryEscape(secret), "abc%2Bdef", "hunter2", "BEGIN", "Zm9v", "xyz"} {
		assert.NotContains(t, out, leaked)
	}
	for _, kept := range []string{"apikey=k", "command=listZones", "name=x", "count=3", "REDACTED"} {
		assert.Contains(t, out, kept)
	}
}

func TestErrorsAreScrubbed(t *testing.T) {
	var buf bytes.Buffer
	code := reportError(&buf, fmt.Errorf("GET http://h/api?signature=abc&apikey=k: key s3cr%%2B failed for s3cr+"), "goclouds", newScrubber("s3cr+"))
	assert.Equal(t, exitFailure, code)
	assert.Equal(t, "goclouds: GET http://h/api?signature=REDACTED&apikey=k: key REDACTED failed for REDACTED\n", buf.String())

	// A short secret is scrubbed where it stands alone, not inside words.
	sc := newScrubber("b")
	assert.Equal(t, "unavailable: secret REDACTED (REDACTED)", sc.scrub("unavailable: secret b (b)"))
	long := newScrubber("averylongsecret")
	assert.Equal(t, "xREDACTEDx", long.scrub("xaverylongsecretx"), "a long secret is scrubbed anywhere")
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
