package ec2sim

import (
	"fmt"
	"time"
)

// newState returns the account's starting state: the public images, a
// default VPC (172.31.0.0/16) with a default subnet in every zone, and the
// VPC's default security group.
func newState(region string, now time.Time) *state {
	st := &state{region: region,
		instances: map[string]*instance{}, reservations: map[string]*reservation{}, tokens: map[string]string{},
		images: map[string]*image{}, keyPairs: map[string]*keyPair{}, groups: map[string]*securityGroup{},
		volumes: map[string]*volume{}, snapshots: map[string]*snapshot{}, addresses: map[string]*address{},
		vpcs: map[string]*vpc{}, subnets: map[string]*subnet{}, enis: map[string]*eni{},
		tags: map[string]map[string]string{}, created: map[string]time.Time{}, moving: map[string]bool{}}
	created := time.Date(2024, 12, 13, 0, 0, 0, 0, time.UTC)
	for i, si := range seedImages {
		img := &image{id: si.id, name: si.name, description: si.description, owner: si.owner, alias: si.alias,
			arch: si.arch, platform: si.platform, rootDevice: si.root, public: true, state: "available",
			created: created, snapshotID: fmt.Sprintf("snap-0%016x", 0x5eed0000+i), size: 8}
		if si.platform == "windows" {
			img.size = 30
		}
		st.images[img.id] = img
		st.created[img.id] = created.Add(time.Duration(i))
	}
	v := &vpc{id: st.newID("vpc", now), cidr: "172.31.0.0/16", isDefault: true}
	st.vpcs[v.id] = v
	for i, letter := range zoneLetters(region) {
		sn := &subnet{id: st.newID("subnet", now), vpcID: v.id, az: region + letter, azID: zoneID(region, i),
			cidr: fmt.Sprintf("172.31.%d.0/20", i*16), isDefault: true, mapPublic: true}
		st.subnets[sn.id] = sn
	}
	st.addDefaultGroup(v.id, now)
	return st
}

// defaultSubnet returns the default subnet of zone az ("" for the first zone).
func (st *state) defaultSubnet(az string) *subnet {
	if az == "" {
		az = st.region + zoneLetters(st.region)[0]
	}
	for _, sn := range st.subnets {
		if sn.isDefault && sn.az == az {
			return sn
		}
	}
	return nil
}

// PopulateInstances adds n running t3.micro instances of the first Amazon
// Linux image, as if they had been launched and had booted.
func (s *Server) PopulateInstances(n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	st := s.st
	sn := st.defaultSubnet("")
	if sn == nil {
		return fmt.Errorf("ec2sim: no default subnet")
	}
	res := &reservation{id: st.newID("r", now)}
	st.reservations[res.id] = res
	for i := 0; i < n; i++ {
		in := st.launch(launchSpec{image: st.images[seedImages[0].id], instType: "t3.micro", subnet: sn,
			groups: []string{st.defaultGroupID(sn.vpcID)}, reservation: res, index: i}, now, 0)
		in.state, in.next, in.until = "running", "", time.Time{}
		delete(st.moving, in.id)
		st.setTags(in.id, map[string]string{"Name": fmt.Sprintf("sim-%d", i+1)})
	}
	return nil
}
