package dummy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// requireKind checks err is a dummy *compute.Error of the kind, naming id.
func requireKind(t *testing.T, err error, kind error, id string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, kind)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, types.ProviderDummy, ce.Provider)
	if id != "" {
		assert.Contains(t, err.Error(), id)
	}
}

func TestNew_LibcloudCatalogue(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	images, err := d.ListImages(ctx, nil)
	require.NoError(t, err)
	var got []string
	for _, i := range images {
		got = append(got, i.ID+" "+i.Name)
	}
	assert.Equal(t, []string{"1 Ubuntu 9.10", "2 Ubuntu 9.04", "3 Slackware 4"}, got)

	sizes, err := d.ListSizes(ctx, nil)
	require.NoError(t, err)
	type sz struct {
		id, name      string
		ram, disk, bw int
		price         float64
	}
	var gotSizes []sz
	for _, s := range sizes {
		gotSizes = append(gotSizes, sz{s.ID, s.Name, s.RAM, s.Disk, s.Bandwidth, s.Price})
	}
	assert.Equal(t, []sz{
		{"1", "Small", 128, 4, 500, 4},
		{"2", "Medium", 512, 16, 1500, 8},
		{"3", "Big", 4096, 32, 2500, 32},
		{"4", "XXL Big", 8192, 128, 7500, 64},
	}, gotSizes)

	locs, err := d.ListLocations(ctx)
	require.NoError(t, err)
	got = nil
	for _, l := range locs {
		got = append(got, l.ID+" "+l.Name+" "+l.Country)
	}
	assert.Equal(t, []string{"1 Paul's Room US", "2 London Loft GB", "3 Island Datacenter FJ"}, got)
}

func TestNew_InitialNodes(t *testing.T) {
	ctx := t.Context()
	nodes, err := dummy.New(nil).ListNodes(ctx)
	require.NoError(t, err)
	require.Len(t, nodes, 2)
	for i, n := range nodes {
		id := []string{"1", "2"}[i]
		assert.Equal(t, id, n.ID)
		assert.Equal(t, "dummy-"+id, n.Name)
		assert.Equal(t, types.NodeStateRunning, n.State)
		assert.Equal(t, []string{"127.0.0." + id}, n.PublicIPs)
		assert.Equal(t, []string{"10.0.0." + id}, n.PrivateIPs)
		assert.Equal(t, "bar", n.Extra["foo"])
		assert.Equal(t, 22, n.Extra["ssh_port"])
	}

	nodes, err = dummy.New(&dummy.Options{Nodes: 300, PublicIP: "127.0.0.1", SSHPort: 2222}).ListNodes(ctx)
	require.NoError(t, err)
	require.Len(t, nodes, 300)
	assert.Equal(t, "300", nodes[299].ID)
	assert.Equal(t, []string{"127.0.0.1"}, nodes[299].PublicIPs)
	assert.Equal(t, []string{"10.0.1.44"}, nodes[299].PrivateIPs)
	assert.Equal(t, 2222, nodes[299].Extra["ssh_port"])

	nodes, err = dummy.New(&dummy.Options{Nodes: -1}).ListNodes(ctx)
	require.NoError(t, err)
	assert.NotNil(t, nodes)
	assert.Empty(t, nodes)
}

func TestDriver_IDsNeverReused(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	n3 := createNode(t, d, "a")
	n4 := createNode(t, d, "b")
	require.NoError(t, d.DestroyNode(ctx, n4.ID))
	require.NoError(t, d.DestroyNode(ctx, n3.ID))
	n5 := createNode(t, d, "c")
	assert.Equal(t, []string{"3", "4", "5"}, []string{n3.ID, n4.ID, n5.ID})
	assert.Equal(t, "aef321fde331680846014b121ff377dcb8477731", n3.UUID())
	assert.Equal(t, "127.0.0.5", n5.PublicIPs[0])
}

