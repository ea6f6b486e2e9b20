package cloudstacksim

import (
	"strconv"
	"strings"
)

// Entity kinds of network ACLs.
const (
	kindACLList = "networkacllist"
	kindACLItem = "networkacl"
)

// aclList is a network ACL list: the rules a VPC tier applies. The
// built-in lists default_allow and default_deny belong to no VPC and
// cannot be modified.
type aclList struct {
	base
	vpc               *vpc
	name, description string
	display           bool
}

// owner returns the account owning the list's VPC; nil for built-in lists.
func (l *aclList) owner() *account {
	if l.vpc == nil {
		return nil
	}
	return l.vpc.acct
}

// aclItem is a rule of a network ACL list.
type aclItem struct {
	base
	list               *aclList
	number             int
	protocol           string // tcp, udp, icmp, all or a protocol number
	startPort, endPort int    // 0: not set
	icmpType, icmpCode int    // for icmp
	cidrs              []string
	action             string // Allow, Deny
	traffic            string // Ingress, Egress
	state              string // Add, Active
	reason             string
	display            bool
}

// owner returns the account owning the rule's list.
func (r *aclItem) owner() *account { return r.list.owner() }

func init() {
	registerKind(kindACLList, lookupIn(func(st *state) *table[*aclList] { return &st.aclLists }))
	registerKind(kindACLItem, lookupIn(func(st *state) *table[*aclItem] { return &st.aclItems }))
	defaultKinds["aclid"] = kindACLList
	registerTaggable("NetworkACL", kindACLItem)
	registerTaggable("NetworkACLList", kindACLList)
	register(
		cmdDef{Name: "createNetworkACLList", Create: true, Handler: createNetworkACLList, InstanceType: "NetworkAclList",
			ItemKey: "networkacllist", JobClass: "org.apache.cloudstack.api.command.user.network.CreateNetworkACLListCmd"},
		cmdDef{Name: "listNetworkACLLists", ReadOnly: true, IDKind: kindACLList, Handler: listNetworkACLLists, ItemKey: "networkacllist"},
		cmdDef{Name: "replaceNetworkACLList", Handler: replaceNetworkACLList, InstanceType: "Network", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.network.ReplaceNetworkACLListCmd"},
		cmdDef{Name: "createNetworkACL", Create: true, Handler: createNetworkACL, InstanceType: "NetworkAcl",
			ItemKey: "networkacl", JobClass: "org.apache.cloudstack.api.command.user.network.CreateNetworkACLCmd"},
		cmdDef{Name: "listNetworkACLs", ReadOnly: true, IDKind: kindACLItem, Handler: listNetworkACLs, ItemKey: "networkacl"},
	)
}

// seedDefaultACLs adds the built-in lists with their two rules each
// (ingress and egress, every protocol, 0.0.0.0/0), as a fresh installation
// has them.
func (st *state) seedDefaultACLs() {
	for _, d := range []struct{ name, desc, action string }{
		{"default_deny", "Default Network ACL Deny All", "Deny"},
		{"default_allow", "Default Network ACL Allow All", "Allow"},
	} {
		l := &aclList{base: st.newBase(), name: d.name, description: d.desc, display: true}
		st.aclLists.insert(l)
		for i, traffic := range []string{"Ingress", "Egress"} {
			st.aclItems.insert(&aclItem{base: st.newBase(), list: l, number: i + 1, protocol: "all",
				cidrs: []string{"0.0.0.0/0"}, action: d.action, traffic: traffic, state: "Active", display: true})
		}
	}
}

// defaultACL returns the built-in list named name.
func (st *state) defaultACL(name string) *aclList {
	for _, l := range st.aclLists.list {
		if l.vpc == nil && l.name == name {
			return l
		}
	}
	return nil
}

// removeACLList deletes a list with its rules.
func (st *state) removeACLList(l *aclList) {
	dropWhere(st, &st.aclItems, func(r *aclItem) bool { return r.list == l })
	drop(st, &st.aclLists, l.id)
}

// aclListView is the networkacllist response object.
type aclListView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	VPCID       string `json:"vpcid,omitempty"`
	VPCName     string `json:"vpcname,omitempty"`
	ForDisplay  bool   `json:"fordisplay"`
	JobID       string `json:"jobid,omitempty"`
	JobStatus   *int   `json:"jobstatus,omitempty"`
}

