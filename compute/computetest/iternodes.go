package computetest

import (
	"maps"
	"slices"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// iterIDs collects the ids compute.IterNodes yields for filter.
func (e *env) iterIDs(filter *compute.NodeFilter) []string {
	e.t.Helper()
	ids := []string{}
	for n, err := range compute.IterNodes(e.ctx(), e.d, filter) {
		if err != nil {
			e.t.Fatalf("IterNodes(%+v): %v", filter, err)
		}
		ids = append(ids, n.ID)
	}
	return ids
}

// testIterNodes checks that streaming yields what ListNodes gives, and
// that its filters by name, state and tags select exactly the matching
// nodes.
func testIterNodes(e *env) {
	ctx := e.ctx()
	a := e.createRunning("iter")
	req := e.request(e.name("iter"))
	if e.caps.Tags {
		req.Tags = map[string]string{"goclouds-ct-iter": e.tag}
	}
	b, err := e.d.CreateNode(ctx, req)
	if err != nil {
		e.t.Fatalf("CreateNode: %v", err)
	}
	e.cleanupNode(b.ID)
	e.waitState(b.ID, types.NodeStateRunning)

	listed := try(e.d.ListNodes(ctx)).must(e.t, "ListNodes")
	want := make([]string, len(listed))
	for i, n := range listed {
		want[i] = n.ID
	}
	got := e.iterIDs(nil)
	if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		e.t.Errorf("IterNodes yields %v, ListNodes gives %v", got, want)
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			e.t.Errorf("IterNodes yields node %q twice", id)
		}
		seen[id] = true
	}

	if ids := e.iterIDs(&compute.NodeFilter{Name: a.Name}); !slices.Equal(ids, []string{a.ID}) {
		e.t.Errorf("IterNodes(Name %q) yields %v, want [%s]", a.Name, ids, a.ID)
	}
	byState := &compute.NodeFilter{States: []types.NodeState{types.NodeStateRunning}}
	running := e.iterIDs(byState)
	if !slices.Contains(running, a.ID) || !slices.Contains(running, b.ID) {
		e.t.Errorf("IterNodes(States running) yields %v, without the running nodes %q and %q", running, a.ID, b.ID)
	}
	for _, n := range listed {
		if n.State != types.NodeStateRunning && slices.Contains(running, n.ID) {
			e.t.Errorf("IterNodes(States running) yields node %q, which is %s", n.ID, n.State)
		}
	}
	if ids := e.iterIDs(&compute.NodeFilter{States: []types.NodeState{types.NodeStateSuspended}}); slices.Contains(ids, a.ID) {
		e.t.Errorf("IterNodes(States suspended) yields the running node %q", a.ID)
	}
	if e.caps.Tags {
		f := &compute.NodeFilter{Tags: maps.Clone(req.Tags)}
		if ids := e.iterIDs(f); !slices.Equal(ids, []string{b.ID}) {
			e.t.Errorf("IterNodes(Tags %v) yields %v, want [%s]", f.Tags, ids, b.ID)
		}
	}

	// Stopping early is allowed and ends the stream.
	count := 0
	for _, err := range compute.IterNodes(ctx, e.d, nil) {
		if err != nil {
			e.t.Fatalf("IterNodes: %v", err)
		}
		if count++; count == 1 {
			break
		}
	}
	if count != 1 {
		e.t.Errorf("IterNodes went on after the loop stopped (%d nodes)", count)
	}
}

// testGetNodes checks a driver's NodeGetter, which WaitUntilRunning relies
// on: the nodes asked for that exist, each once, and no others.
func testGetNodes(e *env) {
	if _, ok := compute.As[compute.NodeGetter](e.d.inner); !ok {
		e.t.Skip("the driver is not a compute.NodeGetter")
	}
	a, b := e.createNode("getnodes"), e.createNode("getnodes")
	nodes := try(e.d.GetNodes(e.ctx(), []string{a.ID, e.f.MissingID, b.ID, a.ID})).must(e.t, "GetNodes")
	var ids []string
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		e.t.Errorf("GetNodes([%s %s %s %s]) = %v, want %v", a.ID, e.f.MissingID, b.ID, a.ID, ids, want)
	}
}
