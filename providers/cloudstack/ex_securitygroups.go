package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListSecurityGroupsOptions filters ExListSecurityGroups. Zero values are
// not sent.
type ListSecurityGroupsOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// Tags lists the groups carrying all these tags.
	Tags map[string]string
	// ID lists one group.
	ID string
	// SecurityGroupName lists the group with exactly this name.
	SecurityGroupName string
	// VirtualMachineID lists the groups of a VM.
	VirtualMachineID string
}

// ExListSecurityGroups lists security groups with their rules, every page
// (listSecurityGroups), as Libcloud's ex_list_security_groups, typed rather
// than raw dictionaries. Not portable.
func (d *Driver) ExListSecurityGroups(ctx context.Context, opts *ListSecurityGroupsOptions) ([]SecurityGroup, error) {
	o := opts
	if o == nil {
		o = &ListSecurityGroupsOptions{}
	}
	p := d.listScope(&o.ListScope)
	setSearch(p, o.Keyword, o.Tags)
	setString(p, "id", o.ID)
	setString(p, "securitygroupname", o.SecurityGroupName)
	setString(p, "virtualmachineid", o.VirtualMachineID)
	groups, err := listAll[SecurityGroup](ctx, d, "ExListSecurityGroups", "listSecurityGroups", p, "securitygroup")
	if err != nil {
		return nil, err
	}
	return exactName(groups, o.SecurityGroupName, func(g *SecurityGroup) string { return g.Name }), nil
}

// CreateSecurityGroupOptions are the options of ExCreateSecurityGroup.
type CreateSecurityGroupOptions struct {
	// Description describes the group.
	Description string
	// OwnerOptions create the group in a project or for another account.
	OwnerOptions
}

// ExCreateSecurityGroup creates a security group (createSecurityGroup) and
// returns it, as Libcloud's ex_create_security_group. Unlike Libcloud, which
// refused a name that was a substring of an existing group's, only the
// server decides: an existing name gives compute.ErrAlreadyExists. Not
// portable.
func (d *Driver) ExCreateSecurityGroup(ctx context.Context, name string, opts *CreateSecurityGroupOptions) (*SecurityGroup, error) {
	const op = "ExCreateSecurityGroup"
	if strings.TrimSpace(name) == "" {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "a security group name is required")
	}
	if opts == nil {
		opts = &CreateSecurityGroupOptions{}
	}
	p := d.ownerParams(url.Values{"name": {name}}, opts.OwnerOptions)
	setString(p, "description", opts.Description)
	var g SecurityGroup
	if err := d.callObject(ctx, op, "createSecurityGroup", p, "securitygroup", &g); err != nil {
		return nil, d.withID(err, name)
	}
	return &g, nil
}

// SecurityGroupRef names a security group: by ID, or by Name with the
// owner when it is not the caller (the project or account of the group).
type SecurityGroupRef struct {
	// ID is the group's id; when set, Name and the owner are not sent.
	ID string
	// Name is the group's name.
	Name string
	// OwnerOptions name the group's project or account (default the
	// caller, or the driver's ProjectID).
	OwnerOptions
}

// sgRefParams returns the group's parameters (idKey and nameKey are the
// command's names for them) and how errors name the group.
func (d *Driver) sgRefParams(op string, g SecurityGroupRef, idKey, nameKey string) (url.Values, string, error) {
	switch {
	case g.ID != "":
		return url.Values{idKey: {g.ID}}, g.ID, nil
	case strings.TrimSpace(g.Name) != "":
		return d.ownerParams(url.Values{nameKey: {g.Name}}, g.OwnerOptions), g.Name, nil
	}
	return nil, "", d.errorf(op, "", compute.ErrInvalidArgument, "a security group id or name is required")
}

// ExDeleteSecurityGroup deletes a security group by id or by name
// (deleteSecurityGroup), as Libcloud's ex_delete_security_group (which took
// only a name). A group in use by VMs cannot be deleted. Not portable.
func (d *Driver) ExDeleteSecurityGroup(ctx context.Context, group SecurityGroupRef) error {
	const op = "ExDeleteSecurityGroup"
	p, ref, err := d.sgRefParams(op, group, "id", "name")
	if err != nil {
		return err
	}
	return d.withID(d.syncSuccess(ctx, op, "deleteSecurityGroup", p), ref)
}

// UserSecurityGroup is another account's security group whose members a
// rule admits (usersecuritygrouplist).
type UserSecurityGroup struct {
	// Account owns the group.
	Account string
	// Group is the group's name.
	Group string
}

// SecurityGroupRuleOptions describe the rules ExAuthorizeSecurityGroupIngress
// and ExAuthorizeSecurityGroupEgress add: one per CIDR and per user group.
type SecurityGroupRuleOptions struct {
	// Protocol is tcp, udp, icmp, all or a protocol number (required).
	Protocol string
	// CIDRList are the CIDRs the rules admit.
	CIDRList []string
	// UserSecurityGroups are the groups whose members the rules admit.
	UserSecurityGroups []UserSecurityGroup
	// StartPort and EndPort bound the ports of tcp and udp rules (0 to
	// 65535; the server reads 0 to 0 as every port). StartPort is required
	// for them and EndPort defaults to it. nil is not sent (see the
	// package's numeric options).
	StartPort, EndPort *int
	// ICMPType and ICMPCode select ICMP messages of icmp rules (default -1,
	// any; 0 is echo reply, a real type).
	ICMPType, ICMPCode *int
}