func viewACLList(l *aclList) any {
	v := aclListView{ID: l.id, Name: l.name, Description: l.description, ForDisplay: l.display}
	if l.vpc != nil {
		v.VPCID, v.VPCName = l.vpc.id, l.vpc.name
	}
	v.JobID, v.JobStatus = pendingJob(&l.base)
	return v
}

// aclVisible reports whether list l is in scope: built-in lists always
// are.
func aclVisible(l *aclList, sc *listScope) bool { return l.vpc == nil || sc.allows(l.vpc.acct) }

func createNetworkACLList(c *call) (reply, error) {
	v, _ := refAs[*vpc](c, "vpcid")
	if err := c.checkAccess(v.acct, v.String()); err != nil {
		return nil, err
	}
	l := &aclList{base: c.st.newBase(), vpc: v, name: c.str0("name"), description: c.str0("description"),
		display: c.boolean("fordisplay", true)}
	c.st.aclLists.insert(l)
	return &asyncReply{id: l.id, instance: l, run: func() (reply, error) {
		return objReply{"networkacllist", viewACLList(l)}, nil
	}}, nil
}

func listNetworkACLLists(c *call) (reply, error) {
	lf, err := newListFilter[*aclList](c)
	if err != nil {
		return nil, err
	}
	v, _ := refAs[*vpc](c, "vpcid")
	n, _ := refAs[*network](c, "networkid")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	keep := func(l *aclList) bool {
		switch {
		case !aclVisible(l, lf.sc),
			lf.notID(l),
			c.has("vpcid") && l.vpc != v,
			n != nil && n.acl != l,
			hasName && l.name != name,
			hasKeyword && !keywordMatch(keyword, l.name, l.description),
			c.displayMisses(l.display):
			return false
		}
		return true
	}
	return listItems(c, "networkacllist", c.st.aclLists.list, keep, viewACLList), nil
}

func replaceNetworkACLList(c *call) (reply, error) {
	l, _ := refAs[*aclList](c, "aclid")
	n, _ := refAs[*network](c, "networkid")
	if n == nil {
		return nil, invalidParam("Network ID is required")
	}
	if err := c.checkAccess(l.owner(), "NetworkACL "+l.id); err != nil {
		return nil, err
	}
	if err := c.checkAccess(n.acct, "Network "+n.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: n, run: func() (reply, error) {
		switch {
		case n.vpc == nil:
			return nil, invalidParam("Network is not part of a VPC: %s", n.id)
		case l.vpc != nil && l.vpc != n.vpc:
			return nil, invalidParam("Network: %s and ACL: %s do not belong to the same VPC", n.id, l.id)
		}
		n.acl = l
		return successReply{}, nil
	}}, nil
}

