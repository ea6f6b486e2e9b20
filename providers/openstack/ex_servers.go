package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
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
