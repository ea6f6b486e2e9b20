package ec2_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

// TestIterNodesPages streams more than two StreamPageSize pages: every
// instance once, in ListNodes' order, one DescribeInstances per page, while
// ListNodes reads them in one NodesPageSize page.
func TestIterNodesPages(t *testing.T) {
	n := 2*ec2.StreamPageSize + 3
	sim, srv := startSim(t, &ec2sim.Options{Instances: n})
	d := simDriver(t, sim, srv, nil)
	ctx := context.Background()

	before := sim.RequestCount("DescribeInstances")
	var streamed []string
	for node, err := range d.IterNodes(ctx, nil) {
		require.NoError(t, err)
		streamed = append(streamed, node.ID)
	}
	assert.Equal(t, 3, sim.RequestCount("DescribeInstances")-before, "IterNodes pages")

	before = sim.RequestCount("DescribeInstances")
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, sim.RequestCount("DescribeInstances")-before, "ListNodes pages")
	listed := make([]string, 0, len(nodes))
	for _, node := range nodes {
		listed = append(listed, node.ID)
	}
	assert.Len(t, streamed, n)
	assert.Equal(t, listed, streamed)
}
