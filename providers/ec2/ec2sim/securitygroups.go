package ec2sim

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// securityGroup is a VPC security group.
type securityGroup struct {
	id, name, description, vpcID string
	ingress, egress              []rule
}

// rule is one permission of a group: protocol, port range and one source.
type rule struct {
	proto    string // "-1" (all), "tcp", "udp", "icmp" or a number
	from, to int    // -1 when the protocol has no ports
	cidr     string // IPv4 source/destination, or
	cidr6    string // IPv6, or
	group    string // a security group id
}

func init() {
	register(map[string]handler{
		"CreateSecurityGroup": createSecurityGroup, "DeleteSecurityGroup": deleteSecurityGroup,
		"DescribeSecurityGroups":        describeSecurityGroups,
		"AuthorizeSecurityGroupIngress": authorize(true), "AuthorizeSecurityGroupEgress": authorize(false),
		"RevokeSecurityGroupIngress": revoke(true), "RevokeSecurityGroupEgress": revoke(false),
	})
}

// addDefaultGroup creates a VPC's "default" group: all traffic from its own
// members in, everything out.
func (st *state) addDefaultGroup(vpcID string, now time.Time) {
	g := &securityGroup{id: st.newID("sg", now), name: "default", description: "default VPC security group", vpcID: vpcID}
	g.ingress = []rule{{proto: "-1", from: -1, to: -1, group: g.id}}
	g.egress = []rule{{proto: "-1", from: -1, to: -1, cidr: "0.0.0.0/0"}}
	st.groups[g.id] = g
}

func (st *state) defaultGroupID(vpcID string) string {
	if g := st.groupByName(vpcID, "default"); g != nil {
		return g.id
	}
	return ""
}

func (st *state) groupByName(vpcID, name string) *securityGroup {
	for _, g := range st.groups {
		if g.name == name && (vpcID == "" || g.vpcID == vpcID) {
			return g
		}
	}
	return nil
}

func (st *state) defaultVPC() *vpc {
	for _, v := range st.vpcs {
		if v.isDefault {
			return v
		}
	}
	return nil
}

