package computetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

func testCreateNode(e *env) {
	n := e.createNode("create")
	if n.ID == "" {
		e.t.Fatal("CreateNode returned a node without an ID")
	}
	listed := find(try(e.d.ListNodes(e.ctx())).must(e.t, "ListNodes"), nodeID, n.ID)
	if listed == nil {
		e.t.Fatalf("node %q is not in ListNodes", n.ID)
	}
	got := try(e.d.GetNode(e.ctx(), n.ID)).must(e.t, "GetNode")
	for what, m := range map[string]*compute.Node{"ListNodes": listed, "GetNode": got} {
		if m.Name != n.Name || m.UUID() != n.UUID() {
			e.t.Errorf("%s gives {%q %q %s}, CreateNode gave {%q %q %s}", what, m.ID, m.Name, m.UUID(), n.ID, n.Name, n.UUID())
		}
	}
	running := e.waitState(n.ID, types.NodeStateRunning)
	if running.Image != nil && running.Image.ID != e.f.ImageID {
		e.t.Errorf("running node has image %q, want %q", running.Image.ID, e.f.ImageID)
	}
	if running.Size != nil && running.Size.ID != e.f.SizeID {
		e.t.Errorf("running node has size %q, want %q", running.Size.ID, e.f.SizeID)
	}
	if running.Location != nil && running.Location.ID != e.f.LocationID {
		e.t.Errorf("running node has location %q, want %q", running.Location.ID, e.f.LocationID)
	}
}

func testWaitUntilRunning(e *env) {
	n := e.createNode("wait")
	got, err := compute.WaitUntilRunning(e.ctx(), e.d, []*compute.Node{n}, e.wait)
	if err != nil {
		e.t.Fatalf("WaitUntilRunning: %v", err)
	}
	if len(got) != 1 || got[0].Node == nil || got[0].Node.ID != n.ID {
		e.t.Fatalf("WaitUntilRunning returned %+v, want node %q", got, n.ID)
	}
	if got[0].Node.State != types.NodeStateRunning {
		e.t.Errorf("WaitUntilRunning returned a node in state %s", got[0].Node.State)
	}
	if len(got[0].Addresses) == 0 {
		e.t.Fatalf("WaitUntilRunning returned no %s address", e.f.AddressInterface)
	}
	on := compute.Addresses(got[0].Node, e.f.AddressInterface, true)
	for _, a := range got[0].Addresses {
		if !slices.Contains(on, a) {
			e.t.Errorf("address %q is not among the node's %s %v", a, e.f.AddressInterface, on)
		}
	}
}

func testRebootNode(e *env) {
	n := e.createRunning("reboot")
	if err := e.d.RebootNode(e.ctx(), n.ID); err != nil {
		e.t.Fatalf("RebootNode: %v", err)
	}
	e.waitState(n.ID, types.NodeStateRunning)
}

func testStartStopNode(e *env) {
	e.require(e.caps.StartStop, "StartStop")
	n := e.createRunning("startstop")
	if err := e.d.StopNode(e.ctx(), n.ID); err != nil {
		e.t.Fatalf("StopNode: %v", err)
	}
	e.waitState(n.ID, types.NodeStateStopped)
	if err := e.d.StartNode(e.ctx(), n.ID); err != nil {
		e.t.Fatalf("StartNode: %v", err)
	}
	e.waitState(n.ID, types.NodeStateRunning)
}

func testDestroyNode(e *env) {
	n := e.createRunning("destroy")
	if err := e.d.DestroyNode(e.ctx(), n.ID); err != nil {
		e.t.Fatalf("DestroyNode: %v", err)
	}
	e.waitGone(n.ID)
	_, err := e.d.GetNode(e.ctx(), n.ID)
	expectKind(e.t, "GetNode after DestroyNode", err, n.ID, compute.ErrNotFound)
	if find(try(e.d.ListNodes(e.ctx())).must(e.t, "ListNodes"), nodeID, n.ID) != nil {
		e.t.Errorf("destroyed node %q is still listed", n.ID)
	}
	expectKind(e.t, "DestroyNode again", e.d.DestroyNode(e.ctx(), n.ID), n.ID, compute.ErrNotFound)
}

