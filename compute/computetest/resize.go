package computetest

import (
	"context"
	"errors"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// resizeTarget returns the size the NodeResize subtest gives a node.
func (e *env) resizeTarget() *compute.Size {
	e.t.Helper()
	sizes := try(e.d.ListSizes(e.ctx(), e.fixtureLocation())).must(e.t, "ListSizes")
	for _, s := range sizes {
		if e.f.ResizeSizeID != "" && s.ID == e.f.ResizeSizeID || e.f.ResizeSizeID == "" && s.ID != e.f.SizeID {
			return s
		}
	}
	e.t.Skipf("no size to resize to (ResizeSizeID %q)", e.f.ResizeSizeID)
	return nil
}

// testNodeResize checks ResizeNode: the node gets the size (stopped first
// when the provider answers ErrConflict for a running one), and unknown
// sizes are refused.
func testNodeResize(e *env) {
	e.require(e.caps.NodeResize, "NodeResize")
	ctx := e.ctx()
	target := e.resizeTarget()
	n := e.createRunning("resize")
	resized, err := e.d.ResizeNode(ctx, n.ID, target)
	if errors.Is(err, compute.ErrConflict) && e.caps.StartStop {
		e.t.Logf("ResizeNode of a running node: %v; stopping it first", err)
		mustOK(e.t, "StopNode", e.d.StopNode(ctx, n.ID))
		e.waitState(n.ID, types.NodeStateStopped)
		resized, err = e.d.ResizeNode(ctx, n.ID, target)
	}
	if err != nil {
		e.t.Fatalf("ResizeNode to size %q: %v", target.ID, err)
	}
	if resized.ID != n.ID {
		e.t.Errorf("ResizeNode returned node %q, want %q", resized.ID, n.ID)
	}
	e.eventually("node "+n.ID+" of size "+target.ID, func(ctx context.Context) (bool, string, error) {
		got, err := e.d.GetNode(ctx, n.ID)
		if err != nil || got.Size == nil {
			return false, "no size", err
		}
		return got.Size.ID == target.ID, "size " + got.Size.ID, nil
	})
	_, err = e.d.ResizeNode(ctx, n.ID, &compute.Size{ID: e.f.MissingID})
	expectKind(e.t, "ResizeNode to an unknown size", err, "", compute.ErrInvalidArgument, compute.ErrNotFound)
	_, err = e.d.ResizeNode(ctx, e.f.MissingID, target)
	expectKind(e.t, "ResizeNode of a missing node", err, e.f.MissingID, compute.ErrNotFound)
}
