package computetest

import (
	"context"
	"errors"
	"fmt"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

func (e *env) cleanupImage(id string) {
	e.cleanup("deleting image "+id, func(ctx context.Context) error { return e.d.DeleteImage(ctx, id) })
}

func testImages(e *env) {
	e.require(e.caps.Images, "Images")
	ctx := e.ctx()
	node := e.createRunning("image")
	if e.caps.StartStop {
		// Some providers (CloudStack) image only a stopped node's disk.
		mustOK(e.t, "StopNode", e.d.StopNode(ctx, node.ID))
		e.waitState(node.ID, types.NodeStateStopped)
	}
	name := e.name("image")
	img, err := e.d.CreateImage(ctx, node.ID, name, "made by the goclouds conformance suite")
	if err != nil {
		e.t.Fatalf("CreateImage: %v", err)
	}
	e.cleanupImage(img.ID)
	if img.Name != name {
		e.t.Errorf("CreateImage returned name %q, want %q", img.Name, name)
	}
	e.eventually(fmt.Sprintf("image %q listed", img.ID), func(ctx context.Context) (bool, string, error) {
		images, err := e.d.ListImages(ctx, nil)
		return err == nil && find(images, func(i *compute.Image) string { return i.ID }, img.ID) != nil, "not listed", err
	})
	got := try(e.d.GetImage(ctx, img.ID)).must(e.t, "GetImage")
	if got.Name != name {
		e.t.Errorf("GetImage of the new image: name %q, want %q", got.Name, name)
	}

	// A node can be made from the new image.
	req := e.request(e.name("fromimage"))
	req.Image = got
	n := try(e.d.CreateNode(ctx, req)).must(e.t, "CreateNode from the new image")
	e.cleanupNode(n.ID)
	e.waitState(n.ID, types.NodeStateRunning)
	mustOK(e.t, "DestroyNode", e.d.DestroyNode(ctx, n.ID))
	e.waitGone(n.ID)

	if err := e.d.DeleteImage(ctx, img.ID); err != nil {
		e.t.Fatalf("DeleteImage: %v", err)
	}
	e.eventually(fmt.Sprintf("image %q gone", img.ID), func(ctx context.Context) (bool, string, error) {
		_, err := e.d.GetImage(ctx, img.ID)
		if errors.Is(err, compute.ErrNotFound) {
			return true, "", nil
		}
		return false, "still there", err
	})
	expectKind(e.t, "DeleteImage again", e.d.DeleteImage(ctx, img.ID), img.ID, compute.ErrNotFound)

	_, err = e.d.CreateImage(ctx, e.f.MissingID, e.name("image"), "")
	expectKind(e.t, "CreateImage of a missing node", err, e.f.MissingID, compute.ErrNotFound, compute.ErrInvalidArgument)
	_, err = e.d.CreateImage(ctx, node.ID, "", "")
	expectKind(e.t, "CreateImage without a name", err, "", compute.ErrInvalidArgument)
}