func testMissingIDs(e *env) {
	id, ctx := e.f.MissingID, e.ctx()
	_, err := e.d.GetNode(ctx, id)
	expectKind(e.t, "GetNode", err, id, compute.ErrNotFound)
	expectKind(e.t, "RebootNode", e.d.RebootNode(ctx, id), id, compute.ErrNotFound)
	expectKind(e.t, "DestroyNode", e.d.DestroyNode(ctx, id), id, compute.ErrNotFound)
	startStop := []error{compute.ErrNotFound}
	if !e.caps.StartStop {
		startStop = append(startStop, compute.ErrNotSupported)
	}
	expectKind(e.t, "StartNode", e.d.StartNode(ctx, id), id, startStop...)
	expectKind(e.t, "StopNode", e.d.StopNode(ctx, id), id, startStop...)
	_, err = e.d.GetImage(ctx, id)
	expectKind(e.t, "GetImage", err, id, compute.ErrNotFound)
}

// foreignOptions is a ProviderOptions type no provider knows.
type foreignOptions struct{ Flavour string }

func testCreateNodeInvalid(e *env) {
	secret := "ct-secret-" + rand.Text()
	bad := []struct {
		what   string
		change func(r *compute.CreateNodeRequest)
		kinds  []error
	}{
		{"unknown image", func(r *compute.CreateNodeRequest) { r.Image = &compute.Image{ID: e.f.MissingID} },
			[]error{compute.ErrInvalidArgument, compute.ErrNotFound}},
		{"unknown size", func(r *compute.CreateNodeRequest) { r.Size = &compute.Size{ID: e.f.MissingID} },
			[]error{compute.ErrInvalidArgument, compute.ErrNotFound}},
		{"unknown location", func(r *compute.CreateNodeRequest) { r.Location = &compute.Location{ID: e.f.MissingID} },
			[]error{compute.ErrInvalidArgument, compute.ErrNotFound}},
		{"unknown image, with a password", func(r *compute.CreateNodeRequest) {
			r.Image = &compute.Image{ID: e.f.MissingID}
			r.Auth = compute.NodeAuthPassword(secret)
		}, []error{compute.ErrInvalidArgument, compute.ErrNotFound, compute.ErrNotSupported}},
		{"no image", func(r *compute.CreateNodeRequest) { r.Image = nil }, []error{compute.ErrInvalidArgument}},
		{"no size", func(r *compute.CreateNodeRequest) { r.Size = nil }, []error{compute.ErrInvalidArgument}},
		{"no name", func(r *compute.CreateNodeRequest) { r.Name = "" }, []error{compute.ErrInvalidArgument}},
		{"foreign ProviderOptions", func(r *compute.CreateNodeRequest) { r.ProviderOptions = &foreignOptions{"x"} },
			[]error{compute.ErrInvalidArgument}},
		{"an empty tag key", func(r *compute.CreateNodeRequest) { r.Tags = map[string]string{"": "x"} },
			[]error{compute.ErrInvalidArgument}},
		{"an empty network", func(r *compute.CreateNodeRequest) { r.Networks = []string{""} },
			[]error{compute.ErrInvalidArgument}},
		{"an empty security group", func(r *compute.CreateNodeRequest) { r.SecurityGroups = []string{" "} },
			[]error{compute.ErrInvalidArgument}},
	}
	var names []string
	for _, b := range bad {
		req := e.request(e.name("bad"))
		b.change(req)
		names = append(names, req.Name)
		n, err := e.d.CreateNode(e.ctx(), req)
		if err == nil {
			e.cleanupNode(n.ID)
		}
		expectKind(e.t, "CreateNode with "+b.what, err, "", b.kinds...)
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), secret)) {
			e.t.Errorf("CreateNode with %s: the error reveals the password: %v", b.what, err)
		}
	}
	_, err := e.d.CreateNode(e.ctx(), nil)
	expectKind(e.t, "CreateNode(nil)", err, "", compute.ErrInvalidArgument)
	for _, n := range try(e.d.ListNodes(e.ctx())).must(e.t, "ListNodes") {
		if n.Name != "" && slices.Contains(names, n.Name) {
			e.t.Errorf("a rejected CreateNode left node %q (%s) behind", n.ID, n.Name)
		}
	}
}

