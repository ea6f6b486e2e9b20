package computetest

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// addressless shows every node without addresses, so that a wait for an
// address times out. It has no Unwrap: waits poll its GetNode.
type addressless struct{ compute.Driver }

func (a addressless) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	n, err := a.Driver.GetNode(ctx, id)
	if n != nil {
		n.PublicIPs, n.PrivateIPs = []string{}, []string{}
	}
	return n, err
}

// shortWait returns the wait options for a wait meant to time out: a few
// polls, and never less than 200ms so that one poll fits in it.
func (e *env) shortWait() *compute.WaitOptions {
	o := *e.wait
	o.Timeout = max(10*o.Interval, 200*time.Millisecond)
	return &o
}

// testWaitUntilRunningTimeout checks that a WaitUntilRunning that times out
// says which node lacked what, matches context.DeadlineExceeded and leaves
// the caller's context alone.
func testWaitUntilRunningTimeout(e *env) {
	n := e.createRunning("waitmsg")
	check := func(what string, d compute.Driver, lacks string) {
		e.t.Helper()
		_, err := compute.WaitUntilRunning(e.ctx(), d, []*compute.Node{n}, e.shortWait())
		switch {
		case err == nil:
			e.t.Errorf("WaitUntilRunning on %s: no error, want a timeout", what)
			return
		case !errors.Is(err, context.DeadlineExceeded):
			e.t.Errorf("WaitUntilRunning on %s: error %v, want one matching context.DeadlineExceeded", what, err)
		case e.ctx().Err() != nil:
			e.t.Errorf("WaitUntilRunning on %s: the wait's timeout ended the caller's context", what)
		}
		for _, want := range []string{n.Name, n.ID, lacks} {
			if !strings.Contains(err.Error(), want) {
				e.t.Errorf("WaitUntilRunning on %s: the timeout %q does not say %q", what, err, want)
			}
		}
	}
	check("a node without addresses", addressless{e.d}, "no address")
	if e.caps.StartStop {
		mustOK(e.t, "StopNode", e.d.StopNode(e.ctx(), n.ID))
		e.waitState(n.ID, types.NodeStateStopped)
		check("a stopped node", e.d, "not running")
	}
}

// throttling refuses every other GetNode for rate, as a cloud answering
// 429 would. It has no Unwrap: waits poll its GetNode.
type throttling struct {
	compute.Driver
	calls atomic.Int64
}

func (t *throttling) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	if t.calls.Add(1)%2 == 1 {
		return nil, compute.Errorf(t.Provider(), "GetNode", id, compute.ErrThrottled, "refused for rate by the suite's throttling wrapper")
	}
	return t.Driver.GetNode(ctx, id)
}

// testThrottled checks that waits poll through refusals for rate and, on a
// ThrottlingHarness, that the driver reports them as ErrThrottled and that
// a refused create created nothing.
func testThrottled(e *env) {
	n := e.createNode("throttle")
	fake := &throttling{Driver: e.d}
	if _, err := compute.WaitUntilRunning(e.ctx(), fake, []*compute.Node{n}, e.wait); err != nil {
		e.t.Errorf("WaitUntilRunning with every other poll refused for rate: %v", err)
	}
	if _, err := compute.WaitForState(e.ctx(), fake, n.ID, types.NodeStateRunning, e.wait); err != nil {
		e.t.Errorf("WaitForState with every other poll refused for rate: %v", err)
	}

	th, ok := e.h.(ThrottlingHarness)
	if !ok {
		e.t.Log("the harness is not a ThrottlingHarness: the driver's own refusals are not checked")
		return
	}
	raw, err := th.MakeThrottledDriver(e.ctx())
	if err != nil {
		e.t.Fatalf("MakeThrottledDriver: %v", err)
	}
	d := &checked{t: e.t, inner: raw}
	refused := 0
	throttled := func(what string, err error) bool {
		e.t.Helper()
		switch {
		case err == nil:
			return false
		case !errors.Is(err, compute.ErrThrottled) || errors.Is(err, compute.ErrUnavailable):
			e.t.Fatalf("%s on a throttled backend: error %q, want one matching ErrThrottled (and not ErrUnavailable)", what, err)
		}
		refused++
		return true
	}
	for range 12 {
		_, err := d.ListNodes(e.ctx())
		throttled("ListNodes", err)
	}
	if refused == 0 {
		e.t.Errorf("the throttled driver refused none of 12 ListNodes: the harness or the driver hides refusals")
	}
	name := e.name("throttled")
	var node *compute.Node
	for range 20 {
		if node, err = d.CreateNode(e.ctx(), e.request(name)); !throttled("CreateNode", err) {
			break
		}
	}
	if err != nil {
		e.t.Fatalf("CreateNode on the throttled backend: %v", err)
	}
	e.cleanup("destroying node "+node.ID, func(ctx context.Context) error { return d.DestroyNode(ctx, node.ID) })
	var listed []*compute.Node
	for range 20 {
		if listed, err = d.ListNodes(e.ctx()); !throttled("ListNodes", err) {
			break
		}
	}
	mustOK(e.t, "ListNodes", err)
	count := 0
	for _, l := range listed {
		if l.Name == name {
			count++
		}
	}
	if count != 1 {
		e.t.Errorf("%d nodes named %q after creates refused for rate and one accepted, want 1", count, name)
	}
	if _, err := compute.WaitUntilRunning(e.ctx(), d, []*compute.Node{node}, e.wait); err != nil {
		e.t.Errorf("WaitUntilRunning on the throttled backend: %v", err)
	}
	if _, err := compute.WaitForState(e.ctx(), d, node.ID, types.NodeStateRunning, e.wait); err != nil {
		e.t.Errorf("WaitForState on the throttled backend: %v", err)
	}
}
