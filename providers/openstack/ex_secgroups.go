package openstack

import (
	"context"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/rules"

	"github.com/goclouds/goclouds/compute"
)

// SecurityGroup is a Neutron security group.
type SecurityGroup struct {
	ID, Name, Description string
	Rules                 []*SecurityGroupRule
	ProjectID             string
}

// SecurityGroupRule is a rule of a security group; it is also the request
// of ExCreateSecurityGroupRule, where ID is ignored.
type SecurityGroupRule struct {
	ID string
	// GroupID is the group the rule belongs to (required).
	GroupID string
	// Direction is "ingress" (the default) or "egress".
	Direction string
	// EtherType is "IPv4" (the default) or "IPv6".
	EtherType string
	// Protocol is "tcp", "udp", "icmp", another name or number, or "" for
	// any.
	Protocol string
	// PortMin and PortMax bound the port range (for ICMP: type and code);
	// 0 means unset (every port).
	PortMin, PortMax int
	// RemoteIPPrefix ("0.0.0.0/0") or RemoteGroupID restrict the peer;
	// both "" means any.
	RemoteIPPrefix, RemoteGroupID string
}

// ExListSecurityGroups returns the project's security groups with their
// rules (Neutron makes "default" on first use).
func (d *Driver) ExListSecurityGroups(ctx context.Context) ([]*SecurityGroup, error) {
	const op = "ExListSecurityGroups"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	pages, err := groups.List(c.network, groups.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	list, err := groups.ExtractGroups(pages)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	out := make([]*SecurityGroup, 0, len(list))
	for i := range list {
		out = append(out, toSecurityGroup(&list[i]))
	}
	return out, nil
}

// ExCreateSecurityGroup creates a group (with Neutron's default egress
// rules). Names need not be unique; "default" is refused (ErrConflict).
func (d *Driver) ExCreateSecurityGroup(ctx context.Context, name, description string) (*SecurityGroup, error) {
	const op = "ExCreateSecurityGroup"
	if name == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a security group needs a name")
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	g, err := groups.Create(ctx, c.network, groups.CreateOpts{Name: name, Description: description}).Extract()
	if err != nil {
		return nil, d.wrap(op, name, err)
	}
	return toSecurityGroup(g), nil
}

// ExDeleteSecurityGroup deletes a group by id. Neutron refuses
// (ErrConflict) while a port uses it.
func (d *Driver) ExDeleteSecurityGroup(ctx context.Context, id string) error {
	return d.neutronDelete(ctx, "ExDeleteSecurityGroup", id, func(ctx context.Context, c *conn) error {
		return groups.Delete(ctx, c.network, id).ExtractErr()
	})
}

// ExCreateSecurityGroupRule adds rule to its group. Direction, EtherType
// and the port range are checked before sending (ErrInvalidArgument); a
// rule equal to an existing one is ErrAlreadyExists.
func (d *Driver) ExCreateSecurityGroupRule(ctx context.Context, rule SecurityGroupRule) (*SecurityGroupRule, error) {
	const op = "ExCreateSecurityGroupRule"
	bad := func(format string, args ...any) (*SecurityGroupRule, error) {
		return nil, compute.Errorf(provider, op, rule.GroupID, compute.ErrInvalidArgument, format, args...)
	}
	if rule.GroupID == "" {
		return bad("a rule needs its security group id")
	}
	if rule.Direction == "" {
		rule.Direction = string(rules.DirIngress)
	}
	if rule.EtherType == "" {
		rule.EtherType = string(rules.EtherType4)
	}
	if rule.Direction != string(rules.DirIngress) && rule.Direction != string(rules.DirEgress) {
		return bad("direction %q: want ingress or egress", rule.Direction)
	}
	if rule.EtherType != string(rules.EtherType4) && rule.EtherType != string(rules.EtherType6) {
		return bad("ether type %q: want IPv4 or IPv6", rule.EtherType)
	}
	if rule.PortMin < 0 || rule.PortMax < 0 || rule.PortMin > 65535 || rule.PortMax > 65535 {
		return bad("ports %d-%d: want 0 to 65535", rule.PortMin, rule.PortMax)
	}
	if rule.PortMin > rule.PortMax && !strings.EqualFold(rule.Protocol, "icmp") {
		return bad("ports %d-%d: the first is above the last", rule.PortMin, rule.PortMax)
	}
	if rule.RemoteIPPrefix != "" && rule.RemoteGroupID != "" {
		return bad("give RemoteIPPrefix or RemoteGroupID, not both")
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	r, err := rules.Create(ctx, c.network, rules.CreateOpts{
		SecGroupID: rule.GroupID, Direction: rules.RuleDirection(rule.Direction),
		EtherType: rules.RuleEtherType(rule.EtherType), Protocol: rules.RuleProtocol(strings.ToLower(rule.Protocol)),
		PortRangeMin: rule.PortMin, PortRangeMax: rule.PortMax,
		RemoteIPPrefix: rule.RemoteIPPrefix, RemoteGroupID: rule.RemoteGroupID,
	}).Extract()
	if err != nil {
		return nil, d.wrap(op, rule.GroupID, err)
	}
	return toRule(r), nil
}

// ExDeleteSecurityGroupRule deletes a rule by id.
func (d *Driver) ExDeleteSecurityGroupRule(ctx context.Context, id string) error {
	return d.neutronDelete(ctx, "ExDeleteSecurityGroupRule", id, func(ctx context.Context, c *conn) error {
		return rules.Delete(ctx, c.network, id).ExtractErr()
	})
}

// toSecurityGroup converts a Neutron group.
func toSecurityGroup(g *groups.SecGroup) *SecurityGroup {
	out := &SecurityGroup{ID: g.ID, Name: g.Name, Description: g.Description, ProjectID: g.ProjectID,
		Rules: make([]*SecurityGroupRule, 0, len(g.Rules))}
	for i := range g.Rules {
		out.Rules = append(out.Rules, toRule(&g.Rules[i]))
	}
	return out
}

// toRule converts a Neutron rule.
func toRule(r *rules.SecGroupRule) *SecurityGroupRule {
	return &SecurityGroupRule{ID: r.ID, GroupID: r.SecGroupID, Direction: r.Direction, EtherType: r.EtherType,
		Protocol: r.Protocol, PortMin: r.PortRangeMin, PortMax: r.PortRangeMax,
		RemoteIPPrefix: r.RemoteIPPrefix, RemoteGroupID: r.RemoteGroupID}
}
