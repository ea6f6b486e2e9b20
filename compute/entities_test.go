package compute

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goclouds/goclouds/types"
)

func TestUUID(t *testing.T) {
	// Libcloud: sha1("3:dummy") for Dummy node 3.
	const node3 = "aef321fde331680846014b121ff377dcb8477731"
	assert.Equal(t, node3, (&Node{ID: "3", Provider: types.ProviderDummy}).UUID())
	assert.Equal(t, node3, (&Image{ID: "3", Provider: types.ProviderDummy}).UUID())
	assert.Equal(t, node3, (&Size{ID: "3", Provider: types.ProviderDummy}).UUID())
	assert.Equal(t, node3, (&Volume{ID: "3", Provider: types.ProviderDummy}).UUID())
	assert.NotEqual(t, node3, (&Node{ID: "3", Provider: types.ProviderCloudStack}).UUID())
	assert.Len(t, (&Node{}).UUID(), 40)
}

func TestNode_Clone(t *testing.T) {
	assert.Nil(t, (*Node)(nil).Clone())
	n := &Node{
		ID: "1", PublicIPs: []string{"203.0.113.1"},
		Size: &Size{ID: "s", Extra: map[string]any{"cpu": 1}}, Image: &Image{ID: "i"}, Location: &Location{ID: "l"},
		Extra: map[string]any{"k": "v"},
	}
	c := n.Clone()
	c.PublicIPs[0] = "x"
	c.Size.Extra["cpu"] = 2
	c.Image.Name = "x"
	c.Location.Name = "x"
	c.Extra["k"] = "x"
	assert.Equal(t, "203.0.113.1", n.PublicIPs[0])
	assert.Equal(t, 1, n.Size.Extra["cpu"])
	assert.Empty(t, n.Image.Name)
	assert.Empty(t, n.Location.Name)
	assert.Equal(t, "v", n.Extra["k"])
	assert.NotNil(t, c.PrivateIPs, "a clone's address lists are never nil")

	for _, f := range []func(){
		func() { assert.Nil(t, (*Image)(nil).Clone()) },
		func() { assert.Nil(t, (*Size)(nil).Clone()) },
		func() { assert.Nil(t, (*Location)(nil).Clone()) },
		func() { assert.Nil(t, (*Volume)(nil).Clone()) },
		func() { assert.Nil(t, (*VolumeSnapshot)(nil).Clone()) },
		func() { assert.Nil(t, (*KeyPair)(nil).Clone()) },
	} {
		f()
	}
	v := &Volume{ID: "v", Extra: map[string]any{"k": "v"}}
	v.Clone().Extra["k"] = "x"
	assert.Equal(t, "v", v.Extra["k"])
	s := &VolumeSnapshot{ID: "s", Extra: map[string]any{"k": "v"}}
	s.Clone().Extra["k"] = "x"
	assert.Equal(t, "v", s.Extra["k"])
	k := &KeyPair{Name: "k", Extra: map[string]any{"k": "v"}}
	k.Clone().Extra["k"] = "x"
	assert.Equal(t, "v", k.Extra["k"])
}
