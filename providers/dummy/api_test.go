package dummy_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
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

func req(name string) *compute.CreateNodeRequest {
	return &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}}
}

func TestDriver_CatalogueProvidersAndVCPUs(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(nil)
	sizes, err := d.ListSizes(ctx, nil)
	require.NoError(t, err)
	var vcpus []int
	for _, s := range sizes {
		vcpus = append(vcpus, s.VCPUs)
	}
	assert.Equal(t, []int{1, 1, 2, 4}, vcpus)
	locs, err := d.ListLocations(ctx)
	require.NoError(t, err)
	for _, l := range locs {
		assert.Equal(t, types.ProviderDummy, l.Provider, "location %s", l.ID)
	}
	kp, err := d.CreateKeyPair(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "k", kp.ID)
	assert.Equal(t, types.ProviderDummy, kp.Provider)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", kp, kp, kp), "PRIVATE KEY")
	v, err := d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "v", Size: 1})
	require.NoError(t, err)
	s, err := d.CreateVolumeSnapshot(ctx, v.ID, "s")
	require.NoError(t, err)
	assert.Equal(t, types.ProviderDummy, s.Provider)
}

func TestDriver_CreateNodePortableFields(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: -1})
	r := req("web")
	r.UserData = []byte("#cloud-config\n\x00\xff binary too")
	r.Tags = map[string]string{"role": "web", "env": "test"}
	r.Networks = []string{"net-a", "net-b"}
	r.SecurityGroups = []string{"default"}
	n, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, r.Tags, n.Tags)
	assert.Equal(t, []string{"net-a", "net-b"}, n.Extra["networks"])
	assert.Equal(t, []string{"default"}, n.Extra["security_groups"])
	assert.NotContains(t, n.Extra, "user_data", "user data may hold secrets: not in Extra")
	r.UserData[0], r.Tags["role"], r.Networks[0] = 'X', "changed", "changed"
	n.Extra["networks"].([]string)[1] = "changed"
	n.Tags["env"] = "changed"

	got, err := d.GetNode(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "web", "env": "test"}, got.Tags, "the driver keeps its own copy")
	assert.Equal(t, []string{"net-a", "net-b"}, got.Extra["networks"])
	ud, err := d.ExUserData(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, []byte("#cloud-config\n\x00\xff binary too"), ud)
	_, err = d.ExUserData(ctx, "99")
	requireKind(t, err, compute.ErrNotFound, "99")

	big := req("big")
	big.UserData = bytes.Repeat([]byte("a"), dummy.MaxUserData+1)
	_, err = d.CreateNode(ctx, big)
	requireKind(t, err, compute.ErrInvalidArgument, "")
	assert.Contains(t, err.Error(), fmt.Sprint(dummy.MaxUserData))
	big.UserData = big.UserData[:dummy.MaxUserData]
	_, err = d.CreateNode(ctx, big)
	require.NoError(t, err, "exactly MaxUserData bytes are accepted")

	for what, change := range map[string]func(*compute.CreateNodeRequest){
		"empty tag key": func(r *compute.CreateNodeRequest) { r.Tags = map[string]string{"": "x"} },
		"empty network": func(r *compute.CreateNodeRequest) { r.Networks = []string{""} },
		"empty group":   func(r *compute.CreateNodeRequest) { r.SecurityGroups = []string{" "} },
		"foreign opts":  func(r *compute.CreateNodeRequest) { r.ProviderOptions = struct{}{} },
	} {
		t.Run(what, func(t *testing.T) {
			r := req("bad")
			change(r)
			_, err := d.CreateNode(ctx, r)
			requireKind(t, err, compute.ErrInvalidArgument, "")
		})
	}
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Len(t, nodes, 2, "rejected creates leave nothing")
}

func TestDriver_IdempotencyKey(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: -1})
	r := req("web")
	r.IdempotencyKey = "token-1"
	first, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	again, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "a resend with the same key returns the same node")

	other := req("db")
	other.IdempotencyKey = "token-1"
	_, err = d.CreateNode(ctx, other)
	requireKind(t, err, compute.ErrConflict, first.ID)

	// Concurrent resends start one node.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			r := req("par")
			r.IdempotencyKey = "token-2"
			r.Auth = compute.NodeAuthSSHKey(testKey(t))
			n, err := d.CreateNode(ctx, r)
			if assert.NoError(t, err) {
				ids[i] = n.ID
			}
		})
	}
	wg.Wait()
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ids))), 1, "ids %v", ids)
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Len(t, nodes, 2)

	require.NoError(t, d.DestroyNode(ctx, first.ID))
	_, err = d.CreateNode(ctx, r)
	requireKind(t, err, compute.ErrConflict, first.ID)
	r.IdempotencyKey = ""
	a, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	b, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID, "without a key every create is a new node")
}

