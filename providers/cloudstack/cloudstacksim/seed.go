package cloudstacksim

import (
	"fmt"
	"net/netip"
)

// Names of the seeded catalogue, for tests and documentation.
const (
	// ZoneName1 is the first zone: advanced networking with security groups
	// and a shared guest network.
	ZoneName1 = "sim-zone-1"
	// ZoneName2 is the second zone: advanced networking with isolated guest
	// networks (source NAT, static NAT, port forwarding, firewall).
	ZoneName2 = "sim-zone-2"
	// TemplateTinyLinux is the small Linux template every zone has.
	TemplateTinyLinux = "tiny Linux"
	// OfferingTiny is the 100 MB service offering.
	OfferingTiny = "tinyOffering"
	// OfferingSmall is the 512 MB service offering.
	OfferingSmall = "Small Instance"
	// OfferingMedium is the 1024 MB service offering.
	OfferingMedium = "Medium Instance"
	// OfferingLarge is the 4096 MB service offering.
	OfferingLarge = "Large Instance"
	// DiskOfferingCustom is the disk offering that takes a size.
	DiskOfferingCustom = "Custom"
)

// seed builds the catalogue, the accounts and their default resources.
func (s *Server) seed() {
	st := s.st
	root := &domain{base: st.newBase(), name: "ROOT", path: "ROOT"}
	st.domains.insert(root)
	st.roleIDs = [2]string{newUUID(), newUUID()}
	system := st.newAccount("system", accountAdmin, root)
	admin := st.newAccount("admin", accountAdmin, root)
	usr := st.newAccount("user", accountNormal, root)
	st.users.insert(&user{base: st.newBase(), acct: admin, username: "admin", firstname: "Admin", lastname: "User",
		email: "admin@sim.invalid", apiKey: s.admin.APIKey, secretKey: s.admin.SecretKey})
	st.users.insert(&user{base: st.newBase(), acct: usr, username: "user", firstname: "Normal", lastname: "User",
		email: "user@sim.invalid", apiKey: s.user.APIKey, secretKey: s.user.SecretKey})

	z1 := st.newZone(ZoneName1, "Advanced zone with security groups", true, "198.18.0.0/16")
	z2 := st.newZone(ZoneName2, "Advanced zone with isolated networks", false, "198.19.0.0/16")

	linux := st.newOSType("Other Linux (64-bit)", "Other")
	ubuntu := st.newOSType("Ubuntu 22.04 LTS", "Ubuntu")
	centos := st.newOSType("CentOS 7", "CentOS")
	debian := st.newOSType("Debian GNU/Linux 12 (64-bit)", "Debian")
	windows := st.newOSType("Windows Server 2019 (64-bit)", "Windows")

	tmpl := func(name string, os *osType, sizeMB int64, password, featured, ready bool, typ string) *template {
		t := &template{base: st.newBase(), owned: owned{acct: system}, name: name, displayText: name, os: os,
			format: "QCOW2", hypervisor: "KVM", size: sizeMB << 20, passwordEnabled: password, sshKeyEnabled: true,
			public: true, featured: featured, ready: ready, templateType: typ, dynamic: true, extractable: true, bootable: true}
		st.templates.insert(t)
		return t
	}
	tmpl(TemplateTinyLinux, linux, 50, false, true, true, "BUILTIN")
	tmpl("Ubuntu 22.04 LTS", ubuntu, 2048, true, true, true, "USER")
	tmpl("CentOS 7.9", centos, 2048, false, true, true, "USER")
	tmpl("Windows Server 2019", windows, 20480, true, false, true, "USER")
	tmpl("Debian 12 (download in progress)", debian, 1024, false, true, false, "USER")

	so := func(name, text string, cpu, speed, mem int, sys bool) *serviceOffering {
		o := &serviceOffering{base: st.newBase(), name: name, displayText: text, cpuNumber: cpu, cpuSpeed: speed,
			memory: mem, system: sys, storageType: "shared"}
		st.serviceOfferings.insert(o)
		return o
	}
	so(OfferingTiny, "Tiny instance: 1 CPU, 100 MHz, 100 MB", 1, 100, 100, false)
	so(OfferingSmall, "Small Instance: 1 CPU, 500 MHz, 512 MB", 1, 500, 512, false)
	so(OfferingMedium, "Medium Instance: 1 CPU, 1 GHz, 1 GB", 1, 1000, 1024, false)
	so(OfferingLarge, "Large Instance: 2 CPU, 2 GHz, 4 GB", 2, 2000, 4096, false)
	router := so("System Offering For Software Router", "System Offering For Software Router", 1, 500, 256, true)

	do := func(name string, gb int64, custom bool) {
		st.diskOfferings.insert(&diskOffering{base: st.newBase(), name: name, displayText: name + " disk offering",
			diskSize: gb, customized: custom, storageType: "shared"})
	}
	do("Small", 5, false)
	do("Medium", 20, false)
	do("Large", 100, false)
	do(DiskOfferingCustom, 0, true)

	no := func(name, typ string, services ...string) *networkOffering {
		o := &networkOffering{base: st.newBase(), name: name, displayText: name, guestIPType: typ, services: services,
			isDefault: true, specifyVLAN: typ == "Shared", specifyIPRanges: typ == "Shared", sysOffering: router}
		st.networkOfferings.insert(o)
		return o
	}
	shared := no("DefaultSharedNetworkOfferingWithSGService", "Shared", "Dhcp", "Dns", "UserData", "SecurityGroup")
	isolated := no("DefaultIsolatedNetworkOfferingWithSourceNatService", "Isolated", "Dhcp", "Dns", "Firewall", "Gateway",
		"Lb", "PortForwarding", "SourceNat", "StaticNat", "UserData", "Vpn")
	no("DefaultL2NetworkOffering", "L2", "UserData")

	st.vlanSeq++
	st.networks.insert(&network{base: st.newBase(), owned: owned{acct: system}, name: "guest-shared-1",
		displayText: "Shared guest network of " + ZoneName1, zone: z1, offering: shared, guestType: "Shared",
		aclType: "Domain", domain: root, cidr: netip.MustParsePrefix("10.16.0.0/12"), gateway: netip.MustParseAddr("10.16.0.1"),
		state: "Setup", networkDomain: "sim.internal", vlan: 100 + st.vlanSeq, used: map[int]bool{}, next: 2})
	for _, a := range []*account{admin, usr} {
		st.newIsolatedNetwork(z2, a, isolated)
	}
	st.seedVPCs(router)
}

