package computetest_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// The suite is tested by running it against drivers with one defect each
// (the dummy driver with a method overridden) in a child process, which must
// fail with the expected message.

const brokenEnv = "COMPUTETEST_BROKEN_DRIVER"

var allCaps = computetest.Capabilities{
	StartStop: true, Volumes: true, VolumeResize: true, Snapshots: true,
	VolumesFromSnapshots: true, KeyPairs: true, Images: true,
	NodeResize: true, Tags: true, UserData: true, IdempotentCreate: true,
}

type brokenCase struct {
	driver func() compute.Driver
	caps   computetest.Capabilities
	want   string // in the failing suite's output
	// throttled makes the ThrottlingHarness's driver; nil: a dummy driver
	// with ThrottleEvery 3.
	throttled func(*dummy.Driver) compute.Driver
}

var broken = map[string]brokenCase{
	"UntypedErrors": {func() compute.Driver { return &untypedErrors{dummy.New(nil)} }, allCaps,
		"is neither a *compute.Error nor a context error", nil},
	"IgnoresContext": {func() compute.Driver { return &ignoresContext{dummy.New(nil)} }, allCaps,
		"ListNodes with a done context: error <nil>", nil},
	"SharesValues": {func() compute.Driver { return &sharesValues{Driver: dummy.New(nil)} }, allCaps,
		"changed the driver's node", nil},
	"SharesImages": {func() compute.Driver { return &sharesImages{Driver: dummy.New(nil)} }, allCaps,
		"changing an image ListImages returned changed the driver's", nil},
	"UndeclaredInterface": {func() compute.Driver { return baseOnly{dummy.New(nil)} }, computetest.Capabilities{KeyPairs: true},
		"capability KeyPairs is declared but the driver", nil},
	"DestroyDoesNothing": {func() compute.Driver { return &destroyDoesNothing{dummy.New(nil)} }, allCaps,
		"gone: not after", nil},
	"IDNotInMessage": {func() compute.Driver { return &idNotInMessage{dummy.New(nil)} }, allCaps,
		`does not name "00000000-0000-4000-8000-00000000dead"`, nil},
	"IgnoresName": {func() compute.Driver { return &ignoresName{dummy.New(nil)} }, allCaps,
		"CreateNode returned name", nil},
	"AcceptsUnknownImage": {func() compute.Driver { return &acceptsUnknownImage{dummy.New(nil)} }, allCaps,
		"CreateNode with unknown image: no error", nil},
	"LeaksPassword": {func() compute.Driver { return &leaksPassword{dummy.New(nil)} }, allCaps,
		"the error reveals the password", nil},
	"NilList": {func() compute.Driver { return &nilList{dummy.New(nil)} }, allCaps,
		"nil list without an error", nil},
	"BadFingerprint": {func() compute.Driver { return &badFingerprint{dummy.New(nil)} }, allCaps,
		"is not the imported key", nil},

	// Defects against the rules of the portable API (issue 12).
	"NoVCPUs": {func() compute.Driver { return &noVCPUs{dummy.New(nil)} }, allCaps,
		"has no VCPUs", nil},
	"DropsTags": {func() compute.Driver { return &dropsTags{dummy.New(nil)} }, allCaps,
		"want them to include", nil},
	"DropsUserData": {func() compute.Driver { return &dropsUserData{dummy.New(nil)} }, allCaps,
		"the user data read back is", nil},
	"AcceptsHugeUserData": {func() compute.Driver { return &acceptsHugeUserData{dummy.New(nil)} }, allCaps,
		"user data over the limit (16385 bytes): no error", nil},
	"NotIdempotent": {func() compute.Driver { return &notIdempotent{dummy.New(nil)} }, allCaps,
		"resent with the same IdempotencyKey made node", nil},
	"IterIgnoresFilter": {func() compute.Driver { return &iterIgnoresFilter{dummy.New(nil)} }, allCaps,
		"IterNodes(Name", nil},
	"IterSkipsLast": {func() compute.Driver { return &iterSkipsLast{dummy.New(nil)} }, allCaps,
		"ListNodes gives", nil},
	"GetNodesTooMany": {func() compute.Driver { return &getNodesTooMany{dummy.New(nil)} }, allCaps,
		"not asked for", nil},
	"ThrottledAsUnavailable": {func() compute.Driver { return dummy.New(nil) }, allCaps,
		"want one matching ErrThrottled", func(d *dummy.Driver) compute.Driver { return &throttledAsUnavailable{d} }},
	"RegistersKeyTwice": {func() compute.Driver { return &registersKeyTwice{dummy.New(nil)} }, allCaps,
		"the key was registered again", nil},
	"ResizeDoesNothing": {func() compute.Driver { return &resizeDoesNothing{dummy.New(nil)} }, allCaps,
		"of size 2: not after", nil},
	"LocationWithoutProvider": {func() compute.Driver { return &locationWithoutProvider{dummy.New(nil)} }, allCaps,
		`has Provider "", want "dummy"`, nil},
	"KeyPairWithoutID": {func() compute.Driver { return &keyPairWithoutID{dummy.New(nil)} }, allCaps,
		"has no ID", nil},
	"PasswordInName": {func() compute.Driver { return &passwordInName{dummy.New(nil)} }, allCaps,
		"printing the created node reveals the password", nil},
}

