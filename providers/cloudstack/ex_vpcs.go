package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// ListVPCOfferingsOptions filters ExListVPCOfferings.
type ListVPCOfferingsOptions struct {
	// ID lists one offering (id).
	ID string
	// Name lists the offerings with exactly this name (name).
	Name string
	// ZoneID lists the offerings usable in a zone (zoneid).
	ZoneID string
	// State is "Enabled" or "Disabled" (state).
	State string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// IsDefault filters on the default flag when not nil (isdefault).
	IsDefault *bool
	// SupportedServices lists the offerings with all these services
	// (supportedservices).
	SupportedServices []string
}

// ExListVPCOfferings lists VPC offerings (listVPCOfferings, every page), as
// Libcloud's ex_list_vpc_offerings. Not portable.
func (d *Driver) ExListVPCOfferings(ctx context.Context, opts *ListVPCOfferingsOptions) ([]VPCOffering, error) {
	if opts == nil {
		opts = &ListVPCOfferingsOptions{}
	}
	p := url.Values{}
	setString(p, "id", opts.ID)
	setString(p, "name", opts.Name)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "state", opts.State)
	setString(p, "keyword", opts.Keyword)
	setBool(p, "isdefault", opts.IsDefault)
	setList(p, "supportedservices", opts.SupportedServices)
	offerings, err := listAll[VPCOffering](ctx, d, "ExListVPCOfferings", "listVPCOfferings", p, "vpcoffering")
	if err != nil {
		return nil, err
	}
	return exactName(offerings, opts.Name, func(o *VPCOffering) string { return o.Name }), nil
}

// ListVPCsOptions filters ExListVPCs. The zero value lists the VPCs the
// driver's settings select.
type ListVPCsOptions struct {
	ListScope
	// ID lists one VPC (id).
	ID string
	// Name keeps the VPCs with exactly this name (sent as name, which some
	// servers match as a substring, and checked by the driver).
	Name string
	// ZoneID lists the VPCs of a zone (zoneid).
	ZoneID string
	// VPCOfferingID lists the VPCs of an offering (vpcofferingid).
	VPCOfferingID string
	// CIDR lists the VPCs with this CIDR (cidr).
	CIDR string
	// State is "Enabled" or "Inactive" (state).
	State string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// RestartRequired filters on that flag when not nil (restartrequired).
	RestartRequired *bool
	// Tags lists the VPCs with all these tags (tags).
	Tags map[string]string
}

// ExListVPCs lists VPCs (listVPCs, every page), as Libcloud's ex_list_vpcs.
// Not portable.
func (d *Driver) ExListVPCs(ctx context.Context, opts *ListVPCsOptions) ([]VPC, error) {
	if opts == nil {
		opts = &ListVPCsOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "name", opts.Name)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "vpcofferingid", opts.VPCOfferingID)
	setString(p, "cidr", opts.CIDR)
	setString(p, "state", opts.State)
	setString(p, "keyword", opts.Keyword)
	setBool(p, "restartrequired", opts.RestartRequired)
	setTags(p, opts.Tags)
	vpcs, err := listAll[VPC](ctx, d, "ExListVPCs", "listVPCs", p, "vpc")
	if err != nil {
		return nil, err
	}
	return exactName(vpcs, opts.Name, func(v *VPC) string { return v.Name }), nil
}

// CreateVPCRequest describes a VPC for ExCreateVPC. Name, CIDR,
// VPCOfferingID and ZoneID are required.
type CreateVPCRequest struct {
	// Name is the VPC's name (name).
	Name string
	// DisplayText describes the VPC (displaytext, which the API requires);
	// default Name.
	DisplayText string
	// CIDR is the VPC's private (RFC 1918) range; its tiers' ranges lie
	// inside it (cidr).
	CIDR string
	// VPCOfferingID is the VPC offering (vpcofferingid).
	VPCOfferingID string
	// ZoneID is the zone (zoneid).
	ZoneID string
	// NetworkDomain is the DNS domain of every tier (networkdomain).
	NetworkDomain string
	// DNS1 and DNS2 are the VPC's DNS servers (dns1, dns2).
	DNS1, DNS2 string
	// Start, when false, defers starting the VPC's router until its first
	// tier is implemented (start); nil leaves the server's default, true.
	Start *bool
	// Owner creates the VPC for a project or another account.
	Owner OwnerOptions
}

// ExCreateVPC creates a VPC (createVPC, waiting for the job that starts its
// virtual router) and returns it, as Libcloud's ex_create_vpc, which does
// not wait. Not portable.
func (d *Driver) ExCreateVPC(ctx context.Context, req *CreateVPCRequest) (*VPC, error) {
	const op = "ExCreateVPC"
	if req == nil || req.Name == "" || req.CIDR == "" || req.VPCOfferingID == "" || req.ZoneID == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a VPC needs a name, a CIDR, a VPC offering id and a zone id")
	}
	p := url.Values{"name": {req.Name}, "displaytext": {req.Name}, "cidr": {req.CIDR},
		"vpcofferingid": {req.VPCOfferingID}, "zoneid": {req.ZoneID}}
	setString(p, "displaytext", req.DisplayText)
	setString(p, "networkdomain", req.NetworkDomain)
	setString(p, "dns1", req.DNS1)
	setString(p, "dns2", req.DNS2)
	setBool(p, "start", req.Start)
	d.ownerParams(p, req.Owner)
	return callAsyncAs[VPC](ctx, d, op, "createVPC", p, "vpc")
}

// ExDeleteVPC deletes a VPC (deleteVPC, waiting for the job), with its
// router, source NAT address, ACL lists and VPN gateway, as Libcloud's
// ex_delete_vpc. The server refuses a VPC that still has tiers. Not
// portable.
func (d *Driver) ExDeleteVPC(ctx context.Context, id string) error {
	return d.deleteAsync(ctx, "ExDeleteVPC", "VPC", "deleteVPC", id, nil)
}
