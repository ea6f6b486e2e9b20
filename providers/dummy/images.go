package dummy

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// CreateImage implements [compute.ImageManager.CreateImage]: it records an
// image of a running or stopped node, with the next free image id ("4",
// "5", ...). Extra holds "description" and "source_node_id". The image is
// listed at once and new nodes can be created from it.
func (d *Driver) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	const op = "CreateImage"
	var out *compute.Image
	err := d.onNode(ctx, op, nodeID, func(r *nodeRecord) error {
		if strings.TrimSpace(name) == "" {
			return invalid(op, nodeID, "an image name is required")
		}
		if err := requireUsable(op, r, nodeID); err != nil {
			return err
		}
		img := &compute.Image{
			ID:       strconv.Itoa(d.nextImage),
			Name:     name,
			Provider: types.ProviderDummy,
			Extra:    map[string]any{"description": description, "source_node_id": nodeID},
		}
		d.nextImage++
		d.images = append(d.images, img)
		out = img.Clone()
		return nil
	})
	return out, err
}

// DeleteImage implements [compute.ImageManager.DeleteImage]. Only images
// made with CreateImage can be deleted: Libcloud's three give
// ErrPermissionDenied. Nodes created from a deleted image keep their copy of
// it.
func (d *Driver) DeleteImage(ctx context.Context, imageID string) error {
	const op = "DeleteImage"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	if d.findImage(imageID) == nil {
		return notFound(op, "image", imageID)
	}
	if d.builtin[imageID] {
		return compute.Errorf(types.ProviderDummy, op, imageID, compute.ErrPermissionDenied,
			"image %q is built in", imageID)
	}
	d.images = slices.DeleteFunc(d.images, func(img *compute.Image) bool { return img.ID == imageID })
	return nil
}
