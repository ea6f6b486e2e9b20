package cloudstacksim

import (
	"net/netip"
	"time"
)

// publicIP is a public IP address of a zone's pool, associated with an
// account and a network; static NAT maps it to a VM.
type publicIP struct {
	base
	owned
	addr      netip.Addr
	zone      *zone
	network   *network
	state     string // Allocating, Allocated
	sourceNAT bool
	vm        *vm
	vmIP      netip.Addr
	allocated time.Time
	poolIndex int
	vpc       *vpc // the VPC the address belongs to
}

// publicIPView is the publicipaddress / ipaddress response object.
type publicIPView struct {
	ID          string `json:"id"`
	IPAddress   string `json:"ipaddress"`
	Allocated   string `json:"allocated,omitempty"`
	ZoneID      string `json:"zoneid"`
	ZoneName    string `json:"zonename"`
	IsSourceNAT bool   `json:"issourcenat"`
	ownerFields
	ForVirtualNetwork         bool           `json:"forvirtualnetwork"`
	VLANID                    string         `json:"vlanid"`
	VLANName                  string         `json:"vlanname"`
	IsStaticNAT               bool           `json:"isstaticnat"`
	IsSystem                  bool           `json:"issystem"`
	VirtualMachineID          string         `json:"virtualmachineid,omitempty"`
	VirtualMachineName        string         `json:"virtualmachinename,omitempty"`
	VirtualMachineDisplayName string         `json:"virtualmachinedisplayname,omitempty"`
	VMIPAddress               string         `json:"vmipaddress,omitempty"`
	VPCID                     string         `json:"vpcid,omitempty"`
	VPCName                   string         `json:"vpcname,omitempty"`
	AssociatedNetworkID       string         `json:"associatednetworkid,omitempty"`
	AssociatedNetworkName     string         `json:"associatednetworkname,omitempty"`
	NetworkID                 string         `json:"networkid"`
	State                     string         `json:"state"`
	PhysicalNetworkID         string         `json:"physicalnetworkid"`
	Purpose                   string         `json:"purpose,omitempty"`
	Tags                      []resourceTagV `json:"tags"`
	IsPortable                bool           `json:"isportable"`
	ForDisplay                bool           `json:"fordisplay"`
	HasAnnotations            bool           `json:"hasannotations"`
	JobID                     string         `json:"jobid,omitempty"`
	JobStatus                 *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewPublicIP(ip *publicIP) any {
	v := publicIPView{ID: ip.id, IPAddress: ip.addr.String(), Allocated: fmtDate(ip.allocated), ZoneID: ip.zone.id,
		ZoneName: ip.zone.name, IsSourceNAT: ip.sourceNAT, ownerFields: ownerView(ip.acct), ForVirtualNetwork: true,
		VLANID: ip.zone.id, VLANName: "vlan://untagged", IsStaticNAT: ip.vm != nil, NetworkID: ip.zone.hostID,
		State: ip.state, PhysicalNetworkID: ip.zone.hostID, Tags: c.tagViews(ip.id), ForDisplay: true}
	if ip.network != nil {
		v.AssociatedNetworkID, v.AssociatedNetworkName = ip.network.id, ip.network.name
	}
	if ip.vpc != nil {
		v.VPCID, v.VPCName = ip.vpc.id, ip.vpc.name
	}
	if ip.vm != nil {
		v.VirtualMachineID, v.VirtualMachineName, v.VirtualMachineDisplayName = ip.vm.id, ip.vm.name, ip.vm.displayName
		v.VMIPAddress, v.Purpose = ip.vmIP.String(), "StaticNat"
	}
	if ip.sourceNAT {
		v.Purpose = "SourceNat"
	}
	v.JobID, v.JobStatus = pendingJob(&ip.base)
	return v
}

func init() {
	ipDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindPublicIP, Handler: h, InstanceType: "IpAddress", ItemKey: "ipaddress"}
	}
	assoc := ipDef("associateIpAddress", associateIpAddress)
	assoc.Create = true
	list := ipDef("listPublicIpAddresses", listPublicIpAddresses)
	list.ReadOnly, list.ItemKey = true, "publicipaddress"
	disassoc := ipDef("disassociateIpAddress", disassociateIpAddress)
	disassoc.ItemKey = "(success)"
	enable := ipDef("enableStaticNat", enableStaticNat)
	enable.ItemKey = "(success)"
	disable := ipDef("disableStaticNat", disableStaticNat)
	disable.ItemKey = "(success)"
	register(assoc, list, disassoc, enable, disable)
}

// allocPublic takes the next free address of the zone's pool.
func (st *state) allocPublic(z *zone, owner *account, n *network) (*publicIP, error) {
	idx := -1
	if len(z.freePublic) > 0 {
		idx = z.freePublic[len(z.freePublic)-1]
		z.freePublic = z.freePublic[:len(z.freePublic)-1]
	} else if z.nextPublic < publicPoolSize {
		idx = z.nextPublic
		z.nextPublic++
	}
	if idx < 0 {
		e := errorf(CodeInsufficientCapacity, CSInsufficientCapacity, "Insufficient address capacity: no free public IP address in zone %s", z.name)
		e.hide = true
		return nil, e
	}
	ip := &publicIP{base: st.newBase(), owned: owned{acct: owner}, addr: addrAt(z.publicPool, idx), zone: z,
		network: n, state: "Allocating", poolIndex: idx}
	ip.allocated = ip.created
	st.publicIPs.insert(ip)
	return ip, nil
}

// publicPoolSize is the number of addresses of a zone's public pool.
const publicPoolSize = 65534

