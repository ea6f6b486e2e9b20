package cloudstacksim

import (
	"fmt"
	"net/netip"
	"strings"
)

// Entity kinds of the VPC family.
const (
	kindVPC         = "vpc"
	kindVPCOffering = "vpcoffering"
)

// vpcMaxNetworks is vpc.max.networks: the tiers a VPC may have.
const vpcMaxNetworks = 3

// vpcOffering is a VPC offering.
type vpcOffering struct {
	base
	name, displayText string
	services          []string
	isDefault         bool
	redundant         bool
}

// vpc is a Virtual Private Cloud: a private CIDR whose tiers are networks,
// behind one virtual router that owns the VPC's source NAT address.
type vpc struct {
	base
	owned
	name, displayText string
	zone              *zone
	offering          *vpcOffering
	cidr              netip.Prefix
	networkDomain     string
	dns1, dns2        string
	state             string // Enabled, Inactive
	display           bool
	// router is the VPC's virtual router; nil until the VPC starts.
	router *router
}

// router is a virtual router: the VPC's, or one an isolated network
// implies (see networkRouter).
type router struct {
	base
	owned
	name     string
	zone     *zone
	vpc      *vpc
	network  *network
	publicIP *publicIP
	state    string
	mac      string
}

func init() {
	registerKind(kindVPCOffering, lookupIn(func(st *state) *table[*vpcOffering] { return &st.vpcOfferings }))
	registerKind(kindVPC, lookupIn(func(st *state) *table[*vpc] { return &st.vpcs }))
	defaultKinds["vpcid"] = kindVPC
	defaultKinds["vpcofferingid"] = kindVPCOffering
	registerTaggable("Vpc", kindVPC)
	register(
		cmdDef{Name: "listVPCOfferings", ReadOnly: true, IDKind: kindVPCOffering, Handler: listVPCOfferings, ItemKey: "vpcoffering"},
		cmdDef{Name: "listVPCs", ReadOnly: true, IDKind: kindVPC, Handler: listVPCs, ItemKey: "vpc"},
		cmdDef{Name: "createVPC", Create: true, Handler: createVPC, InstanceType: "Vpc", ItemKey: "vpc",
			JobClass: "org.apache.cloudstack.api.command.user.vpc.CreateVPCCmd"},
		cmdDef{Name: "deleteVPC", IDKind: kindVPC, Handler: deleteVPC, InstanceType: "Vpc", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.vpc.DeleteVPCCmd"},
	)
}

// vpcServices are the services of the default VPC offerings.
var vpcServices = []string{"Dhcp", "Dns", "Lb", "NetworkACL", "PortForwarding", "SourceNat", "StaticNat", "UserData", "Vpn"}

// seedVPCs adds what a fresh 4.18 installation has for VPCs: the default VPC
// offerings, the network offerings for VPC tiers and the built-in network
// ACL lists default_allow and default_deny. sysOffering is the virtual
// router's service offering.
func (st *state) seedVPCs(sysOffering *serviceOffering) {
	for _, o := range []*vpcOffering{
		{name: "Default VPC offering", displayText: "Default VPC offering", isDefault: true},
		{name: "Redundant VPC offering", displayText: "Redundant VPC offering", redundant: true},
	} {
		o.base = st.newBase()
		o.services = vpcServices
		st.vpcOfferings.insert(o)
	}
	tier := func(name string, services ...string) {
		st.networkOfferings.insert(&networkOffering{base: st.newBase(), name: name, displayText: name,
			guestIPType: "Isolated", services: services, forVPC: true, isDefault: true, sysOffering: sysOffering})
	}
	tier("DefaultIsolatedNetworkOfferingForVpcNetworks", "Dhcp", "Dns", "Lb", "NetworkACL", "PortForwarding",
		"SourceNat", "StaticNat", "UserData", "Vpn")
	tier("DefaultIsolatedNetworkOfferingForVpcNetworksNoLB", "Dhcp", "Dns", "NetworkACL", "PortForwarding",
		"SourceNat", "StaticNat", "UserData", "Vpn")
	st.seedDefaultACLs()
}

// vpcOfferingView is the vpcoffering response object.
type vpcOfferingView struct {
	ID                     string     `json:"id"`
	Name                   string     `json:"name"`
	DisplayText            string     `json:"displaytext"`
	IsDefault              bool       `json:"isdefault"`
	State                  string     `json:"state"`
	Service                []serviceV `json:"service"`
	DistributedVPCRouter   bool       `json:"distributedvpcrouter"`
	SupportsRegionLevelVPC bool       `json:"supportsregionLevelvpc"`
	Created                string     `json:"created"`
}

func viewVPCOffering(o *vpcOffering) any {
	return vpcOfferingView{ID: o.id, Name: o.name, DisplayText: o.displayText, IsDefault: o.isDefault, State: "Enabled",
		Service: vpcServicesView(o.services), Created: fmtDate(o.created)}
}

// vpcServicesView renders the services of a VPC or VPC offering, provided
// by the VPC virtual router.
func vpcServicesView(names []string) []serviceV {
	out := servicesView(names)
	for i := range out {
		out[i].Provider = []providerV{{Name: "VpcVirtualRouter"}}
	}
	return out
}

func listVPCOfferings(c *call) (reply, error) {
	id, _ := refAs[*vpcOffering](c, "id")
	name, hasName := c.str("name")
	text, hasText := c.str("displaytext")
	keyword, hasKeyword := c.str("keyword")
	state, hasState := c.str("state")
	services := c.list("supportedservices")
	keep := func(o *vpcOffering) bool {
		switch {
		case id != nil && o != id,
			hasName && o.name != name,
			hasText && o.displayText != text,
			hasKeyword && !keywordMatch(keyword, o.name, o.displayText),
			hasState && !strings.EqualFold(state, "Enabled"),
			c.has("isdefault") && o.isDefault != c.boolean("isdefault", false),
			!hasServices(o.services, services):
			return false
		}
		return true
	}
	return listItems(c, "vpcoffering", c.st.vpcOfferings.list, keep, viewVPCOffering), nil
}

// hasServices reports whether have includes every service of want
// (case-insensitively).
func hasServices(have, want []string) bool {
	for _, w := range want {
		if !contains(lowerAll(have), strings.ToLower(w)) {
			return false
		}
	}
	return true
}

func lowerAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}

