package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
)

// setExports sets the variables of the `export K=V` lines in out, as
// `source` would.
func setExports(t *testing.T, out string) {
	for _, line := range strings.Split(out, "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, strings.Trim(v, "'"))
	}
}

// simTour creates, lists and destroys a node on provider through the CLI,
// configured by the environment alone, and returns the node created.
func simTour(t *testing.T, provider string) compute.Node {
	t.Helper()
	r := runCLI(t, "--provider", provider, "images", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	images := decode[[]compute.Image](t, r.stdout)
	require.NotEmpty(t, images)
	r = runCLI(t, "--provider", provider, "sizes", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	sizes := decode[[]compute.Size](t, r.stdout)
	require.NotEmpty(t, sizes)
	r = runCLI(t, "--provider", provider, "nodes", "create", "toto", "--image", images[0].ID, "--size", sizes[0].ID,
		"--wait", "--interval", "20ms", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var n compute.Node
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &n))
	assert.Equal(t, "toto", n.Name)
	r = runCLI(t, "--provider", provider, "nodes", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, n.ID)
	r = runCLI(t, "--provider", provider, "nodes", "destroy", n.ID)
	assert.Equal(t, exitOK, r.code, r.stderr)
	return n
}

// TestEC2FromTheSimulatorsExports runs `goclouds sim --provider ec2`, sets
// the AWS variables it prints and drives the EC2 driver from the CLI with
// them alone (the AWS default chain and AWS_ENDPOINT_URL).
func TestEC2FromTheSimulatorsExports(t *testing.T) {
	out := startProviderSim(t, "ec2")
	require.Regexp(t, regexp.MustCompile(`(?m)^export AWS_ENDPOINT_URL=http://127\.0\.0\.1:\d+/?$`), out)
	setExports(t, out)
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	simTour(t, "ec2")
}

// TestOpenStackFromTheSimulatorsOpenrc runs `goclouds sim --provider
// openstack`, sets the variables it prints, as `source` would, and drives
// the OpenStack driver from the CLI with them alone.
func TestOpenStackFromTheSimulatorsOpenrc(t *testing.T) {
	out := startProviderSim(t, "openstack")
	require.Regexp(t, regexp.MustCompile(`(?m)^listening on http://127\.0\.0\.1:\d+`), out)
	setExports(t, out)
	simTour(t, "openstack")
}