func createNode(t *testing.T, d *dummy.Driver, name string) *compute.Node {
	t.Helper()
	n, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{
		Name: name, Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"},
	})
	require.NoError(t, err)
	return n
}

func TestDriver_CreateNodeHonoursRequest(t *testing.T) {
	ctx := t.Context()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d := dummy.New(&dummy.Options{Now: func() time.Time { return now }})
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
		Name: "web", Image: &compute.Image{ID: "3"}, Size: &compute.Size{ID: "4"}, Location: &compute.Location{ID: "3"},
		Auth:            compute.NodeAuthSSHKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFISbH9Hm6aiZewZLn+SuXVFtVHlfkA7M+QkfR75G0cB"),
		ProviderOptions: &dummy.CreateNodeOptions{Extra: map[string]any{"role": "web"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "web", n.Name)
	assert.Equal(t, "Slackware 4", n.Image.Name)
	assert.Equal(t, "XXL Big", n.Size.Name)
	assert.Equal(t, "Island Datacenter", n.Location.Name)
	assert.Equal(t, now, n.CreatedAt)
	assert.Equal(t, "web", n.Extra["role"])
	assert.Equal(t, types.ProviderDummy, n.Provider)

	n, err = d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "x", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}})
	require.NoError(t, err)
	assert.Equal(t, "1", n.Location.ID, "a nil location means the first")
}

func TestDriver_CreateNodeRejectsBadRequests(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	ok := func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Name: "n", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}}
	}
	for name, change := range map[string]func(*compute.CreateNodeRequest){
		"unknown image":    func(r *compute.CreateNodeRequest) { r.Image.ID = "9" },
		"unknown size":     func(r *compute.CreateNodeRequest) { r.Size.ID = "9" },
		"unknown location": func(r *compute.CreateNodeRequest) { r.Location = &compute.Location{ID: "9"} },
		"blank name":       func(r *compute.CreateNodeRequest) { r.Name = "  " },
		"bad ssh key":      func(r *compute.CreateNodeRequest) { r.Auth = compute.NodeAuthSSHKey("ssh-rsa nope") },
		"foreign options":  func(r *compute.CreateNodeRequest) { r.ProviderOptions = struct{}{} },
	} {
		t.Run(name, func(t *testing.T) {
			r := ok()
			change(r)
			_, err := d.CreateNode(ctx, r)
			requireKind(t, err, compute.ErrInvalidArgument, "")
		})
	}
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Len(t, nodes, 2, "rejected requests create nothing")
	n := createNode(t, d, "next")
	assert.Equal(t, "3", n.ID, "rejected requests use no id")
}

// clock is a fake clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestDriver_TransitionsFollowTheClock(t *testing.T) {
	ctx := t.Context()
	c := &clock{now: time.Unix(1e9, 0)}
	d := dummy.New(&dummy.Options{TransitionDelay: time.Minute, Now: c.Now})
	state := func(id string) types.NodeState {
		t.Helper()
		n, err := d.GetNode(ctx, id)
		require.NoError(t, err)
		return n.State
	}
	n := createNode(t, d, "n")
	assert.Equal(t, types.NodeStatePending, n.State)
	requireKind(t, d.RebootNode(ctx, n.ID), compute.ErrConflict, n.ID)
	c.Advance(59 * time.Second)
	assert.Equal(t, types.NodeStatePending, state(n.ID))
	c.Advance(time.Second)
	assert.Equal(t, types.NodeStateRunning, state(n.ID))

	steps := []struct {
		op      func(context.Context, string) error
		via, to types.NodeState
	}{
		{d.RebootNode, types.NodeStateRebooting, types.NodeStateRunning},
		{d.StopNode, types.NodeStateStopping, types.NodeStateStopped},
		{d.StartNode, types.NodeStateStarting, types.NodeStateRunning},
	}
	for _, s := range steps {
		require.NoError(t, s.op(ctx, n.ID))
		assert.Equal(t, s.via, state(n.ID))
		requireKind(t, d.StopNode(ctx, n.ID), compute.ErrConflict, n.ID)
		c.Advance(time.Minute)
		assert.Equal(t, s.to, state(n.ID))
	}
	requireKind(t, d.StartNode(ctx, n.ID), compute.ErrConflict, n.ID)
	require.NoError(t, d.StopNode(ctx, n.ID))
	c.Advance(time.Minute)
	requireKind(t, d.RebootNode(ctx, n.ID), compute.ErrConflict, n.ID)
	requireKind(t, d.StopNode(ctx, n.ID), compute.ErrConflict, n.ID)

	require.NoError(t, d.DestroyNode(ctx, n.ID))
	_, err := d.GetNode(ctx, n.ID)
	requireKind(t, err, compute.ErrNotFound, n.ID)
	requireKind(t, d.DestroyNode(ctx, n.ID), compute.ErrNotFound, n.ID)
}

