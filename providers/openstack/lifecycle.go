package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/goclouds/goclouds/compute"
)

// RebootNode soft-reboots the server (Nova's reboot action, type SOFT).
func (d *Driver) RebootNode(ctx context.Context, id string) error {
	return d.action(ctx, "RebootNode", id, func(ctx context.Context, c *conn) error {
		return servers.Reboot(ctx, c.compute, id, servers.RebootOpts{Type: servers.SoftReboot}).ExtractErr()
	})
}

// StartNode starts a stopped server (os-start); a server that is not
// SHUTOFF gives ErrConflict.
func (d *Driver) StartNode(ctx context.Context, id string) error {
	return d.action(ctx, "StartNode", id, func(ctx context.Context, c *conn) error {
		return servers.Start(ctx, c.compute, id).ExtractErr()
	})
}

// StopNode stops a running server (os-stop); a server that is not ACTIVE
// or in ERROR gives ErrConflict.
func (d *Driver) StopNode(ctx context.Context, id string) error {
	return d.action(ctx, "StopNode", id, func(ctx context.Context, c *conn) error {
		return servers.Stop(ctx, c.compute, id).ExtractErr()
	})
}

// DestroyNode deletes the server. Nova deletes asynchronously: the server
// may stay listed (task state deleting) for a moment.
func (d *Driver) DestroyNode(ctx context.Context, id string) error {
	return d.action(ctx, "DestroyNode", id, func(ctx context.Context, c *conn) error {
		return servers.Delete(ctx, c.compute, id).ExtractErr()
	})
}

// action runs a call on server id, refusing an empty id as not found.
func (d *Driver) action(ctx context.Context, op, id string, call func(context.Context, *conn) error) error {
	if id == "" {
		return compute.Errorf(provider, op, id, compute.ErrNotFound, "empty server id")
	}
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return err
	}
	return d.wrap(op, id, call(ctx, c))
}