var (
	keyOnce sync.Once
	keyText string
)

// testKey returns one fresh Ed25519 public key per test binary.
func testKey(t *testing.T) string {
	keyOnce.Do(func() {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		p, err := ssh.NewPublicKey(pub)
		if err != nil {
			panic(err)
		}
		keyText = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(p)))
	})
	return keyText
}

func TestDriver_SSHKeyReuse(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: -1})
	key := testKey(t)
	_, err := d.ImportKeyPair(ctx, "laptop", key+" me@laptop")
	require.NoError(t, err)
	r := req("web")
	r.Auth = compute.NodeAuthSSHKey(key + " other-comment")
	n, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, "laptop", n.Extra["key_name"], "the key imported as laptop is reused")
	pairs, err := d.ListKeyPairs(ctx)
	require.NoError(t, err)
	assert.Len(t, pairs, 1)

	require.NoError(t, d.DeleteKeyPair(ctx, "laptop"))
	n1, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	n2, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	want, err := compute.SSHKeyPairName(key)
	require.NoError(t, err)
	assert.Equal(t, want, n1.Extra["key_name"])
	assert.Equal(t, want, n2.Extra["key_name"])
	pairs, err = d.ListKeyPairs(ctx)
	require.NoError(t, err)
	require.Len(t, pairs, 1, "the key stays registered once, after the nodes")
	require.NoError(t, d.DestroyNode(ctx, n1.ID))
	_, err = d.GetKeyPair(ctx, want)
	require.NoError(t, err, "the registered key pair stays behind")

	d.ExFailNext("ListKeyPairs", compute.ErrPermissionDenied)
	_, err = d.CreateNode(ctx, r)
	requireKind(t, err, compute.ErrPermissionDenied, "")
}

func TestDriver_ResizeNode(t *testing.T) {
	ctx := t.Context()
	now := time.Unix(0, 0)
	var mu sync.Mutex
	d := dummy.New(&dummy.Options{Nodes: 1, TransitionDelay: time.Second, Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	n, err := d.ResizeNode(ctx, "1", &compute.Size{ID: "3"})
	require.NoError(t, err)
	assert.Equal(t, "3", n.Size.ID)
	assert.Equal(t, 2, n.Size.VCPUs)
	assert.Equal(t, types.NodeStateRunning, n.State)
	got, err := d.GetNode(ctx, "1")
	require.NoError(t, err)
	assert.Equal(t, "Big", got.Size.Name)

	_, err = d.ResizeNode(ctx, "1", &compute.Size{ID: "9"})
	requireKind(t, err, compute.ErrInvalidArgument, "9")
	_, err = d.ResizeNode(ctx, "1", nil)
	requireKind(t, err, compute.ErrInvalidArgument, "")
	_, err = d.ResizeNode(ctx, "7", &compute.Size{ID: "1"})
	requireKind(t, err, compute.ErrNotFound, "7")
	require.NoError(t, d.StopNode(ctx, "1"))
	_, err = d.ResizeNode(ctx, "1", &compute.Size{ID: "1"})
	requireKind(t, err, compute.ErrConflict, "1")
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	n, err = d.ResizeNode(ctx, "1", &compute.Size{ID: "1"})
	require.NoError(t, err, "a stopped node can be resized")
	assert.Equal(t, types.NodeStateStopped, n.State)
}

func TestDriver_IterNodes(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: 2*dummy.NodesPageSize + 7})
	r := req("tagged")
	r.Tags = map[string]string{"role": "db"}
	tagged, err := d.CreateNode(ctx, r)
	require.NoError(t, err)
	require.NoError(t, d.StopNode(ctx, "5"))
	require.NoError(t, d.DestroyNode(ctx, "150"))

	collect := func(f *compute.NodeFilter) []string {
		var ids []string
		for n, err := range d.IterNodes(ctx, f) {
			require.NoError(t, err)
			ids = append(ids, n.ID)
		}
		return ids
	}
	listed, err := d.ListNodes(ctx)
	require.NoError(t, err)
	var want []string
	for _, n := range listed {
		want = append(want, n.ID)
	}
	assert.Equal(t, want, collect(nil), "IterNodes yields what ListNodes gives, in order")
	assert.Equal(t, []string{"5"}, collect(&compute.NodeFilter{States: []types.NodeState{types.NodeStateStopped}}))
	assert.Equal(t, []string{"77"}, collect(&compute.NodeFilter{Name: "dummy-77"}))
	assert.Equal(t, []string{tagged.ID}, collect(&compute.NodeFilter{Tags: map[string]string{"role": "db"}}))
	assert.Empty(t, collect(&compute.NodeFilter{Tags: map[string]string{"role": "web"}}))

	count := 0
	for range d.IterNodes(ctx, nil) {
		if count++; count == 3 {
			break
		}
	}
	assert.Equal(t, 3, count, "stopping early is allowed")

	d.ExFailNext("IterNodes", compute.ErrUnavailable)
	var errs []error
	for n, err := range d.IterNodes(ctx, nil) {
		assert.Nil(t, n)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	requireKind(t, errs[0], compute.ErrUnavailable, "")
}

func TestDriver_GetNodes(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: 3})
	nodes, err := d.GetNodes(ctx, []string{"3", "nope", "1", "3"})
	require.NoError(t, err)
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	assert.Equal(t, []string{"3", "1"}, ids)
	nodes, err = d.GetNodes(ctx, nil)
	require.NoError(t, err)
	assert.NotNil(t, nodes)
	assert.Empty(t, nodes)
}

