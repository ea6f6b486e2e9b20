package providers_test

// This file is the third-party provider of docs/writing-a-provider.md, which
// quotes it; TestWritingAProviderDocQuotesThisFile keeps the two in step.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/types"
)

// --- the provider (in its own package, say example.com/acme) ---

// AcmeProvider is the provider's name in the registry.
const AcmeProvider types.Provider = "acme"

// acmeMaxUserData is Acme's limit on user data, in bytes.
const acmeMaxUserData = 16 << 10

// AcmeDriver is an in-memory stand-in for Acme's API.
type AcmeDriver struct {
	mu    sync.Mutex
	nodes map[string]*compute.Node
	next  int
}

var _ compute.Driver = (*AcmeDriver)(nil)

var (
	acmeImage    = &compute.Image{ID: "debian-12", Name: "Debian 12", Provider: AcmeProvider}
	acmeSize     = &compute.Size{ID: "small", Name: "Small", VCPUs: 1, RAM: 2048, Disk: 20, Provider: AcmeProvider}
	acmeLocation = &compute.Location{ID: "par1", Name: "Paris 1", Country: "FR", Provider: AcmeProvider}
)

// NewAcme returns a driver. It does no I/O.
func NewAcme() *AcmeDriver { return &AcmeDriver{nodes: map[string]*compute.Node{}, next: 1} }

// AcmeFactory is the compute.Factory to register. It validates the config
// and returns a *compute.Error matching ErrInvalidArgument when unusable.
func AcmeFactory(cfg compute.Config) (compute.Driver, error) {
	if cfg.Key == "" {
		return nil, compute.NewError(AcmeProvider, "New", "", compute.ErrInvalidArgument,
			errors.New("an API key is required"))
	}
	return NewAcme(), nil
}

// Provider implements compute.Driver.
func (d *AcmeDriver) Provider() types.Provider { return AcmeProvider }

func acmeNotFound(op, id string) error {
	return compute.Errorf(AcmeProvider, op, id, compute.ErrNotFound, "no node with id %q", id)
}

// ListNodes implements compute.Driver.
func (d *AcmeDriver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err // context errors pass through unchanged
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := []*compute.Node{} // never nil
	for _, id := range slices.Sorted(maps.Keys(d.nodes)) {
		out = append(out, d.nodes[id].Clone()) // always return copies
	}
	return out, nil
}

// GetNode implements compute.Driver.
func (d *AcmeDriver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n, ok := d.nodes[id]
	if !ok {
		return nil, acmeNotFound("GetNode", id)
	}
	return n.Clone(), nil
}