// aclItemView is the networkacl response object; ports are strings in the
// spec.
type aclItemView struct {
	ID          string         `json:"id"`
	Protocol    string         `json:"protocol"`
	StartPort   string         `json:"startport,omitempty"`
	EndPort     string         `json:"endport,omitempty"`
	TrafficType string         `json:"traffictype"`
	State       string         `json:"state"`
	CIDRList    string         `json:"cidrlist"`
	ICMPType    *int           `json:"icmptype,omitempty"`
	ICMPCode    *int           `json:"icmpcode,omitempty"`
	Tags        []resourceTagV `json:"tags"`
	ACLID       string         `json:"aclid"`
	ACLName     string         `json:"aclname"`
	Number      int            `json:"number"`
	Action      string         `json:"action"`
	ForDisplay  bool           `json:"fordisplay"`
	Reason      string         `json:"reason,omitempty"`
	JobID       string         `json:"jobid,omitempty"`
	JobStatus   *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewACLItem(r *aclItem) any {
	v := aclItemView{ID: r.id, Protocol: r.protocol, TrafficType: r.traffic, State: r.state,
		CIDRList: strings.Join(r.cidrs, ","), Tags: c.tagViews(r.id), ACLID: r.list.id, ACLName: r.list.name,
		Number: r.number, Action: r.action, ForDisplay: r.display, Reason: r.reason}
	if r.startPort > 0 {
		v.StartPort, v.EndPort = strconv.Itoa(r.startPort), strconv.Itoa(r.endPort)
	}
	if r.protocol == "icmp" {
		t, code := r.icmpType, r.icmpCode
		v.ICMPType, v.ICMPCode = &t, &code
	}
	v.JobID, v.JobStatus = pendingJob(&r.base)
	return v
}

// aclNameForTier is the name of the list createNetworkACL makes for a tier
// that still uses a built-in list.
func aclNameForTier(n *network) string {
	return "VPC_" + n.vpc.name + "_Tier_" + n.name + "_ACL_" + n.id
}

func createNetworkACL(c *call) (reply, error) {
	l, _ := refAs[*aclList](c, "aclid")
	n, _ := refAs[*network](c, "networkid")
	switch {
	case l == nil && n == nil:
		return nil, invalidParam("Network ID and ACL ID can't be both empty")
	case l == nil && n.vpc == nil:
		return nil, invalidParam("Network is not part of a VPC: %s", n.id)
	case l == nil && n.acl == nil:
		return nil, invalidParam("Network %s is not associated with any ACL", n.id)
	}
	target := l
	if target == nil {
		target = n.acl
		if err := c.checkAccess(n.acct, "Network "+n.id); err != nil {
			return nil, err
		}
	} else if target.vpc == nil {
		return nil, invalidParam("Default ACL cannot be modified")
	}
	if err := c.checkAccess(target.owner(), "NetworkACL "+target.id); err != nil {
		return nil, err
	}
	r, err := c.planACLItem()
	if err != nil {
		return nil, err
	}
	if target.vpc == nil {
		// The tier uses a built-in list: it gets a list of its own.
		name := aclNameForTier(n)
		target = &aclList{base: c.st.newBase(), vpc: n.vpc, name: name, description: "ACL for " + name, display: true}
		c.st.aclLists.insert(target)
		n.acl = target
	}
	r.list = target
	if r.number == 0 {
		for _, x := range c.st.aclItems.list {
			if x.list == target && x.number > r.number {
				r.number = x.number
			}
		}
		r.number++
	}
	for _, x := range c.st.aclItems.list {
		if x.list == target && x.number == r.number {
			return nil, invalidParam("ACL item with number %d already exists in ACL: %s", r.number, target.id)
		}
	}
	r.base = c.st.newBase()
	c.st.aclItems.insert(r)
	return &asyncReply{id: r.id, instance: r, run: func() (reply, error) {
		r.state = "Active"
		return objReply{"networkacl", c.viewACLItem(r)}, nil
	}}, nil
}

// planACLItem validates the rule parameters of createNetworkACL as
// NetworkACLServiceImpl does and returns the rule without its list.
func (c *call) planACLItem() (*aclItem, error) {
	r := &aclItem{protocol: strings.ToLower(c.str0("protocol")), action: "Allow", traffic: "Ingress", state: "Add",
		reason: c.str0("reason"), display: c.boolean("fordisplay", true), cidrs: []string{"0.0.0.0/0"}}
	switch r.protocol {
	case "tcp", "udp", "icmp", "all":
	default:
		n, err := strconv.Atoi(r.protocol)
		if err != nil {
			return nil, invalidParam("Invalid protocol: %s", c.str0("protocol"))
		}
		if n < 0 || n > 255 {
			return nil, invalidParam("Invalid protocol number: %d", n)
		}
	}
	hasStart, hasEnd := c.has("startport"), c.has("endport")
	r.startPort, r.endPort = int(c.integer("startport", 0)), int(c.integer("endport", 0))
	if hasStart && !hasEnd {
		r.endPort = r.startPort
	}
	if hasEnd && !hasStart {
		r.startPort = r.endPort
	}
	switch {
	case (hasStart || hasEnd) && r.protocol == "all":
		return nil, invalidParam("start port and end port must be null if protocol = 'all'")
	case (hasStart || hasEnd) && (r.startPort < 1 || r.startPort > 65535):
		return nil, invalidParam("Start port is invalid: %d", r.startPort)
	case (hasStart || hasEnd) && (r.endPort < 1 || r.endPort > 65535):
		return nil, invalidParam("End port is invalid: %d", r.endPort)
	case r.startPort > r.endPort:
		return nil, invalidParam("Start port can't be bigger than end port")
	}
	if r.protocol == "icmp" {
		r.icmpType, r.icmpCode = int(c.integer("icmptype", -1)), int(c.integer("icmpcode", -1))
		if r.icmpType < -1 || r.icmpType > 255 {
			return nil, invalidParam("Invalid icmp type; should belong to [0-255] range")
		}
		if r.icmpCode < -1 || r.icmpCode > 255 {
			return nil, invalidParam("Invalid icmp code; should belong to [0-255] range")
		}
	} else if c.has("icmptype") || c.has("icmpcode") {
		return nil, invalidParam("Can specify icmpType and icmpCode for ICMP protocol only")
	}
	if a, ok := c.str("action"); ok {
		switch strings.ToLower(a) {
		case "allow":
			r.action = "Allow"
		case "deny":
			r.action = "Deny"
		default:
			return nil, invalidParam("Invalid action. Allowed actions are Allow and Deny")
		}
	}
	if t, ok := c.str("traffictype"); ok {
		switch strings.ToLower(t) {
		case "ingress":
			r.traffic = "Ingress"
		case "egress":
			r.traffic = "Egress"
		default:
			return nil, invalidParam("Invalid traffic type %s", t)
		}
	}
	if cidrs := c.list("cidrlist"); len(cidrs) > 0 {
		if err := validCIDRList(cidrs); err != nil {
			return nil, err
		}
		r.cidrs = cidrs
	}
	if c.has("number") {
		r.number = int(c.integer("number", 0))
		if r.number < 1 {
			return nil, invalidParam("Invalid number %d for ACL item: it must be positive", r.number)
		}
	}
	return r, nil
}

func listNetworkACLs(c *call) (reply, error) {
	lf, err := newListFilter[*aclItem](c)
	if err != nil {
		return nil, err
	}
	l, _ := refAs[*aclList](c, "aclid")
	n, _ := refAs[*network](c, "networkid")
	protocol, hasProtocol := c.str("protocol")
	action, hasAction := c.str("action")
	traffic, hasTraffic := c.str("traffictype")
	keyword, hasKeyword := c.str("keyword")
	keep := func(r *aclItem) bool {
		switch {
		case !aclVisible(r.list, lf.sc),
			lf.notID(r),
			l != nil && r.list != l,
			n != nil && n.acl != r.list,
			hasProtocol && !strings.EqualFold(r.protocol, protocol),
			hasAction && !strings.EqualFold(r.action, action),
			hasTraffic && !strings.EqualFold(r.traffic, traffic),
			hasKeyword && !keywordMatch(keyword, r.protocol, r.reason),
			c.displayMisses(r.display),
			!c.matchTags(r.id):
			return false
		}
		return true
	}
	return listItems(c, "networkacl", c.st.aclItems.list, keep, c.viewACLItem), nil
}
