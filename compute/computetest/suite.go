package computetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// subtest is one portable conformance test.
type subtest struct {
	name string
	run  func(e *env)
}

// subtests is the suite, in running order.
var subtests = []subtest{
	{"Provider", testProvider},
	{"ListLocations", testListLocations},
	{"ListImages", testListImages},
	{"ListSizes", testListSizes},
	{"GetImage", testGetImage},
	{"CreateNode", testCreateNode},
	{"PortableFields", testPortableFields},
	{"UserDataLimit", testUserDataLimit},
	{"IdempotentCreate", testIdempotentCreate},
	{"WaitUntilRunning", testWaitUntilRunning},
	{"WaitUntilRunningTimeout", testWaitUntilRunningTimeout},
	{"Throttled", testThrottled},
	{"RebootNode", testRebootNode},
	{"StartStopNode", testStartStopNode},
	{"DestroyNode", testDestroyNode},
	{"MissingIDs", testMissingIDs},
	{"CreateNodeInvalid", testCreateNodeInvalid},
	{"CancelledContext", testCancelledContext},
	{"DeadlineExceeded", testDeadlineExceeded},
	{"WaitTimeout", testWaitTimeout},
	{"ParallelCreates", testParallelCreates},
	{"ReturnedValuesAreCopies", testReturnedValuesAreCopies},
	{"IterNodes", testIterNodes},
	{"GetNodes", testGetNodes},
	{"StringsHaveNoSecrets", testStringsHaveNoSecrets},
	{"Capabilities", testCapabilities},
	{"Volumes", testVolumes},
	{"VolumeResize", testVolumeResize},
	{"Snapshots", testSnapshots},
	{"KeyPairs", testKeyPairs},
	{"KeyReuse", testKeyReuse},
	{"NodeResize", testNodeResize},
	{"Images", testImages},
}

// SubtestNames lists the portable subtests RunConformanceTests runs, in
// order (ExTests follow as "Ex/<Name>").
func SubtestNames() []string {
	names := make([]string, len(subtests))
	for i, s := range subtests {
		names[i] = s.name
	}
	return names
}

// RunConformanceTests runs the conformance suite: one subtest per entry of
// SubtestNames, each with a fresh Harness from newHarness, then the
// provider's exTests. Subtests for undeclared capabilities are skipped.
//
// Every call the suite makes goes through a wrapper that fails the subtest
// when the driver returns an error that is neither a *compute.Error (of a
// known kind, naming the driver's provider and an Op) nor a context error,
// a nil list without an error, or a malformed node, image, size or volume.
// Waits use the harness's WaitInterval and WaitTimeout, so backends with
// asynchronous jobs pass as well as instant ones. Everything the suite
// creates is destroyed when its subtest ends.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker, exTests []ExTest) {
	t.Helper()
	if newHarness == nil {
		t.Fatal("computetest: nil HarnessMaker")
	}
	for _, st := range subtests {
		t.Run(st.name, func(t *testing.T) { st.run(newEnv(t, newHarness)) })
	}
	for _, x := range exTests {
		t.Run("Ex/"+x.Name, func(t *testing.T) {
			if x.Test == nil {
				t.Fatalf("ExTest %q has no Test", x.Name)
			}
			e := newEnv(t, newHarness)
			x.Test(t, e.h, e.d)
		})
	}
}

// env is what one subtest works with.
type env struct {
	t      *testing.T
	h      Harness
	d      *checked // the driver under test, wrapped
	f      Fixtures
	caps   Capabilities
	wait   *compute.WaitOptions
	tag    string // random, distinguishes this subtest's names
	serial atomic.Int64
}