// releasePublicIP returns an address to its zone's pool with its rules.
func (st *state) releasePublicIP(ip *publicIP) {
	dropWhere(st, &st.firewallRules, func(r *firewallRule) bool { return r.ip == ip })
	dropWhere(st, &st.pfRules, func(r *portForwardingRule) bool { return r.ip == ip })
	dropWhere(st, &st.ipfRules, func(r *ipForwardingRule) bool { return r.ip == ip })
	drop(st, &st.publicIPs, ip.id)
	ip.zone.freePublic = append(ip.zone.freePublic, ip.poolIndex)
}

// staticNATOf returns the address statically NATed to v, if any.
func (st *state) staticNATOf(v *vm) *publicIP {
	for _, ip := range st.publicIPs.list {
		if ip.vm == v {
			return ip
		}
	}
	return nil
}

func (c *call) targetIP(name string) (*publicIP, error) {
	return target[*publicIP](c, name, "IpAddress")
}

func associateIpAddress(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	n, _ := refAs[*network](c, "networkid")
	z, _ := refAs[*zone](c, "zoneid")
	v, _ := refAs[*vpc](c, "vpcid")
	switch {
	case v != nil:
		// An address of a VPC belongs to the VPC, not to one of its tiers.
		if err := c.checkAccess(v.acct, v.String()); err != nil {
			return nil, err
		}
		z, n = v.zone, nil
	case n != nil:
		if err := c.canUseNetwork(n, owner); err != nil {
			return nil, err
		}
		z = n.zone
	case z != nil:
		n = c.st.defaultNetwork(z, owner)
	default:
		return nil, invalidParam("Either networkId or zoneId has to be specified")
	}
	if err := c.checkLimits(owner, map[int]int64{resPublicIP: 1}); err != nil {
		return nil, err
	}
	ip, err := c.st.allocPublic(z, owner, n)
	if err != nil {
		return nil, err
	}
	ip.vpc = v
	return &asyncReply{id: ip.id, instance: ip, run: func() (reply, error) {
		ip.state = "Allocated"
		return objReply{"ipaddress", c.viewPublicIP(ip)}, nil
	}, fail: func() { c.st.releasePublicIP(ip) }}, nil
}

func listPublicIpAddresses(c *call) (reply, error) {
	lf, err := newListFilter[*publicIP](c)
	if err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	n, _ := refAs[*network](c, "associatednetworkid")
	v, _ := refAs[*vm](c, "virtualmachineid")
	vpcFilter, _ := refAs[*vpc](c, "vpcid")
	addr, hasAddr := c.str("ipaddress")
	keyword, hasKeyword := c.str("keyword")
	state, hasState := c.str("state")
	keep := func(ip *publicIP) bool {
		switch {
		case lf.drops(ip, ip.acct),
			z != nil && ip.zone != z,
			n != nil && ip.network != n,
			v != nil && ip.vm != v,
			c.has("vpcid") && ip.vpc != vpcFilter,
			hasAddr && ip.addr.String() != addr,
			hasKeyword && !keywordMatch(keyword, ip.addr.String()),
			hasState && !equalFold(ip.state, state),
			c.has("isstaticnat") && (ip.vm != nil) != c.boolean("isstaticnat", false),
			c.has("issourcenat") && ip.sourceNAT != c.boolean("issourcenat", false),
			!c.matchTags(ip.id):
			return false
		}
		return true
	}
	return listItems(c, "publicipaddress", c.st.publicIPs.list, keep, c.viewPublicIP), nil
}

func disassociateIpAddress(c *call) (reply, error) {
	ip, err := c.targetIP("id")
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: ip, run: func() (reply, error) {
		if ip.sourceNAT {
			return nil, invalidParam("Ip address id=%s is source nat ip address and can't be released", ip.id)
		}
		c.st.releasePublicIP(ip)
		return successReply{}, nil
	}}, nil
}

func enableStaticNat(c *call) (reply, error) {
	ip, err := c.targetIP("ipaddressid")
	if err != nil {
		return nil, err
	}
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	switch {
	case ip.sourceNAT:
		return nil, invalidParam("Can't enable static, ip address %s is a sourceNat ip address", ip.addr)
	case ip.vm != nil && ip.vm != v:
		return nil, ruleConflict("Failed to enable static nat for the ip address id=%s as it's already assigned to vm %s", ip.id, ip.vm.name)
	case v.gone():
		return nil, invalidParam("Can't enable static nat for the vm %s in state %s", v.name, v.state)
	case v.zone != ip.zone:
		return nil, invalidParam("VM %s and ip address %s are not in the same zone", v.id, ip.id)
	}
	if other := c.st.staticNATOf(v); other != nil && other != ip {
		return nil, ruleConflict("Failed to enable static nat for the ip address id=%s: vm %s already has static nat ip %s", ip.id, v.name, other.addr)
	}
	for _, r := range c.st.pfRules.list {
		if r.ip == ip {
			return nil, ruleConflict("Failed to enable static nat for the ip address id=%s as it already has port forwarding rules assigned", ip.id)
		}
	}
	ip.vm = v
	if len(v.nics) > 0 {
		ip.vmIP = v.nics[0].ip
	}
	if g, ok := c.str("vmguestip"); ok {
		ip.vmIP, _ = netip.ParseAddr(g)
	}
	return successReply{}, nil
}

func disableStaticNat(c *call) (reply, error) {
	ip, err := c.targetIP("ipaddressid")
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: ip, run: func() (reply, error) {
		if ip.vm == nil {
			return nil, invalidParam("Specified IP address id is not associated with any vm Id")
		}
		for _, r := range append([]*ipForwardingRule(nil), c.st.ipfRules.list...) {
			if r.ip == ip {
				c.st.ipfRules.remove(r.id)
				c.st.removeRelated(r.id)
			}
		}
		ip.vm, ip.vmIP = nil, netip.Addr{}
		return successReply{}, nil
	}}, nil
}