func testWaitTimeout(e *env) {
	n := e.createRunning("timeout")
	opts := *e.wait
	opts.Timeout = 3 * opts.Interval
	_, err := compute.WaitForState(e.ctx(), e.d, n.ID, types.NodeStateSuspended, &opts)
	if !errors.Is(err, context.DeadlineExceeded) {
		e.t.Errorf("WaitForState for a state never reached: error %v, want one matching context.DeadlineExceeded", err)
	}
	if e.ctx().Err() != nil {
		e.t.Error("the wait's timeout ended the caller's context")
	}
}

func testParallelCreates(e *env) {
	count := e.f.ParallelCreates
	names := make([]string, count)
	for i := range names {
		names[i] = e.name("par")
	}
	nodes := make([]*compute.Node, count)
	errs := make([]error, count)
	ctx := e.ctx()

	// Readers list and get nodes while the writers create them.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ns, err := e.d.ListNodes(ctx)
				if err != nil {
					e.t.Errorf("ListNodes during parallel creates: %v", err)
					return
				}
				for _, n := range ns {
					if _, err := e.d.GetNode(ctx, n.ID); err != nil && !errors.Is(err, compute.ErrNotFound) {
						e.t.Errorf("GetNode during parallel creates: %v", err)
						return
					}
				}
				time.Sleep(e.f.WaitInterval)
			}
		})
	}
	var writers sync.WaitGroup
	for i := range count {
		writers.Go(func() { nodes[i], errs[i] = e.d.CreateNode(ctx, e.request(names[i])) })
	}
	writers.Wait()
	close(stop)
	readers.Wait()

	ids, uuids := map[string]bool{}, map[string]bool{}
	for i, n := range nodes {
		if errs[i] != nil {
			e.t.Errorf("parallel CreateNode %q: %v", names[i], errs[i])
			continue
		}
		e.cleanupNode(n.ID)
		if n.Name != names[i] {
			e.t.Errorf("parallel CreateNode %q returned name %q", names[i], n.Name)
		}
		if ids[n.ID] || uuids[n.UUID()] {
			e.t.Errorf("parallel CreateNode returned id %q (UUID %s) twice", n.ID, n.UUID())
		}
		ids[n.ID], uuids[n.UUID()] = true, true
	}
	if e.t.Failed() {
		return
	}
	listed := try(e.d.ListNodes(ctx)).must(e.t, "ListNodes")
	for _, n := range nodes {
		if find(listed, nodeID, n.ID) == nil {
			e.t.Errorf("node %q from a parallel create is not listed", n.ID)
		}
	}
	running := try(compute.WaitUntilRunning(ctx, e.d, nodes, e.wait)).must(e.t, "WaitUntilRunning")
	if len(running) != count {
		e.t.Fatalf("WaitUntilRunning returned %d nodes, want %d", len(running), count)
	}
	var destroyers sync.WaitGroup
	for i, n := range nodes {
		destroyers.Go(func() { errs[i] = e.d.DestroyNode(ctx, n.ID) })
	}
	destroyers.Wait()
	for i, n := range nodes {
		if errs[i] != nil {
			e.t.Errorf("parallel DestroyNode %q: %v", n.ID, errs[i])
		}
	}
	for _, n := range nodes {
		e.waitGone(n.ID)
	}
}

