package dummy

import (
	"context"
	"slices"

	"github.com/goclouds/goclouds/compute"
)

// ResizeNode implements [compute.NodeResizer]: a running or stopped node
// (not in a transition) gets the catalogue size named by size.ID at once,
// keeping its state, as CloudStack's scaleVirtualMachine does for a running
// node and changeServiceForVirtualMachine for a stopped one. An unknown
// or nil size gives ErrInvalidArgument; a node in any other state
// ErrConflict.
func (d *Driver) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	const op = "ResizeNode"
	var out *compute.Node
	err := d.onNode(ctx, op, id, func(r *nodeRecord) error {
		if size == nil || size.ID == "" {
			return invalid(op, id, "a size is required")
		}
		i := slices.IndexFunc(d.sizes, func(s *compute.Size) bool { return s.ID == size.ID })
		if i < 0 {
			return invalid(op, id, "unknown size %q", size.ID)
		}
		if err := requireUsable(op, r, id); err != nil {
			return err
		}
		r.node.Size = d.sizes[i].Clone()
		out = r.view()
		return nil
	})
	return out, err
}
