package cloudstacksim

import (
	"strings"
)

// securityGroup is a security group with its ingress and egress rules.
type securityGroup struct {
	base
	owned
	name, description string
	rules             []*securityGroupRule
}

// securityGroupRule is one rule: a CIDR or another account's group.
type securityGroupRule struct {
	base
	sg           *securityGroup
	egress       bool
	protocol     string
	startPort    *int
	endPort      *int
	icmpType     *int
	icmpCode     *int
	cidr         string
	groupName    string
	groupAccount string
}

// securityGroupRuleView is an ingressrule / egressrule response object.
type securityGroupRuleView struct {
	RuleID            string `json:"ruleid"`
	Protocol          string `json:"protocol"`
	StartPort         *int   `json:"startport,omitempty"`
	EndPort           *int   `json:"endport,omitempty"`
	ICMPType          *int   `json:"icmptype,omitempty"`
	ICMPCode          *int   `json:"icmpcode,omitempty"`
	CIDR              string `json:"cidr,omitempty"`
	SecurityGroupName string `json:"securitygroupname,omitempty"`
	Account           string `json:"account,omitempty"`
	Tags              []any  `json:"tags"`
}

// securityGroupView is the securitygroup response object.
type securityGroupView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ownerFields
	IngressRule         []securityGroupRuleView `json:"ingressrule"`
	EgressRule          []securityGroupRuleView `json:"egressrule"`
	Tags                []resourceTagV          `json:"tags"`
	VirtualMachineCount int                     `json:"virtualmachinecount"`
	VirtualMachineIDs   []string                `json:"virtualmachineids"`
}

// viewSecurityGroup renders a group with the given rules (all its rules
// when rules is nil).
func (c *call) viewSecurityGroup(sg *securityGroup, rules []*securityGroupRule) securityGroupView {
	if rules == nil {
		rules = sg.rules
	}
	v := securityGroupView{ID: sg.id, Name: sg.name, Description: sg.description, ownerFields: ownerView(sg.acct),
		IngressRule: []securityGroupRuleView{}, EgressRule: []securityGroupRuleView{}, Tags: c.tagViews(sg.id),
		VirtualMachineIDs: []string{}}
	for _, r := range rules {
		rv := securityGroupRuleView{RuleID: r.id, Protocol: r.protocol, StartPort: r.startPort, EndPort: r.endPort,
			ICMPType: r.icmpType, ICMPCode: r.icmpCode, CIDR: r.cidr, SecurityGroupName: r.groupName,
			Account: r.groupAccount, Tags: []any{}}
		if r.egress {
			v.EgressRule = append(v.EgressRule, rv)
		} else {
			v.IngressRule = append(v.IngressRule, rv)
		}
	}
	for _, vmx := range c.st.vms.list {
		if contains(vmx.securityGroups, sg) {
			v.VirtualMachineIDs = append(v.VirtualMachineIDs, vmx.id)
		}
	}
	v.VirtualMachineCount = len(v.VirtualMachineIDs)
	return v
}

func init() {
	sgDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindSecurityGroup, Handler: h, InstanceType: "SecurityGroup", ItemKey: "securitygroup"}
	}
	list := sgDef("listSecurityGroups", listSecurityGroups)
	list.ReadOnly = true
	del := sgDef("deleteSecurityGroup", deleteSecurityGroup)
	del.ItemKey = "(success)"
	revokeIn := sgDef("revokeSecurityGroupIngress", revokeSecurityGroupIngress)
	revokeIn.IDKind, revokeIn.ItemKey = kindSGRule, "(success)"
	revokeOut := sgDef("revokeSecurityGroupEgress", revokeSecurityGroupEgress)
	revokeOut.IDKind, revokeOut.ItemKey = kindSGRule, "(success)"
	register(list, del, revokeIn, revokeOut,
		sgDef("createSecurityGroup", createSecurityGroup),
		sgDef("authorizeSecurityGroupIngress", authorizeSecurityGroupIngress),
		sgDef("authorizeSecurityGroupEgress", authorizeSecurityGroupEgress),
	)
}

