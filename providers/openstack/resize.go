package openstack

import (
	"context"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/goclouds/goclouds/compute"
)

// resizePoll is how often ResizeNode looks for VERIFY_RESIZE.
var resizePoll = 500 * time.Millisecond

// ResizeNode resizes the server to the flavor (Nova's resize action), waits
// under ctx for VERIFY_RESIZE and confirms it, then returns the node. An
// unknown flavor gives ErrNotFound before anything is sent; a server Nova
// cannot resize in its state gives ErrConflict.
func (d *Driver) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	const op = "ResizeNode"
	if size == nil || size.ID == "" {
		return nil, compute.Errorf(provider, op, id, compute.ErrInvalidArgument, "a size is required")
	}
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	if _, err := d.getNode(ctx, c, op, id); err != nil {
		return nil, err
	}
	if _, err := d.getSize(ctx, c, op, size.ID); err != nil {
		return nil, err
	}
	if err := servers.Resize(ctx, c.compute, id, servers.ResizeOpts{FlavorRef: size.ID}).ExtractErr(); err != nil {
		return nil, d.wrap(op, id, err)
	}
	t := time.NewTicker(resizePoll)
	defer t.Stop()
	for {
		s, err := servers.Get(ctx, c.compute, id).Extract()
		if err != nil {
			return nil, d.wrap(op, id, err)
		}
		switch s.Status {
		case "VERIFY_RESIZE":
			if err := servers.ConfirmResize(ctx, c.compute, id).ExtractErr(); err != nil {
				return nil, d.wrap(op, id, err)
			}
			return d.getNode(ctx, c, op, id)
		case "ERROR":
			return nil, compute.Errorf(provider, op, id, compute.ErrInternal, "the resize failed: %s", s.Fault.Message)
		case "ACTIVE", "SHUTOFF":
			if s.TaskState == "" && flavorMatches(s.Flavor, size) {
				return d.getNode(ctx, c, op, id) // confirmed automatically
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// flavorMatches reports whether a server's flavor is size.
func flavorMatches(f map[string]any, size *compute.Size) bool {
	if id := str(f["id"]); id != "" {
		return id == size.ID
	}
	n := str(f["original_name"])
	return n != "" && (n == size.Name || n == size.ID)
}