// CreateNode implements compute.Driver.
func (d *AcmeDriver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The checks every provider shares: name, image, size, tags, networks,
	// security groups, and Acme's 16 KiB limit on user data.
	if err := req.Validate(AcmeProvider, op, acmeMaxUserData); err != nil {
		return nil, err
	}
	invalid := func(format string, args ...any) error {
		return compute.Errorf(AcmeProvider, op, "", compute.ErrInvalidArgument, format, args...)
	}
	switch {
	case req.Image.ID != acmeImage.ID:
		return nil, invalid("unknown image")
	case req.Size.ID != acmeSize.ID:
		return nil, invalid("unknown size")
	case req.Location != nil && req.Location.ID != acmeLocation.ID:
		return nil, invalid("unknown location %q", req.Location.ID)
	case req.ProviderOptions != nil:
		return nil, invalid("ProviderOptions of type %T: acme takes none", req.ProviderOptions)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	id := "acme-" + strconv.Itoa(d.next)
	d.next++
	n := &compute.Node{
		ID: id, Name: req.Name, State: types.NodeStateRunning,
		PublicIPs:  []string{fmt.Sprintf("192.0.2.%d", d.next%250+1)},
		PrivateIPs: []string{},
		Image:      acmeImage.Clone(), Size: acmeSize.Clone(), Location: acmeLocation.Clone(),
		Tags:     maps.Clone(req.Tags),
		Provider: AcmeProvider,
	}
	d.nodes[id] = n
	return n.Clone(), nil
}

// setState moves a node that is in state from to state to.
func (d *AcmeDriver) setState(ctx context.Context, op, id string, from, to types.NodeState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n, ok := d.nodes[id]
	if !ok {
		return acmeNotFound(op, id)
	}
	if n.State != from {
		return compute.Errorf(AcmeProvider, op, id, compute.ErrConflict, "node is %s, want %s", n.State, from)
	}
	n.State = to
	return nil
}

// RebootNode implements compute.Driver.
func (d *AcmeDriver) RebootNode(ctx context.Context, id string) error {
	return d.setState(ctx, "RebootNode", id, types.NodeStateRunning, types.NodeStateRunning)
}

// StartNode implements compute.Driver.
func (d *AcmeDriver) StartNode(ctx context.Context, id string) error {
	return d.setState(ctx, "StartNode", id, types.NodeStateStopped, types.NodeStateRunning)
}

// StopNode implements compute.Driver.
func (d *AcmeDriver) StopNode(ctx context.Context, id string) error {
	return d.setState(ctx, "StopNode", id, types.NodeStateRunning, types.NodeStateStopped)
}

// DestroyNode implements compute.Driver.
func (d *AcmeDriver) DestroyNode(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.nodes[id]; !ok {
		return acmeNotFound("DestroyNode", id)
	}
	delete(d.nodes, id)
	return nil
}

// ListImages implements compute.Driver.
func (d *AcmeDriver) ListImages(ctx context.Context, _ *compute.Location) ([]*compute.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []*compute.Image{acmeImage.Clone()}, nil
}

// GetImage implements compute.Driver.
func (d *AcmeDriver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if id != acmeImage.ID {
		return nil, compute.Errorf(AcmeProvider, "GetImage", id, compute.ErrNotFound, "no image %q", id)
	}
	return acmeImage.Clone(), nil
}

// ListSizes implements compute.Driver.
func (d *AcmeDriver) ListSizes(ctx context.Context, _ *compute.Location) ([]*compute.Size, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []*compute.Size{acmeSize.Clone()}, nil
}

// ListLocations implements compute.Driver.
func (d *AcmeDriver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []*compute.Location{acmeLocation.Clone()}, nil
}

// --- registering it ---

func init() {
	// A provider package may register itself in init (users then import it
	// for its side effect), or leave Register to the program's main.
	if err := providers.Register(AcmeProvider, AcmeFactory); err != nil {
		panic(err)
	}
}

// A third-party provider, once registered, is used like a built-in one.
func Example_thirdPartyProvider() {
	factory, err := providers.GetDriver("Acme")
	if err != nil {
		log.Fatal(err)
	}
	d, err := factory(compute.Config{Key: "acme-api-key"})
	if err != nil {
		log.Fatal(err)
	}
	n, err := d.CreateNode(context.Background(), &compute.CreateNodeRequest{
		Name:  "web-1",
		Image: &compute.Image{ID: "debian-12"},
		Size:  &compute.Size{ID: "small"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.ID, n.Name, n.State)
	// Output: acme-1 web-1 running
}

// --- testing it with the conformance suite ---

type acmeHarness struct{ d *AcmeDriver }

func (h acmeHarness) MakeDriver(context.Context) (compute.Driver, error) { return h.d, nil }
func (h acmeHarness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{StartStop: true} // nothing optional besides
}
func (h acmeHarness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{ImageID: "debian-12", SizeID: "small", LocationID: "par1"}
}
func (h acmeHarness) Close() {}

// TestAcmeConformance runs the suite's portable subtests; those of
// undeclared capabilities are skipped.
func TestAcmeConformance(t *testing.T) {
	computetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (computetest.Harness, error) {
		return acmeHarness{NewAcme()}, nil
	}, nil)
}

// --- keeping docs/writing-a-provider.md in step ---

func TestWritingAProviderDocQuotesThisFile(t *testing.T) {
	doc, err := os.ReadFile("../docs/writing-a-provider.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("thirdparty_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	// Compare line by line, ignoring indentation and blank lines.
	norm := func(s string) string {
		var lines []string
		for l := range strings.Lines(s) {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	code := norm(string(src))
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 6 {
		t.Fatalf("found %d Go blocks in the doc", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(code, norm(b[1])) {
			t.Errorf("this Go block of docs/writing-a-provider.md is not in thirdparty_example_test.go:\n%s", b[1])
		}
	}
}
