package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/types"
)

func TestActionsResolveEveryNameFirst(t *testing.T) {
	stderr := fails(t, exitNotFound, "nodes", "stop", "1", "dummy-3")
	assert.Equal(t, "goclouds: no node has the id or name \"dummy-3\"; did you mean \"dummy-1\" or \"dummy-2\"?\n", stderr)
	assert.Equal(t, types.NodeStateRunning, nodeState(t, "1"), "nothing was touched")

	ok(t, "keypairs", "import", "kp1", "--public-key", testPublicKey(t))
	stderr = fails(t, exitNotFound, "keypairs", "delete", "kp1", "kp2")
	assert.Contains(t, stderr, `no key pair has the id or name "kp2"; did you mean "kp1"?`)
	assert.Contains(t, ok(t, "keypairs", "list"), "kp1", "kp1 was not deleted")
}

func TestActionsReportEachItemAndTheWorstOutcome(t *testing.T) {
	ok(t, "nodes", "stop", "2")
	// Starting 1 (running) fails, starting 2 (stopped) works: both are
	// reported, in order, and the exit code is the failure's.
	r := runCLI(t, testArgs(t, "nodes", "start", "dummy-1", "2")...)
	assert.Equal(t, exitFailure, r.code)
	assert.Equal(t, "KIND  ID  ACTION\nnode  1   failed\nnode  2   started\n", r.stdout)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
	assert.Contains(t, r.stderr, "goclouds: start node 1: ")
	assert.Contains(t, r.stderr, "conflict")
	assert.Equal(t, types.NodeStateRunning, nodeState(t, "2"))

	ok(t, "nodes", "stop", "2")
	r = runCLI(t, testArgs(t, "nodes", "start", "1", "2", "-o", "json")...)
	assert.Equal(t, exitFailure, r.code)
	var results []actionResult
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &results), r.stdout)
	require.Len(t, results, 2)
	assert.Equal(t, "failed", results[0].Action)
	assert.Contains(t, results[0].Error, "conflict")
	assert.Equal(t, actionResult{Kind: "node", ID: "2", Action: "started"}, results[1])

	// One resource: its error is the command's, with nothing on stdout.
	stderr := fails(t, exitFailure, "nodes", "start", "1")
	assert.Contains(t, stderr, "conflict")
	// The same node twice is acted on once.
	assert.Equal(t, "KIND  ID  ACTION\nnode  1   stopped\n", ok(t, "nodes", "stop", "1", "dummy-1"))
}

func TestNamesThatDoNotResolveSuggest(t *testing.T) {
	stderr := fails(t, exitNotFound, "images", "get", "Ubuntu 9.1")
	assert.Equal(t, "goclouds: no image has the id or name \"Ubuntu 9.1\"; did you mean \"Ubuntu 9.10\"?\n", stderr)
	stderr = fails(t, exitNotFound, "nodes", "get", "nosuch")
	assert.Equal(t, "goclouds: no node has the id or name \"nosuch\"\n", stderr)
	stderr = fails(t, exitNotFound, "nodes", "destroy", "dummy-7")
	assert.Contains(t, stderr, `did you mean "dummy-1" or "dummy-2"?`)
	stderr = fails(t, exitNotFound, "nodes", "create", "web", "--image", "Ubuntu 9.1", "--size", "Small")
	assert.Contains(t, stderr, `no image has the id or name "Ubuntu 9.1"; did you mean "Ubuntu 9.10"?`)
	stderr = fails(t, exitNotFound, "nodes", "create", "web", "--image", "1", "--size", "Smal")
	assert.Contains(t, stderr, `no size has the id or name "Smal"; did you mean "Small"?`)
}

// nodeState returns the state of the test driver's node id.
func nodeState(t *testing.T, id string) types.NodeState {
	t.Helper()
	var n struct {
		State types.NodeState `json:"state"`
	}
	require.NoError(t, json.Unmarshal([]byte(ok(t, "nodes", "get", id, "-o", "json")), &n))
	return n.State
}

func TestCloudStackNamesThatDoNotResolve(t *testing.T) {
	_, env := simEnv(t, nil)
	image, size := firstImageAndSize(t, env)
	simOK(t, env, "nodes", "create", "web1", "--image", image, "--size", size)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"nodes", "get", "nosuch"}, `goclouds: no node has the id or name "nosuch"`},
		{[]string{"nodes", "get", "web2"}, `goclouds: no node has the id or name "web2"; did you mean "web1"?`},
		{[]string{"nodes", "get", "8c7a3b52-2f2c-4f43-9b48-5f7d2d5e0e11"}, `goclouds: no node has the id or name "8c7a3b52-2f2c-4f43-9b48-5f7d2d5e0e11"`},
		{[]string{"nodes", "destroy", "nosuch"}, `goclouds: no node has the id or name "nosuch"`},
		{[]string{"nodes", "create", "web2", "--image", "Ubuntu 22.04", "--size", size}, `goclouds: no image has the id or name "Ubuntu 22.04"`},
		{[]string{"volumes", "create", "v", "--snapshot", "nightly"}, `goclouds: no snapshot has the id or name "nightly"`},
	} {
		stderr := simFails(t, env, exitNotFound, tc.args...)
		assert.True(t, strings.HasPrefix(stderr, tc.want), "%v: %s", tc.args, stderr)
		assert.NotContains(t, stderr, "431", "no raw CloudStack text")
	}
}
