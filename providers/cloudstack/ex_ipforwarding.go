package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// ListIPForwardingRulesOptions filters ExListIPForwardingRules. Zero values
// are not sent (the command takes no tags).
type ListIPForwardingRulesOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// ID lists one rule.
	ID string
	// IPAddressID lists the rules of a public IP address.
	IPAddressID string
	// VirtualMachineID lists the rules forwarding to a VM.
	VirtualMachineID string
}

// ExListIPForwardingRules lists IP forwarding (static NAT) rules, every
// page (listIpForwardingRules), as Libcloud's ex_list_ip_forwarding_rules.
// Not portable.
func (d *Driver) ExListIPForwardingRules(ctx context.Context, opts *ListIPForwardingRulesOptions) ([]IPForwardingRule, error) {
	o := opts
	if o == nil {
		o = &ListIPForwardingRulesOptions{}
	}
	p := d.listScope(&o.ListScope)
	setString(p, "keyword", o.Keyword)
	setString(p, "id", o.ID)
	setString(p, "ipaddressid", o.IPAddressID)
	setString(p, "virtualmachineid", o.VirtualMachineID)
	return listAll[IPForwardingRule](ctx, d, "ExListIPForwardingRules", "listIpForwardingRules", p, "ipforwardingrule")
}

// IPForwardingRuleOptions describe an IP forwarding rule for
// ExCreateIPForwardingRule.
type IPForwardingRuleOptions struct {
	// Protocol is the protocol, tcp or udp (required).
	Protocol string
	// StartPort is the first port (required; 1 to 65535); EndPort the last
	// (nil: only StartPort).
	StartPort, EndPort *int
	// CIDRList are the source CIDRs allowed.
	CIDRList []string
	// OpenFirewall also creates the matching firewall rule when not nil and
	// true.
	OpenFirewall *bool
}

// ExCreateIPForwardingRule opens ports of a static NAT address to its
// virtual machine (createIpForwardingRule, waiting for the job) and returns
// the rule, as Libcloud's ex_create_ip_forwarding_rule. Static NAT must be
// enabled on the address first (ExEnableStaticNAT). Unlike Libcloud, which
// returned nothing for protocols other than tcp and udp, every protocol is
// sent and the server's refusal is an error. Not portable.
func (d *Driver) ExCreateIPForwardingRule(ctx context.Context, ipAddressID string, opts *IPForwardingRuleOptions) (*IPForwardingRule, error) {
	const op = "ExCreateIPForwardingRule"
	if err := d.requireID(op, "public IP address", ipAddressID); err != nil {
		return nil, err
	}
	switch {
	case opts == nil || opts.Protocol == "":
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "a protocol is required")
	case opts.StartPort == nil:
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "StartPort is required")
	}
	p := url.Values{"ipaddressid": {ipAddressID}, "protocol": {opts.Protocol}, "startport": {itoa(*opts.StartPort)}}
	setInt(p, "endport", opts.EndPort)
	setList(p, "cidrlist", nonBlank(opts.CIDRList))
	setBool(p, "openfirewall", opts.OpenFirewall)
	return callAsyncAs[IPForwardingRule](ctx, d, op, "createIpForwardingRule", p, "ipforwardingrule")
}

// ExDeleteIPForwardingRule deletes an IP forwarding rule
// (deleteIpForwardingRule, waiting for the job), as Libcloud's
// ex_delete_ip_forwarding_rule. Not portable.
func (d *Driver) ExDeleteIPForwardingRule(ctx context.Context, id string) error {
	const op = "ExDeleteIPForwardingRule"
	return d.deleteAsync(ctx, op, "IP forwarding rule", "deleteIpForwardingRule", id, nil)
}
