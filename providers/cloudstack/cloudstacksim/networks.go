package cloudstacksim

import (
	"fmt"
	"net/netip"
	"strings"
)

// network is a guest network. Shared networks (zone-wide, acltype Domain)
// are visible to every account of their domain; isolated ones belong to an
// account.
type network struct {
	base
	owned
	name, displayText string
	zone              *zone
	offering          *networkOffering
	guestType         string // Shared, Isolated, L2
	aclType           string // Domain, Account
	domain            *domain
	cidr              netip.Prefix
	gateway           netip.Addr
	state             string
	networkDomain     string
	vlan              int
	// used holds the offsets in cidr of allocated addresses; next and free
	// drive allocation.
	used map[int]bool
	next int
	free []int
	// hostnames counts the VM host names in the network (they must be unique).
	hostnames map[string]int
	// vpc and acl are the VPC of a VPC tier and its network ACL list.
	vpc *vpc
	acl *aclList
}

// visibleTo reports whether a shared network is usable by account a.
func (n *network) sharedWith(a *account) bool {
	return n.aclType == "Domain" && a.domain.under(n.domain)
}

// checkIP validates a requested address: in the range, not the network or
// broadcast address nor the gateway, and free. It returns its offset.
func (n *network) checkIP(want string) (int, netip.Addr, error) {
	a, err := netip.ParseAddr(want)
	if err != nil || !n.cidr.IsValid() || !n.cidr.Contains(a) {
		return 0, netip.Addr{}, invalidParam("Invalid ip address %s: it is not in the network %s range %s", want, n.name, n.cidr)
	}
	off := offsetIn(n.cidr, a)
	if off <= 0 || off >= n.size()-1 || a == n.gateway {
		return 0, netip.Addr{}, invalidParam("Invalid ip address %s for the network %s", want, n.name)
	}
	if n.used[off] {
		return 0, netip.Addr{}, errorf(CodeInsufficientCapacity, CSInsufficientCapacity,
			"The requested ip address %s is already in use in network %s", want, n.name)
	}
	return off, a, nil
}

// size returns the number of addresses of the network's range.
func (n *network) size() int { return 1 << (32 - n.cidr.Bits()) }

// allocIP allocates an address: want when given (see checkIP), else the
// next free one. The gateway is never allocated.
func (n *network) allocIP(want string) (netip.Addr, error) {
	if !n.cidr.IsValid() {
		return netip.Addr{}, nil // L2: no addresses
	}
	if want != "" {
		off, a, err := n.checkIP(want)
		if err != nil {
			return netip.Addr{}, err
		}
		n.used[off] = true
		return a, nil
	}
	for len(n.free) > 0 {
		off := n.free[len(n.free)-1]
		n.free = n.free[:len(n.free)-1]
		if !n.used[off] {
			n.used[off] = true
			return addrAt(n.cidr, off), nil
		}
	}
	for n.next < n.size()-1 {
		off := n.next
		n.next++
		if a := addrAt(n.cidr, off); a != n.gateway && !n.used[off] {
			n.used[off] = true
			return a, nil
		}
	}
	e := errorf(CodeInsufficientCapacity, CSInsufficientCapacity, "Insufficient address capacity in network %s", n.name)
	e.hide = true
	return netip.Addr{}, e
}

// releaseIP returns an address to the pool.
func (n *network) releaseIP(a netip.Addr) {
	if !a.IsValid() || !n.cidr.IsValid() || !n.cidr.Contains(a) {
		return
	}
	off := offsetIn(n.cidr, a)
	if n.used[off] {
		delete(n.used, off)
		n.free = append(n.free, off)
	}
}