func TestDriver_WaitUntilRunningOnDelayedNodes(t *testing.T) {
	d := dummy.New(&dummy.Options{TransitionDelay: 5 * time.Millisecond})
	n := createNode(t, d, "n")
	got, err := compute.WaitUntilRunning(t.Context(), d, []*compute.Node{n},
		&compute.WaitOptions{Interval: time.Millisecond, Interface: compute.PrivateIPs})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, types.NodeStateRunning, got[0].Node.State)
	assert.Equal(t, []string{"10.0.0.3"}, got[0].Addresses)
}

func TestDriver_ContextComesFirst(t *testing.T) {
	d := dummy.New(nil)
	d.ExFailNext("GetNode", compute.ErrInternal)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := d.GetNode(ctx, "1")
	assert.Same(t, context.Canceled, err, "a done context's error is returned unchanged")
	_, err = d.GetNode(t.Context(), "1")
	requireKind(t, err, compute.ErrInternal, "")
	_, err = d.GetNode(t.Context(), "1")
	assert.NoError(t, err, "one injected failure, one failed call")
}

func TestDriver_ExSetNodeState(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	require.NoError(t, d.ExSetNodeState(ctx, "1", types.NodeStateSuspended))
	n, err := d.GetNode(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, types.NodeStateSuspended, n.State)
	requireKind(t, d.ExSetNodeState(ctx, "1", "sleepy"), compute.ErrInvalidArgument, "")
	requireKind(t, d.ExSetNodeState(ctx, "9", types.NodeStateRunning), compute.ErrNotFound, "9")
}