// newAccount creates an account with unlimited resources and, unless it is
// the system account, a default security group.
func (st *state) newAccount(name string, typ int, d *domain) *account {
	a := &account{base: st.newBase(), name: name, typ: typ, domain: d, limits: unlimited()}
	st.accounts.insert(a)
	if name != "system" {
		st.newSecurityGroup(a, "default", "Default Security Group")
	}
	return a
}

func (st *state) newZone(name, desc string, sg bool, pool string) *zone {
	n := st.zones.len() + 1
	z := &zone{base: st.newBase(), name: name, description: desc, networkType: "Advanced",
		securityGroupsEnabled: sg, dns1: "8.8.8.8", dns2: "8.8.4.4", internalDN: "10.0.0.2",
		guestCIDR: "10.1.0.0/16", hostID: newUUID(), hostName: fmt.Sprintf("sim-kvm-host-%d", n),
		publicPool: netip.MustParsePrefix(pool), nextPublic: 2}
	st.zones.insert(z)
	return z
}

func (st *state) newOSType(desc, category string) *osType {
	o := &osType{base: st.newBase(), description: desc, categoryID: newUUID(), categoryName: category}
	st.osTypes.insert(o)
	return o
}

// PopulateVMs adds n running VMs owned by the admin account in the first
// zone (tiny Linux, tinyOffering, the shared guest network), as a real
// inventory for tests and benchmarks. Their names are sim-vm-<sequence>.
func (s *Server) PopulateVMs(n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	admin := st.findAccount("admin", st.domains.list[0])
	var z *zone
	for _, x := range st.zones.list {
		if x.name == ZoneName1 {
			z = x
		}
	}
	var t *template
	for _, x := range st.templates.list {
		if x.name == TemplateTinyLinux {
			t = x
		}
	}
	var o *serviceOffering
	for _, x := range st.serviceOfferings.list {
		if x.name == OfferingTiny {
			o = x
		}
	}
	if admin == nil || z == nil || t == nil || o == nil {
		return fmt.Errorf("cloudstacksim: the catalogue lacks the admin account, %s, %s or %s", ZoneName1, TemplateTinyLinux, OfferingTiny)
	}
	net := st.defaultNetwork(z, admin)
	sg := st.findSecurityGroup(admin, "default")
	var u *user
	for _, x := range st.users.list {
		if x.acct == admin {
			u = x
		}
	}
	for i := 0; i < n; i++ {
		p := &deployPlan{owner: admin, zone: z, template: t, offering: o, cpu: o.cpuNumber, speed: o.cpuSpeed,
			memory: o.memory, networks: []*network{net}, rootGB: templateSizeGB(t), startVM: true,
			name: fmt.Sprintf("sim-vm-%d", st.seq+1)}
		if sg != nil {
			p.sgs = []*securityGroup{sg}
		}
		p.displayName = p.name
		v := st.createVM(p, u)
		v.state = vmRunning
		st.markVolumesReady(v)
	}
	return nil
}
