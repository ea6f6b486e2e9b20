package cloudstack_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/types"
)

// The portable API's new calls in the spec parameter table.
var _ = addSpecCases(
	specCase{"ResizeNode", func(c *specCall) error {
		return errOnly(c.d.ResizeNode(c.ctx, c.stoppedNode().ID, simSize(c.t, c.setup, cloudstacksim.OfferingMedium)))
	}},
	specCase{"ResizeNode", func(c *specCall) error {
		return errOnly(c.d.ResizeNode(c.ctx, c.newNode().ID, simSize(c.t, c.setup, cloudstacksim.OfferingSmall)))
	}},
	specCase{"IterNodes", func(c *specCall) error {
		c.node()
		return iterErr(c.d.IterNodes(c.ctx, &compute.NodeFilter{Name: "x", States: []types.NodeState{types.NodeStateRunning},
			Tags: map[string]string{"a": "b"}}))
	}},
	specCase{"GetNodes", func(c *specCall) error { return errOnly(c.d.GetNodes(c.ctx, []string{c.node().ID, specUUID})) }},
	specCase{"CreateNode", func(c *specCall) error {
		return errOnly(c.d.CreateNode(c.ctx, &compute.CreateNodeRequest{Name: c.name("vm"), Image: c.image(), Size: c.size(),
			Location: c.zone(cloudstacksim.ZoneName1), UserData: []byte("#!/bin/sh\n"), Tags: map[string]string{"env": "spec"},
			SecurityGroups: []string{"default"}}))
	}},
)

// simSize returns the seeded offering named name.
func simSize(t testing.TB, d *cloudstack.Driver, name string) *compute.Size {
	t.Helper()
	sizes, err := d.ListSizes(context.Background(), nil)
	require.NoError(t, err)
	for _, s := range sizes {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no size %s", name)
	return nil
}

// portableSim is a simulator, a user's driver on it and its catalogue.
type portableSim struct {
	sim               *cloudstacksim.Server
	d                 *cloudstack.Driver
	image, size, zone string
}

func newPortableSim(t *testing.T) *portableSim {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.UserCredentials())
	image, size, zone := catalogue(t, d)
	return &portableSim{sim: sim, d: d, image: image, size: size, zone: zone}
}

func (p *portableSim) request(name string) *compute.CreateNodeRequest {
	return &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: p.image}, Size: &compute.Size{ID: p.size},
		Location: &compute.Location{ID: p.zone}}
}

func TestSim_CreateNodePortableFields(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	req := s.request("web1")
	req.UserData = []byte("#cloud-config\nruncmd: [echo hi]\n")
	req.Tags = map[string]string{"env": "prod", "team": "web"}
	req.SecurityGroups = []string{"default"}
	n, err := s.d.CreateNode(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, req.Tags, n.Tags, "CreateNode reports the tags it set")
	assert.Equal(t, 1, n.Size.VCPUs)

	got, err := s.d.GetNode(ctx, n.ID)
	require.NoError(t, err)
	assert.Equal(t, req.Tags, got.Tags, "the VM carries the tags")
	assert.Equal(t, []string{"default"}, got.Extra["security_group"])
	vm := got.Extra["virtualmachine"].(*cloudstack.VirtualMachine)
	assert.Equal(t, 1, vm.CPUNumber)

	// The user data round-trips (listVirtualMachines userdata=true).
	vms, err := s.d.ExListNodes(ctx, &cloudstack.ListNodesOptions{Name: "web1", Params: map[string][]string{"userdata": {"true"}}})
	require.NoError(t, err)
	require.Len(t, vms, 1)
	assert.Equal(t, "I2Nsb3VkLWNvbmZpZwpydW5jbWQ6IFtlY2hvIGhpXQo=", vms[0].Extra["virtualmachine"].(*cloudstack.VirtualMachine).UserData)
}

