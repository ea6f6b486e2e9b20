package dummy_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// TestSaveLoadState restores everything a user made into another driver:
// the same listings (Extra's types included), a transition still running,
// and new resources numbered after the old ones.
func TestSaveLoadState(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2024, 5, 17, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	a := dummy.New(&dummy.Options{Nodes: -1, Now: clock, TransitionDelay: 2 * time.Second})
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIuVZtqjp4WW6cFF1bj3UY7tB4I7lxTkWp0IDRNLlR8v me@laptop"
	_, err := a.ImportKeyPair(ctx, "laptop", pub)
	require.NoError(t, err)
	n, err := a.CreateNode(ctx, &compute.CreateNodeRequest{Name: "web1", Image: &compute.Image{ID: "1"},
		Size: &compute.Size{ID: "1"}, Networks: []string{"net1"}, UserData: []byte("#!/bin/sh\n"), Auth: compute.NodeAuthSSHKey(pub)})
	require.NoError(t, err)
	v, err := a.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "data1", Size: 20})
	require.NoError(t, err)
	now = now.Add(3 * time.Second) // web1 is running
	require.NoError(t, a.AttachVolume(ctx, v.ID, n.ID, ""))
	_, err = a.CreateVolumeSnapshot(ctx, v.ID, "nightly")
	require.NoError(t, err)
	_, err = a.CreateImage(ctx, n.ID, "golden", "")
	require.NoError(t, err)
	require.NoError(t, a.StopNode(ctx, n.ID)) // stopping for 2s

	var doc bytes.Buffer
	require.NoError(t, a.ExSaveState(&doc))
	assert.NotContains(t, doc.String(), "PRIVATE KEY")
	b := dummy.New(&dummy.Options{Now: clock, TransitionDelay: 2 * time.Second})
	require.NoError(t, b.ExLoadState(bytes.NewReader(doc.Bytes())))

	for _, d := range []*dummy.Driver{a, b} {
		got, err := d.GetNode(ctx, n.ID)
		require.NoError(t, err)
		assert.Equal(t, types.NodeStateStopping, got.State)
	}
	an, _ := a.ListNodes(ctx)
	bn, _ := b.ListNodes(ctx)
	assert.Equal(t, an, bn)
	av, _ := a.ListVolumes(ctx)
	bv, _ := b.ListVolumes(ctx)
	assert.Equal(t, av, bv)
	as, _ := a.ListVolumeSnapshots(ctx, "")
	bs, _ := b.ListVolumeSnapshots(ctx, "")
	assert.Equal(t, as, bs)
	ai, _ := a.ListImages(ctx, nil)
	bi, _ := b.ListImages(ctx, nil)
	assert.Equal(t, ai, bi)
	ak, _ := a.ListKeyPairs(ctx)
	bk, _ := b.ListKeyPairs(ctx)
	assert.Equal(t, ak, bk)
	ud, err := b.ExUserData(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/sh\n", string(ud))

	now = now.Add(3 * time.Second)
	got, err := b.GetNode(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, types.NodeStateStopped, got.State, "the transition goes on after loading")
	n2, err := b.CreateNode(ctx, &compute.CreateNodeRequest{Name: "web2", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}})
	require.NoError(t, err)
	assert.Equal(t, "2", n2.ID, "ids go on after the saved ones")
	assert.Error(t, b.DeleteImage(ctx, "1"), "built-in images stay undeletable")
}

func TestLoadStateRefusesOtherDocuments(t *testing.T) {
	d := dummy.New(nil)
	for _, doc := range []string{"", "{", `{"version": 2}`, `{"version": 1, "nodes": [{"node": {"name": "x"}}]}`, `{"version": 1, "extra": 1}`} {
		err := d.ExLoadState(strings.NewReader(doc))
		assert.ErrorIs(t, err, compute.ErrInvalidArgument, "%q", doc)
	}
	nodes, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	assert.Len(t, nodes, dummy.DefaultNodes, "a refused document changes nothing")
}
