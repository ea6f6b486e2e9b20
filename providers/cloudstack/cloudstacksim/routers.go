package cloudstacksim

import (
	"crypto/sha1"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// kindRouter is the entity kind of virtual routers.
const kindRouter = "router"

func init() {
	registerKind(kindRouter, func(st *state, id string) (entity, bool) {
		for _, r := range st.routers() {
			if r.id == id {
				return r, true
			}
		}
		return nil, false
	})
	register(cmdDef{Name: "listRouters", ReadOnly: true, IDKind: kindRouter, Handler: listRouters, ItemKey: "router"})
}

// routers returns every virtual router in creation order: the routers of
// started VPCs and those that implemented isolated networks imply (one per
// network, with an id derived from the network's, so that it is stable).
func (st *state) routers() []*router {
	var out []*router
	for _, v := range st.vpcs.list {
		if v.router != nil {
			out = append(out, v.router)
		}
	}
	for _, n := range st.networks.list {
		if r := st.networkRouter(n); r != nil {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// networkRouter returns the router of an implemented isolated network
// outside VPCs, or nil.
func (st *state) networkRouter(n *network) *router {
	if n.vpc != nil || n.guestType != "Isolated" || n.state != "Implemented" {
		return nil
	}
	r := &router{base: base{id: derivedUUID("router/" + n.id), seq: n.seq, created: n.created}, owned: n.owned,
		zone: n.zone, network: n, state: "Running", mac: macFor(n.seq | 0x10000000)}
	r.name = fmt.Sprintf("r-%d-VM", n.seq)
	for _, ip := range st.publicIPs.list {
		if ip.network == n && ip.sourceNAT {
			r.publicIP = ip
		}
	}
	return r
}

// derivedUUID returns a lower-case UUID (version 5 layout) derived from
// seed, for entities the state derives rather than stores.
func derivedUUID(seed string) string {
	h := sha1.Sum([]byte("cloudstacksim/" + seed))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// serves reports whether r routes for network n.
func (r *router) serves(n *network) bool {
	if r.vpc != nil {
		return n.vpc == r.vpc
	}
	return r.network == n
}

// tiersServed returns the guest networks r has a NIC on: for a VPC router,
// the tiers that are implemented or have VMs.
func (st *state) tiersServed(r *router) []*network {
	if r.network != nil {
		return []*network{r.network}
	}
	var out []*network
	for _, n := range st.tiersOf(r.vpc) {
		if n.state == "Implemented" || len(n.hostnames) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// routerView is the domainrouter response object.
type routerView struct {
	ID                  string `json:"id"`
	ZoneID              string `json:"zoneid"`
	ZoneName            string `json:"zonename"`
	DNS1                string `json:"dns1"`
	DNS2                string `json:"dns2"`
	NetworkDomain       string `json:"networkdomain,omitempty"`
	Gateway             string `json:"gateway,omitempty"`
	Name                string `json:"name"`
	LinkLocalIP         string `json:"linklocalip"`
	LinkLocalMACAddress string `json:"linklocalmacaddress"`
	LinkLocalNetmask    string `json:"linklocalnetmask"`
	PublicIP            string `json:"publicip,omitempty"`
	PublicMACAddress    string `json:"publicmacaddress,omitempty"`
	PublicNetmask       string `json:"publicnetmask,omitempty"`
	PublicNetworkID     string `json:"publicnetworkid,omitempty"`
	GuestIPAddress      string `json:"guestipaddress,omitempty"`
	GuestMACAddress     string `json:"guestmacaddress,omitempty"`
	GuestNetmask        string `json:"guestnetmask,omitempty"`
	GuestNetworkID      string `json:"guestnetworkid,omitempty"`
	GuestNetworkName    string `json:"guestnetworkname,omitempty"`
	TemplateID          string `json:"templateid"`
	TemplateName        string `json:"templatename"`
	Created             string `json:"created"`
	State               string `json:"state"`
	ownerFields
	HostID              string      `json:"hostid,omitempty"`
	HostName            string      `json:"hostname,omitempty"`
	Hypervisor          string      `json:"hypervisor"`
	ServiceOfferingID   string      `json:"serviceofferingid,omitempty"`
	ServiceOfferingName string      `json:"serviceofferingname,omitempty"`
	IsRedundantRouter   bool        `json:"isredundantrouter"`
	RedundantState      string      `json:"redundantstate"`
	Version             string      `json:"version"`
	SoftwareVersion     string      `json:"softwareversion"`
	RequiresUpgrade     bool        `json:"requiresupgrade"`
	Role                string      `json:"role"`
	VPCID               string      `json:"vpcid,omitempty"`
	VPCName             string      `json:"vpcname,omitempty"`
	HealthChecksFailed  bool        `json:"healthchecksfailed"`
	NIC                 []routerNIC `json:"nic"`
	HasAnnotations      bool        `json:"hasannotations"`
}

// routerNIC is a NIC of a router (public, guest or link-local control).
type routerNIC struct {
	ID           string `json:"id"`
	NetworkID    string `json:"networkid,omitempty"`
	NetworkName  string `json:"networkname,omitempty"`
	Netmask      string `json:"netmask"`
	Gateway      string `json:"gateway,omitempty"`
	IPAddress    string `json:"ipaddress"`
	IsolationURI string `json:"isolationuri,omitempty"`
	BroadcastURI string `json:"broadcasturi,omitempty"`
	TrafficType  string `json:"traffictype"`
	Type         string `json:"type,omitempty"`
	IsDefault    bool   `json:"isdefault"`
	MACAddress   string `json:"macaddress"`
	DeviceID     string `json:"deviceid"`
	VPCID        string `json:"vpcid,omitempty"`
	VPCName      string `json:"vpcname,omitempty"`
}

func (c *call) viewRouter(r *router) any {
	z := r.zone
	linkLocal := netip.AddrFrom4([4]byte{169, 254, byte(r.seq >> 8), byte(r.seq)})
	v := routerView{ID: r.id, ZoneID: z.id, ZoneName: z.name, DNS1: z.dns1, DNS2: z.dns2, Name: r.name,
		LinkLocalIP: linkLocal.String(), LinkLocalMACAddress: macFor(r.seq | 0x0e000000), LinkLocalNetmask: "255.255.0.0",
		TemplateID: derivedUUID("template/systemvm"), TemplateName: "systemvm-kvm-4.18.0", Created: fmtDate(r.created),
		State: r.state, ownerFields: ownerView(r.acct), HostID: z.hostID, HostName: z.hostName, Hypervisor: "KVM",
		RedundantState: "UNKNOWN", Version: "4.18.0", SoftwareVersion: "4.18.0", Role: "VIRTUAL_ROUTER",
		NIC: []routerNIC{}}
	if o := c.st.routerOffering(); o != nil {
		v.ServiceOfferingID, v.ServiceOfferingName = o.id, o.name
	}
	dev := 0
	addNIC := func(n routerNIC) {
		n.DeviceID = fmt.Sprint(dev)
		dev++
		v.NIC = append(v.NIC, n)
	}
	if r.vpc != nil {
		v.VPCID, v.VPCName, v.NetworkDomain = r.vpc.id, r.vpc.name, r.vpc.networkDomain
		v.IsRedundantRouter = r.vpc.offering.redundant
	}
	if ip := r.publicIP; ip != nil {
		gw := addrAt(z.publicPool, 1)
		v.PublicIP, v.PublicMACAddress, v.PublicNetmask = ip.addr.String(), r.mac, netmaskOf(z.publicPool)
		v.PublicNetworkID, v.Gateway = z.hostID, gw.String()
		addNIC(routerNIC{ID: derivedUUID("nic/public/" + r.id), NetworkID: z.hostID, Netmask: v.PublicNetmask,
			Gateway: gw.String(), IPAddress: v.PublicIP, IsolationURI: "vlan://untagged", BroadcastURI: "vlan://untagged",
			TrafficType: "Public", IsDefault: true, MACAddress: r.mac})
	}
	for _, n := range c.st.tiersServed(r) {
		nic := routerNIC{ID: derivedUUID("nic/guest/" + r.id + "/" + n.id), NetworkID: n.id, NetworkName: n.name,
			Netmask: netmaskOf(n.cidr), IPAddress: n.gateway.String(), TrafficType: "Guest", Type: n.guestType,
			MACAddress: macFor(n.seq | 0x0c000000)}
		if n.vlan > 0 {
			nic.BroadcastURI = fmt.Sprintf("vlan://%d", n.vlan)
			nic.IsolationURI = nic.BroadcastURI
		}
		if n.vpc != nil {
			nic.VPCID, nic.VPCName = n.vpc.id, n.vpc.name
		} else {
			v.GuestIPAddress, v.GuestMACAddress, v.GuestNetmask = nic.IPAddress, nic.MACAddress, nic.Netmask
			v.GuestNetworkID, v.GuestNetworkName, v.NetworkDomain = n.id, n.name, n.networkDomain
		}
		addNIC(nic)
	}
	addNIC(routerNIC{ID: derivedUUID("nic/control/" + r.id), Netmask: v.LinkLocalNetmask, IPAddress: v.LinkLocalIP,
		TrafficType: "Control", MACAddress: v.LinkLocalMACAddress})
	return v
}

// routerOffering returns the virtual routers' system service offering.
func (st *state) routerOffering() *serviceOffering {
	for _, o := range st.serviceOfferings.list {
		if o.system {
			return o
		}
	}
	return nil
}

func listRouters(c *call) (reply, error) {
	if !c.caller.isRootAdmin() && c.caller.typ != accountDomainAdmin {
		return nil, &apiError{code: CodeUnauthorized,
			text: fmt.Sprintf("The given command '%s' either does not exist, is not available for user.", c.def.Name)}
	}
	lf, err := newListFilter[*router](c)
	if err != nil {
		return nil, err
	}
	v, _ := refAs[*vpc](c, "vpcid")
	n, _ := refAs[*network](c, "networkid")
	z, _ := refAs[*zone](c, "zoneid")
	name, hasName := c.str("name")
	state, hasState := c.str("state")
	keyword, hasKeyword := c.str("keyword")
	keep := func(r *router) bool {
		switch {
		case lf.drops(r, r.acct),
			v != nil && r.vpc != v,
			n != nil && !r.serves(n),
			z != nil && r.zone != z,
			hasName && r.name != name,
			hasState && !strings.EqualFold(r.state, state),
			hasKeyword && !keywordMatch(keyword, r.name),
			c.has("forvpc") && (r.vpc != nil) != c.boolean("forvpc", false):
			return false
		}
		return true
	}
	return listItems(c, "router", c.st.routers(), keep, c.viewRouter), nil
}