func TestSim_CreateNodeUserDataLimit(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	// 24576 bytes are 32768 base64 characters: the server's default limit.
	req := s.request("big")
	req.UserData = []byte(strings.Repeat("x", 24576))
	_, err := s.d.CreateNode(ctx, req)
	require.NoError(t, err, "the largest user data the server takes")

	s.sim.ResetRequestCounts()
	req = s.request("bigger")
	req.UserData = []byte(strings.Repeat("x", 24577))
	_, err = s.d.CreateNode(ctx, req)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "24577 bytes, over the cloudstack limit of 24576 bytes")
	assert.Zero(t, s.sim.RequestCount("deployVirtualMachine"), "refused before sending")

	req.UserData = []byte("a")
	req.ProviderOptions = &cloudstack.CreateNodeOptions{UserData: "b"}
	_, err = s.d.CreateNode(ctx, req)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "not both")

	// CreateNodeOptions.UserData is held to the same limit.
	req.UserData = nil
	req.ProviderOptions = &cloudstack.CreateNodeOptions{UserData: strings.Repeat("x", 24577)}
	_, err = s.d.CreateNode(ctx, req)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Zero(t, s.sim.RequestCount("deployVirtualMachine"))
}

func TestSim_CreateNodeBadRequests(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	for name, mod := range map[string]func(*compute.CreateNodeRequest){
		"mixed security groups": func(r *compute.CreateNodeRequest) {
			r.SecurityGroups = []string{"default", "0f5d3c9e-8d3a-4f0e-9a51-0d7c2d3e4f5a"}
		},
		"networks twice": func(r *compute.CreateNodeRequest) {
			r.Networks = []string{"a"}
			r.ProviderOptions = &cloudstack.CreateNodeOptions{NetworkIDs: []string{"b"}}
		},
		"empty tag key":   func(r *compute.CreateNodeRequest) { r.Tags = map[string]string{"": "v"} },
		"wrong options":   func(r *compute.CreateNodeRequest) { r.ProviderOptions = 42 },
		"no size":         func(r *compute.CreateNodeRequest) { r.Size = nil },
		"blank network":   func(r *compute.CreateNodeRequest) { r.Networks = []string{" "} },
		"password":        func(r *compute.CreateNodeRequest) { r.Auth = compute.NodeAuthPassword("secret") },
		"unparsable key":  func(r *compute.CreateNodeRequest) { r.Auth = compute.NodeAuthSSHKey("ssh-rsa nope") },
		"negative disk":   func(r *compute.CreateNodeRequest) { r.ProviderOptions = cloudstack.CreateNodeOptions{DiskSize: -1} },
		"no image at all": func(r *compute.CreateNodeRequest) { r.Image = &compute.Image{} },
	} {
		t.Run(name, func(t *testing.T) {
			req := s.request("bad")
			mod(req)
			_, err := s.d.CreateNode(ctx, req)
			require.Error(t, err)
			if name == "password" {
				assert.ErrorIs(t, err, compute.ErrNotSupported)
				assert.NotContains(t, err.Error(), "secret")
			} else {
				assert.ErrorIs(t, err, compute.ErrInvalidArgument)
			}
		})
	}
	assert.Zero(t, s.sim.RequestCount("deployVirtualMachine"))
}

func TestSim_CreateNodeNetworksAndGroupIDs(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.UserCredentials())
	ids := lookupSimIDs(t, d)
	ctx := t.Context()
	nets, err := d.ExListNetworks(ctx, &cloudstack.ListNetworksOptions{ZoneID: ids.zone2})
	require.NoError(t, err)
	require.NotEmpty(t, nets)
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "net1", Image: &compute.Image{ID: ids.image},
		Size: &compute.Size{ID: ids.size}, Location: &compute.Location{ID: ids.zone2}, Networks: []string{nets[0].ID}})
	require.NoError(t, err)
	vm := n.Extra["virtualmachine"].(*cloudstack.VirtualMachine)
	require.NotEmpty(t, vm.NICs)
	assert.Equal(t, nets[0].ID, vm.NICs[0].NetworkID)

	// A security group by id, in the basic zone.
	groups, err := d.ExListSecurityGroups(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, groups)
	n, err = d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "sg1", Image: &compute.Image{ID: ids.image},
		Size: &compute.Size{ID: ids.size}, Location: &compute.Location{ID: ids.zone1}, SecurityGroups: []string{groups[0].ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{groups[0].Name}, n.Extra["security_group"])
}