func newEnv(t *testing.T, newHarness HarnessMaker) *env {
	t.Helper()
	h, err := newHarness(t.Context(), t)
	if err != nil {
		t.Fatalf("making the harness: %v", err)
	}
	if h == nil {
		t.Fatal("the HarnessMaker returned a nil Harness")
	}
	t.Cleanup(h.Close)
	d, err := h.MakeDriver(t.Context())
	if err != nil {
		t.Fatalf("MakeDriver: %v", err)
	}
	if d == nil {
		t.Fatal("MakeDriver returned a nil driver")
	}
	f := h.Fixtures().withDefaults()
	if f.ImageID == "" || f.SizeID == "" || f.LocationID == "" {
		t.Fatalf("Fixtures must name an image, a size and a location: %+v", f)
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	return &env{
		t:    t,
		h:    h,
		d:    &checked{t: t, inner: d},
		f:    f,
		caps: h.Capabilities(),
		wait: &compute.WaitOptions{Interval: f.WaitInterval, Timeout: f.WaitTimeout, Interface: f.AddressInterface},
		tag:  hex.EncodeToString(b[:]),
	}
}

func (e *env) ctx() context.Context { return e.t.Context() }

// require skips the subtest unless the capability is declared.
func (e *env) require(declared bool, capability string) {
	e.t.Helper()
	if !declared {
		e.t.Skipf("capability %s not declared by the harness", capability)
	}
}

// name returns a fresh name, a valid host name, for a resource of kind.
func (e *env) name(kind string) string {
	return fmt.Sprintf("%s-%s-%s-%d", e.f.NamePrefix, kind, e.tag, e.serial.Add(1))
}

// request returns a CreateNodeRequest for the fixtures.
func (e *env) request(name string) *compute.CreateNodeRequest {
	return &compute.CreateNodeRequest{
		Name:     name,
		Image:    &compute.Image{ID: e.f.ImageID},
		Size:     &compute.Size{ID: e.f.SizeID},
		Location: &compute.Location{ID: e.f.LocationID},
	}
}

// createNode creates a node of the fixtures named after kind and destroys it
// when the subtest ends.
func (e *env) createNode(kind string) *compute.Node {
	e.t.Helper()
	name := e.name(kind)
	n, err := e.d.CreateNode(e.ctx(), e.request(name))
	if err != nil {
		e.t.Fatalf("CreateNode %q: %v", name, err)
	}
	e.cleanupNode(n.ID)
	if n.Name != name {
		e.t.Errorf("CreateNode returned name %q, want %q", n.Name, name)
	}
	return n
}

// createRunning creates a node and waits until it is running.
func (e *env) createRunning(kind string) *compute.Node {
	e.t.Helper()
	return e.waitState(e.createNode(kind).ID, types.NodeStateRunning)
}

func (e *env) waitState(id string, state types.NodeState) *compute.Node {
	e.t.Helper()
	n, err := compute.WaitForState(e.ctx(), e.d, id, state, e.wait)
	if err != nil {
		e.t.Fatalf("waiting for node %q to be %s: %v", id, state, err)
	}
	return n
}

// waitGone waits until GetNode reports the node as not found.
func (e *env) waitGone(id string) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("node %q gone", id), func(ctx context.Context) (bool, string, error) {
		n, err := e.d.GetNode(ctx, id)
		switch {
		case errors.Is(err, compute.ErrNotFound):
			return true, "", nil
		case err != nil:
			return false, "", err
		}
		return false, "still " + string(n.State), nil
	})
}

// eventually polls cond every WaitInterval until it holds, failing the
// subtest on an error or after WaitTimeout.
func (e *env) eventually(what string, cond func(ctx context.Context) (done bool, status string, err error)) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx(), e.f.WaitTimeout)
	defer cancel()
	status := ""
	for {
		done, s, err := cond(ctx)
		if err != nil {
			e.t.Fatalf("waiting for %s: %v", what, err)
		}
		if done {
			return
		}
		status = s
		select {
		case <-ctx.Done():
			e.t.Fatalf("waiting for %s: not after %s (last: %s)", what, e.f.WaitTimeout, status)
		case <-time.After(e.f.WaitInterval):
		}
	}
}

// cleanup runs fn when the subtest ends, with a fresh context (the
// subtest's is cancelled by then), retrying while it fails with ErrConflict,
// ErrUnavailable or ErrThrottled; ErrNotFound counts as done.
func (e *env) cleanup(what string, fn func(ctx context.Context) error) {
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), e.f.WaitTimeout)
		defer cancel()
		for {
			err := fn(ctx)
			if err == nil || errors.Is(err, compute.ErrNotFound) {
				return
			}
			if !errors.Is(err, compute.ErrConflict) && !errors.Is(err, compute.ErrUnavailable) &&
				!errors.Is(err, compute.ErrThrottled) {
				e.t.Errorf("cleanup: %s: %v", what, err)
				return
			}
			select {
			case <-ctx.Done():
				e.t.Errorf("cleanup: %s: %v (gave up after %s)", what, err, e.f.WaitTimeout)
				return
			case <-time.After(e.f.WaitInterval):
			}
		}
	})
}

func (e *env) cleanupNode(id string) {
	e.cleanup("destroying node "+id, func(ctx context.Context) error { return e.d.DestroyNode(ctx, id) })
}

// expectKind fails unless err matches one of kinds and, when id is not
// empty, names id.
func expectKind(t *testing.T, what string, err error, id string, kinds ...error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %s", what, kindList(kinds))
		return
	}
	matched := false
	for _, k := range kinds {
		if errors.Is(err, k) {
			matched = true
		}
	}
	if !matched {
		t.Errorf("%s: error %q, want %s", what, err, kindList(kinds))
	}
	if id != "" && !strings.Contains(err.Error(), id) {
		t.Errorf("%s: error %q does not name %q", what, err, id)
	}
}

func kindList(kinds []error) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = fmt.Sprintf("%q", k)
	}
	return strings.Join(s, " or ")
}

// result is a call's value and error, for try(...).must(t, what).
type result[T any] struct {
	v   T
	err error
}

func try[T any](v T, err error) result[T] { return result[T]{v, err} }

// must returns the value, failing the subtest on an error.
func (r result[T]) must(t *testing.T, what string) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("%s: %v", what, r.err)
	}
	return r.v
}

// mustOK fails the subtest on an error.
func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// find returns the element of list whose id is id, or nil.
func find[T any](list []*T, id func(*T) string, want string) *T {
	for _, v := range list {
		if id(v) == want {
			return v
		}
	}
	return nil
}

func nodeID(n *compute.Node) string { return n.ID }
