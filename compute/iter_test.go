package compute_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

func TestIterNodes_FallsBackToListNodes(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil) // nodes 1 (dummy-1) and 2 (dummy-2), running
	require.NoError(t, d.StopNode(ctx, "2"))
	names := func(f *compute.NodeFilter) []string {
		var out []string
		for n, err := range compute.IterNodes(ctx, d, f) {
			require.NoError(t, err)
			out = append(out, n.Name)
		}
		return out
	}
	assert.Equal(t, []string{"dummy-1", "dummy-2"}, names(nil))
	assert.Equal(t, []string{"dummy-2"}, names(&compute.NodeFilter{Name: "dummy-2"}))
	assert.Equal(t, []string{"dummy-1"}, names(&compute.NodeFilter{States: []types.NodeState{types.NodeStateRunning}}))
	assert.Empty(t, names(&compute.NodeFilter{Tags: map[string]string{"env": "prod"}}))
	count := 0
	for range compute.IterNodes(ctx, d, nil) {
		count++
		break
	}
	assert.Equal(t, 1, count, "stopping early is allowed")
	for _, err := range compute.IterNodes(ctx, nil, nil) {
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	}
}

func TestNodeFilter_Match(t *testing.T) {
	n := &compute.Node{Name: "web", State: types.NodeStateRunning, Tags: map[string]string{"env": "prod", "team": "a"}}
	assert.True(t, (*compute.NodeFilter)(nil).Match(n))
	assert.True(t, (&compute.NodeFilter{Tags: map[string]string{"env": "prod"}}).Match(n))
	assert.False(t, (&compute.NodeFilter{Tags: map[string]string{"env": "dev"}}).Match(n))
	assert.False(t, (&compute.NodeFilter{Tags: map[string]string{"owner": ""}}).Match(n), "a missing key does not match an empty value")
	assert.False(t, (&compute.NodeFilter{Name: "db"}).Match(n))
	assert.True(t, (&compute.NodeFilter{States: []types.NodeState{types.NodeStateStopped, types.NodeStateRunning}}).Match(n))
}