// findSecurityGroup returns owner's group named name.
func (st *state) findSecurityGroup(owner *account, name string) *securityGroup {
	for _, sg := range st.securityGroups.list {
		if sg.acct == owner && sg.name == name {
			return sg
		}
	}
	return nil
}

// newSecurityGroup creates a group for owner.
func (st *state) newSecurityGroup(owner *account, name, description string) *securityGroup {
	sg := &securityGroup{base: st.newBase(), owned: owned{acct: owner}, name: name, description: description}
	st.securityGroups.insert(sg)
	return sg
}

func createSecurityGroup(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	name := c.str0("name")
	if c.st.findSecurityGroup(owner, name) != nil {
		return nil, invalidParam("Unable to create security group, a group with name %s already exists.", name)
	}
	sg := c.st.newSecurityGroup(owner, name, c.str0("description"))
	return objReply{"securitygroup", c.viewSecurityGroup(sg, nil)}, nil
}

// targetSecurityGroup resolves securitygroupid or securitygroupname (with
// account/domainid/projectid) for the rule and delete commands.
func (c *call) targetSecurityGroup(idParam, nameParam string) (*securityGroup, error) {
	if sg, ok := refAs[*securityGroup](c, idParam); ok {
		if err := c.checkAccess(sg.acct, "SecurityGroup "+sg.id); err != nil {
			return nil, err
		}
		return sg, nil
	}
	name, ok := c.str(nameParam)
	if !ok {
		return nil, invalidParam("Either securityGroupId or securityGroupName is required by authorizeSecurityGroupIngress command")
	}
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	sg := c.st.findSecurityGroup(owner, name)
	if sg == nil {
		return nil, invalidParam("Unable to find security group %s in domain %s", name, owner.domain.id)
	}
	return sg, nil
}

func listSecurityGroups(c *call) (reply, error) {
	lf, err := newListFilter[*securityGroup](c)
	if err != nil {
		return nil, err
	}
	name, hasName := c.str("securitygroupname")
	keyword, hasKeyword := c.str("keyword")
	v, _ := refAs[*vm](c, "virtualmachineid")
	keep := func(sg *securityGroup) bool {
		switch {
		case lf.drops(sg, sg.acct),
			hasName && sg.name != name,
			hasKeyword && !keywordMatch(keyword, sg.name, sg.description),
			v != nil && !contains(v.securityGroups, sg),
			!c.matchTags(sg.id):
			return false
		}
		return true
	}
	return listItems(c, "securitygroup", c.st.securityGroups.list, keep, func(sg *securityGroup) any { return c.viewSecurityGroup(sg, nil) }), nil
}

func deleteSecurityGroup(c *call) (reply, error) {
	sg, err := c.targetSecurityGroup("id", "name")
	if err != nil {
		return nil, err
	}
	if sg.name == "default" {
		return nil, invalidParam("The network group default is reserved")
	}
	for _, v := range c.st.vms.list {
		if contains(v.securityGroups, sg) {
			return nil, resourceInUse("Cannot delete group when it's in use by virtual machines")
		}
	}
	for _, r := range sg.rules {
		c.st.sgRules.remove(r.id)
	}
	drop(c.st, &c.st.securityGroups, sg.id)
	return successReply{}, nil
}

// sgPorts returns the ports of a tcp or udp security group rule, checked as
// SecurityGroupManagerImpl checks them: both required, 0 to 65535, start
// not after end, and 0 to 0 meaning every port (0 to 65535).
func (c *call) sgPorts() (start, end *int, err error) {
	start, end = c.optionalInt("startport"), c.optionalInt("endport")
	if start == nil || end == nil {
		return nil, nil, invalidParam("Invalid port range specified, startPort = %s, endPort = %s", portText(start), portText(end))
	}
	if *start == 0 && *end == 0 {
		*end = 65535
	}
	switch {
	case *start > *end:
		return nil, nil, invalidParam("Invalid port range %d:%d", *start, *end)
	case *start > 65535 || *end > 65535 || *start < 0 || *end < 0:
		return nil, nil, invalidParam("Invalid port numbers %d:%d", *start, *end)
	}
	return start, end, nil
}

