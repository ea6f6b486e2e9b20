package openstack

import (
	"context"
	"net"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"

	"github.com/goclouds/goclouds/compute"
)

// FloatingIPPool is a network floating IPs are allocated from: a Neutron
// network marked router:external.
type FloatingIPPool struct {
	ID, Name string
}

// FloatingIP is a Neutron floating IP.
type FloatingIP struct {
	ID string
	// Address is the public address.
	Address string
	// PoolID is the external network it came from.
	PoolID string
	// PortID and FixedIP are the port and address it maps to; "" when
	// detached.
	PortID, FixedIP string
	// NodeID is the server owning PortID; "" when detached or when the
	// port belongs to no server.
	NodeID string
	// Status is Neutron's ("ACTIVE", "DOWN", "ERROR").
	Status string
}

// ExListFloatingIPPools returns the external networks.
func (d *Driver) ExListFloatingIPPools(ctx context.Context) ([]*FloatingIPPool, error) {
	yes := true
	list, err := d.listNetworks(ctx, "ExListFloatingIPPools", external.ListOptsExt{ListOptsBuilder: networks.ListOpts{}, External: &yes})
	if err != nil {
		return nil, err
	}
	out := make([]*FloatingIPPool, 0, len(list))
	for _, n := range list {
		out = append(out, &FloatingIPPool{ID: n.ID, Name: n.Name})
	}
	return out, nil
}

// ExCreateFloatingIP allocates a floating IP from pool (an external
// network's id), detached. Not idempotent: a lost answer can leave an
// address allocated, which ExListFloatingIPs shows.
func (d *Driver) ExCreateFloatingIP(ctx context.Context, poolID string) (*FloatingIP, error) {
	const op = "ExCreateFloatingIP"
	if poolID == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a floating IP needs its pool (an external network id)")
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	f, err := floatingips.Create(ctx, c.network, floatingips.CreateOpts{FloatingNetworkID: poolID}).Extract()
	if err != nil {
		return nil, d.wrap(op, poolID, err)
	}
	return toFloatingIP(f, nil), nil
}

// ExListFloatingIPs returns the project's floating IPs, with the server
// each attached one maps to (one listing of the project's ports).
func (d *Driver) ExListFloatingIPs(ctx context.Context) ([]*FloatingIP, error) {
	const op = "ExListFloatingIPs"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	pages, err := floatingips.List(c.network, floatingips.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	list, err := floatingips.ExtractFloatingIPs(pages)
	if err != nil {
		return nil, d.wrap(op, "", err)
	}
	var owners map[string]string
	for _, f := range list {
		if f.PortID != "" {
			if owners, err = d.portOwners(ctx, c, ports.ListOpts{}); err != nil {
				return nil, d.wrap(op, "", err)
			}
			break
		}
	}
	out := make([]*FloatingIP, 0, len(list))
	for i := range list {
		out = append(out, toFloatingIP(&list[i], owners))
	}
	return out, nil
}

// portOwners maps the ids of the ports matching opts to their device
// (server) ids.
func (d *Driver) portOwners(ctx context.Context, c *conn, opts ports.ListOpts) (map[string]string, error) {
	pages, err := ports.List(c.network, opts).AllPages(ctx)
	if err != nil {
		return nil, err
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, p := range list {
		m[p.ID] = p.DeviceID
	}
	return m, nil
}

// ExAttachFloatingIP maps the floating IP ip (its id or its address) to
// the node: to the first of the server's ports (Neutron orders them by
// creation) not on an external network. A node without such a port is
// ErrNotFound; an address already mapped elsewhere is moved.
func (d *Driver) ExAttachFloatingIP(ctx context.Context, nodeID, ip string) (*FloatingIP, error) {
	const op = "ExAttachFloatingIP"
	if nodeID == "" {
		return nil, compute.Errorf(provider, op, nodeID, compute.ErrNotFound, "empty server id")
	}
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	f, err := d.findFloatingIP(ctx, c, op, ip)
	if err != nil {
		return nil, err
	}
	pages, err := ports.List(c.network, ports.ListOpts{DeviceID: nodeID}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, nodeID, err)
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, d.wrap(op, nodeID, err)
	}
	_, ext := d.externalNets(ctx, c)
	portID := ""
	for _, p := range list {
		if !ext[p.NetworkID] {
			portID = p.ID
			break
		}
	}
	if portID == "" {
		return nil, compute.Errorf(provider, op, nodeID, compute.ErrNotFound, "server %s has no port on an internal network", nodeID)
	}
	f, err = floatingips.Update(ctx, c.network, f.ID, floatingips.UpdateOpts{PortID: &portID}).Extract()
	if err != nil {
		return nil, d.wrap(op, ip, err)
	}
	return toFloatingIP(f, map[string]string{portID: nodeID}), nil
}

// ExDetachFloatingIP unmaps the floating IP ip (its id or its address)
// from its port; it stays allocated. Detaching a detached one is no error.
func (d *Driver) ExDetachFloatingIP(ctx context.Context, ip string) (*FloatingIP, error) {
	const op = "ExDetachFloatingIP"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return nil, err
	}
	f, err := d.findFloatingIP(ctx, c, op, ip)
	if err != nil {
		return nil, err
	}
	none := ""
	f, err = floatingips.Update(ctx, c.network, f.ID, floatingips.UpdateOpts{PortID: &none}).Extract()
	if err != nil {
		return nil, d.wrap(op, ip, err)
	}
	return toFloatingIP(f, nil), nil
}

// ExDeleteFloatingIP releases the floating IP ip (its id or its address),
// detaching it first if need be (Neutron does).
func (d *Driver) ExDeleteFloatingIP(ctx context.Context, ip string) error {
	const op = "ExDeleteFloatingIP"
	ctx, c, err := d.networkClient(ctx, op)
	if err != nil {
		return err
	}
	f, err := d.findFloatingIP(ctx, c, op, ip)
	if err != nil {
		return err
	}
	return d.wrap(op, ip, floatingips.Delete(ctx, c.network, f.ID).ExtractErr())
}

// findFloatingIP looks ip up: by address when it parses as one, else by
// id. Unknown ones are ErrNotFound.
func (d *Driver) findFloatingIP(ctx context.Context, c *conn, op, ip string) (*floatingips.FloatingIP, error) {
	if ip == "" {
		return nil, compute.Errorf(provider, op, ip, compute.ErrNotFound, "empty floating IP")
	}
	if net.ParseIP(ip) == nil {
		f, err := floatingips.Get(ctx, c.network, ip).Extract()
		if err != nil {
			return nil, d.wrap(op, ip, err)
		}
		return f, nil
	}
	pages, err := floatingips.List(c.network, floatingips.ListOpts{FloatingIP: ip}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap(op, ip, err)
	}
	list, err := floatingips.ExtractFloatingIPs(pages)
	if err != nil {
		return nil, d.wrap(op, ip, err)
	}
	if len(list) == 0 {
		return nil, compute.Errorf(provider, op, ip, compute.ErrNotFound, "no floating IP %s in the project", ip)
	}
	return &list[0], nil
}

// toFloatingIP converts a Neutron floating IP; owners maps port ids to
// server ids.
func toFloatingIP(f *floatingips.FloatingIP, owners map[string]string) *FloatingIP {
	return &FloatingIP{ID: f.ID, Address: f.FloatingIP, PoolID: f.FloatingNetworkID, PortID: f.PortID,
		FixedIP: f.FixedIP, NodeID: owners[f.PortID], Status: f.Status}
}