// vpcView is the vpc response object.
type vpcView struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	DisplayText     string     `json:"displaytext"`
	State           string     `json:"state"`
	ZoneID          string     `json:"zoneid"`
	ZoneName        string     `json:"zonename"`
	Service         []serviceV `json:"service"`
	CIDR            string     `json:"cidr"`
	VPCOfferingID   string     `json:"vpcofferingid"`
	VPCOfferingName string     `json:"vpcofferingname"`
	Created         string     `json:"created"`
	ownerFields
	Network              []any          `json:"network"`
	RestartRequired      bool           `json:"restartrequired"`
	NetworkDomain        string         `json:"networkdomain,omitempty"`
	DNS1                 string         `json:"dns1,omitempty"`
	DNS2                 string         `json:"dns2,omitempty"`
	Tags                 []resourceTagV `json:"tags"`
	ForDisplay           bool           `json:"fordisplay"`
	DistributedVPCRouter bool           `json:"distributedvpcrouter"`
	RedundantVPCRouter   bool           `json:"redundantvpcrouter"`
	RegionLevelVPC       bool           `json:"regionlevelvpc"`
	HasAnnotations       bool           `json:"hasannotations"`
	JobID                string         `json:"jobid,omitempty"`
	JobStatus            *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewVPC(v *vpc) any {
	r := vpcView{ID: v.id, Name: v.name, DisplayText: v.displayText, State: v.state, ZoneID: v.zone.id,
		ZoneName: v.zone.name, Service: vpcServicesView(v.offering.services), CIDR: v.cidr.String(),
		VPCOfferingID: v.offering.id, VPCOfferingName: v.offering.name, Created: fmtDate(v.created),
		ownerFields: ownerView(v.acct), Network: []any{}, NetworkDomain: v.networkDomain, DNS1: v.dns1, DNS2: v.dns2,
		Tags: c.tagViews(v.id), ForDisplay: v.display, RedundantVPCRouter: v.offering.redundant}
	for _, n := range c.st.tiersOf(v) {
		r.Network = append(r.Network, c.viewNetwork(n))
	}
	r.JobID, r.JobStatus = pendingJob(&v.base)
	return r
}

// String renders the VPC the way server messages name it.
func (v *vpc) String() string {
	return fmt.Sprintf(`VPC {"name":"%s","uuid":"%s"}`, v.name, v.id)
}