// sgRuleParams validates o as Libcloud does (ports for tcp/udp only, ICMP
// fields for icmp only) and sets its parameters.
func (d *Driver) sgRuleParams(op, ref string, p url.Values, o *SecurityGroupRuleOptions) error {
	if o == nil || o.Protocol == "" {
		return d.errorf(op, ref, compute.ErrInvalidArgument, "a protocol is required")
	}
	if len(o.CIDRList) == 0 && len(o.UserSecurityGroups) == 0 {
		return d.errorf(op, ref, compute.ErrInvalidArgument, "at least one CIDR or user security group is required")
	}
	p.Set("protocol", o.Protocol)
	proto := strings.ToLower(o.Protocol)
	switch {
	case proto == "tcp" || proto == "udp":
		if o.ICMPType != nil || o.ICMPCode != nil {
			return d.errorf(op, ref, compute.ErrInvalidArgument, "ICMP type and code are for the icmp protocol only")
		}
		if o.StartPort == nil {
			return d.errorf(op, ref, compute.ErrInvalidArgument, "StartPort is required for %s", proto)
		}
		p.Set("startport", itoa(*o.StartPort))
		p.Set("endport", itoa(intOr(o.EndPort, *o.StartPort)))
	case o.StartPort != nil || o.EndPort != nil:
		return d.errorf(op, ref, compute.ErrInvalidArgument, "ports are for the tcp and udp protocols only")
	case proto == "icmp":
		p.Set("icmptype", itoa(intOr(o.ICMPType, -1)))
		p.Set("icmpcode", itoa(intOr(o.ICMPCode, -1)))
	case o.ICMPType != nil || o.ICMPCode != nil:
		return d.errorf(op, ref, compute.ErrInvalidArgument, "ICMP type and code are for the icmp protocol only")
	}
	setList(p, "cidrlist", nonBlank(o.CIDRList))
	for i, g := range o.UserSecurityGroups {
		p.Set("usersecuritygrouplist["+itoa(i)+"].account", g.Account)
		p.Set("usersecuritygrouplist["+itoa(i)+"].group", g.Group)
	}
	return nil
}

// authorize runs authorizeSecurityGroupIngress or -Egress.
func (d *Driver) authorize(ctx context.Context, op, command string, group SecurityGroupRef, rule *SecurityGroupRuleOptions) (*SecurityGroup, error) {
	p, ref, err := d.sgRefParams(op, group, "securitygroupid", "securitygroupname")
	if err != nil {
		return nil, err
	}
	if err := d.sgRuleParams(op, ref, p, rule); err != nil {
		return nil, err
	}
	var g SecurityGroup
	if err := d.callAsync(ctx, op, command, p, "securitygroup", &g); err != nil {
		return nil, d.withID(err, ref)
	}
	return &g, nil
}

// ExAuthorizeSecurityGroupIngress adds ingress rules to a security group
// (authorizeSecurityGroupIngress, waiting for the job), as Libcloud's
// ex_authorize_security_group_ingress. It returns the group as the job
// reports it: with the rules just added (their RuleID values are what
// ExRevokeSecurityGroupIngress takes). Not portable.
func (d *Driver) ExAuthorizeSecurityGroupIngress(ctx context.Context, group SecurityGroupRef, rule *SecurityGroupRuleOptions) (*SecurityGroup, error) {
	return d.authorize(ctx, "ExAuthorizeSecurityGroupIngress", "authorizeSecurityGroupIngress", group, rule)
}

// ExRevokeSecurityGroupIngress deletes an ingress rule by its rule id
// (revokeSecurityGroupIngress, waiting for the job), as Libcloud's
// ex_revoke_security_group_ingress. Not portable.
func (d *Driver) ExRevokeSecurityGroupIngress(ctx context.Context, ruleID string) error {
	return d.deleteAsync(ctx, "ExRevokeSecurityGroupIngress", "security group rule", "revokeSecurityGroupIngress", ruleID, nil)
}

// ExAuthorizeSecurityGroupEgress adds egress rules to a security group
// (authorizeSecurityGroupEgress, waiting for the job) and returns the group
// with the rules just added. Libcloud has no such method. Not portable.
func (d *Driver) ExAuthorizeSecurityGroupEgress(ctx context.Context, group SecurityGroupRef, rule *SecurityGroupRuleOptions) (*SecurityGroup, error) {
	return d.authorize(ctx, "ExAuthorizeSecurityGroupEgress", "authorizeSecurityGroupEgress", group, rule)
}

// ExRevokeSecurityGroupEgress deletes an egress rule by its rule id
// (revokeSecurityGroupEgress, waiting for the job). Libcloud has no such
// method. Not portable.
func (d *Driver) ExRevokeSecurityGroupEgress(ctx context.Context, ruleID string) error {
	return d.deleteAsync(ctx, "ExRevokeSecurityGroupEgress", "security group rule", "revokeSecurityGroupEgress", ruleID, nil)
}
