package cloudstack

import (
	"context"
	"net/url"

	"github.com/goclouds/goclouds/compute"
)

// ListNetworksOptions filters ExListNetworks. The zero value lists the
// networks the driver's settings select.
type ListNetworksOptions struct {
	ListScope
	// ID lists one network (id).
	ID string
	// Name keeps the networks with exactly this name; it is matched by the
	// driver (listNetworks has no name filter), the server narrowing with
	// keyword when Keyword is empty.
	Name string
	// ZoneID lists the networks of a zone (zoneid).
	ZoneID string
	// VPCID lists the tiers of a VPC (vpcid).
	VPCID string
	// Type is "Isolated", "Shared" or "L2" (type).
	Type string
	// TrafficType is the traffic type, such as "Guest" (traffictype).
	TrafficType string
	// ACLType is "Account" or "Domain" (acltype).
	ACLType string
	// NetworkOfferingID lists the networks of an offering
	// (networkofferingid).
	NetworkOfferingID string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// CanUseForDeploy, ForVPC, IsSystem and RestartRequired filter on those
	// flags when not nil.
	CanUseForDeploy, ForVPC, IsSystem, RestartRequired *bool
	// SupportedServices lists the networks offering all these services
	// (supportedservices), such as "SourceNat".
	SupportedServices []string
	// Tags lists the networks with all these tags (tags).
	Tags map[string]string
}

// ExListNetworks lists networks (listNetworks, every page), as Libcloud's
// ex_list_networks. Not portable.
func (d *Driver) ExListNetworks(ctx context.Context, opts *ListNetworksOptions) ([]Network, error) {
	if opts == nil {
		opts = &ListNetworksOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "vpcid", opts.VPCID)
	setString(p, "type", opts.Type)
	setString(p, "traffictype", opts.TrafficType)
	setString(p, "acltype", opts.ACLType)
	setString(p, "networkofferingid", opts.NetworkOfferingID)
	setString(p, "keyword", opts.Keyword)
	if opts.Keyword == "" {
		setString(p, "keyword", opts.Name)
	}
	setBool(p, "canusefordeploy", opts.CanUseForDeploy)
	setBool(p, "forvpc", opts.ForVPC)
	setBool(p, "issystem", opts.IsSystem)
	setBool(p, "restartrequired", opts.RestartRequired)
	setList(p, "supportedservices", opts.SupportedServices)
	setTags(p, opts.Tags)
	nets, err := listAll[Network](ctx, d, "ExListNetworks", "listNetworks", p, "network")
	if err != nil {
		return nil, err
	}
	return exactName(nets, opts.Name, func(n *Network) string { return n.Name }), nil
}

// CreateNetworkRequest describes a network for ExCreateNetwork. Name,
// NetworkOfferingID and ZoneID are required. A VPC tier (VPCID set) needs a
// network offering for VPCs and a Gateway and Netmask inside the VPC's
// CIDR.
type CreateNetworkRequest struct {
	// Name is the network's name (name); CloudStack allows duplicates.
	Name string
	// DisplayText describes the network (displaytext); default Name.
	DisplayText string
	// NetworkOfferingID is the network offering (networkofferingid).
	NetworkOfferingID string
	// ZoneID is the zone (zoneid).
	ZoneID string
	// Gateway and Netmask set the network's IPv4 range (gateway, netmask);
	// the server picks one when both are empty.
	Gateway, Netmask string
	// StartIP and EndIP bound the range given to VMs (startip, endip).
	StartIP, EndIP string
	// NetworkDomain is the DNS domain of the network (networkdomain).
	NetworkDomain string
	// VPCID makes the network a tier of this VPC (vpcid).
	VPCID string
	// ACLID is the network ACL list of a VPC tier (aclid); the server
	// applies its default when empty.
	ACLID string
	// ACLType is "Account" or "Domain" (acltype).
	ACLType string
	// VLAN is the VLAN id of networks whose offering lets the caller choose
	// it (vlan).
	VLAN string
	// DNS1 and DNS2 are the network's DNS servers (dns1, dns2).
	DNS1, DNS2 string
	// DisplayNetwork shows or hides the network to its users
	// (displaynetwork) when not nil.
	DisplayNetwork *bool
	// Owner creates the network for a project or another account.
	Owner OwnerOptions
}