// tiersOf returns the networks of a VPC, in creation order.
func (st *state) tiersOf(v *vpc) []*network {
	var out []*network
	for _, n := range st.networks.list {
		if n.vpc == v {
			out = append(out, n)
		}
	}
	return out
}

func listVPCs(c *call) (reply, error) {
	lf, err := newListFilter[*vpc](c)
	if err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	off, _ := refAs[*vpcOffering](c, "vpcofferingid")
	name, hasName := c.str("name")
	text, hasText := c.str("displaytext")
	cidr, hasCIDR := c.str("cidr")
	state, hasState := c.str("state")
	keyword, hasKeyword := c.str("keyword")
	services := c.list("supportedservices")
	keep := func(v *vpc) bool {
		switch {
		case lf.drops(v, v.acct),
			z != nil && v.zone != z,
			off != nil && v.offering != off,
			hasName && !strings.Contains(strings.ToLower(v.name), strings.ToLower(name)),
			hasText && !strings.Contains(strings.ToLower(v.displayText), strings.ToLower(text)),
			hasCIDR && v.cidr.String() != cidrOf(cidr).String(),
			hasState && !strings.EqualFold(v.state, state),
			hasKeyword && !keywordMatch(keyword, v.name, v.displayText),
			c.has("restartrequired") && c.boolean("restartrequired", false),
			c.displayMisses(v.display),
			!hasServices(v.offering.services, services),
			!c.matchTags(v.id):
			return false
		}
		return true
	}
	return listItems(c, "vpc", c.st.vpcs.list, keep, c.viewVPC), nil
}

// privateRanges are the RFC 1918 ranges a VPC CIDR must lie in.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
}

// within reports whether prefix a lies inside prefix b.
func within(a, b netip.Prefix) bool { return b.Bits() <= a.Bits() && b.Contains(a.Addr()) }

func createVPC(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	off, _ := refAs[*vpcOffering](c, "vpcofferingid")
	text := c.str0("cidr")
	p, perr := netip.ParsePrefix(text)
	if perr != nil || !p.Addr().Is4() {
		return nil, invalidParam("Invalid CIDR specified %s", text)
	}
	p = p.Masked()
	private := false
	for _, r := range privateRanges {
		private = private || within(p, r)
	}
	if !private {
		return nil, invalidParam("Vpc cidr %s is not RFC 1918 compliant", text)
	}
	if nd, ok := c.str("networkdomain"); ok && !validDomain(nd) {
		return nil, invalidParam("Invalid network domain. Total length shouldn't exceed 190 chars. Each domain label must be between 1 and 63 characters long, can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'); can't start or end with \"-\"; can't start with digit")
	}
	if z.networkType != "Advanced" {
		return nil, invalidParam("Can't create VPC in zone %s: zone must be of type Advanced", z.name)
	}
	if err := c.checkLimits(owner, map[int]int64{resVPC: 1}); err != nil {
		return nil, err
	}
	v := &vpc{base: c.st.newBase(), owned: owned{acct: owner}, name: c.str0("name"), displayText: c.str0("displaytext"),
		zone: z, offering: off, cidr: p, networkDomain: "cs" + owner.id[:4] + "sim.internal", dns1: c.str0("dns1"),
		dns2: c.str0("dns2"), state: "Enabled", display: c.boolean("fordisplay", true)}
	if nd, ok := c.str("networkdomain"); ok {
		v.networkDomain = nd
	}
	c.st.vpcs.insert(v)
	start := c.boolean("start", true)
	return &asyncReply{id: v.id, instance: v, run: func() (reply, error) {
		if start {
			if err := c.st.startVPC(v); err != nil {
				return nil, err
			}
		}
		return objReply{"vpc", c.viewVPC(v)}, nil
	}}, nil
}

// validDomain checks a network domain as NetUtils.verifyDomainName does.
func validDomain(d string) bool {
	if len(d) > 190 {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if len(label) < 1 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' || ('0' <= label[0] && label[0] <= '9') {
			return false
		}
		for i := 0; i < len(label); i++ {
			ch := label[i] | 0x20
			if !('a' <= ch && ch <= 'z' || '0' <= label[i] && label[i] <= '9' || label[i] == '-') {
				return false
			}
		}
	}
	return true
}