func testReturnedValuesAreCopies(e *env) {
	ctx := e.ctx()
	created := e.createNode("copies")
	// Running with an address: a node still settling (a guest agent
	// reporting its address) would legitimately differ between reads.
	want := try(compute.WaitUntilRunning(ctx, e.d, []*compute.Node{created}, e.wait)).must(e.t, "WaitUntilRunning")[0].Node
	mutateNode(created)
	listed := find(try(e.d.ListNodes(ctx)).must(e.t, "ListNodes"), nodeID, created.ID)
	if listed == nil {
		e.t.Fatalf("node %q is not listed", created.ID)
	}
	checkUnchanged(e, "changing the node CreateNode returned", want, listed)
	mutateNode(listed)
	got := try(e.d.GetNode(ctx, created.ID)).must(e.t, "GetNode")
	checkUnchanged(e, "changing a node ListNodes returned", want, got)
	mutateNode(got)
	checkUnchanged(e, "changing the node GetNode returned", want, try(e.d.GetNode(ctx, created.ID)).must(e.t, "GetNode"))

	// Catalogue entries are compared by id: the order of a list may vary.
	images := try(e.d.ListImages(ctx, nil)).must(e.t, "ListImages")
	img := *images[0]
	images[0].Name = "mutated by computetest"
	if images[0].Extra != nil {
		images[0].Extra["computetest"] = "mutated"
	}
	again := find(try(e.d.ListImages(ctx, nil)).must(e.t, "ListImages"), func(i *compute.Image) string { return i.ID }, img.ID)
	if again == nil || again.Name != img.Name || again.Extra["computetest"] != nil {
		e.t.Errorf("changing an image ListImages returned changed the driver's: %+v", again)
	}
	sizes := try(e.d.ListSizes(ctx, nil)).must(e.t, "ListSizes")
	size := *sizes[0]
	sizes[0].RAM = -1
	if s := find(try(e.d.ListSizes(ctx, nil)).must(e.t, "ListSizes"), func(s *compute.Size) string { return s.ID }, size.ID); s == nil || s.RAM != size.RAM {
		e.t.Errorf("changing a size ListSizes returned changed the driver's: %+v, want RAM %d", s, size.RAM)
	}
	locs := try(e.d.ListLocations(ctx)).must(e.t, "ListLocations")
	loc := *locs[0]
	locs[0].Name = "mutated by computetest"
	if l := find(try(e.d.ListLocations(ctx)).must(e.t, "ListLocations"), func(l *compute.Location) string { return l.ID }, loc.ID); l == nil || l.Name != loc.Name {
		e.t.Errorf("changing a location ListLocations returned changed the driver's: %+v, want name %q", l, loc.Name)
	}
}

func mutateNode(n *compute.Node) {
	n.Name = "mutated by computetest"
	for i := range n.PublicIPs {
		n.PublicIPs[i] = "203.0.113.99"
	}
	for i := range n.PrivateIPs {
		n.PrivateIPs[i] = "203.0.113.98"
	}
	if n.Extra != nil {
		n.Extra["computetest"] = "mutated"
	}
	if n.Image != nil {
		n.Image.Name = "mutated by computetest"
	}
	if n.Size != nil {
		n.Size.RAM = -1
	}
}

func checkUnchanged(e *env, what string, want, got *compute.Node) {
	e.t.Helper()
	if got.Name != want.Name || !slices.Equal(got.PublicIPs, want.PublicIPs) || !slices.Equal(got.PrivateIPs, want.PrivateIPs) ||
		got.Extra["computetest"] != nil ||
		(got.Image != nil && want.Image != nil && got.Image.Name != want.Image.Name) ||
		(got.Size != nil && want.Size != nil && got.Size.RAM != want.Size.RAM) {
		e.t.Errorf("%s changed the driver's node: got %+v, want %+v", what, *got, *want)
	}
}
