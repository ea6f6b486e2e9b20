package computetest

import (
	"context"
	"errors"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// call is one driver call made with a given context.
type call struct {
	name string
	run  func(ctx context.Context) error
}

// calls returns a call of every Driver method and of every optional method
// the harness declares, all naming missing resources (a done context must
// win over the lookup) except CreateNode, whose request is valid and whose
// name is returned so the caller can check nothing was created.
func (e *env) calls() ([]call, string) {
	id := e.f.MissingID
	name := e.name("ctx")
	req := e.request(name)
	loc := &compute.Location{ID: e.f.LocationID}
	node := &compute.Node{ID: id, Provider: e.d.Provider()}
	cs := []call{
		{"ListNodes", func(ctx context.Context) error { _, err := e.d.ListNodes(ctx); return err }},
		{"GetNode", func(ctx context.Context) error { _, err := e.d.GetNode(ctx, id); return err }},
		{"CreateNode", func(ctx context.Context) error {
			n, err := e.d.CreateNode(ctx, req)
			if err == nil {
				e.cleanupNode(n.ID)
			}
			return err
		}},
		{"RebootNode", func(ctx context.Context) error { return e.d.RebootNode(ctx, id) }},
		{"StartNode", func(ctx context.Context) error { return e.d.StartNode(ctx, id) }},
		{"StopNode", func(ctx context.Context) error { return e.d.StopNode(ctx, id) }},
		{"DestroyNode", func(ctx context.Context) error { return e.d.DestroyNode(ctx, id) }},
		{"ListImages", func(ctx context.Context) error { _, err := e.d.ListImages(ctx, nil); return err }},
		{"ListImages(location)", func(ctx context.Context) error { _, err := e.d.ListImages(ctx, loc); return err }},
		{"GetImage", func(ctx context.Context) error { _, err := e.d.GetImage(ctx, id); return err }},
		{"ListSizes", func(ctx context.Context) error { _, err := e.d.ListSizes(ctx, nil); return err }},
		{"ListLocations", func(ctx context.Context) error { _, err := e.d.ListLocations(ctx); return err }},
		{"WaitForState", func(ctx context.Context) error {
			_, err := compute.WaitForState(ctx, e.d, id, types.NodeStateRunning, e.wait)
			return err
		}},
		{"WaitUntilRunning", func(ctx context.Context) error {
			_, err := compute.WaitUntilRunning(ctx, e.d, []*compute.Node{node}, e.wait)
			return err
		}},
	}
	if e.caps.Volumes {
		cs = append(cs,
			call{"ListVolumes", func(ctx context.Context) error { _, err := e.d.ListVolumes(ctx); return err }},
			call{"CreateVolume", func(ctx context.Context) error {
				v, err := e.d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: name, Size: e.f.VolumeSize, Location: loc})
				if err == nil {
					e.cleanupVolume(v.ID)
				}
				return err
			}},
			call{"AttachVolume", func(ctx context.Context) error { return e.d.AttachVolume(ctx, id, id, "") }},
			call{"DetachVolume", func(ctx context.Context) error { return e.d.DetachVolume(ctx, id) }},
			call{"DestroyVolume", func(ctx context.Context) error { return e.d.DestroyVolume(ctx, id) }},
		)
	}
	if e.caps.VolumeResize {
		cs = append(cs, call{"ResizeVolume", func(ctx context.Context) error {
			_, err := e.d.ResizeVolume(ctx, id, e.f.VolumeSize+1)
			return err
		}})
	}
	if e.caps.Snapshots {
		cs = append(cs,
			call{"ListVolumeSnapshots", func(ctx context.Context) error { _, err := e.d.ListVolumeSnapshots(ctx, ""); return err }},
			call{"CreateVolumeSnapshot", func(ctx context.Context) error {
				_, err := e.d.CreateVolumeSnapshot(ctx, id, name)
				return err
			}},
			call{"DestroyVolumeSnapshot", func(ctx context.Context) error { return e.d.DestroyVolumeSnapshot(ctx, id) }},
		)
	}
	if e.caps.KeyPairs {
		cs = append(cs,
			call{"ListKeyPairs", func(ctx context.Context) error { _, err := e.d.ListKeyPairs(ctx); return err }},
			call{"GetKeyPair", func(ctx context.Context) error { _, err := e.d.GetKeyPair(ctx, name); return err }},
			call{"CreateKeyPair", func(ctx context.Context) error {
				_, err := e.d.CreateKeyPair(ctx, name)
				if err == nil {
					e.cleanupKeyPair(name)
				}
				return err
			}},
			call{"ImportKeyPair", func(ctx context.Context) error {
				_, err := e.d.ImportKeyPair(ctx, name+"-imported", testPublicKey)
				if err == nil {
					e.cleanupKeyPair(name + "-imported")
				}
				return err
			}},
			call{"DeleteKeyPair", func(ctx context.Context) error { return e.d.DeleteKeyPair(ctx, name) }},
		)
	}
	if e.caps.Images {
		cs = append(cs,
			call{"CreateImage", func(ctx context.Context) error {
				img, err := e.d.CreateImage(ctx, id, name, "")
				if err == nil {
					e.cleanupImage(img.ID)
				}
				return err
			}},
			call{"DeleteImage", func(ctx context.Context) error { return e.d.DeleteImage(ctx, id) }},
		)
	}
	return cs, name
}

// checkDoneContext makes every call with ctx and checks each fails with an
// error matching want, and that no node was created.
func (e *env) checkDoneContext(ctx context.Context, want error) {
	e.t.Helper()
	cs, name := e.calls()
	for _, c := range cs {
		if err := c.run(ctx); !errors.Is(err, want) {
			e.t.Errorf("%s with a done context: error %v, want one matching %v", c.name, err, want)
		}
	}
	for _, n := range try(e.d.ListNodes(e.ctx())).must(e.t, "ListNodes") {
		if n.Name == name {
			e.t.Errorf("CreateNode with a done context created node %q", n.ID)
		}
	}
}

func testCancelledContext(e *env) {
	ctx, cancel := context.WithCancel(e.ctx())
	cancel()
	e.checkDoneContext(ctx, context.Canceled)
}

func testDeadlineExceeded(e *env) {
	ctx, cancel := context.WithDeadline(e.ctx(), time.Now().Add(-time.Second))
	defer cancel()
	e.checkDoneContext(ctx, context.DeadlineExceeded)
}