// networkView is the network response object.
type networkView struct {
	ID                          string `json:"id"`
	Name                        string `json:"name"`
	DisplayText                 string `json:"displaytext"`
	BroadcastDomainType         string `json:"broadcastdomaintype"`
	TrafficType                 string `json:"traffictype"`
	Gateway                     string `json:"gateway,omitempty"`
	Netmask                     string `json:"netmask,omitempty"`
	CIDR                        string `json:"cidr,omitempty"`
	ZoneID                      string `json:"zoneid"`
	ZoneName                    string `json:"zonename"`
	NetworkOfferingID           string `json:"networkofferingid"`
	NetworkOfferingName         string `json:"networkofferingname"`
	NetworkOfferingDisplayText  string `json:"networkofferingdisplaytext"`
	NetworkOfferingConserveMode bool   `json:"networkofferingconservemode"`
	NetworkOfferingAvailability string `json:"networkofferingavailability"`
	IsSystem                    bool   `json:"issystem"`
	State                       string `json:"state"`
	Related                     string `json:"related"`
	BroadcastURI                string `json:"broadcasturi,omitempty"`
	DNS1                        string `json:"dns1"`
	DNS2                        string `json:"dns2"`
	Type                        string `json:"type"`
	ACLType                     string `json:"acltype"`
	SubdomainAccess             bool   `json:"subdomainaccess,omitempty"`
	ownerFields
	Service           []serviceV     `json:"service"`
	NetworkDomain     string         `json:"networkdomain"`
	PhysicalNetworkID string         `json:"physicalnetworkid"`
	RestartRequired   bool           `json:"restartrequired"`
	SpecifyIPRanges   bool           `json:"specifyipranges"`
	CanUseForDeploy   bool           `json:"canusefordeploy"`
	IsPersistent      bool           `json:"ispersistent"`
	Tags              []resourceTagV `json:"tags"`
	DisplayNetwork    bool           `json:"displaynetwork"`
	RedundantRouter   bool           `json:"redundantrouter"`
	StrechedL2Subnet  bool           `json:"strechedl2subnet"`
	HasAnnotations    bool           `json:"hasannotations"`
	VPCID             string         `json:"vpcid,omitempty"`
	VPCName           string         `json:"vpcname,omitempty"`
	ACLID             string         `json:"aclid,omitempty"`
	ACLName           string         `json:"aclname,omitempty"`
	JobID             string         `json:"jobid,omitempty"`
	JobStatus         *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewNetwork(n *network) any {
	v := networkView{ID: n.id, Name: n.name, DisplayText: n.displayText, BroadcastDomainType: "Vlan",
		TrafficType: "Guest", ZoneID: n.zone.id, ZoneName: n.zone.name, NetworkOfferingID: n.offering.id,
		NetworkOfferingName: n.offering.name, NetworkOfferingDisplayText: n.offering.displayText,
		NetworkOfferingConserveMode: true, NetworkOfferingAvailability: "Optional", State: n.state, Related: n.id,
		DNS1: n.zone.dns1, DNS2: n.zone.dns2, Type: n.guestType, ACLType: n.aclType,
		Service: servicesView(n.offering.services), NetworkDomain: n.networkDomain, PhysicalNetworkID: n.zone.hostID,
		SpecifyIPRanges: n.offering.specifyIPRanges, CanUseForDeploy: true, Tags: c.tagViews(n.id), DisplayNetwork: true}
	if n.cidr.IsValid() {
		v.Gateway, v.Netmask, v.CIDR = n.gateway.String(), netmaskOf(n.cidr), n.cidr.String()
	}
	if n.vlan > 0 {
		v.BroadcastURI = fmt.Sprintf("vlan://%d", n.vlan)
	}
	if n.aclType == "Domain" {
		v.SubdomainAccess = true
		v.ownerFields = ownerFields{DomainID: n.domain.id, Domain: n.domain.name}
	} else {
		v.ownerFields = ownerView(n.acct)
	}
	networkVPCFields(&v, n)
	v.JobID, v.JobStatus = pendingJob(&n.base)
	return v
}

// pendingJob returns the jobid and jobstatus fields of an entity with a job
// in progress.
func pendingJob(b *base) (string, *int) {
	if b.pending == nil {
		return "", nil
	}
	st := jobPending
	return b.pending.id, &st
}

func init() {
	registerKind("nic", lookupIn(func(st *state) *table[*nic] { return &st.nics }))
	register(
		cmdDef{Name: "listNetworks", ReadOnly: true, IDKind: kindNetwork, Handler: listNetworks, ItemKey: "network"},
		cmdDef{Name: "createNetwork", Handler: createNetwork, ItemKey: "network"},
		cmdDef{Name: "deleteNetwork", IDKind: kindNetwork, Handler: deleteNetwork, InstanceType: "Network", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.network.DeleteNetworkCmd"},
	)
}

// networkVisible reports whether a network is within a list scope or shared
// with the caller.
func (c *call) networkVisible(n *network, sc *listScope) bool {
	if n.aclType == "Domain" {
		return sc.projects != projectsOnly && (c.caller.isRootAdmin() || n.sharedWith(c.caller))
	}
	return sc.allows(n.acct)
}

// canUseNetwork reports whether owner may put a VM or an address on n.
func (c *call) canUseNetwork(n *network, owner *account) error {
	if n.aclType == "Domain" {
		if n.sharedWith(owner) {
			return nil
		}
	} else if n.acct == owner {
		return nil
	}
	if c.caller.isRootAdmin() && n.aclType == "Domain" {
		return nil
	}
	return permissionDenied("Unable to use network with id= %s, permission denied", n.id)
}

func listNetworks(c *call) (reply, error) {
	lf, err := newListFilter[*network](c)
	if err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	typ, hasType := c.str("type")
	keyword, hasKeyword := c.str("keyword")
	traffic, hasTraffic := c.str("traffictype")
	offering, _ := refAs[*networkOffering](c, "networkofferingid")
	vpcFilter, _ := refAs[*vpc](c, "vpcid")
	keep := func(n *network) bool {
		switch {
		case !c.networkVisible(n, lf.sc),
			lf.notID(n),
			z != nil && n.zone != z,
			hasType && !strings.EqualFold(n.guestType, typ),
			hasKeyword && !keywordMatch(keyword, n.name, n.displayText),
			hasTraffic && !strings.EqualFold(traffic, "Guest"),
			offering != nil && n.offering != offering,
			c.boolean("issystem", false),
			c.has("isdefault") && c.boolean("isdefault", false) != (n.aclType == "Domain"),
			c.has("forvpc") && (n.vpc != nil) != c.boolean("forvpc", false),
			c.has("vpcid") && n.vpc != vpcFilter,
			!c.matchTags(n.id):
			return false
		}
		return true
	}
	return listItems(c, "network", c.st.networks.list, keep, func(n *network) any { return c.viewNetwork(n) }), nil
}

func createNetwork(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	off, _ := refAs[*networkOffering](c, "networkofferingid")
	z, _ := refAs[*zone](c, "zoneid")
	n := &network{base: c.st.newBase(), owned: owned{acct: owner}, name: c.str0("name"), zone: z, offering: off,
		guestType: off.guestIPType, aclType: "Account", domain: owner.domain, state: "Allocated",
		networkDomain: "cs" + owner.id[:4] + "sim.internal", used: map[int]bool{}, next: 2}
	n.displayText = or(c.str0("displaytext"), n.name)
	if acl, ok := c.str("acltype"); ok {
		n.aclType = strings.ToUpper(acl[:1]) + strings.ToLower(acl[1:])
	}
	if off.guestIPType == "Shared" {
		if !c.caller.isRootAdmin() {
			return nil, permissionDenied("Only ROOT admin is allowed to create shared networks")
		}
		n.aclType, n.state = "Domain", "Setup"
	}
	if off.guestIPType != "L2" {
		gw, mask := c.str0("gateway"), c.str0("netmask")
		if (gw == "") != (mask == "") {
			return nil, invalidParam("gateway and netmask must be specified together")
		}
		cidr := netip.MustParsePrefix("10.1.1.0/24")
		gateway := netip.MustParseAddr("10.1.1.1")
		if gw != "" {
			g, err1 := netip.ParseAddr(gw)
			m, err2 := netip.ParseAddr(mask)
			if err1 != nil || err2 != nil || !g.Is4() || !m.Is4() {
				return nil, invalidParam("Invalid gateway IP provided")
			}
			bits := maskBits(m)
			if bits < 0 {
				return nil, invalidParam("Invalid netmask %s", mask)
			}
			cidr, gateway = netip.PrefixFrom(g, bits).Masked(), g
		}
		n.cidr, n.gateway = cidr, gateway
	}
	if nd, ok := c.str("networkdomain"); ok {
		n.networkDomain = nd
	}
	if err := c.planTier(n); err != nil {
		return nil, err
	}
	c.st.vlanSeq++
	n.vlan = 100 + c.st.vlanSeq
	c.st.networks.insert(n)
	return objReply{"network", c.viewNetwork(n)}, nil
}

// maskBits returns the prefix length of a dotted netmask, or -1.
func maskBits(m netip.Addr) int {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	bits := 0
	for v&0x80000000 != 0 {
		bits++
		v <<= 1
	}
	if v != 0 {
		return -1
	}
	return bits
}

func deleteNetwork(c *call) (reply, error) {
	n, _ := refAs[*network](c, "id")
	if err := c.checkAccess(n.acct, "Network "+n.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: n, run: func() (reply, error) {
		for _, v := range c.st.vms.list {
			for _, nc := range v.nics {
				if nc.network == n {
					return nil, internalError("Can't delete the network, not all user vms are expunged. Vm %s is in %s state", v.name, v.state)
				}
			}
		}
		for _, ip := range c.st.publicIPs.list {
			if ip.network == n {
				c.st.releasePublicIP(ip)
			}
		}
		drop(c.st, &c.st.networks, n.id)
		return successReply{}, nil
	}}, nil
}

// defaultNetwork returns the network a VM of owner gets in zone z when the
// request names none: the zone's shared network, else owner's first isolated
// network in z, which is created (as with a Required offering) if missing.
func (st *state) defaultNetwork(z *zone, owner *account) *network {
	for _, n := range st.networks.list {
		if n.zone == z && n.aclType == "Domain" && n.sharedWith(owner) {
			return n
		}
	}
	for _, n := range st.networks.list {
		if n.zone == z && n.acct == owner && n.guestType == "Isolated" {
			return n
		}
	}
	var off *networkOffering
	for _, o := range st.networkOfferings.list {
		if o.guestIPType == "Isolated" && !o.forVPC {
			off = o
			break
		}
	}
	if off == nil {
		return nil
	}
	return st.newIsolatedNetwork(z, owner, off)
}

// newIsolatedNetwork creates owner's default isolated network in z.
func (st *state) newIsolatedNetwork(z *zone, owner *account, off *networkOffering) *network {
	st.vlanSeq++
	n := &network{base: st.newBase(), owned: owned{acct: owner}, name: owner.name + "-network",
		displayText: owner.name + "-network", zone: z, offering: off, guestType: "Isolated", aclType: "Account",
		domain: owner.domain, cidr: netip.MustParsePrefix("10.1.1.0/24"), gateway: netip.MustParseAddr("10.1.1.1"),
		state: "Implemented", networkDomain: "cs" + owner.id[:4] + "sim.internal", vlan: 100 + st.vlanSeq,
		used: map[int]bool{}, next: 2}
	st.networks.insert(n)
	if ip, err := st.allocPublic(z, owner, n); err == nil {
		ip.sourceNAT, ip.state = true, "Allocated"
	}
	return n
}