func TestDriver_Volumes(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	vol := func(name string, size int, loc string) *compute.Volume {
		t.Helper()
		v, err := d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: name, Size: size, Location: &compute.Location{ID: loc}})
		require.NoError(t, err)
		return v
	}
	a, b, far := vol("a", 10, "1"), vol("b", 20, "1"), vol("far", 1, "2")
	assert.Equal(t, []string{"vol-1", "vol-2", "vol-3"}, []string{a.ID, b.ID, far.ID})
	assert.Equal(t, types.VolumeStateAvailable, a.State)

	require.NoError(t, d.AttachVolume(ctx, a.ID, "1", ""))
	require.NoError(t, d.AttachVolume(ctx, b.ID, "1", ""))
	requireKind(t, d.AttachVolume(ctx, far.ID, "1", ""), compute.ErrInvalidArgument, far.ID)
	requireKind(t, d.AttachVolume(ctx, far.ID, "9", ""), compute.ErrNotFound, "9")
	vols, err := d.ListVolumes(ctx)
	require.NoError(t, err)
	assert.Equal(t, "/dev/vdb", vols[0].Extra["device"])
	assert.Equal(t, "/dev/vdc", vols[1].Extra["device"])
	assert.Equal(t, types.VolumeStateInUse, vols[1].State)
	requireKind(t, d.DestroyVolume(ctx, a.ID), compute.ErrConflict, a.ID)

	// Destroying the node detaches its volumes.
	require.NoError(t, d.DestroyNode(ctx, "1"))
	vols, err = d.ListVolumes(ctx)
	require.NoError(t, err)
	for _, v := range vols {
		assert.Empty(t, v.NodeID)
		assert.Equal(t, types.VolumeStateAvailable, v.State)
		assert.Nil(t, v.Extra["device"])
	}

	got, err := d.ResizeVolume(ctx, a.ID, 15)
	require.NoError(t, err)
	assert.Equal(t, 15, got.Size)
	_, err = d.ResizeVolume(ctx, a.ID, 14)
	requireKind(t, err, compute.ErrInvalidArgument, a.ID)

	s, err := d.CreateVolumeSnapshot(ctx, a.ID, "")
	require.NoError(t, err)
	assert.Equal(t, "snap-1", s.ID)
	assert.Equal(t, "a-snap-1", s.Name)
	assert.Equal(t, 15, s.Size)
	require.NoError(t, d.DestroyVolume(ctx, a.ID))
	snaps, err := d.ListVolumeSnapshots(ctx, "")
	require.NoError(t, err)
	assert.Len(t, snaps, 1, "snapshots outlive their volume")

	from, err := d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "restored", SnapshotID: s.ID})
	require.NoError(t, err)
	assert.Equal(t, 15, from.Size)
	assert.Equal(t, "1", from.Extra["location_id"], "the snapshot's location")
	_, err = d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "small", SnapshotID: s.ID, Size: 10})
	requireKind(t, err, compute.ErrInvalidArgument, "")
	_, err = d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "huge", Size: dummy.MaxVolumeSize + 1})
	requireKind(t, err, compute.ErrInvalidArgument, "")
}

func TestDriver_KeyPairs(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	k, err := d.CreateKeyPair(ctx, "ed")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(k.PrivateKey, "-----BEGIN OPENSSH PRIVATE KEY-----"))
	signer, err := ssh.ParsePrivateKey([]byte(k.PrivateKey))
	require.NoError(t, err)
	assert.Equal(t, ssh.KeyAlgoED25519, signer.PublicKey().Type())
	assert.Equal(t, ssh.FingerprintSHA256(signer.PublicKey()), k.Fingerprint)
	assert.Equal(t, ssh.FingerprintLegacyMD5(signer.PublicKey()), k.Extra["fingerprint_md5"])

	imported, err := d.ImportKeyPair(ctx, "imp",
		`no-pty,command="true" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFISbH9Hm6aiZewZLn+SuXVFtVHlfkA7M+QkfR75G0cB me@host`)
	require.NoError(t, err)
	assert.Equal(t, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFISbH9Hm6aiZewZLn+SuXVFtVHlfkA7M+QkfR75G0cB me@host", imported.PublicKey)
	assert.Equal(t, "SHA256:m4G/E7xq8TRmb7atidLabZxkyFqDjmtYpJ4/7X4jhyo", imported.Fingerprint)

	_, err = d.ImportKeyPair(ctx, "two", imported.PublicKey+"\n"+imported.PublicKey)
	requireKind(t, err, compute.ErrInvalidArgument, "two")
	_, err = d.ImportKeyPair(ctx, "imp", imported.PublicKey)
	requireKind(t, err, compute.ErrAlreadyExists, "imp")

	list, err := d.ListKeyPairs(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "ed", list[0].Name)
	assert.Empty(t, list[0].PrivateKey)

	_, err = d.ExCreateKeyPair(ctx, "weak", &dummy.KeyPairOptions{Type: dummy.KeyTypeRSA, Bits: 1024})
	requireKind(t, err, compute.ErrInvalidArgument, "weak")
	_, err = d.ExCreateKeyPair(ctx, "dsa", &dummy.KeyPairOptions{Type: "dsa"})
	requireKind(t, err, compute.ErrInvalidArgument, "dsa")
	_, err = dummy.New(&dummy.Options{KeyType: "dsa"}).CreateKeyPair(ctx, "k")
	requireKind(t, err, compute.ErrInvalidArgument, "k")
}

