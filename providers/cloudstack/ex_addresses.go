package cloudstack

import (
	"context"
	"net/url"
)

// ListPublicIPsOptions filters ExListPublicIPs. Zero values are not sent.
type ListPublicIPsOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// Tags lists the addresses carrying all these tags.
	Tags map[string]string
	// ID lists one address.
	ID string
	// IPAddress lists the address with this IP.
	IPAddress string
	// ZoneID lists the addresses of a zone.
	ZoneID string
	// AssociatedNetworkID lists the addresses associated with a guest network.
	AssociatedNetworkID string
	// NetworkID lists the addresses of a (public) network.
	NetworkID string
	// VPCID lists the addresses of a VPC.
	VPCID string
	// VlanID lists the addresses of a VLAN.
	VlanID string
	// PhysicalNetworkID lists the addresses of a physical network.
	PhysicalNetworkID string
	// State lists the addresses in a state ("Allocated", "Free", ...).
	State string
	// IsSourceNAT, IsStaticNAT, AllocatedOnly, ForVirtualNetwork,
	// ForLoadBalancing and ForDisplay filter on those flags when not nil.
	IsSourceNAT       *bool
	IsStaticNAT       *bool
	AllocatedOnly     *bool
	ForVirtualNetwork *bool
	ForLoadBalancing  *bool
	ForDisplay        *bool
}

// ExListPublicIPs lists public IP addresses, every page
// (listPublicIpAddresses), as Libcloud's ex_list_public_ips. Not portable.
func (d *Driver) ExListPublicIPs(ctx context.Context, opts *ListPublicIPsOptions) ([]PublicIP, error) {
	o := opts
	if o == nil {
		o = &ListPublicIPsOptions{}
	}
	p := d.listScope(&o.ListScope)
	setSearch(p, o.Keyword, o.Tags)
	setString(p, "id", o.ID)
	setString(p, "ipaddress", o.IPAddress)
	setString(p, "zoneid", o.ZoneID)
	setString(p, "associatednetworkid", o.AssociatedNetworkID)
	setString(p, "networkid", o.NetworkID)
	setString(p, "vpcid", o.VPCID)
	setString(p, "vlanid", o.VlanID)
	setString(p, "physicalnetworkid", o.PhysicalNetworkID)
	setString(p, "state", o.State)
	setBool(p, "issourcenat", o.IsSourceNAT)
	setBool(p, "isstaticnat", o.IsStaticNAT)
	setBool(p, "allocatedonly", o.AllocatedOnly)
	setBool(p, "forvirtualnetwork", o.ForVirtualNetwork)
	setBool(p, "forloadbalancing", o.ForLoadBalancing)
	setBool(p, "fordisplay", o.ForDisplay)
	return listAll[PublicIP](ctx, d, "ExListPublicIPs", "listPublicIpAddresses", p, "publicipaddress")
}

// AllocatePublicIPOptions are the options of ExAllocatePublicIP. Without
// ZoneID, NetworkID or VPCID the address is taken in the driver's ZoneID or
// the first zone listed (as Libcloud does).
type AllocatePublicIPOptions struct {
	// ZoneID allocates in a zone, for its default guest network.
	ZoneID string
	// NetworkID associates the address with a guest network.
	NetworkID string
	// VPCID associates the address with a VPC.
	VPCID string
	// IPAddress asks for a specific free address.
	IPAddress string
	// OwnerOptions allocate for a project or another account; default the
	// caller (or the driver's ProjectID).
	OwnerOptions
	// IsPortable allocates a portable (cross-zone) address.
	IsPortable *bool
	// ForDisplay shows or hides the address to end users.
	ForDisplay *bool
}

// ExAllocatePublicIP acquires a public IP address (associateIpAddress,
// waiting for the job) and returns it, as Libcloud's ex_allocate_public_ip.
// Not portable.
func (d *Driver) ExAllocatePublicIP(ctx context.Context, opts *AllocatePublicIPOptions) (*PublicIP, error) {
	const op = "ExAllocatePublicIP"
	if opts == nil {
		opts = &AllocatePublicIPOptions{}
	}
	p := d.ownerParams(url.Values{}, opts.OwnerOptions)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "vpcid", opts.VPCID)
	setString(p, "ipaddress", opts.IPAddress)
	setBool(p, "isportable", opts.IsPortable)
	setBool(p, "fordisplay", opts.ForDisplay)
	if opts.ZoneID == "" && opts.NetworkID == "" && opts.VPCID == "" {
		zoneID, err := d.defaultZone(ctx, op)
		if err != nil {
			return nil, err
		}
		p.Set("zoneid", zoneID)
	}
	return callAsyncAs[PublicIP](ctx, d, op, "associateIpAddress", p, "ipaddress")
}

// ExReleasePublicIP releases a public IP address with its rules
// (disassociateIpAddress, waiting for the job), as Libcloud's
// ex_release_public_ip. Not portable.
func (d *Driver) ExReleasePublicIP(ctx context.Context, id string) error {
	const op = "ExReleasePublicIP"
	return d.deleteAsync(ctx, op, "public IP address", "disassociateIpAddress", id, nil)
}

// EnableStaticNATOptions are the options of ExEnableStaticNAT.
type EnableStaticNATOptions struct {
	// NetworkID is the VM's network to map to (for VMs with several NICs).
	NetworkID string
	// VMGuestIP maps to this (secondary) address of the VM instead of its
	// primary one.
	VMGuestIP string
}

// ExEnableStaticNAT maps a public IP address one-to-one to a virtual
// machine (enableStaticNat, synchronous). ListNodes and GetNode then report
// the address among that node's PublicIPs. Not portable.
func (d *Driver) ExEnableStaticNAT(ctx context.Context, ipAddressID, virtualMachineID string, opts *EnableStaticNATOptions) error {
	const op = "ExEnableStaticNAT"
	if err := d.requireID(op, "public IP address", ipAddressID); err != nil {
		return err
	}
	if err := d.requireID(op, "virtual machine", virtualMachineID); err != nil {
		return d.withID(err, ipAddressID)
	}
	p := url.Values{"ipaddressid": {ipAddressID}, "virtualmachineid": {virtualMachineID}}
	if opts != nil {
		setString(p, "networkid", opts.NetworkID)
		setString(p, "vmguestip", opts.VMGuestIP)
	}
	return d.withID(d.syncSuccess(ctx, op, "enableStaticNat", p), ipAddressID)
}

// ExDisableStaticNAT removes the static NAT of a public IP address and its
// IP forwarding rules (disableStaticNat, waiting for the job). Not portable.
func (d *Driver) ExDisableStaticNAT(ctx context.Context, ipAddressID string) error {
	const op = "ExDisableStaticNAT"
	if err := d.requireID(op, "public IP address", ipAddressID); err != nil {
		return err
	}
	return d.asyncSuccess(ctx, op, "disableStaticNat", url.Values{"ipaddressid": {ipAddressID}}, ipAddressID)
}

// syncSuccess sends a synchronous command answering CloudStack's
// SuccessResponse; "success": false is an ErrInternal error.
func (d *Driver) syncSuccess(ctx context.Context, op, command string, params url.Values) error {
	var r successResult
	if err := d.call(ctx, op, command, params, &r); err != nil {
		return err
	}
	return r.check(d, op, params.Get("id"))
}