func TestSim_SSHKeyReusedUnderAnotherName(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	key := "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7hsOcrVVxIY8ZAk49oEv3CpgMXD4o/6o9nXzv25cTTUzisRCAGpX8XUmMQzkZeVcKy8Kxkvt1q2CW0mrQH5DVZ9w8oZgTmbL5Fd7PuS5WxZnYX7uGcHOO8YU1STFe29UcdXUFgzFfcwSxqapScgaQrD//3913UwJOfilG18CbBvM6/DYxWRz7XCnTfr9vtyeiDo4+EJCykqSnguLabrbqBXSSEAstu358S9Z4V+dWV1vWGtdyQzwwnHhRh1bZOqDVw1n8WwwSlyEl4HerRRr9t6jwBn26HzgkVTJAhWj6EZ+m2WOxh6bdODexlhHAsZcB6kbQxqpKPnmTevxubq4t laptop"
	kp, err := s.d.ImportKeyPair(ctx, "my-laptop", key)
	require.NoError(t, err)
	assert.Equal(t, "my-laptop", kp.ID)
	assert.Equal(t, types.ProviderCloudStack, kp.Provider)
	fp, err := compute.SSHFingerprintMD5(key)
	require.NoError(t, err)
	assert.Equal(t, fp, kp.Fingerprint)

	// Another comment, same key: the key pair is reused, nothing registered.
	s.sim.ResetRequestCounts()
	req := s.request("k1")
	req.Auth = compute.NodeAuthSSHKey(strings.Replace(key, "laptop", "other@host", 1))
	n, err := s.d.CreateNode(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, "my-laptop", n.Extra["key_name"])
	assert.Zero(t, s.sim.RequestCount("registerSSHKeyPair"))

	// compute.EnsureSSHKeyPair finds the same key pair through the driver.
	got, created, err := compute.EnsureSSHKeyPair(ctx, s.d, key)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, "my-laptop", got.Name)
}

func TestSim_ResizeNode(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	small := simSize(t, s.d, cloudstacksim.OfferingSmall)
	medium := simSize(t, s.d, cloudstacksim.OfferingMedium)
	tiny := simSize(t, s.d, cloudstacksim.OfferingTiny)
	n, err := s.d.CreateNode(ctx, s.request("r1"))
	require.NoError(t, err)

	// Running and dynamically scalable: scaleVirtualMachine.
	got, err := s.d.ResizeNode(ctx, n.ID, small)
	require.NoError(t, err)
	assert.Equal(t, small.ID, got.Size.ID)
	assert.Equal(t, 512, got.Size.RAM)
	assert.Equal(t, types.NodeStateRunning, got.State)
	assert.Equal(t, 1, s.sim.RequestCount("scaleVirtualMachine"))

	// Scaling a running VM down is refused by the server: a conflict.
	_, err = s.d.ResizeNode(ctx, n.ID, tiny)
	require.ErrorIs(t, err, compute.ErrConflict)

	// Stopped: changeServiceForVirtualMachine, up or down.
	require.NoError(t, s.d.StopNode(ctx, n.ID))
	got, err = s.d.ResizeNode(ctx, n.ID, medium)
	require.NoError(t, err)
	assert.Equal(t, 1024, got.Size.RAM)
	got, err = s.d.ResizeNode(ctx, n.ID, tiny)
	require.NoError(t, err)
	assert.Equal(t, tiny.ID, got.Size.ID)
	assert.Equal(t, 2, s.sim.RequestCount("changeServiceForVirtualMachine"))

	// The size it has already: nothing sent.
	got, err = s.d.ResizeNode(ctx, n.ID, tiny)
	require.NoError(t, err)
	assert.Equal(t, tiny.ID, got.Size.ID)
	assert.Equal(t, 2, s.sim.RequestCount("changeServiceForVirtualMachine"))

	// Bad input.
	_, err = s.d.ResizeNode(ctx, n.ID, nil)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = s.d.ResizeNode(ctx, specUUID, small)
	require.ErrorIs(t, err, compute.ErrNotFound)
	_, err = s.d.ResizeNode(ctx, n.ID, &compute.Size{ID: specUUID})
	require.Error(t, err)
	assert.False(t, errors.Is(err, compute.ErrConflict), "an unknown size is not a state conflict: %v", err)

	// Through the portable interface.
	r, ok := compute.As[compute.NodeResizer](compute.Driver(s.d))
	require.True(t, ok)
	_, err = r.ResizeNode(ctx, n.ID, small)
	require.NoError(t, err)
}