// startVPC deploys the VPC's virtual router with the VPC's source NAT
// address, if it has none yet.
func (st *state) startVPC(v *vpc) error {
	if v.router != nil {
		return nil
	}
	ip, err := st.allocPublic(v.zone, v.acct, nil)
	if err != nil {
		return err
	}
	ip.sourceNAT, ip.state, ip.vpc = true, "Allocated", v
	r := &router{base: st.newBase(), owned: owned{acct: v.acct}, zone: v.zone, vpc: v, publicIP: ip, state: "Running"}
	r.name, r.mac = fmt.Sprintf("r-%d-VM", r.seq), macFor(r.seq|0x10000000)
	v.router = r
	return nil
}

func deleteVPC(c *call) (reply, error) {
	v, _ := refAs[*vpc](c, "id")
	if err := c.checkAccess(v.acct, v.String()); err != nil {
		return nil, err
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if n := len(c.st.tiersOf(v)); n > 0 {
			return nil, invalidParam("Can't delete %s as its used by %d networks", v, n)
		}
		c.st.removeVPC(v)
		return successReply{}, nil
	}}, nil
}

// removeVPC deletes a VPC without tiers with what belongs to it: its VPN
// gateway and connections, ACL lists, public addresses and router.
func (st *state) removeVPC(v *vpc) {
	for _, g := range append([]*vpnGateway(nil), st.vpnGateways.list...) {
		if g.vpc == v {
			st.removeVPNGateway(g)
		}
	}
	for _, l := range append([]*aclList(nil), st.aclLists.list...) {
		if l.vpc == v {
			st.removeACLList(l)
		}
	}
	for _, ip := range append([]*publicIP(nil), st.publicIPs.list...) {
		if ip.vpc == v {
			st.releasePublicIP(ip)
		}
	}
	v.router = nil
	st.vpcs.remove(v.id)
	delete(st.tags, v.id)
}

// planTier validates the VPC side of a createNetwork request for network
// n, whose range is already set, and links n to its VPC and ACL list: with
// vpcid the offering must be one for VPCs, the range inside the VPC's
// CIDR and apart from the other tiers', the ACL list the VPC's or a
// built-in one (default_deny when none is named); without vpcid the
// offering must not be one for VPCs.
func (c *call) planTier(n *network) error {
	v, _ := refAs[*vpc](c, "vpcid")
	acl, hasACL := refAs[*aclList](c, "aclid")
	if v == nil {
		switch {
		case n.offering.forVPC:
			return invalidParam("Network offering can be used for VPC networks only")
		case hasACL:
			return invalidParam("ACL can be associated with VPC networks only")
		}
		return nil
	}
	if err := c.checkAccess(v.acct, v.String()); err != nil {
		return err
	}
	switch {
	case !n.offering.forVPC:
		return invalidParam("Network offering can't be used for VPC networks")
	case n.acct != v.acct:
		return invalidParam("%s doesn't belong to the network's owner %s", v, n.acct)
	case n.zone != v.zone:
		return invalidParam("Network's zone %s is not the zone %s of %s", n.zone.name, v.zone.name, v)
	case !c.has("gateway") || !c.has("netmask"):
		return invalidParam("Gateway/netmask are required when creating network for VPC")
	case !within(n.cidr, v.cidr):
		return invalidParam("Network cidr %s is not within vpc %s", n.cidr, v)
	case hasACL && acl.vpc != nil && acl.vpc != v:
		return invalidParam("ACL: %s do not belong to the VPC", acl.id)
	}
	tiers := c.st.tiersOf(v)
	if len(tiers) >= vpcMaxNetworks {
		return invalidParam("Number of networks per VPC can't exceed %d; increase it using global config vpc.max.networks", vpcMaxNetworks)
	}
	for _, t := range tiers {
		if t.cidr.Overlaps(n.cidr) {
			return invalidParam("Network cidr %s crosses other network cidr %s belonging to the same vpc %s", n.cidr, t.name, v)
		}
		if contains(t.offering.services, "Lb") && contains(n.offering.services, "Lb") {
			return invalidParam("Public LB service is already supported by network %s in VPC %s", t.name, v)
		}
	}
	if !hasACL {
		acl = c.st.defaultACL("default_deny")
	}
	n.vpc, n.acl, n.networkDomain = v, acl, v.networkDomain
	return c.st.startVPC(v)
}

// networkVPCFields fills in the VPC fields of a network view.
func networkVPCFields(v *networkView, n *network) {
	if n.vpc != nil {
		v.VPCID, v.VPCName = n.vpc.id, n.vpc.name
	}
	if n.acl != nil {
		v.ACLID, v.ACLName = n.acl.id, n.acl.name
	}
}
