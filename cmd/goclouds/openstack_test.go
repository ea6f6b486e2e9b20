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

// TestOpenStackFromTheSimulatorsOpenrc runs `goclouds sim --provider
// openstack`, sets the variables it prints, as `source` would, and drives
// the OpenStack driver from the CLI with them alone.
func TestOpenStackFromTheSimulatorsOpenrc(t *testing.T) {
	out := startProviderSim(t, "openstack")
	require.Regexp(t, regexp.MustCompile(`(?m)^listening on http://127\.0\.0\.1:\d+`), out)
	for _, line := range strings.Split(out, "\n") {
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, strings.Trim(v, "'"))
	}
	require.NotEmpty(t, "OS_AUTH_URL")
	r := runCLI(t, "--provider", "openstack", "images", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	images := decode[[]compute.Image](t, r.stdout)
	require.NotEmpty(t, images)
	r = runCLI(t, "--provider", "openstack", "sizes", "list", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	sizes := decode[[]compute.Size](t, r.stdout)
	require.NotEmpty(t, sizes)
	r = runCLI(t, "--provider", "openstack", "nodes", "create", "toto", "--image", images[0].ID, "--size", sizes[0].ID,
		"--wait", "--interval", "20ms", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var n compute.Node
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &n))
	assert.Equal(t, "toto", n.Name)
	r = runCLI(t, "--provider", "openstack", "nodes", "destroy", "toto")
	assert.Equal(t, exitOK, r.code, r.stderr)
}
