package cloudstacksim

import (
	"net/netip"
	"strconv"
	"strings"
)

// firewallRule is an ingress rule on a public IP or an egress rule on a
// network.
type firewallRule struct {
	base
	owned
	ip        *publicIP // ingress
	network   *network
	egress    bool
	protocol  string
	startPort *int
	endPort   *int
	icmpType  *int
	icmpCode  *int
	cidrs     []string
	destCIDRs []string
	state     string
	// related is the id of the port forwarding or static NAT rule whose
	// openfirewall created this rule; it goes with that rule.
	related string
}

// firewallRuleView is the firewallrule response object.
type firewallRuleView struct {
	ID           string         `json:"id"`
	Protocol     string         `json:"protocol"`
	StartPort    *int           `json:"startport,omitempty"`
	EndPort      *int           `json:"endport,omitempty"`
	IPAddressID  string         `json:"ipaddressid,omitempty"`
	IPAddress    string         `json:"ipaddress,omitempty"`
	State        string         `json:"state"`
	CIDRList     string         `json:"cidrlist"`
	DestCIDRList string         `json:"destcidrlist,omitempty"`
	ICMPType     *int           `json:"icmptype,omitempty"`
	ICMPCode     *int           `json:"icmpcode,omitempty"`
	NetworkID    string         `json:"networkid"`
	TrafficType  string         `json:"traffictype"`
	ForDisplay   bool           `json:"fordisplay"`
	Tags         []resourceTagV `json:"tags"`
	JobID        string         `json:"jobid,omitempty"`
	JobStatus    *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewFirewallRule(r *firewallRule) any {
	v := firewallRuleView{ID: r.id, Protocol: r.protocol, StartPort: r.startPort, EndPort: r.endPort,
		State: r.state, CIDRList: strings.Join(r.cidrs, ","), DestCIDRList: strings.Join(r.destCIDRs, ","),
		ICMPType: r.icmpType, ICMPCode: r.icmpCode, TrafficType: "Ingress", ForDisplay: true, Tags: c.tagViews(r.id)}
	if r.egress {
		v.TrafficType = "Egress"
	}
	if r.ip != nil {
		v.IPAddressID, v.IPAddress = r.ip.id, r.ip.addr.String()
	}
	if r.network != nil {
		v.NetworkID = r.network.id
	}
	v.JobID, v.JobStatus = pendingJob(&r.base)
	return v
}

// portForwardingRule forwards public ports of an IP to a VM.
type portForwardingRule struct {
	base
	owned
	ip                       *publicIP
	vm                       *vm
	vmIP                     netip.Addr
	protocol                 string
	publicStart, publicEnd   int
	privateStart, privateEnd int
	cidrs                    []string
	state                    string
}

// portForwardingRuleView is the portforwardingrule response object; its
// ports are strings in the spec.
type portForwardingRuleView struct {
	ID                        string         `json:"id"`
	PrivatePort               string         `json:"privateport"`
	PrivateEndPort            string         `json:"privateendport"`
	Protocol                  string         `json:"protocol"`
	PublicPort                string         `json:"publicport"`
	PublicEndPort             string         `json:"publicendport"`
	VirtualMachineID          string         `json:"virtualmachineid"`
	VirtualMachineName        string         `json:"virtualmachinename"`
	VirtualMachineDisplayName string         `json:"virtualmachinedisplayname"`
	IPAddressID               string         `json:"ipaddressid"`
	IPAddress                 string         `json:"ipaddress"`
	State                     string         `json:"state"`
	CIDRList                  string         `json:"cidrlist"`
	Tags                      []resourceTagV `json:"tags"`
	VMGuestIP                 string         `json:"vmguestip,omitempty"`
	NetworkID                 string         `json:"networkid,omitempty"`
	ForDisplay                bool           `json:"fordisplay"`
	JobID                     string         `json:"jobid,omitempty"`
	JobStatus                 *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewPFRule(r *portForwardingRule) any {
	v := portForwardingRuleView{ID: r.id, PrivatePort: strconv.Itoa(r.privateStart), PrivateEndPort: strconv.Itoa(r.privateEnd),
		Protocol: r.protocol, PublicPort: strconv.Itoa(r.publicStart), PublicEndPort: strconv.Itoa(r.publicEnd),
		VirtualMachineID: r.vm.id, VirtualMachineName: r.vm.name, VirtualMachineDisplayName: r.vm.displayName,
		IPAddressID: r.ip.id, IPAddress: r.ip.addr.String(), State: r.state, CIDRList: strings.Join(r.cidrs, ","),
		Tags: c.tagViews(r.id), ForDisplay: true}
	if r.vmIP.IsValid() {
		v.VMGuestIP = r.vmIP.String()
	}
	if r.ip.network != nil {
		v.NetworkID = r.ip.network.id
	}
	v.JobID, v.JobStatus = pendingJob(&r.base)
	return v
}

// ipForwardingRule is a static NAT rule: ports of a static-NAT IP opened to
// its VM.
type ipForwardingRule struct {
	base
	owned
	ip                 *publicIP
	protocol           string
	startPort, endPort int
	state              string
}

// ipForwardingRuleView is the ipforwardingrule response object.
type ipForwardingRuleView struct {
	ID                        string `json:"id"`
	Protocol                  string `json:"protocol"`
	StartPort                 int    `json:"startport"`
	EndPort                   int    `json:"endport"`
	IPAddressID               string `json:"ipaddressid"`
	IPAddress                 string `json:"ipaddress"`
	VirtualMachineID          string `json:"virtualmachineid,omitempty"`
	VirtualMachineName        string `json:"virtualmachinename,omitempty"`
	VirtualMachineDisplayName string `json:"virtualmachinedisplayname,omitempty"`
	VMGuestIP                 string `json:"vmguestip,omitempty"`
	State                     string `json:"state"`
}

func viewIPFRule(r *ipForwardingRule) any {
	v := ipForwardingRuleView{ID: r.id, Protocol: r.protocol, StartPort: r.startPort, EndPort: r.endPort,
		IPAddressID: r.ip.id, IPAddress: r.ip.addr.String(), State: r.state}
	if r.ip.vm != nil {
		v.VirtualMachineID, v.VirtualMachineName, v.VirtualMachineDisplayName = r.ip.vm.id, r.ip.vm.name, r.ip.vm.displayName
		v.VMGuestIP = r.ip.vmIP.String()
	}
	return v
}

func init() {
	def := func(name, kind, item string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kind, Handler: h, InstanceType: "FirewallRule", ItemKey: item}
	}
	create := func(d cmdDef) cmdDef { d.Create = true; return d }
	list := func(d cmdDef) cmdDef { d.ReadOnly = true; return d }
	register(
		create(def("createFirewallRule", kindFirewallRule, "firewallrule", createFirewallRule)),
		def("deleteFirewallRule", kindFirewallRule, "(success)", deleteFirewallRule),
		list(def("listFirewallRules", kindFirewallRule, "firewallrule", listFirewallRules)),
		create(def("createEgressFirewallRule", kindFirewallRule, "firewallrule", createEgressFirewallRule)),
		def("deleteEgressFirewallRule", kindFirewallRule, "(success)", deleteEgressFirewallRule),
		list(def("listEgressFirewallRules", kindFirewallRule, "firewallrule", listEgressFirewallRules)),
		create(def("createPortForwardingRule", kindPFRule, "portforwardingrule", createPortForwardingRule)),
		def("deletePortForwardingRule", kindPFRule, "(success)", deletePortForwardingRule),
		list(def("listPortForwardingRules", kindPFRule, "portforwardingrule", listPortForwardingRules)),
		create(def("createIpForwardingRule", kindIPFRule, "ipforwardingrule", createIpForwardingRule)),
		def("deleteIpForwardingRule", kindIPFRule, "(success)", deleteIpForwardingRule),
		list(def("listIpForwardingRules", kindIPFRule, "ipforwardingrule", listIpForwardingRules)),
	)
}

// validProtocol reports whether p is tcp, udp, icmp, all or a protocol number.
func validProtocol(p string) bool {
	switch strings.ToLower(p) {
	case "tcp", "udp", "icmp", "all":
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 255
}

// portParam returns an optional port parameter of a firewall, port
// forwarding or static NAT rule, validated as NetUtils.isValidPort does
// (1 to 65535).
func (c *call) portParam(name string) (*int, error) {
	n := c.optionalInt(name)
	if n != nil && (*n < 1 || *n > 65535) {
		return nil, invalidParam("%s is an invalid value: %d", name, *n)
	}
	return n, nil
}

// optionalInt returns an optional integer parameter (nil when absent or
// blank; the spec check has refused one that is not a number).
func (c *call) optionalInt(name string) *int {
	if !c.has(name) || strings.TrimSpace(c.str0(name)) == "" {
		return nil
	}
	n := int(c.integer(name, 0))
	return &n
}

// ruleFromParams builds the protocol, ports, ICMP fields and CIDRs of a
// firewall rule request.
func (c *call) ruleFromParams(r *firewallRule) error {
	r.protocol = strings.ToLower(c.str0("protocol"))
	if !validProtocol(r.protocol) {
		return invalidParam("Invalid protocol %s", c.str0("protocol"))
	}
	var err error
	if r.startPort, err = c.portParam("startport"); err != nil {
		return err
	}
	if r.endPort, err = c.portParam("endport"); err != nil {
		return err
	}
	if r.startPort != nil && r.endPort == nil {
		e := *r.startPort
		r.endPort = &e
	}
	if r.startPort != nil && *r.startPort > *r.endPort {
		return invalidParam("Start port can't be bigger than end port")
	}
	if r.protocol != "tcp" && r.protocol != "udp" && r.startPort != nil {
		return invalidParam("Can specify start/end port only for tcp/udp protocols")
	}
	if r.protocol == "icmp" {
		t, code := int(c.integer("icmptype", -1)), int(c.integer("icmpcode", -1))
		r.icmpType, r.icmpCode = &t, &code
	} else if c.has("icmptype") || c.has("icmpcode") {
		return invalidParam("Can specify icmpCode and icmpType for ICMP protocol only")
	}
	r.cidrs = c.list("cidrlist")
	if err := validCIDRList(r.cidrs); err != nil {
		return err
	}
	r.destCIDRs = c.list("destcidrlist")
	return validCIDRList(r.destCIDRs)
}

// overlaps reports whether two port ranges (nil: all ports) overlap.
func overlaps(s1, e1, s2, e2 *int) bool {
	if s1 == nil || s2 == nil {
		return true
	}
	return *s1 <= *e2 && *s2 <= *e1
}

// conflicting returns an existing firewall rule duplicating r.
func (st *state) conflicting(r *firewallRule) *firewallRule {
	for _, x := range st.firewallRules.list {
		if x.ip == r.ip && x.network == r.network && x.egress == r.egress && x.protocol == r.protocol &&
			strings.Join(x.cidrs, ",") == strings.Join(r.cidrs, ",") && overlaps(x.startPort, x.endPort, r.startPort, r.endPort) {
			return x
		}
	}
	return nil
}

func portText(p *int) string {
	if p == nil {
		return "null"
	}
	return strconv.Itoa(*p)
}

// addFirewallRule checks a new rule for conflicts, inserts it and returns the
// job that activates it.
func (c *call) addFirewallRule(r *firewallRule) (reply, error) {
	if x := c.st.conflicting(r); x != nil {
		return nil, ruleConflict("The range specified, %s-%s, conflicts with rule %s which has %s-%s", portText(r.startPort), portText(r.endPort), x.id, portText(x.startPort), portText(x.endPort))
	}
	r.base = c.st.newBase()
	c.st.firewallRules.insert(r)
	return &asyncReply{id: r.id, instance: r, run: func() (reply, error) {
		r.state = "Active"
		return objReply{"firewallrule", c.viewFirewallRule(r)}, nil
	}, fail: func() { c.st.firewallRules.remove(r.id) }}, nil
}

func createFirewallRule(c *call) (reply, error) {
	ip, err := c.targetIP("ipaddressid")
	if err != nil {
		return nil, err
	}
	r := &firewallRule{owned: owned{acct: ip.acct}, ip: ip, network: ip.network, state: "Add"}
	if err := c.ruleFromParams(r); err != nil {
		return nil, err
	}
	if len(r.cidrs) == 0 {
		r.cidrs = []string{"0.0.0.0/0"}
	}
	return c.addFirewallRule(r)
}

func createEgressFirewallRule(c *call) (reply, error) {
	n, _ := refAs[*network](c, "networkid")
	if err := c.checkAccess(n.acct, "Network "+n.id); err != nil {
		return nil, err
	}
	if n.guestType != "Isolated" {
		return nil, invalidParam("Egress firewall rules can be created only for isolated networks; network %s is %s", n.id, n.guestType)
	}
	r := &firewallRule{owned: owned{acct: n.acct}, network: n, egress: true, state: "Add"}
	if err := c.ruleFromParams(r); err != nil {
		return nil, err
	}
	if len(r.cidrs) == 0 {
		r.cidrs = []string{n.cidr.String()}
	}
	return c.addFirewallRule(r)
}

// deleteRule is the job of the delete*Rule commands.
func deleteRule(c *call, e entity, remove func()) (reply, error) {
	if err := c.checkAccess(ownerOf(e), "FirewallRule "+e.meta().id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: e, run: func() (reply, error) {
		remove()
		delete(c.st.tags, e.meta().id)
		return successReply{}, nil
	}}, nil
}

func deleteFirewallRule(c *call) (reply, error) {
	r, _ := refAs[*firewallRule](c, "id")
	if r.egress {
		return nil, invalidParam("Unable to find firewall rule with id %s", r.id)
	}
	return deleteRule(c, r, func() { c.st.firewallRules.remove(r.id) })
}

func deleteEgressFirewallRule(c *call) (reply, error) {
	r, _ := refAs[*firewallRule](c, "id")
	if !r.egress {
		return nil, invalidParam("Unable to find egress firewall rule with id %s", r.id)
	}
	return deleteRule(c, r, func() { c.st.firewallRules.remove(r.id) })
}

func (c *call) listFirewall(egress bool) (reply, error) {
	lf, err := newListFilter[*firewallRule](c)
	if err != nil {
		return nil, err
	}
	ip, _ := refAs[*publicIP](c, "ipaddressid")
	n, _ := refAs[*network](c, "networkid")
	keep := func(r *firewallRule) bool {
		switch {
		case r.egress != egress,
			lf.drops(r, r.acct),
			ip != nil && r.ip != ip,
			n != nil && r.network != n,
			!c.matchTags(r.id):
			return false
		}
		return true
	}
	return listItems(c, "firewallrule", c.st.firewallRules.list, keep, c.viewFirewallRule), nil
}

func listFirewallRules(c *call) (reply, error)       { return c.listFirewall(false) }
func listEgressFirewallRules(c *call) (reply, error) { return c.listFirewall(true) }

func createPortForwardingRule(c *call) (reply, error) {
	ip, err := c.targetIP("ipaddressid")
	if err != nil {
		return nil, err
	}
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	proto := strings.ToLower(c.str0("protocol"))
	if proto != "tcp" && proto != "udp" {
		return nil, invalidParam("Invalid protocol %s; port forwarding supports tcp and udp", c.str0("protocol"))
	}
	r := &portForwardingRule{owned: owned{acct: ip.acct}, ip: ip, vm: v, protocol: proto, state: "Add"}
	ports := []*int{&r.publicStart, &r.publicEnd, &r.privateStart, &r.privateEnd}
	for i, name := range []string{"publicport", "publicendport", "privateport", "privateendport"} {
		p, err := c.portParam(name)
		if err != nil {
			return nil, err
		}
		if p != nil {
			*ports[i] = *p
		}
	}
	if r.publicEnd == 0 {
		r.publicEnd = r.publicStart
	}
	if r.privateEnd == 0 {
		r.privateEnd = r.privateStart
	}
	if r.publicStart > r.publicEnd || r.privateStart > r.privateEnd {
		return nil, invalidParam("Start port can't be bigger than end port")
	}
	if r.publicEnd-r.publicStart != r.privateEnd-r.privateStart {
		return nil, invalidParam("Private port range and public port range should have the same number of ports")
	}
	if ip.vm != nil {
		return nil, ruleConflict("Can't create port forwarding rule for the ip address id=%s: it has static nat enabled", ip.id)
	}
	if v.zone != ip.zone || v.gone() {
		return nil, invalidParam("VM %s can't be used for port forwarding on ip address %s", v.id, ip.id)
	}
	r.cidrs = c.list("cidrlist")
	if err := validCIDRList(r.cidrs); err != nil {
		return nil, err
	}
	if len(r.cidrs) == 0 {
		r.cidrs = []string{"0.0.0.0/0"}
	}
	if len(v.nics) > 0 {
		r.vmIP = v.nics[0].ip
	}
	if g, ok := c.str("vmguestip"); ok {
		r.vmIP, _ = netip.ParseAddr(g)
	}
	for _, x := range c.st.pfRules.list {
		if x.ip == ip && x.protocol == proto && x.publicStart <= r.publicEnd && r.publicStart <= x.publicEnd {
			return nil, ruleConflict("The range specified, %d-%d, conflicts with rule %s which has %d-%d", r.publicStart, r.publicEnd, x.id, x.publicStart, x.publicEnd)
		}
	}
	r.base = c.st.newBase()
	c.st.pfRules.insert(r)
	var fw *firewallRule
	if c.boolean("openfirewall", true) {
		fw = c.st.openRelated(r.id, ip, proto, r.publicStart, r.publicEnd, r.cidrs)
	}
	return &asyncReply{id: r.id, instance: r, run: func() (reply, error) {
		r.state = "Active"
		if fw != nil {
			fw.state = "Active"
		}
		return objReply{"portforwardingrule", c.viewPFRule(r)}, nil
	}, fail: func() {
		c.st.pfRules.remove(r.id)
		if fw != nil {
			c.st.firewallRules.remove(fw.id)
		}
	}}, nil
}

func deletePortForwardingRule(c *call) (reply, error) {
	r, _ := refAs[*portForwardingRule](c, "id")
	return deleteRule(c, r, func() {
		c.st.pfRules.remove(r.id)
		c.st.removeRelated(r.id)
	})
}

func listPortForwardingRules(c *call) (reply, error) {
	lf, err := newListFilter[*portForwardingRule](c)
	if err != nil {
		return nil, err
	}
	ip, _ := refAs[*publicIP](c, "ipaddressid")
	n, _ := refAs[*network](c, "networkid")
	keyword, hasKeyword := c.str("keyword")
	keep := func(r *portForwardingRule) bool {
		switch {
		case lf.drops(r, r.acct),
			ip != nil && r.ip != ip,
			n != nil && r.ip.network != n,
			hasKeyword && !keywordMatch(keyword, r.protocol, r.vm.name),
			!c.matchTags(r.id):
			return false
		}
		return true
	}
	return listItems(c, "portforwardingrule", c.st.pfRules.list, keep, c.viewPFRule), nil
}

func createIpForwardingRule(c *call) (reply, error) {
	ip, err := c.targetIP("ipaddressid")
	if err != nil {
		return nil, err
	}
	if ip.vm == nil {
		return nil, invalidParam("Can't create ip forwarding rules for the ip address id=%s: static nat is not enabled", ip.id)
	}
	proto := strings.ToLower(c.str0("protocol"))
	if !validProtocol(proto) {
		return nil, invalidParam("Invalid protocol %s", c.str0("protocol"))
	}
	start, err := c.portParam("startport")
	if err != nil {
		return nil, err
	}
	end, err := c.portParam("endport")
	if err != nil {
		return nil, err
	}
	r := &ipForwardingRule{owned: owned{acct: ip.acct}, ip: ip, protocol: proto, state: "Add"}
	if start != nil {
		r.startPort, r.endPort = *start, *start
	}
	if end != nil {
		r.endPort = *end
	}
	if err := c.st.ipfConflict(r); err != nil {
		return nil, err
	}
	r.base = c.st.newBase()
	c.st.ipfRules.insert(r)
	var fw *firewallRule
	if c.boolean("openfirewall", true) {
		fw = c.st.openRelated(r.id, ip, proto, r.startPort, r.endPort, or2(c.list("cidrlist"), []string{"0.0.0.0/0"}))
	}
	return &asyncReply{id: r.id, instance: r, run: func() (reply, error) {
		r.state = "Active"
		if fw != nil {
			fw.state = "Active"
		}
		return objReply{"ipforwardingrule", viewIPFRule(r)}, nil
	}, fail: func() {
		c.st.ipfRules.remove(r.id)
		c.st.removeRelated(r.id)
	}}, nil
}

func deleteIpForwardingRule(c *call) (reply, error) {
	r, _ := refAs[*ipForwardingRule](c, "id")
	return deleteRule(c, r, func() {
		c.st.ipfRules.remove(r.id)
		c.st.removeRelated(r.id)
	})
}

func listIpForwardingRules(c *call) (reply, error) {
	lf, err := newListFilter[*ipForwardingRule](c)
	if err != nil {
		return nil, err
	}
	ip, _ := refAs[*publicIP](c, "ipaddressid")
	v, _ := refAs[*vm](c, "virtualmachineid")
	keep := func(r *ipForwardingRule) bool {
		switch {
		case lf.drops(r, r.acct),
			ip != nil && r.ip != ip,
			v != nil && r.ip.vm != v:
			return false
		}
		return true
	}
	return listItems(c, "ipforwardingrule", c.st.ipfRules.list, keep, func(r *ipForwardingRule) any { return viewIPFRule(r) }), nil
}
