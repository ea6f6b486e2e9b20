package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// CreateNetworkACLListOptions tunes ExCreateNetworkACLList.
type CreateNetworkACLListOptions struct {
	// Description describes the list (description).
	Description string
	// ForDisplay shows or hides the list to its users (fordisplay) when
	// not nil.
	ForDisplay *bool
}

// ExCreateNetworkACLList creates a network ACL list in a VPC
// (createNetworkACLList, waiting for the job) and returns it, as Libcloud's
// ex_create_network_acllist, which does not wait. Not portable.
func (d *Driver) ExCreateNetworkACLList(ctx context.Context, name, vpcID string, opts *CreateNetworkACLListOptions) (*NetworkACLList, error) {
	const op = "ExCreateNetworkACLList"
	if name == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "empty ACL list name")
	}
	if err := d.requireID(op, "VPC", vpcID); err != nil {
		return nil, err
	}
	p := url.Values{"name": {name}, "vpcid": {vpcID}}
	if opts != nil {
		setString(p, "description", opts.Description)
		setBool(p, "fordisplay", opts.ForDisplay)
	}
	return callAsyncAs[NetworkACLList](ctx, d, op, "createNetworkACLList", p, "networkacllist")
}

// ListNetworkACLListsOptions filters ExListNetworkACLLists. The zero value
// lists the ACL lists the driver's settings select, with the built-in
// default_allow and default_deny.
type ListNetworkACLListsOptions struct {
	ListScope
	// ID lists one ACL list (id).
	ID string
	// Name lists the ACL lists with exactly this name (name).
	Name string
	// VPCID lists the ACL lists of a VPC (vpcid).
	VPCID string
	// NetworkID lists the ACL list of a VPC tier (networkid).
	NetworkID string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
}

// ExListNetworkACLLists lists network ACL lists (listNetworkACLLists, every
// page), as Libcloud's ex_list_network_acllists. Not portable.
func (d *Driver) ExListNetworkACLLists(ctx context.Context, opts *ListNetworkACLListsOptions) ([]NetworkACLList, error) {
	if opts == nil {
		opts = &ListNetworkACLListsOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "name", opts.Name)
	setString(p, "vpcid", opts.VPCID)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "keyword", opts.Keyword)
	lists, err := listAll[NetworkACLList](ctx, d, "ExListNetworkACLLists", "listNetworkACLLists", p, "networkacllist")
	if err != nil {
		return nil, err
	}
	return exactName(lists, opts.Name, func(l *NetworkACLList) string { return l.Name }), nil
}

// ExReplaceNetworkACLList makes a VPC tier use another network ACL list
// (replaceNetworkACLList, waiting for the job), as Libcloud's
// ex_replace_network_acllist. The list must belong to the tier's VPC or be
// a built-in one. Not portable.
func (d *Driver) ExReplaceNetworkACLList(ctx context.Context, aclID, networkID string) error {
	const op = "ExReplaceNetworkACLList"
	if err := d.requireID(op, "network", networkID); err != nil {
		return err
	}
	if err := d.requireID(op, "ACL list", aclID); err != nil {
		return err
	}
	p := url.Values{"aclid": {aclID}, "networkid": {networkID}}
	return d.asyncSuccess(ctx, op, "replaceNetworkACLList", p, networkID)
}

// CreateNetworkACLRequest describes a network ACL rule for
// ExCreateNetworkACL. Protocol and one of ACLID or NetworkID are required.
type CreateNetworkACLRequest struct {
	// ACLID is the ACL list the rule goes in (aclid).
	ACLID string
	// NetworkID names the list by its tier instead (networkid); a tier
	// using a built-in list gets a new list of its own.
	NetworkID string
	// Protocol is "tcp", "udp", "icmp", "all" or a protocol number
	// (protocol).
	Protocol string
	// CIDRList are the source (ingress) or destination (egress) ranges
	// (cidrlist); the server's default is 0.0.0.0/0.
	CIDRList []string
	// StartPort and EndPort bound the ports of tcp and udp rules
	// (startport, endport).
	StartPort, EndPort *int
	// ICMPType and ICMPCode select ICMP messages (icmptype, icmpcode; -1:
	// any).
	ICMPType, ICMPCode *int
	// Action is "Allow" or "Deny" (action); the server's default is Allow.
	Action string
	// TrafficType is "Ingress" or "Egress" (traffictype); the server's
	// default is Ingress.
	TrafficType string
	// Number orders the rule in its list (number); the server appends it
	// when nil.
	Number *int
	// Reason says why the rule exists (reason).
	Reason string
	// ForDisplay shows or hides the rule to its users (fordisplay) when not
	// nil.
	ForDisplay *bool
}

// ExCreateNetworkACL creates a network ACL rule (createNetworkACL, waiting
// for the job) and returns it, as Libcloud's ex_create_network_acl. Not
// portable.
func (d *Driver) ExCreateNetworkACL(ctx context.Context, req *CreateNetworkACLRequest) (*NetworkACL, error) {
	const op = "ExCreateNetworkACL"
	if req == nil || req.Protocol == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a network ACL rule needs a protocol")
	}
	if req.ACLID == "" && req.NetworkID == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a network ACL rule needs an ACL list id or a network id")
	}
	p := url.Values{"protocol": {req.Protocol}}
	setString(p, "aclid", req.ACLID)
	setString(p, "networkid", req.NetworkID)
	setList(p, "cidrlist", req.CIDRList)
	setInt(p, "startport", req.StartPort)
	setInt(p, "endport", req.EndPort)
	setInt(p, "icmptype", req.ICMPType)
	setInt(p, "icmpcode", req.ICMPCode)
	setString(p, "action", req.Action)
	setString(p, "traffictype", req.TrafficType)
	setInt(p, "number", req.Number)
	setString(p, "reason", req.Reason)
	setBool(p, "fordisplay", req.ForDisplay)
	return callAsyncAs[NetworkACL](ctx, d, op, "createNetworkACL", p, "networkacl")
}

// ListNetworkACLsOptions filters ExListNetworkACLs. The zero value lists
// the rules the driver's settings select.
type ListNetworkACLsOptions struct {
	ListScope
	// ID lists one rule (id).
	ID string
	// ACLID lists the rules of an ACL list (aclid).
	ACLID string
	// NetworkID lists the rules of a VPC tier's list (networkid).
	NetworkID string
	// Protocol, Action and TrafficType filter on those fields (protocol,
	// action, traffictype).
	Protocol, Action, TrafficType string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// Tags lists the rules with all these tags (tags).
	Tags map[string]string
}

// ExListNetworkACLs lists network ACL rules (listNetworkACLs, every page),
// as Libcloud's ex_list_network_acl. Not portable.
func (d *Driver) ExListNetworkACLs(ctx context.Context, opts *ListNetworkACLsOptions) ([]NetworkACL, error) {
	if opts == nil {
		opts = &ListNetworkACLsOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "aclid", opts.ACLID)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "protocol", opts.Protocol)
	setString(p, "action", opts.Action)
	setString(p, "traffictype", opts.TrafficType)
	setString(p, "keyword", opts.Keyword)
	setTags(p, opts.Tags)
	return listAll[NetworkACL](ctx, d, "ExListNetworkACLs", "listNetworkACLs", p, "networkacl")
}
