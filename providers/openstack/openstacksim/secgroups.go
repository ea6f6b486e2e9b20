package openstacksim

import (
	"net/http"
	"strconv"
	"strings"
)

// newSecgroup makes a group with Neutron's default egress rules (and, for
// "default", ingress from the group itself).
func (st *state) newSecgroup(projectID, name, desc string) *secgroup {
	g := &secgroup{ID: newUUID(), Name: name, Description: desc, ProjectID: projectID, Created: st.s.now()}
	for _, et := range []string{"IPv4", "IPv6"} {
		g.Rules = append(g.Rules, &sgRule{ID: newUUID(), GroupID: g.ID, ProjectID: projectID, Direction: "egress", Ethertype: et, Created: g.Created})
		if name == "default" {
			g.Rules = append(g.Rules, &sgRule{ID: newUUID(), GroupID: g.ID, ProjectID: projectID, Direction: "ingress", Ethertype: et, RemoteGroupID: g.ID, Created: g.Created})
		}
	}
	st.secgroups = append(st.secgroups, g)
	return g
}

// secgroupByRef finds a project's group by name or id; a project without a
// default group gets one, as Neutron does on first use.
func (st *state) secgroupByRef(projectID, ref string) *secgroup {
	for _, g := range st.secgroups {
		if g.ProjectID == projectID && (g.Name == ref || g.ID == ref) {
			return g
		}
	}
	if ref == "default" {
		return st.newSecgroup(projectID, "default", "Default security group")
	}
	return nil
}

// secgroupIDs maps group names to ids.
func (st *state) secgroupIDs(projectID string, names []string) []string {
	var ids []string
	for _, n := range names {
		if g := st.secgroupByRef(projectID, n); g != nil {
			ids = append(ids, g.ID)
		}
	}
	return ids
}

func (c *call) sgRuleBody(r *sgRule) map[string]any {
	return map[string]any{"id": r.ID, "security_group_id": r.GroupID, "tenant_id": r.ProjectID, "project_id": r.ProjectID,
		"direction": r.Direction, "ethertype": r.Ethertype, "protocol": nullable(r.Protocol),
		"port_range_min": r.PortMin, "port_range_max": r.PortMax, "remote_ip_prefix": nullable(r.RemoteIPPrefix),
		"remote_group_id": nullable(r.RemoteGroupID), "description": "", "created_at": isoTime(r.Created),
		"updated_at": isoTime(r.Created), "revision_number": 0, "tags": []string{}}
}

func (c *call) secgroupBody(g *secgroup) map[string]any {
	rules := []any{}
	for _, r := range g.Rules {
		rules = append(rules, c.sgRuleBody(r))
	}
	return map[string]any{"id": g.ID, "name": g.Name, "description": g.Description, "tenant_id": g.ProjectID,
		"project_id": g.ProjectID, "security_group_rules": rules, "stateful": true, "tags": []string{},
		"created_at": isoTime(g.Created), "updated_at": isoTime(g.Created), "revision_number": 1}
}

func (s *Server) listSecgroups(c *call) (int, any, *apiError) {
	s.state.secgroupByRef(c.projectID(), "default")
	items := filter(s.state.secgroups, func(g *secgroup) bool { return c.visible(g.ProjectID, false) })
	return neutronList(c, "security_groups", items, func(g *secgroup) string { return g.ID }, c.secgroupBody)
}

func (c *call) secgroup(id string) (*secgroup, *apiError) {
	for _, g := range c.s.state.secgroups {
		if g.ID == id && c.visible(g.ProjectID, false) {
			return g, nil
		}
	}
	return nil, neutronErr(404, "SecurityGroupNotFound", "Security group "+id+" does not exist")
}

func (s *Server) getSecgroup(c *call) (int, any, *apiError) {
	g, e := c.secgroup(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"security_group": c.secgroupBody(g)}, nil
}

