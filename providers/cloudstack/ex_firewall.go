package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// ListFirewallRulesOptions filters ExListFirewallRules and
// ExListEgressFirewallRules. Zero values are not sent.
type ListFirewallRulesOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// Tags lists the rules carrying all these tags.
	Tags map[string]string
	// ID lists one rule.
	ID string
	// IPAddressID lists the rules of a public IP address.
	IPAddressID string
	// NetworkID lists the rules of a guest network.
	NetworkID string
	// ForDisplay filters on the display flag when not nil.
	ForDisplay *bool
}

// ruleListParams returns the parameters of listFirewallRules,
// listEgressFirewallRules and (with the same filters)
// listPortForwardingRules.
func (d *Driver) ruleListParams(o *ListFirewallRulesOptions) url.Values {
	if o == nil {
		o = &ListFirewallRulesOptions{}
	}
	p := d.listScope(&o.ListScope)
	setSearch(p, o.Keyword, o.Tags)
	setString(p, "id", o.ID)
	setString(p, "ipaddressid", o.IPAddressID)
	setString(p, "networkid", o.NetworkID)
	setBool(p, "fordisplay", o.ForDisplay)
	return p
}

// FirewallRuleOptions describe a firewall rule for ExCreateFirewallRule and
// ExCreateEgressFirewallRule.
type FirewallRuleOptions struct {
	// Protocol is tcp, udp, icmp, all or a protocol number (required).
	Protocol string
	// CIDRList are the source CIDRs; the server's default when empty
	// (0.0.0.0/0 for ingress, the network's CIDR for egress).
	CIDRList []string
	// DestCIDRList are the destination CIDRs of an egress rule.
	DestCIDRList []string
	// StartPort and EndPort bound the ports of a tcp or udp rule (1 to
	// 65535; nil: not sent, every port; EndPort defaults to StartPort on
	// the server).
	StartPort, EndPort *int
	// ICMPType and ICMPCode select ICMP messages (-1: any) for icmp rules.
	ICMPType, ICMPCode *int
	// Type is "user" (default) or "system".
	Type string
	// ForDisplay shows or hides the rule to end users.
	ForDisplay *bool
}

// params sets the rule's parameters on p (nil numbers are not sent).
func (o *FirewallRuleOptions) params(p url.Values) {
	p.Set("protocol", o.Protocol)
	setList(p, "cidrlist", nonBlank(o.CIDRList))
	setInt(p, "startport", o.StartPort)
	setInt(p, "endport", o.EndPort)
	setInt(p, "icmptype", o.ICMPType)
	setInt(p, "icmpcode", o.ICMPCode)
	setString(p, "type", o.Type)
	setBool(p, "fordisplay", o.ForDisplay)
}

// ExListFirewallRules lists the ingress firewall rules of public IP
// addresses, every page (listFirewallRules), as Libcloud's
// ex_list_firewall_rules. Not portable.
func (d *Driver) ExListFirewallRules(ctx context.Context, opts *ListFirewallRulesOptions) ([]FirewallRule, error) {
	return listAll[FirewallRule](ctx, d, "ExListFirewallRules", "listFirewallRules", d.ruleListParams(opts), "firewallrule")
}

// ExCreateFirewallRule opens ports of a public IP address
// (createFirewallRule, waiting for the job) and returns the rule, as
// Libcloud's ex_create_firewall_rule. Not portable.
func (d *Driver) ExCreateFirewallRule(ctx context.Context, ipAddressID string, opts *FirewallRuleOptions) (*FirewallRule, error) {
	const op = "ExCreateFirewallRule"
	if err := d.requireID(op, "public IP address", ipAddressID); err != nil {
		return nil, err
	}
	if opts == nil || opts.Protocol == "" {
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "a protocol is required")
	}
	if len(opts.DestCIDRList) > 0 {
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "DestCIDRList is for egress rules only")
	}
	p := url.Values{"ipaddressid": {ipAddressID}}
	opts.params(p)
	return callAsyncAs[FirewallRule](ctx, d, op, "createFirewallRule", p, "firewallrule")
}

// ExDeleteFirewallRule deletes an ingress firewall rule
// (deleteFirewallRule, waiting for the job), as Libcloud's
// ex_delete_firewall_rule. Not portable.
func (d *Driver) ExDeleteFirewallRule(ctx context.Context, id string) error {
	const op = "ExDeleteFirewallRule"
	return d.deleteAsync(ctx, op, "firewall rule", "deleteFirewallRule", id, nil)
}

// ExListEgressFirewallRules lists the egress firewall rules of guest
// networks, every page (listEgressFirewallRules), as Libcloud's
// ex_list_egress_firewall_rules (an empty list is an empty slice). Not
// portable.
func (d *Driver) ExListEgressFirewallRules(ctx context.Context, opts *ListFirewallRulesOptions) ([]FirewallRule, error) {
	return listAll[FirewallRule](ctx, d, "ExListEgressFirewallRules", "listEgressFirewallRules", d.ruleListParams(opts), "firewallrule")
}

// ExCreateEgressFirewallRule allows outgoing traffic of an isolated guest
// network (createEgressFirewallRule, waiting for the job) and returns the
// rule, as Libcloud's ex_create_egress_firewall_rule. Not portable.
func (d *Driver) ExCreateEgressFirewallRule(ctx context.Context, networkID string, opts *FirewallRuleOptions) (*FirewallRule, error) {
	const op = "ExCreateEgressFirewallRule"
	if err := d.requireID(op, "network", networkID); err != nil {
		return nil, err
	}
	if opts == nil || opts.Protocol == "" {
		return nil, d.errorf(op, networkID, compute.ErrInvalidArgument, "a protocol is required")
	}
	p := url.Values{"networkid": {networkID}}
	opts.params(p)
	setList(p, "destcidrlist", nonBlank(opts.DestCIDRList))
	return callAsyncAs[FirewallRule](ctx, d, op, "createEgressFirewallRule", p, "firewallrule")
}

// ExDeleteEgressFirewallRule deletes an egress firewall rule
// (deleteEgressFirewallRule, waiting for the job), as Libcloud's
// ex_delete_egress_firewall_rule. Not portable.
func (d *Driver) ExDeleteEgressFirewallRule(ctx context.Context, id string) error {
	const op = "ExDeleteEgressFirewallRule"
	return d.deleteAsync(ctx, op, "egress firewall rule", "deleteEgressFirewallRule", id, nil)
}