func authorizeSecurityGroupIngress(c *call) (reply, error) { return c.authorizeRules(false) }
func authorizeSecurityGroupEgress(c *call) (reply, error)  { return c.authorizeRules(true) }

// authorizeRules validates a rule request synchronously and adds the rules
// when the job runs; the job result shows the group with the new rules.
func (c *call) authorizeRules(egress bool) (reply, error) {
	sg, err := c.targetSecurityGroup("securitygroupid", "securitygroupname")
	if err != nil {
		return nil, err
	}
	tmpl := &securityGroupRule{sg: sg, egress: egress, protocol: strings.ToLower(or(c.str0("protocol"), "tcp"))}
	switch tmpl.protocol {
	case "tcp", "udp":
		if tmpl.startPort, tmpl.endPort, err = c.sgPorts(); err != nil {
			return nil, err
		}
	case "icmp":
		if !c.has("icmptype") || !c.has("icmpcode") {
			return nil, invalidParam("Invalid ICMP type/code specified, icmpType = %s, icmpCode = %s", or(c.str0("icmptype"), "null"), or(c.str0("icmpcode"), "null"))
		}
		t, code := int(c.integer("icmptype", -1)), int(c.integer("icmpcode", -1))
		tmpl.icmpType, tmpl.icmpCode = &t, &code
	case "all":
	default:
		if !validProtocol(tmpl.protocol) {
			return nil, invalidParam("Invalid protocol %s", tmpl.protocol)
		}
	}
	cidrs := c.list("cidrlist")
	if err := validCIDRList(cidrs); err != nil {
		return nil, err
	}
	groups := c.mapList("usersecuritygrouplist")
	if len(cidrs) == 0 && len(groups) == 0 {
		return nil, invalidParam("At least one cidr or at least one security group needs to be specified")
	}
	var want []*securityGroupRule
	for _, cidr := range cidrs {
		r := *tmpl
		r.cidr = strings.TrimSpace(cidr)
		want = append(want, &r)
	}
	for _, g := range groups {
		r := *tmpl
		r.groupName, r.groupAccount = g["group"], g["account"]
		want = append(want, &r)
	}
	return &asyncReply{instance: sg, run: func() (reply, error) {
		var added []*securityGroupRule
		for _, r := range want {
			if sgRuleExists(sg, r) {
				continue
			}
			r.base = c.st.newBase()
			sg.rules = append(sg.rules, r)
			c.st.sgRules.insert(r)
			added = append(added, r)
		}
		if len(added) == 0 {
			return nil, internalError("Failed to authorize security group rule(s): the rules already exist")
		}
		return objReply{"securitygroup", c.viewSecurityGroup(sg, added)}, nil
	}}, nil
}

func sgRuleExists(sg *securityGroup, r *securityGroupRule) bool {
	for _, x := range sg.rules {
		if x.egress == r.egress && x.protocol == r.protocol && portText(x.startPort) == portText(r.startPort) &&
			portText(x.endPort) == portText(r.endPort) && portText(x.icmpType) == portText(r.icmpType) &&
			portText(x.icmpCode) == portText(r.icmpCode) && x.cidr == r.cidr && x.groupName == r.groupName &&
			x.groupAccount == r.groupAccount {
			return true
		}
	}
	return false
}

func revokeSecurityGroupIngress(c *call) (reply, error) { return c.revokeRule(false) }
func revokeSecurityGroupEgress(c *call) (reply, error)  { return c.revokeRule(true) }

func (c *call) revokeRule(egress bool) (reply, error) {
	r, _ := refAs[*securityGroupRule](c, "id")
	if r.egress != egress {
		kind := "ingress"
		if egress {
			kind = "egress"
		}
		return nil, invalidParam("Unable to find %s rule with id %s", kind, r.id)
	}
	if err := c.checkAccess(r.sg.acct, "SecurityGroup "+r.sg.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: r.sg, run: func() (reply, error) {
		r.sg.rules = removeFrom(r.sg.rules, r)
		c.st.sgRules.remove(r.id)
		return successReply{}, nil
	}}, nil
}