func TestDriver_KeyPairsConcurrentSameName(t *testing.T) {
	d := dummy.New(nil)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = d.CreateKeyPair(t.Context(), "same") })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, compute.ErrAlreadyExists)
		}
	}
	assert.Equal(t, 1, ok, "exactly one create of a name wins")
}

func TestDriver_Images(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	img, err := d.CreateImage(ctx, "1", "golden", "from dummy-1")
	require.NoError(t, err)
	assert.Equal(t, "4", img.ID)
	assert.Equal(t, "from dummy-1", img.Extra["description"])
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "g", Image: img, Size: &compute.Size{ID: "1"}})
	require.NoError(t, err)
	require.NoError(t, d.DeleteImage(ctx, img.ID))
	got, err := d.GetNode(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, "golden", got.Image.Name, "nodes keep their copy of a deleted image")
	requireKind(t, d.DeleteImage(ctx, "1"), compute.ErrPermissionDenied, "1")
	requireKind(t, d.DeleteImage(ctx, img.ID), compute.ErrNotFound, img.ID)
	img, err = d.CreateImage(ctx, "1", "again", "")
	require.NoError(t, err)
	assert.Equal(t, "5", img.ID, "image ids are not reused")
}

func TestFactory(t *testing.T) {
	ctx := t.Context()
	count := func(cfg compute.Config) int {
		t.Helper()
		d, err := dummy.Factory(cfg)
		require.NoError(t, err)
		nodes, err := d.ListNodes(ctx)
		require.NoError(t, err)
		return len(nodes)
	}
	assert.Equal(t, 2, count(compute.Config{}))
	assert.Equal(t, 5, count(compute.Config{Key: "5"}), "a numeric Key is Libcloud's node count")
	assert.Equal(t, 2, count(compute.Config{Key: "secret-key"}))
	assert.Equal(t, 3, count(compute.Config{Key: "5", Options: map[string]any{"nodes": "3"}}))
	assert.Equal(t, 0, count(compute.Config{Options: map[string]any{"NODES": -1}}))

	d, err := dummy.Factory(compute.Config{Options: map[string]any{
		"public_ip": "127.0.0.1", "ssh_port": "2022", "transition_delay": "1h", "key_type": "RSA", "rsa_bits": 3072,
	}})
	require.NoError(t, err)
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "n", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}})
	require.NoError(t, err)
	assert.Equal(t, types.NodeStatePending, n.State)
	assert.Equal(t, []string{"127.0.0.1"}, n.PublicIPs)
	assert.Equal(t, 2022, n.Extra["ssh_port"])

	for name, opts := range map[string]map[string]any{
		"unknown key":  {"flavour": "x"},
		"bad ip":       {"public_ip": "localhost"},
		"bad port":     {"ssh_port": 70000},
		"bad delay":    {"transition_delay": "soon"},
		"neg delay":    {"transition_delay": "-1s"},
		"bad key type": {"key_type": "dsa"},
		"small rsa":    {"key_type": "rsa", "rsa_bits": 1024},
		"bad nodes":    {"nodes": "many"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := dummy.Factory(compute.Config{Options: opts})
			requireKind(t, err, compute.ErrInvalidArgument, "")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
	_, err = dummy.Factory(compute.Config{Options: map[string]any{"flavour": "x"}})
	assert.Contains(t, err.Error(), "flavour")
	assert.Contains(t, err.Error(), "transition_delay")
}

func TestDriver_ErrorsAreTyped(t *testing.T) {
	d := dummy.New(nil)
	_, err := d.GetKeyPair(t.Context(), "nope")
	requireKind(t, err, compute.ErrNotFound, "nope")
	assert.Equal(t, `compute: dummy: GetKeyPair "nope": not found: no key pair named "nope"`, err.Error())
	assert.True(t, errors.Is(d.DetachVolume(t.Context(), "vol-9"), compute.ErrNotFound))
}
