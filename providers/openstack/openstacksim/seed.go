package openstacksim

import "fmt"

// Ids of the seeded resources, stable so that tests and docs can name them.
const (
	// AdminProjectID is the admin project's id.
	AdminProjectID = "6f70656e737461636b20342065766572"
	// DemoProjectID is the ordinary user's project id.
	DemoProjectID = "0d1d3c4e5f60718293a4b5c6d7e8f901"
	// CirrosImageID is the public "cirros-0.6.2-x86_64-disk" image.
	CirrosImageID = "70a599e0-31e7-49b7-b260-868f441e862b"
	// PublicNetworkID is the external network "public" floating IPs come from.
	PublicNetworkID = "a8e0c7f2-5f3b-4b6e-9d7c-1e2f3a4b5c6d"
	// PrivateNetworkID is the shared tenant network "private" servers join.
	PrivateNetworkID = "b9f1d803-6a4c-4c7f-8e8d-2f3a4b5c6d7e"
)

// seedPerSubnet is how many seeded servers one private /24 holds (.3 to
// .254).
const seedPerSubnet = 252

// newState seeds a devstack-like cloud: an admin and a member user with
// their projects, devstack's flavors, a cirros image, the "public" external
// and "private" tenant networks, and o.Servers ACTIVE servers (up to 64,512:
// the private network gets a /24 more, 10.0.1.0/24 and on, for each 252).
func newState(s *Server, o *Options) *state {
	st := &state{s: s, tokens: map[string]*token{}}
	quota := Quota{Instances: 10, Cores: 20, RAM: 51200}
	adminP := &project{ID: AdminProjectID, Name: o.ProjectName, Quota: quota}
	demoP := &project{ID: DemoProjectID, Name: o.UserProjectName, Quota: quota}
	st.projects = []*project{adminP, demoP}
	st.adminUser = &user{ID: "a1d2m3i4n5u6s7e8r9a0b1c2d3e4f5a6", Name: o.Username, Password: o.Password, Project: adminP, Admin: true}
	st.memberUser = &user{ID: "d1e2m3o4u5s6e7r8d9e0m1o2u3s4e5r6", Name: o.UserUsername, Password: o.UserPassword, Project: demoP}
	for _, u := range []*user{st.adminUser, st.memberUser} {
		u.AppCreds = []*appCred{{ID: "ac" + u.ID[2:], Name: u.Name + "-appcred", Secret: u.Name + "-appcred-secret", User: u}}
	}
	st.users = []*user{st.adminUser, st.memberUser}
	st.flavors = seedFlavors()
	now := s.now()
	st.images = []*image{{ID: CirrosImageID, Name: "cirros-0.6.2-x86_64-disk", Status: "active", Visibility: "public",
		Owner: AdminProjectID, DiskFormat: "qcow2", ContainerFormat: "bare", Size: 21430272, Created: now, Updated: now,
		Props: map[string]string{"hw_rng_model": "virtio"}}}
	pub := &network{ID: PublicNetworkID, Name: "public", ProjectID: AdminProjectID, External: true, Created: now}
	priv := &network{ID: PrivateNetworkID, Name: "private", ProjectID: AdminProjectID, Shared: true, Created: now}
	st.networks = []*network{pub, priv}
	st.addSubnet(pub, "public-subnet", "172.24.4.", now)
	st.addSubnet(priv, "private-subnet", "10.0.0.", now)
	// A /24 holds seedPerSubnet servers; more get 10.0.1.0/24 and on.
	for i := 1; i*seedPerSubnet < o.Servers && i < 256; i++ {
		st.addSubnet(priv, fmt.Sprintf("private-subnet-%d", i+1), fmt.Sprintf("10.0.%d.", i), now)
	}
	st.newSecgroup(AdminProjectID, "default", "Default security group")
	st.newSecgroup(DemoProjectID, "default", "Default security group")
	tiny := st.flavorByID("1")
	for i := 0; i < o.Servers; i++ {
		sv := &server{ID: newUUID(), Name: fmt.Sprintf("server-%d", i+1), ProjectID: AdminProjectID, UserID: st.adminUser.ID,
			ImageID: CirrosImageID, AZ: "nova", Flavor: *tiny, VMState: "active", PowerState: powerRunning,
			SecurityGroups: []string{"default"}, Created: now, Updated: now, Launched: now, ReservationID: "r-seed"}
		if _, e := st.createPort(priv, AdminProjectID, sv.ID, "compute:nova", "", st.secgroupIDs(AdminProjectID, []string{"default"})); e != nil {
			break
		}
		st.servers = append(st.servers, sv)
	}
	return st
}