// ExCreateNetwork creates a network (createNetwork) and returns it, as
// Libcloud's ex_create_network. Not portable.
func (d *Driver) ExCreateNetwork(ctx context.Context, req *CreateNetworkRequest) (*Network, error) {
	const op = "ExCreateNetwork"
	if req == nil || req.Name == "" || req.NetworkOfferingID == "" || req.ZoneID == "" {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "a network needs a name, a network offering id and a zone id")
	}
	if (req.Gateway == "") != (req.Netmask == "") {
		return nil, d.errorf(op, "", compute.ErrInvalidArgument, "gateway and netmask go together")
	}
	p := url.Values{"name": {req.Name}, "networkofferingid": {req.NetworkOfferingID}, "zoneid": {req.ZoneID}}
	p.Set("displaytext", req.Name)
	setString(p, "displaytext", req.DisplayText)
	setString(p, "gateway", req.Gateway)
	setString(p, "netmask", req.Netmask)
	setString(p, "startip", req.StartIP)
	setString(p, "endip", req.EndIP)
	setString(p, "networkdomain", req.NetworkDomain)
	setString(p, "vpcid", req.VPCID)
	setString(p, "aclid", req.ACLID)
	setString(p, "acltype", req.ACLType)
	setString(p, "vlan", req.VLAN)
	setString(p, "dns1", req.DNS1)
	setString(p, "dns2", req.DNS2)
	setBool(p, "displaynetwork", req.DisplayNetwork)
	d.ownerParams(p, req.Owner)
	var n Network
	if err := d.callObject(ctx, op, "createNetwork", p, "network", &n); err != nil {
		return nil, err
	}
	return &n, nil
}

// DeleteNetworkOptions tunes ExDeleteNetwork.
type DeleteNetworkOptions struct {
	// Forced marks the network destroyed even when shutting down its
	// elements fails (forced=true; root admins only).
	Forced bool
}

// ExDeleteNetwork deletes a network (deleteNetwork, waiting for the job), as
// Libcloud's ex_delete_network; forced is sent only when asked, never as
// "None". A network that still has VMs is refused by the server. Not
// portable.
func (d *Driver) ExDeleteNetwork(ctx context.Context, id string, opts *DeleteNetworkOptions) error {
	p := url.Values{}
	if opts != nil {
		setTrue(p, "forced", opts.Forced)
	}
	return d.deleteAsync(ctx, "ExDeleteNetwork", "network", "deleteNetwork", id, p)
}

// ListNetworkOfferingsOptions filters ExListNetworkOfferings.
type ListNetworkOfferingsOptions struct {
	// ID lists one offering (id).
	ID string
	// Name lists the offerings with exactly this name (name).
	Name string
	// ZoneID lists the offerings usable in a zone (zoneid).
	ZoneID string
	// NetworkID lists the offerings a network may be upgraded to
	// (networkid).
	NetworkID string
	// GuestIPType is "Isolated", "Shared" or "L2" (guestiptype).
	GuestIPType string
	// State is "Enabled" or "Disabled" (state).
	State string
	// Availability is "Required" or "Optional" (availability).
	Availability string
	// TrafficType is the traffic type, such as "Guest" (traffictype).
	TrafficType string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// ForVPC, IsDefault, SourceNATSupported and SpecifyVLAN filter on
	// those flags when not nil.
	ForVPC, IsDefault, SourceNATSupported, SpecifyVLAN *bool
	// SupportedServices lists the offerings with all these services
	// (supportedservices).
	SupportedServices []string
}

// ExListNetworkOfferings lists network offerings (listNetworkOfferings,
// every page), as Libcloud's ex_list_network_offerings. Not portable.
func (d *Driver) ExListNetworkOfferings(ctx context.Context, opts *ListNetworkOfferingsOptions) ([]NetworkOffering, error) {
	if opts == nil {
		opts = &ListNetworkOfferingsOptions{}
	}
	p := url.Values{}
	setString(p, "id", opts.ID)
	setString(p, "name", opts.Name)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "guestiptype", opts.GuestIPType)
	setString(p, "state", opts.State)
	setString(p, "availability", opts.Availability)
	setString(p, "traffictype", opts.TrafficType)
	setString(p, "keyword", opts.Keyword)
	setBool(p, "forvpc", opts.ForVPC)
	setBool(p, "isdefault", opts.IsDefault)
	setBool(p, "sourcenatsupported", opts.SourceNATSupported)
	setBool(p, "specifyvlan", opts.SpecifyVLAN)
	setList(p, "supportedservices", opts.SupportedServices)
	offerings, err := listAll[NetworkOffering](ctx, d, "ExListNetworkOfferings", "listNetworkOfferings", p, "networkoffering")
	if err != nil {
		return nil, err
	}
	return exactName(offerings, opts.Name, func(o *NetworkOffering) string { return o.Name }), nil
}