func TestRunConformanceTests_FailsBrokenDrivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for _, name := range slices.Sorted(maps.Keys(broken)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenDriver$", "-test.v")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed (or did not run) a driver that is %s: %v\n%s", name, err, out)
			}
			if !strings.Contains(string(out), broken[name].want) {
				t.Errorf("the suite failed a driver that is %s, but without %q:\n%s", name, broken[name].want, out)
			}
		})
	}
}

// TestBrokenDriver runs the suite on the broken driver named by the
// environment; only TestRunConformanceTests_FailsBrokenDrivers runs it.
func TestBrokenDriver(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		t.Skip("run by TestRunConformanceTests_FailsBrokenDrivers")
	}
	b, ok := broken[name]
	if !ok {
		t.Fatalf("no broken driver %q", name)
	}
	computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
		return &harness{d: b.driver(), caps: b.caps, throttled: b.throttled}, nil
	}, nil)
}

func TestRunConformanceTests_Dummy(t *testing.T) {
	var made, closed int
	var mu sync.Mutex
	computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
		mu.Lock()
		defer mu.Unlock()
		made++
		return &harness{d: dummy.New(nil), caps: allCaps, closed: func() { mu.Lock(); closed++; mu.Unlock() }}, nil
	}, []computetest.ExTest{{Name: "Reached", Test: func(t *testing.T, h computetest.Harness, d compute.Driver) {
		if _, ok := compute.As[*dummy.Driver](d); !ok {
			t.Error("compute.As cannot reach the driver through the suite's wrapper")
		}
	}}})
	t.Cleanup(func() {
		if want := len(computetest.SubtestNames()) + 1; made != want || closed != want {
			t.Errorf("harnesses made %d, closed %d; want %d each", made, closed, want)
		}
	})
}

func TestSubtestNames(t *testing.T) {
	names := computetest.SubtestNames()
	if len(names) < 15 {
		t.Errorf("%d subtests, want at least 15", len(names))
	}
	for _, want := range []string{"CreateNode", "DestroyNode", "MissingIDs", "CancelledContext", "ParallelCreates"} {
		if !slices.Contains(names, want) {
			t.Errorf("no subtest %s in %v", want, names)
		}
	}
}

type harness struct {
	d         compute.Driver
	caps      computetest.Capabilities
	closed    func()
	throttled func(*dummy.Driver) compute.Driver
}

// ReadUserData implements computetest.UserDataReader with ExUserData.
func (h *harness) ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error) {
	r, ok := compute.As[interface {
		ExUserData(ctx context.Context, id string) ([]byte, error)
	}](d)
	if !ok {
		return nil, errors.New("no ExUserData")
	}
	return r.ExUserData(ctx, id)
}

// MakeThrottledDriver implements computetest.ThrottlingHarness.
func (h *harness) MakeThrottledDriver(context.Context) (compute.Driver, error) {
	d := dummy.New(&dummy.Options{ThrottleEvery: 3})
	if h.throttled != nil {
		return h.throttled(d), nil
	}
	return d, nil
}

func (h *harness) MakeDriver(context.Context) (compute.Driver, error) { return h.d, nil }
func (h *harness) Capabilities() computetest.Capabilities             { return h.caps }
func (h *harness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{ImageID: "1", SizeID: "1", LocationID: "1", MaxUserData: dummy.MaxUserData,
		WaitInterval: time.Millisecond, WaitTimeout: 200 * time.Millisecond}
}
func (h *harness) Close() {
	if h.closed != nil {
		h.closed()
	}
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// untypedErrors returns plain errors from GetNode.
type untypedErrors struct{ *dummy.Driver }

func (d *untypedErrors) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	n, err := d.Driver.GetNode(ctx, id)
	if err != nil && !isCtxErr(err) {
		return nil, errors.New("no node " + id)
	}
	return n, err
}

