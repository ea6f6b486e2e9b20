package vsphere

import (
	"context"

	"github.com/goclouds/goclouds/compute"
)

// ListLocations returns the datacenters, sorted by name. A location's ID is
// the datacenter's managed object id ("datacenter-2"); requests may name a
// datacenter by id or by name.
func (d *Driver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	const op = "ListLocations"
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, err
	}
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	out := make([]*compute.Location, 0, len(dcs))
	for _, dc := range dcs {
		out = append(out, d.location(dc))
	}
	return out, nil
}

// location maps a datacenter to a location.
func (d *Driver) location(dc *datacenter) *compute.Location {
	return &compute.Location{
		ID: dc.ref.Value, Name: dc.name, Provider: provider,
		Extra: map[string]any{"moref": dc.ref.Value},
	}
}
