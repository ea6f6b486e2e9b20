package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/goclouds/goclouds/compute"
)

// CreateImage snapshots the server into a Glance image (Nova's
// createImage action); the image is queued or saving at first. The
// description is stored as image metadata "description".
func (d *Driver) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	if name == "" {
		return nil, compute.Errorf(provider, "CreateImage", nodeID, compute.ErrInvalidArgument, "an image needs a name")
	}
	ctx, c, err := d.begin(ctx, "CreateImage")
	if err != nil {
		return nil, err
	}
	opts := servers.CreateImageOpts{Name: name}
	if description != "" {
		opts.Metadata = map[string]string{"description": description}
	}
	id, err := servers.CreateImage(ctx, c.compute, nodeID, opts).ExtractImageID()
	if err != nil {
		return nil, d.wrap("CreateImage", nodeID, err)
	}
	if c.image != nil {
		if img, err := images.Get(ctx, c.image, id).Extract(); err == nil {
			return toImage(img), nil
		}
	}
	return &compute.Image{ID: id, Name: name, Provider: provider, Extra: map[string]any{"status": "queued"}}, nil
}

// DeleteImage deletes the Glance image.
func (d *Driver) DeleteImage(ctx context.Context, imageID string) error {
	ctx, c, err := d.begin(ctx, "DeleteImage")
	if err != nil {
		return err
	}
	if c.image == nil {
		return d.wrap("DeleteImage", imageID, c.imageErr)
	}
	return d.wrap("DeleteImage", imageID, images.Delete(ctx, c.image, imageID).ExtractErr())
}
