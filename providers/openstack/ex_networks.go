package openstack

import (
	"context"
	"net"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"

	"github.com/goclouds/goclouds/compute"
)

// Network is a Neutron network.
type Network struct {
	ID, Name string
	// Status is Neutron's ("ACTIVE", "DOWN", "BUILD", "ERROR").
	Status string
	// SubnetIDs are the network's subnets.
	SubnetIDs []string
	// External is router:external: floating IPs come from such networks
	// (they are the floating IP pools).
	External bool
	// Shared networks are visible to every project.
	Shared    bool
	ProjectID string
}

// Subnet is a Neutron subnet.
type Subnet struct {
	ID, Name, NetworkID string
	// CIDR is the subnet's range ("10.0.0.0/24").
	CIDR string
	// IPVersion is 4 or 6.
	IPVersion int
	// GatewayIP is "" when the subnet has no gateway.
	GatewayIP      string
	EnableDHCP     bool
	DNSNameservers []string
	ProjectID      string
}

// CreateSubnetRequest describes a subnet for ExCreateSubnet.
type CreateSubnetRequest struct {
	// Name is optional.
	Name string
	// NetworkID and CIDR are required.
	NetworkID, CIDR string
	// DNSNameservers are optional resolver addresses.
	DNSNameservers []string
}

// networkClient returns the connection when the catalogue has Neutron,
// else the catalogue's error (ErrNotSupported or ErrNotFound).
func (d *Driver) networkClient(ctx context.Context, op string) (context.Context, *conn, error) {
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return ctx, nil, err
	}
	if c.network == nil {
		return ctx, nil, d.wrap(op, "", c.networkErr)
	}
	return ctx, c, nil
}

// ExListNetworks returns the networks the project sees (its own, shared
// and external ones), following pages.
func (d *Driver) ExListNetworks(ctx context.Context) ([]*Network, error) {
	return d.listNetworks(ctx, "ExListNetworks", networks.ListOpts{})
}

// listNetworks lists networks matching opts as op.
func (d *Driver) listNetworks(ctx context.Context, op string, opts networks.ListOptsBuilder) ([]*Network, error) {
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	pages, err := networks.List(c.network, opts).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	var list []struct {
		networks.Network
		external.NetworkExternalExt
	}
	if err := networks.ExtractNetworksInto(pages, &list); err != nil {
		return nil, d.wrap(op, "", err)
	}
	out := make([]*Network, 0, len(list))
	for _, n := range list {
		out = append(out, &Network{ID: n.ID, Name: n.Name, Status: n.Status, SubnetIDs: n.Subnets,
			External: n.External, Shared: n.Shared, ProjectID: n.ProjectID})
	}
	return out, nil
}

// ExCreateNetwork creates a network of the project (not shared, not
// external: those need an administrator).
func (d *Driver) ExCreateNetwork(ctx context.Context, name string) (*Network, error) {
	const op = "ExCreateNetwork"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	up := true
	n, err := networks.Create(ctx, c.network, networks.CreateOpts{Name: name, AdminStateUp: &up}).Extract()
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	return &Network{ID: n.ID, Name: n.Name, Status: n.Status, SubnetIDs: n.Subnets, Shared: n.Shared, ProjectID: n.ProjectID}, nil
}

// ExDeleteNetwork deletes a network with its subnets. Neutron refuses
// (ErrConflict) while servers have ports on it.
func (d *Driver) ExDeleteNetwork(ctx context.Context, id string) error {
	return d.neutronDelete(ctx, "ExDeleteNetwork", id, func(ctx context.Context, c *conn) error {
		return networks.Delete(ctx, c.network, id).ExtractErr()
	})
}

// neutronDelete runs a Neutron delete of id as op, refusing an empty id.
func (d *Driver) neutronDelete(ctx context.Context, op, id string, call func(context.Context, *conn) error) error {
	if id == "" {
		return compute.Errorf(provider, op, id, compute.ErrNotFound, "empty id")
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return err
	}
	return d.wrap(op, id, call(ctx, c))
}

// ExListSubnets returns the subnets the project sees, following pages.
func (d *Driver) ExListSubnets(ctx context.Context) ([]*Subnet, error) {
	const op = "ExListSubnets"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	pages, err := subnets.List(c.network, subnets.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	list, err := subnets.ExtractSubnets(pages)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	out := make([]*Subnet, 0, len(list))
	for i := range list {
		out = append(out, toSubnet(&list[i]))
	}
	return out, nil
}

// ExCreateSubnet creates a subnet of req.CIDR on req.NetworkID, with DHCP
// and the first address as gateway (Neutron's defaults). The IP version
// comes from the CIDR; a malformed CIDR is ErrInvalidArgument before
// anything is sent.
func (d *Driver) ExCreateSubnet(ctx context.Context, req CreateSubnetRequest) (*Subnet, error) {
	const op = "ExCreateSubnet"
	if req.NetworkID == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a subnet needs its network id")
	}
	_, ipnet, err := net.ParseCIDR(req.CIDR)
	if err != nil {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "CIDR %q: want an address range such as 10.0.0.0/24", req.CIDR)
	}
	version := gophercloud.IPv6
	if ipnet.IP.To4() != nil {
		version = gophercloud.IPv4
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	opts := subnets.CreateOpts{NetworkID: req.NetworkID, CIDR: req.CIDR, Name: req.Name,
		IPVersion: version, DNSNameservers: req.DNSNameservers}
	s, err := subnets.Create(ctx, c.network, opts).Extract()
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	return toSubnet(s), nil
}

// ExDeleteSubnet deletes a subnet. Neutron refuses (ErrConflict) while
// servers hold addresses on it.
func (d *Driver) ExDeleteSubnet(ctx context.Context, id string) error {
	return d.neutronDelete(ctx, "ExDeleteSubnet", id, func(ctx context.Context, c *conn) error {
		return subnets.Delete(ctx, c.network, id).ExtractErr()
	})
}

// toSubnet converts a Neutron subnet.
func toSubnet(s *subnets.Subnet) *Subnet {
	return &Subnet{ID: s.ID, Name: s.Name, NetworkID: s.NetworkID, CIDR: s.CIDR, IPVersion: s.IPVersion,
		GatewayIP: s.GatewayIP, EnableDHCP: s.EnableDHCP, DNSNameservers: s.DNSNameservers, ProjectID: s.ProjectID}
}
