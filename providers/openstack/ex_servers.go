package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/remoteconsoles"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/goclouds/goclouds/compute"
)

// ExGetServer returns the Nova server as gophercloud decodes it, with every
// field the microversion in use carries.
func (d *Driver) ExGetServer(ctx context.Context, id string) (*servers.Server, error) {
	ctx, c, err := d.begin(ctx, "ExGetServer")
	if err != nil {
		return nil, err
	}
	s, err := servers.Get(ctx, c.compute, id).Extract()
	if err != nil {
		return nil, d.wrap("ExGetServer", id, err)
	}
	return s, nil
}

// ExGetMetadata returns the server's metadata, all of it (Node.Tags leaves
// out the driver's idempotency key; this does not).
func (d *Driver) ExGetMetadata(ctx context.Context, id string) (map[string]string, error) {
	var md map[string]string
	err := d.action(ctx, "ExGetMetadata", id, func(ctx context.Context, c *conn) (err error) {
		md, err = servers.Metadata(ctx, c.compute, id).Extract()
		return err
	})
	if err != nil {
		return nil, err
	}
	if md == nil {
		md = map[string]string{}
	}
	return md, nil
}

// ExSetMetadata replaces the server's metadata with md (as Libcloud's
// ex_set_metadata does) and returns what Nova stored. Keys and values over
// 255 characters are ErrInvalidArgument before sending; over Nova's quota
// (128 items by default) ErrQuotaExceeded.
func (d *Driver) ExSetMetadata(ctx context.Context, id string, md map[string]string) (map[string]string, error) {
	const op = "ExSetMetadata"
	if err := checkMetadata(op, md); err != nil {
		return nil, err
	}
	if md == nil {
		md = map[string]string{}
	}
	var out map[string]string
	err := d.action(ctx, op, id, func(ctx context.Context, c *conn) (err error) {
		out, err = servers.ResetMetadata(ctx, c.compute, id, servers.MetadataOpts(md)).Extract()
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkMetadata refuses metadata Nova would: keys and values over 255
// characters, and empty keys.
func checkMetadata(op string, md map[string]string) error {
	for k, v := range md {
		if k == "" || len(k) > 255 || len(v) > 255 {
			return compute.Errorf(provider, op, "", compute.ErrInvalidArgument,
				"metadata %q: Nova metadata keys are 1 to 255 characters and values at most 255", k)
		}
	}
	return nil
}

// RebuildOptions are the optional parts of ExRebuildNode.
type RebuildOptions struct {
	// Name renames the server; "" keeps its name.
	Name string
	// AdminPass sets the new root password; "" lets Nova generate one
	// (returned in the node's Extra["admin_pass"]).
	AdminPass string
	// Metadata, when not nil, replaces the server's metadata.
	Metadata map[string]string
}

// ExRebuildNode reinstalls the server from imageID, keeping its id,
// addresses and flavor. The node returned is in the rebuilding (pending)
// state; wait for running. A server that cannot be rebuilt now (building,
// deleting) is ErrConflict.
func (d *Driver) ExRebuildNode(ctx context.Context, id, imageID string, o *RebuildOptions) (*compute.Node, error) {
	const op = "ExRebuildNode"
	if imageID == "" {
		return nil, compute.Errorf(provider, op, id, compute.ErrInvalidArgument, "a rebuild needs an image id")
	}
	if o == nil {
		o = &RebuildOptions{}
	}
	if err := checkMetadata(op, o.Metadata); err != nil {
		return nil, err
	}
	var n *compute.Node
	err := d.action(ctx, op, id, func(ctx context.Context, c *conn) error {
		s, err := servers.Rebuild(ctx, c.compute, id, servers.RebuildOpts{
			ImageRef: imageID, Name: o.Name, AdminPass: o.AdminPass, Metadata: o.Metadata,
		}).Extract()
		if err != nil {
			return err
		}
		n = d.toNode(s, d.flavorIDs(ctx, c, []servers.Server{*s}), d.externalNetworks(ctx, c))
		if s.AdminPass != "" {
			n.Extra["admin_pass"] = s.AdminPass
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// ExGetConsoleURL returns the URL of the server's noVNC console (Nova's
// remote-consoles, microversion 2.6 and later; older clouds:
// ErrNotSupported). The URL carries a short-lived token: treat it as a
// secret. A server not running is ErrConflict.
func (d *Driver) ExGetConsoleURL(ctx context.Context, id string) (string, error) {
	const op = "ExGetConsoleURL"
	var url string
	err := d.action(ctx, op, id, func(ctx context.Context, c *conn) error {
		if !c.atLeast(6) {
			return compute.Errorf(provider, op, id, compute.ErrNotSupported, "remote consoles need compute microversion 2.6; the cloud speaks 2.%d", c.minor)
		}
		rc, err := remoteconsoles.Create(ctx, c.compute, id, remoteconsoles.CreateOpts{
			Protocol: remoteconsoles.ConsoleProtocolVNC, Type: remoteconsoles.ConsoleTypeNoVNC,
		}).Extract()
		if err != nil {
			return err
		}
		url = rc.URL
		return nil
	})
	return url, err
}