func TestDriver_ThrottleEvery(t *testing.T) {
	ctx := t.Context()
	d := dummy.New(&dummy.Options{Nodes: -1, ThrottleEvery: 2})
	var throttled int
	for range 6 {
		_, err := d.ListNodes(ctx)
		if err != nil {
			requireKind(t, err, compute.ErrThrottled, "")
			assert.False(t, errors.Is(err, compute.ErrUnavailable))
			throttled++
		}
	}
	assert.Equal(t, 3, throttled)

	// A throttled create did nothing; waits poll through throttling.
	var n *compute.Node
	for n == nil {
		var err error
		n, err = d.CreateNode(ctx, req("web"))
		if err != nil {
			requireKind(t, err, compute.ErrThrottled, "")
		}
	}
	running, err := compute.WaitUntilRunning(ctx, d, []*compute.Node{n}, &compute.WaitOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, n.ID, running[0].Node.ID)
	var all []*compute.Node
	for all == nil {
		all, _ = d.ListNodes(ctx)
	}
	assert.Len(t, all, 1, "throttled creates made no node")
}

func TestFactory_ProviderOptions(t *testing.T) {
	ctx := t.Context()
	opts := &dummy.Options{Nodes: 4, ThrottleEvery: 1000}
	d, err := dummy.Factory(compute.Config{ProviderOptions: opts})
	require.NoError(t, err)
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Len(t, nodes, 4)
	assert.Equal(t, 4, opts.Nodes, "the caller's options are not changed")

	d, err = dummy.Factory(compute.Config{ProviderOptions: opts, Options: map[string]any{"nodes": 1, "throttle_every": "1"}})
	require.NoError(t, err)
	_, err = d.ListNodes(ctx)
	requireKind(t, err, compute.ErrThrottled, "")

	d, err = dummy.Factory(compute.Config{ProviderOptions: map[string]any{"nodes": 3}})
	require.NoError(t, err)
	nodes, err = d.ListNodes(ctx)
	require.NoError(t, err)
	assert.Len(t, nodes, 3)

	for name, cfg := range map[string]compute.Config{
		"foreign type":   {ProviderOptions: &compute.WaitOptions{}},
		"bad throttle":   {Options: map[string]any{"throttle_every": -1}},
		"bad typed opts": {ProviderOptions: &dummy.Options{SSHPort: -4}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := dummy.Factory(cfg)
			requireKind(t, err, compute.ErrInvalidArgument, "")
		})
	}
	_, err = dummy.Factory(compute.Config{ProviderOptions: 42})
	assert.Contains(t, err.Error(), "*dummy.Options")
}