// ignoresContext lists nodes whatever the context.
type ignoresContext struct{ *dummy.Driver }

func (d *ignoresContext) ListNodes(context.Context) ([]*compute.Node, error) {
	return d.Driver.ListNodes(context.Background())
}

// sharesValues returns the same node values from every ListNodes and
// GetNode, updating only their state.
type sharesValues struct {
	*dummy.Driver
	mu    sync.Mutex
	cache map[string]*compute.Node
}

func (d *sharesValues) shared(n *compute.Node) *compute.Node {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cache == nil {
		d.cache = map[string]*compute.Node{}
	}
	if c, ok := d.cache[n.ID]; ok {
		c.State = n.State
		return c
	}
	d.cache[n.ID] = n
	return n
}

func (d *sharesValues) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	ns, err := d.Driver.ListNodes(ctx)
	for i, n := range ns {
		ns[i] = d.shared(n)
	}
	return ns, err
}

func (d *sharesValues) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	n, err := d.Driver.GetNode(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.shared(n), nil
}

// sharesImages returns the same image values from every ListImages.
type sharesImages struct {
	*dummy.Driver
	once   sync.Once
	images []*compute.Image
}

func (d *sharesImages) ListImages(ctx context.Context, loc *compute.Location) ([]*compute.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.once.Do(func() { d.images, _ = d.Driver.ListImages(ctx, nil) })
	return slices.Clone(d.images), nil
}

// baseOnly has only the compute.Driver methods.
type baseOnly struct{ compute.Driver }

// destroyDoesNothing reports success without destroying.
type destroyDoesNothing struct{ *dummy.Driver }

func (d *destroyDoesNothing) DestroyNode(ctx context.Context, id string) error {
	_, err := d.Driver.GetNode(ctx, id)
	return err
}

// idNotInMessage leaves the id out of GetNode's not-found error.
type idNotInMessage struct{ *dummy.Driver }

func (d *idNotInMessage) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	n, err := d.Driver.GetNode(ctx, id)
	if errors.Is(err, compute.ErrNotFound) {
		return nil, compute.NewError(types.ProviderDummy, "GetNode", "", compute.ErrNotFound, errors.New("no such node"))
	}
	return n, err
}

// ignoresName names every node "fixed".
type ignoresName struct{ *dummy.Driver }

func (d *ignoresName) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	if req != nil && req.Name != "" {
		r := *req
		r.Name = "fixed"
		req = &r
	}
	return d.Driver.CreateNode(ctx, req)
}

// acceptsUnknownImage falls back to image 1.
type acceptsUnknownImage struct{ *dummy.Driver }

func (d *acceptsUnknownImage) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	if req != nil && req.Image != nil {
		if _, err := d.Driver.GetImage(ctx, req.Image.ID); errors.Is(err, compute.ErrNotFound) {
			r := *req
			r.Image = &compute.Image{ID: "1"}
			req = &r
		}
	}
	return d.Driver.CreateNode(ctx, req)
}

// leaksPassword puts the password into CreateNode's errors.
type leaksPassword struct{ *dummy.Driver }

func (d *leaksPassword) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	n, err := d.Driver.CreateNode(ctx, req)
	if err != nil && req != nil && req.Auth.Password != "" {
		return nil, compute.Errorf(types.ProviderDummy, "CreateNode", "", compute.ErrInvalidArgument,
			"%v (password %s)", err, req.Auth.Password)
	}
	return n, err
}

// nilList returns nil for an empty snapshot list.
type nilList struct{ *dummy.Driver }

func (d *nilList) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	s, err := d.Driver.ListVolumeSnapshots(ctx, volumeID)
	if len(s) == 0 {
		return nil, err
	}
	return s, err
}

// badFingerprint imports a different key than it was given.
type badFingerprint struct{ *dummy.Driver }

func (d *badFingerprint) ImportKeyPair(ctx context.Context, name, _ string) (*compute.KeyPair, error) {
	return d.Driver.ImportKeyPair(ctx, name,
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFISbH9Hm6aiZewZLn+SuXVFtVHlfkA7M+QkfR75G0cB other")
}