func (s *Server) createSecgroup(c *call) (int, any, *apiError) {
	var req struct {
		SG struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"security_group"`
	}
	if e := decodeNeutron(c, &req); e != nil {
		return 0, nil, e
	}
	if req.SG.Name == "default" {
		return 0, nil, neutronErr(409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists.")
	}
	g := s.state.newSecgroup(c.projectID(), req.SG.Name, req.SG.Description)
	return http.StatusCreated, map[string]any{"security_group": c.secgroupBody(g)}, nil
}

func (s *Server) deleteSecgroup(c *call) (int, any, *apiError) {
	g, e := c.secgroup(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	if g.Name == "default" && !c.isAdmin() {
		return 0, nil, neutronErr(409, "SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group.")
	}
	for _, p := range s.state.ports {
		if contains(p.SecurityGroups, g.ID) {
			return 0, nil, neutronErr(409, "SecurityGroupInUse", "Security Group "+g.ID+" in use.")
		}
	}
	s.state.secgroups = filter(s.state.secgroups, func(x *secgroup) bool { return x != g })
	return http.StatusNoContent, nil, nil
}

func (s *Server) allRules(c *call) []*sgRule {
	var out []*sgRule
	for _, g := range s.state.secgroups {
		if c.visible(g.ProjectID, false) {
			out = append(out, g.Rules...)
		}
	}
	return out
}

func (s *Server) listSGRules(c *call) (int, any, *apiError) {
	return neutronList(c, "security_group_rules", s.allRules(c), func(r *sgRule) string { return r.ID }, c.sgRuleBody)
}

func (s *Server) createSGRule(c *call) (int, any, *apiError) {
	var req struct {
		Rule struct {
			GroupID        string `json:"security_group_id"`
			Direction      string `json:"direction"`
			Ethertype      string `json:"ethertype"`
			Protocol       any    `json:"protocol"`
			PortMin        *int   `json:"port_range_min"`
			PortMax        *int   `json:"port_range_max"`
			RemoteIPPrefix string `json:"remote_ip_prefix"`
			RemoteGroupID  string `json:"remote_group_id"`
		} `json:"security_group_rule"`
	}
	if e := decodeNeutron(c, &req); e != nil {
		return 0, nil, e
	}
	rr := req.Rule
	g, e := c.secgroup(rr.GroupID)
	if e != nil {
		return 0, nil, e
	}
	if rr.Direction != "ingress" && rr.Direction != "egress" {
		return 0, nil, neutronErr(400, "HTTPBadRequest", "Invalid input for direction. Reason: '"+rr.Direction+"' is not in ['ingress', 'egress'].")
	}
	if rr.Ethertype == "" {
		rr.Ethertype = "IPv4"
	}
	proto := ""
	if rr.Protocol != nil {
		proto = strings.ToLower(strings.Trim(jsonString(rr.Protocol), `"`))
	}
	if rr.PortMin != nil && rr.PortMax != nil && *rr.PortMin > *rr.PortMax {
		return 0, nil, neutronErr(400, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max")
	}
	r := &sgRule{ID: newUUID(), GroupID: g.ID, ProjectID: g.ProjectID, Direction: rr.Direction, Ethertype: rr.Ethertype,
		Protocol: proto, RemoteIPPrefix: rr.RemoteIPPrefix, RemoteGroupID: rr.RemoteGroupID, PortMin: rr.PortMin,
		PortMax: rr.PortMax, Created: c.now()}
	for _, x := range g.Rules {
		if x.Direction == r.Direction && x.Ethertype == r.Ethertype && x.Protocol == r.Protocol &&
			x.RemoteIPPrefix == r.RemoteIPPrefix && x.RemoteGroupID == r.RemoteGroupID && eqInt(x.PortMin, r.PortMin) && eqInt(x.PortMax, r.PortMax) {
			return 0, nil, neutronErr(409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "+x.ID+".")
		}
	}
	g.Rules = append(g.Rules, r)
	return http.StatusCreated, map[string]any{"security_group_rule": c.sgRuleBody(r)}, nil
}

func eqInt(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func jsonString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func (s *Server) deleteSGRule(c *call) (int, any, *apiError) {
	id := c.r.PathValue("id")
	for _, g := range s.state.secgroups {
		for i, r := range g.Rules {
			if r.ID == id && c.visible(g.ProjectID, false) {
				g.Rules = append(g.Rules[:i], g.Rules[i+1:]...)
				return http.StatusNoContent, nil, nil
			}
		}
	}
	return 0, nil, neutronErr(404, "SecurityGroupRuleNotFound", "Security group rule "+id+" does not exist")
}
