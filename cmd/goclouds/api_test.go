package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIUnknownCommands(t *testing.T) {
	sim, env := simEnv(t, nil)
	before := total(sim.RequestCounts())
	stderr := simFails(t, env, exitUsage, "api", "listZone")
	assert.Equal(t, "goclouds: api: unknown API command \"listZone\"; did you mean \"listZones\"? (use --force to send it anyway)", strings.TrimSuffix(stderr, " (see 'goclouds api --help')\n"))
	stderr = simFails(t, env, exitUsage, "api", "deployVirtualMachin", "name=x")
	assert.Contains(t, stderr, `did you mean "deployVirtualMachine"?`)
	stderr = simFails(t, env, exitUsage, "api", "list", "zone")
	assert.Contains(t, stderr, `"list zone" is not a command: the form is api COMMAND key=value...`)
	assert.Contains(t, stderr, `did you mean "listZones"?`)
	stderr = simFails(t, env, exitUsage, "api", "qwertyuiop")
	assert.NotContains(t, stderr, "did you mean", "nothing close: no suggestion")
	assert.Equal(t, before, total(sim.RequestCounts()), "refused before sending")

	// --force sends it: the server answers with its own error.
	stderr = simFails(t, env, exitPermission, "api", "listZone", "--force")
	assert.NotContains(t, stderr, "did you mean")
	assert.Equal(t, 1, sim.RequestCount("listZone"))
}

// total sums request counters.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func TestAPIFilterAndEmptyLists(t *testing.T) {
	_, env := simEnv(t, nil)
	var zones struct {
		Count int              `json:"count"`
		Zone  []map[string]any `json:"zone"`
	}
	require.NoError(t, json.Unmarshal([]byte(simOK(t, env, "api", "listZones", "filter=name,ID")), &zones))
	require.NotEmpty(t, zones.Zone)
	assert.Equal(t, len(zones.Zone), zones.Count)
	for _, z := range zones.Zone {
		assert.Len(t, z, 2, "only the filtered fields: %v", z)
		assert.Contains(t, z, "name")
		assert.Contains(t, z, "id")
	}
	table := simOK(t, env, "api", "listZones", "filter=name,id", "-o", "table")
	assert.Regexp(t, `^ID +NAME\n`, table)

	assert.Equal(t, "[]\n", simOK(t, env, "api", "listVirtualMachines", "name=nosuch"))
	assert.Equal(t, "[]\n", simOK(t, env, "api", "listVirtualMachines", "name=nosuch", "-o", "json"))

	// On a terminal, a table says so.
	var stdout, stderr bytes.Buffer
	cli := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] },
		isTerminal: func(w io.Writer) bool { return w == &stdout }}
	code := cli.execute(t.Context(), []string{"api", "listVirtualMachines", "name=nosuch", "-o", "table"})
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "no results\n", stdout.String())
}
