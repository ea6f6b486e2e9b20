package vsphere_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/types"
)

// The seed's tutorial flow (list images, list sizes, create "toto", its
// uuid and name, stop, start) through the registry, configured only by
// govc's variables, as `goclouds --provider vsphere` would be.
func TestTutorialFlowWithGOVCVariables(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	t.Setenv("GOVC_URL", s.url.Host) // host:port: https and /sdk by default
	t.Setenv("GOVC_USERNAME", simUser)
	t.Setenv("GOVC_PASSWORD", simPassword)
	t.Setenv("GOVC_INSECURE", "1")

	factory, err := providers.GetDriver("vsphere")
	if err != nil {
		t.Fatal(err)
	}
	d, err := factory(compute.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := d.(interface{ Close() error }); ok {
		defer c.Close()
	} else {
		t.Error("the vsphere driver is not an io.Closer")
	}
	ctx := t.Context()
	images, err := d.ListImages(ctx, nil)
	if err != nil || len(images) == 0 {
		t.Fatalf("ListImages = %v, %v", images, err)
	}
	sizes, err := d.ListSizes(ctx, nil)
	if err != nil || len(sizes) == 0 {
		t.Fatalf("ListSizes = %v, %v", sizes, err)
	}
	node, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "toto", Image: images[0], Size: sizes[0]})
	if err != nil {
		t.Fatal(err)
	}
	if node.Name != "toto" || len(node.UUID()) != 40 || strings.Trim(node.UUID(), "0123456789abcdef") != "" {
		t.Fatalf("node %q, UUID %q", node.Name, node.UUID())
	}
	if node.State != types.NodeStateRunning || node.Size == nil || node.Size.ID != sizes[0].ID {
		t.Errorf("the new node: state %s, size %+v; want running, %s", node.State, node.Size, sizes[0].ID)
	}
	wait := &compute.WaitOptions{Interval: 5 * time.Millisecond, Timeout: 30 * time.Second}
	if err := d.StopNode(ctx, node.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := compute.WaitForState(ctx, d, node.ID, types.NodeStateStopped, wait); err != nil {
		t.Fatal(err)
	}
	if err := d.StartNode(ctx, node.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := compute.WaitForState(ctx, d, node.ID, types.NodeStateRunning, wait); err != nil {
		t.Fatal(err)
	}
}
