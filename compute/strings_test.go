package compute

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goclouds/goclouds/types"
)

func TestStrings(t *testing.T) {
	d := types.ProviderDummy
	n := &Node{ID: "3", Name: "web", State: types.NodeStateRunning, PublicIPs: []string{"127.0.0.3"}, PrivateIPs: []string{}, Provider: d}
	assert.Equal(t, "<Node: uuid=aef321fde331680846014b121ff377dcb8477731, name=web, state=running, public_ips=['127.0.0.3'], private_ips=[], provider=dummy>", n.String())
	assert.Equal(t, "[<NodeImage: id=1, name=Ubuntu 9.10, driver=dummy>]",
		fmt.Sprint([]*Image{{ID: "1", Name: "Ubuntu 9.10", Provider: d}}), "a slice prints readably")
	assert.Equal(t, "<NodeSize: id=1, name=Small, vcpus=1 ram=128 disk=4 bandwidth=500 price=4 driver=dummy>",
		(&Size{ID: "1", Name: "Small", VCPUs: 1, RAM: 128, Disk: 4, Bandwidth: 500, Price: 4, Provider: d}).String())
	assert.Equal(t, "<NodeLocation: id=1, name=Paul's Room, country=US, driver=dummy>",
		(&Location{ID: "1", Name: "Paul's Room", Country: "US", Provider: d}).String())
	assert.Equal(t, "<StorageVolume id=v1 name=data size=10 state=available driver=dummy>",
		(&Volume{ID: "v1", Name: "data", Size: 10, State: types.VolumeStateAvailable, Provider: d}).String())
	assert.Equal(t, `<VolumeSnapshot "nightly" id=s1 size=10 driver=dummy state=available>`,
		(&VolumeSnapshot{ID: "s1", Name: "nightly", Size: 10, State: types.SnapshotStateAvailable, Provider: d}).String())
	kp := &KeyPair{Name: "laptop", Fingerprint: "aa:bb", PrivateKey: "-----BEGIN OPENSSH PRIVATE KEY----- secret", Provider: d}
	for _, s := range []string{kp.String(), fmt.Sprintf("%v %+v %#v %s", kp, kp, kp, []*KeyPair{kp})} {
		assert.NotContains(t, s, "secret")
	}
	assert.Equal(t, "<KeyPair name=laptop fingerprint=aa:bb driver=dummy>", kp.String())
	for _, s := range []fmt.Stringer{(*Node)(nil), (*Image)(nil), (*Size)(nil), (*Location)(nil), (*Volume)(nil), (*VolumeSnapshot)(nil), (*KeyPair)(nil)} {
		assert.Contains(t, s.String(), "nil")
	}
	withPassword := &Node{ID: "4", Name: "db", Provider: d, Extra: map[string]any{"password": "s3cret-generated"}}
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", withPassword, withPassword, withPassword, []*Node{withPassword}), "s3cret",
		"Extra, where a provider may keep a generated password, is never printed")
	assert.Len(t, (&Location{ID: "1", Provider: d}).UUID(), 40)
	assert.Equal(t, (&Node{ID: "1", Provider: d}).UUID(), (&Location{ID: "1", Provider: d}).UUID())
}
