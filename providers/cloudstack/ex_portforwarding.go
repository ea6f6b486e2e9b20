package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// ListPortForwardingRulesOptions filters ExListPortForwardingRules. Zero
// values are not sent.
type ListPortForwardingRulesOptions struct {
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
	// VirtualMachineID keeps the rules forwarding to this VM. The server has
	// no such filter: the driver filters the rows exactly.
	VirtualMachineID string
	// ForDisplay filters on the display flag when not nil.
	ForDisplay *bool
}

// ExListPortForwardingRules lists port forwarding rules, every page
// (listPortForwardingRules), as Libcloud's ex_list_port_forwarding_rules.
// Not portable.
func (d *Driver) ExListPortForwardingRules(ctx context.Context, opts *ListPortForwardingRulesOptions) ([]PortForwardingRule, error) {
	o := opts
	if o == nil {
		o = &ListPortForwardingRulesOptions{}
	}
	p := d.ruleListParams(&ListFirewallRulesOptions{
		ListScope: o.ListScope, Keyword: o.Keyword, Tags: o.Tags, ID: o.ID,
		IPAddressID: o.IPAddressID, NetworkID: o.NetworkID, ForDisplay: o.ForDisplay,
	})
	vmID := o.VirtualMachineID
	rules, err := listAll[PortForwardingRule](ctx, d, "ExListPortForwardingRules", "listPortForwardingRules", p, "portforwardingrule")
	if err != nil || vmID == "" {
		return rules, err
	}
	kept := rules[:0]
	for _, r := range rules {
		if r.VirtualMachineID == vmID {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

// PortForwardingRuleOptions describe a port forwarding rule for
// ExCreatePortForwardingRule.
type PortForwardingRuleOptions struct {
	// Protocol is tcp or udp (required).
	Protocol string
	// PublicPort and PrivatePort are the first ports of the public and the
	// VM's range (required; 1 to 65535).
	PublicPort, PrivatePort *int
	// PublicEndPort and PrivateEndPort end the ranges (nil: a single port).
	PublicEndPort, PrivateEndPort *int
	// CIDRList are the source CIDRs allowed (default 0.0.0.0/0).
	CIDRList []string
	// OpenFirewall also creates the matching firewall rule when not nil and
	// true (the server's default is true).
	OpenFirewall *bool
	// NetworkID is the VM's network the rule forwards to.
	NetworkID string
	// VMGuestIP forwards to this (secondary) address of the VM.
	VMGuestIP string
	// ForDisplay shows or hides the rule to end users.
	ForDisplay *bool
}

// ExCreatePortForwardingRule forwards ports of a public IP address to a
// virtual machine (createPortForwardingRule, waiting for the job) and
// returns the rule, as Libcloud's ex_create_port_forwarding_rule (without
// its changes to a node object: ListNodes and GetNode report the address
// among the node's PublicIPs). Not portable.
func (d *Driver) ExCreatePortForwardingRule(ctx context.Context, ipAddressID, virtualMachineID string, opts *PortForwardingRuleOptions) (*PortForwardingRule, error) {
	const op = "ExCreatePortForwardingRule"
	if err := d.requireID(op, "public IP address", ipAddressID); err != nil {
		return nil, err
	}
	if err := d.requireID(op, "virtual machine", virtualMachineID); err != nil {
		return nil, d.withID(err, ipAddressID)
	}
	switch {
	case opts == nil || opts.Protocol == "":
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "a protocol is required")
	case opts.PublicPort == nil || opts.PrivatePort == nil:
		return nil, d.errorf(op, ipAddressID, compute.ErrInvalidArgument, "PublicPort and PrivatePort are required")
	}
	p := url.Values{
		"ipaddressid":      {ipAddressID},
		"virtualmachineid": {virtualMachineID},
		"protocol":         {opts.Protocol},
		"publicport":       {itoa(*opts.PublicPort)},
		"privateport":      {itoa(*opts.PrivatePort)},
	}
	setInt(p, "publicendport", opts.PublicEndPort)
	setInt(p, "privateendport", opts.PrivateEndPort)
	setList(p, "cidrlist", nonBlank(opts.CIDRList))
	setBool(p, "openfirewall", opts.OpenFirewall)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "vmguestip", opts.VMGuestIP)
	setBool(p, "fordisplay", opts.ForDisplay)
	return callAsyncAs[PortForwardingRule](ctx, d, op, "createPortForwardingRule", p, "portforwardingrule")
}

// ExDeletePortForwardingRule deletes a port forwarding rule
// (deletePortForwardingRule, waiting for the job), as Libcloud's
// ex_delete_port_forwarding_rule. Not portable.
func (d *Driver) ExDeletePortForwardingRule(ctx context.Context, id string) error {
	const op = "ExDeletePortForwardingRule"
	return d.deleteAsync(ctx, op, "port forwarding rule", "deletePortForwardingRule", id, nil)
}