func createSecurityGroup(c *call) (M, error) {
	name, desc := c.in.str("GroupName"), c.in.str("Description")
	vpcID := c.in.str("VpcId")
	if vpcID == "" {
		v := c.st.defaultVPC()
		if v == nil {
			return nil, errorf("VPCIdNotSpecified", "No default VPC for this user")
		}
		vpcID = v.id
	}
	if c.st.vpcs[vpcID] == nil {
		return nil, notFound("InvalidVpcID.NotFound", "vpc ID", vpcID)
	}
	if name == "" || len(name) > 255 || strings.HasPrefix(name, "sg-") {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter GroupName is invalid. Group names may not be empty, longer than 255 characters or start with sg-.", name)
	}
	if name == "default" || c.st.groupByName(vpcID, name) != nil {
		return nil, errorf("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpcID)
	}
	g := &securityGroup{id: c.st.newID("sg", c.now), name: name, description: desc, vpcID: vpcID,
		egress: []rule{{proto: "-1", from: -1, to: -1, cidr: "0.0.0.0/0"}}}
	c.st.groups[g.id] = g
	c.st.setTags(g.id, c.in.tagSpecs("security-group"))
	return M{"GroupId": g.id, "Tags": c.st.tagList(g.id)}, nil
}

// group returns the group a request names by GroupId or GroupName.
func (c *call) group() (*securityGroup, error) {
	if id := c.in.str("GroupId"); id != "" {
		g := c.st.groups[id]
		if g == nil {
			return nil, notFound("InvalidGroup.NotFound", "security group", id)
		}
		return g, nil
	}
	name := c.in.str("GroupName")
	if name == "" {
		return nil, missingParameter("GroupId")
	}
	v := c.st.defaultVPC()
	vpcID := ""
	if v != nil {
		vpcID = v.id
	}
	g := c.st.groupByName(vpcID, name)
	if g == nil {
		return nil, errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", name, vpcID)
	}
	return g, nil
}

func deleteSecurityGroup(c *call) (M, error) {
	g, err := c.group()
	if err != nil {
		return nil, err
	}
	if g.name == "default" {
		return nil, errorf("CannotDelete", "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", g.id)
	}
	for _, in := range c.st.instances {
		if in.state != "terminated" && contains(in.groups, g.id) {
			return nil, errorf("DependencyViolation", "resource %s has a dependent object", g.id)
		}
	}
	for _, o := range c.st.groups {
		for _, r := range append(append([]rule(nil), o.ingress...), o.egress...) {
			if r.group == g.id && o.id != g.id {
				return nil, errorf("DependencyViolation", "resource %s has a dependent object", g.id)
			}
		}
	}
	delete(c.st.groups, g.id)
	c.st.forget(g.id)
	return M{}, nil
}

// permissions groups rules with the same protocol and ports into
// IpPermission values.
func (st *state) permissions(rules []rule) []M {
	type key struct {
		proto    string
		from, to int
	}
	var order []key
	perms := map[key]M{}
	for _, r := range rules {
		k := key{r.proto, r.from, r.to}
		p := perms[k]
		if p == nil {
			p = M{"IpProtocol": r.proto, "IpRanges": []M{}, "Ipv6Ranges": []M{}, "UserIdGroupPairs": []M{}, "PrefixListIds": []M{}}
			if r.from != -1 || r.proto == "icmp" {
				p["FromPort"], p["ToPort"] = r.from, r.to
			}
			perms[k] = p
			order = append(order, k)
		}
		switch {
		case r.cidr != "":
			p["IpRanges"] = append(p["IpRanges"].([]M), M{"CidrIp": r.cidr})
		case r.cidr6 != "":
			p["Ipv6Ranges"] = append(p["Ipv6Ranges"].([]M), M{"CidrIpv6": r.cidr6})
		case r.group != "":
			pair := M{"GroupId": r.group, "UserId": AccountID}
			p["UserIdGroupPairs"] = append(p["UserIdGroupPairs"].([]M), pair)
		}
	}
	out := make([]M, 0, len(order))
	for _, k := range order {
		out = append(out, perms[k])
	}
	return out
}

func (g *securityGroup) out(st *state) M {
	return M{"GroupId": g.id, "GroupName": g.name, "Description": g.description, "VpcId": g.vpcID, "OwnerId": AccountID,
		"IpPermissions": st.permissions(g.ingress), "IpPermissionsEgress": st.permissions(g.egress), "Tags": st.tagList(g.id)}
}

func (g *securityGroup) fields(name string) ([]string, bool) {
	switch name {
	case "group-id":
		return []string{g.id}, true
	case "group-name":
		return []string{g.name}, true
	case "description":
		return []string{g.description}, true
	case "vpc-id":
		return []string{g.vpcID}, true
	case "owner-id":
		return []string{AccountID}, true
	case "ip-permission.protocol":
		var out []string
		for _, r := range g.ingress {
			out = append(out, r.proto)
		}
		return out, true
	case "ip-permission.cidr":
		var out []string
		for _, r := range g.ingress {
			out = append(out, r.cidr)
		}
		return out, true
	}
	return nil, false
}

func describeSecurityGroups(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&securityGroup{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "GroupIds", c.st.groups, "InvalidGroup.NotFound", "security group")
	if err != nil {
		return nil, err
	}
	names := c.in.strs("GroupNames")
	for _, n := range names {
		if c.st.groupByName(c.st.defaultVPC().id, n) == nil {
			return nil, errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", n, c.st.defaultVPC().id)
		}
	}
	var list []M
	for _, id := range ids {
		g := c.st.groups[id]
		if len(names) > 0 && (!contains(names, g.name) || g.vpcID != c.st.defaultVPC().id) {
			continue
		}
		if matches(fs, g.fields, c.st.tags[id]) {
			list = append(list, g.out(c.st))
		}
	}
	from, to, next, err := page(len(list), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	return M{"SecurityGroups": list[from:to], "NextToken": emptyNil(next)}, nil
}

// requestRules returns the rules of an Authorize/Revoke request: its
// IpPermissions, or the flat IpProtocol/FromPort/ToPort/CidrIp form.
func (c *call) requestRules() ([]rule, error) {
	perms := c.in.structs("IpPermissions")
	if len(perms) == 0 && c.in.has("IpProtocol") {
		perms = []input{{"IpProtocol": c.in["IpProtocol"], "FromPort": c.in["FromPort"], "ToPort": c.in["ToPort"],
			"IpRanges": []any{M{"CidrIp": c.in["CidrIp"]}}}}
		if !c.in.has("CidrIp") {
			perms[0]["IpRanges"] = nil
			if n := c.in.str("SourceSecurityGroupName"); n != "" {
				perms[0]["UserIdGroupPairs"] = []any{M{"GroupName": n}}
			}
		}
	}
	if len(perms) == 0 {
		return nil, missingParameter("IpPermissions")
	}
	var out []rule
	for _, p := range perms {
		proto := strings.ToLower(p.str("IpProtocol"))
		switch proto {
		case "all":
			proto = "-1"
		case "6":
			proto = "tcp"
		case "17":
			proto = "udp"
		case "1":
			proto = "icmp"
		}
		base := rule{proto: proto, from: -1, to: -1}
		switch proto {
		case "-1":
		case "tcp", "udp", "icmp":
			base.from, base.to = p.int("FromPort", -1), p.int("ToPort", -1)
			if proto != "icmp" && (base.from < 0 || base.to > 65535 || base.from > base.to) {
				return nil, errorf("InvalidParameterValue", "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.")
			}
		default:
			return nil, errorf("InvalidParameterValue", "Invalid value '%s' for IP protocol. Unknown protocol.", p.str("IpProtocol"))
		}
		n := 0
		for _, r := range p.structs("IpRanges") {
			pr, err := netip.ParsePrefix(r.str("CidrIp"))
			if err != nil || !pr.Addr().Is4() {
				return nil, errorf("InvalidParameterValue", "CIDR block %s is malformed", r.str("CidrIp"))
			}
			x := base
			x.cidr = pr.String()
			out, n = append(out, x), n+1
		}
		for _, r := range p.structs("Ipv6Ranges") {
			pr, err := netip.ParsePrefix(r.str("CidrIpv6"))
			if err != nil || !pr.Addr().Is6() {
				return nil, errorf("InvalidParameterValue", "CIDR block %s is malformed", r.str("CidrIpv6"))
			}
			x := base
			x.cidr6 = pr.String()
			out, n = append(out, x), n+1
		}
		for _, r := range p.structs("UserIdGroupPairs") {
			id := r.str("GroupId")
			if id == "" {
				if g := c.st.groupByName("", r.str("GroupName")); g != nil {
					id = g.id
				}
			}
			if c.st.groups[id] == nil {
				return nil, notFound("InvalidGroup.NotFound", "security group", or(id, r.str("GroupName")))
			}
			x := base
			x.group = id
			out, n = append(out, x), n+1
		}
		if n == 0 {
			x := base
			x.cidr = "0.0.0.0/0"
			out = append(out, x)
		}
	}
	return out, nil
}

func authorize(ingress bool) handler {
	return func(c *call) (M, error) {
		g, err := c.group()
		if err != nil {
			return nil, err
		}
		rules, err := c.requestRules()
		if err != nil {
			return nil, err
		}
		list := &g.egress
		if ingress {
			list = &g.ingress
		}
		for _, r := range rules {
			for _, have := range *list {
				if have == r {
					return nil, errorf("InvalidPermission.Duplicate", "the specified rule \"peer: %s, %s, ALLOW\" already exists", r.peer(), r.ports())
				}
			}
		}
		*list = append(*list, rules...)
		out := make([]M, 0, len(rules))
		for _, r := range rules {
			m := M{"SecurityGroupRuleId": fmt.Sprintf("sgr-0%016x", c.st.seq+uint64(len(out))), "GroupId": g.id,
				"GroupOwnerId": AccountID, "IsEgress": !ingress, "IpProtocol": r.proto, "FromPort": r.from, "ToPort": r.to}
			switch {
			case r.cidr != "":
				m["CidrIpv4"] = r.cidr
			case r.cidr6 != "":
				m["CidrIpv6"] = r.cidr6
			default:
				m["ReferencedGroupInfo"] = M{"GroupId": r.group, "UserId": AccountID}
			}
			out = append(out, m)
		}
		return M{"Return": true, "SecurityGroupRules": out}, nil
	}
}

func (r rule) peer() string {
	return or(r.cidr, or(r.cidr6, r.group))
}

func (r rule) ports() string {
	if r.from == -1 {
		return "ALL"
	}
	return fmt.Sprintf("%s, from port: %d, to port: %d", strings.ToUpper(r.proto), r.from, r.to)
}

func revoke(ingress bool) handler {
	return func(c *call) (M, error) {
		g, err := c.group()
		if err != nil {
			return nil, err
		}
		rules, err := c.requestRules()
		if err != nil {
			return nil, err
		}
		list := &g.egress
		if ingress {
			list = &g.ingress
		}
		var unknown []rule
		for _, r := range rules {
			found := false
			for i, have := range *list {
				if have == r {
					*list = append((*list)[:i:i], (*list)[i+1:]...)
					found = true
					break
				}
			}
			if !found {
				unknown = append(unknown, r)
			}
		}
		if len(unknown) == len(rules) {
			return nil, errorf("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
		out := M{"Return": true}
		if len(unknown) > 0 {
			out["UnknownIpPermissions"] = c.st.permissions(unknown)
		}
		return out, nil
	}
}
