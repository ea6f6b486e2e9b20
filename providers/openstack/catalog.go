package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/goclouds/goclouds/compute"
)

// ListSizes returns the flavors (public and, for an admin, private ones),
// with VCPUs, RAM (MB) and root disk (GB). Flavors are regional: location
// does not narrow the list.
func (d *Driver) ListSizes(ctx context.Context, _ *compute.Location) ([]*compute.Size, error) {
	ctx, c, err := d.begin(ctx, "ListSizes")
	if err != nil {
		return nil, err
	}
	pages, err := flavors.ListDetail(c.compute, flavors.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, d.wrap("ListSizes", "", err)
	}
	all, err := flavors.ExtractFlavors(pages)
	if err != nil {
		return nil, d.wrap("ListSizes", "", err)
	}
	out := make([]*compute.Size, 0, len(all))
	for i := range all {
		out = append(out, toSize(&all[i]))
	}
	return out, nil
}

// toSize converts a Nova flavor.
func toSize(f *flavors.Flavor) *compute.Size {
	return &compute.Size{ID: f.ID, Name: f.Name, VCPUs: f.VCPUs, RAM: f.RAM, Disk: f.Disk, Provider: provider,
		Extra: map[string]any{"ephemeral": f.Ephemeral, "swap": f.Swap, "rxtx_factor": f.RxTxFactor, "is_public": f.IsPublic}}
}

// getSize returns the flavor with the given id.
func (d *Driver) getSize(ctx context.Context, c *conn, op, id string) (*compute.Size, error) {
	f, err := flavors.Get(ctx, c.compute, id).Extract()
	if err != nil {
		if compute.KindOf(d.wrap(op, id, err)) == compute.ErrNotFound {
			return nil, compute.Errorf(provider, op, id, compute.ErrNotFound, "no flavor %q", id)
		}
		return nil, d.wrap(op, id, err)
	}
	return toSize(f), nil
}

// ListImages returns the active Glance v2 images visible to the project,
// following Glance's pages. Images are regional: location does not narrow
// the list.
func (d *Driver) ListImages(ctx context.Context, _ *compute.Location) ([]*compute.Image, error) {
	ctx, c, err := d.begin(ctx, "ListImages")
	if err != nil {
		return nil, err
	}
	if c.image == nil {
		return nil, d.wrap("ListImages", "", c.imageErr)
	}
	out := []*compute.Image{}
	err = images.List(c.image, images.ListOpts{Status: images.ImageStatusActive}).EachPage(ctx, func(_ context.Context, page pagination.Page) (bool, error) {
		list, err := images.ExtractImages(page)
		for i := range list {
			out = append(out, toImage(&list[i]))
		}
		return err == nil, err
	})
	if err != nil {
		return nil, d.wrap("ListImages", "", err)
	}
	return out, nil
}

// GetImage returns the Glance image with the given id.
func (d *Driver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	ctx, c, err := d.begin(ctx, "GetImage")
	if err != nil {
		return nil, err
	}
	if c.image == nil {
		return nil, d.wrap("GetImage", id, c.imageErr)
	}
	if id == "" {
		return nil, compute.Errorf(provider, "GetImage", id, compute.ErrNotFound, "empty image id")
	}
	img, err := images.Get(ctx, c.image, id).Extract()
	if err != nil {
		return nil, d.wrap("GetImage", id, err)
	}
	return toImage(img), nil
}

// toImage converts a Glance image.
func toImage(i *images.Image) *compute.Image {
	return &compute.Image{ID: i.ID, Name: i.Name, Provider: provider, Extra: map[string]any{
		"status": string(i.Status), "visibility": string(i.Visibility), "size": i.SizeBytes,
		"min_disk": i.MinDiskGigabytes, "min_ram": i.MinRAMMegabytes, "disk_format": i.DiskFormat,
		"container_format": i.ContainerFormat, "tags": i.Tags, "owner": i.Owner,
		"created_at": i.CreatedAt, "updated_at": i.UpdatedAt, "protected": i.Protected,
		"os_distro": i.Properties["os_distro"],
	}}
}

// ListLocations returns Nova's availability zones that are available.
func (d *Driver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	ctx, c, err := d.begin(ctx, "ListLocations")
	if err != nil {
		return nil, err
	}
	pages, err := availabilityzones.List(c.compute).AllPages(ctx)
	if err != nil {
		return nil, d.wrap("ListLocations", "", err)
	}
	zones, err := availabilityzones.ExtractAvailabilityZones(pages)
	if err != nil {
		return nil, d.wrap("ListLocations", "", err)
	}
	out := []*compute.Location{}
	for _, z := range zones {
		if !z.ZoneState.Available {
			continue
		}
		out = append(out, &compute.Location{ID: z.ZoneName, Name: z.ZoneName, Provider: provider,
			Extra: map[string]any{"region": d.opts.Region}})
	}
	return out, nil
}