func TestSim_IterNodesFiltersAndGetNodes(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	mk := func(name string, tags map[string]string) *compute.Node {
		req := s.request(name)
		req.Tags = tags
		n, err := s.d.CreateNode(ctx, req)
		require.NoError(t, err)
		return n
	}
	web := mk("web", map[string]string{"role": "web"})
	web2 := mk("web2", map[string]string{"role": "web"}) // "web" is a substring of its name
	db := mk("db", map[string]string{"role": "db"})
	require.NoError(t, s.d.StopNode(ctx, db.ID))

	names := func(f *compute.NodeFilter) []string {
		var out []string
		for n, err := range compute.IterNodes(ctx, s.d, f) {
			require.NoError(t, err)
			out = append(out, n.Name)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"web", "web2", "db"}, names(nil))
	assert.Equal(t, []string{"web"}, names(&compute.NodeFilter{Name: "web"}), "names match exactly, not as the server's substring")
	assert.ElementsMatch(t, []string{"web", "web2"}, names(&compute.NodeFilter{Tags: map[string]string{"role": "web"}}))
	assert.Equal(t, []string{"db"}, names(&compute.NodeFilter{States: []types.NodeState{types.NodeStateStopped}}))
	assert.ElementsMatch(t, []string{"web", "web2"}, names(&compute.NodeFilter{States: []types.NodeState{types.NodeStateRunning}}))
	assert.Empty(t, names(&compute.NodeFilter{Name: "db", States: []types.NodeState{types.NodeStateRunning}}))

	// Server-side filters are sent: the tag and the single state.
	all, err := s.d.ListNodes(ctx)
	require.NoError(t, err)
	streamed := 0
	for n, err := range s.d.IterNodes(ctx, &compute.NodeFilter{}) {
		require.NoError(t, err)
		assert.Equal(t, "cloudstack", string(n.Provider))
		streamed++
	}
	assert.Equal(t, len(all), streamed, "streaming equals ListNodes")

	// GetNodes: the existing ones, unknown ids left out, several pages of ids
	// in one call each.
	s.sim.ResetRequestCounts()
	got, err := s.d.GetNodes(ctx, []string{web.ID, specUUID, db.ID, web.ID})
	require.NoError(t, err)
	gotIDs := []string{}
	for _, n := range got {
		gotIDs = append(gotIDs, n.ID)
		if n.ID == web.ID {
			assert.Equal(t, map[string]string{"role": "web"}, n.Tags)
		}
	}
	assert.ElementsMatch(t, []string{web.ID, db.ID}, gotIDs)
	s.sim.ResetRequestCounts()
	got, err = s.d.GetNodes(ctx, []string{web.ID, db.ID, web2.ID})
	require.NoError(t, err)
	assert.Len(t, got, 3)
	assert.Equal(t, 1, s.sim.RequestCount("listVirtualMachines"), "one call for the ids")
	empty, err := s.d.GetNodes(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
	_, err = s.d.GetNodes(ctx, []string{""})
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestSim_WaitUntilRunningUsesGetNodes(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	n, err := s.d.CreateNode(ctx, s.request("w1"))
	require.NoError(t, err)
	s.sim.ResetRequestCounts()
	running, err := compute.WaitUntilRunning(ctx, s.d, []*compute.Node{n}, &compute.WaitOptions{Interval: 1})
	require.NoError(t, err)
	require.Len(t, running, 1)
	assert.NotEmpty(t, running[0].Addresses)
	assert.LessOrEqual(t, s.sim.RequestCount("listVirtualMachines"), 2)
}

func TestSim_EntitiesCarryProvider(t *testing.T) {
	s := newPortableSim(t)
	ctx := t.Context()
	locs, err := s.d.ListLocations(ctx)
	require.NoError(t, err)
	for _, l := range locs {
		assert.Equal(t, types.ProviderCloudStack, l.Provider)
		assert.Len(t, l.UUID(), 40)
	}
	sizes, err := s.d.ListSizes(ctx, nil)
	require.NoError(t, err)
	for _, z := range sizes {
		assert.Positive(t, z.VCPUs, "%s", z.Name)
	}
	assert.Equal(t, 2, simSize(t, s.d, cloudstacksim.OfferingLarge).VCPUs)
}
