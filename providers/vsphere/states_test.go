package vsphere_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
	gtypes "github.com/goclouds/goclouds/types"
)

// Power states map to node states, and the model's VMs (not the template)
// are nodes with their datacenter as location.
func TestPowerStatesAndListing(t *testing.T) {
	s := newSim(t, nil)
	d := newDriver(t, s)
	ctx := t.Context()
	nodes, err := d.ListNodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*compute.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
		if n.Location == nil || n.Location.ID != s.dcID || n.Provider != "vsphere" {
			t.Errorf("node %s: location %+v, provider %q", n.Name, n.Location, n.Provider)
		}
	}
	if _, ok := byName["tmpl"]; ok || len(nodes) != 3 {
		t.Fatalf("ListNodes lists %d nodes (template included: %v), want the model's 3 VMs", len(nodes), ok)
	}
	vm, err := find.NewFinder(s.client.Client).VirtualMachine(context.Background(), "DC0_H0_VM0")
	if err != nil {
		t.Fatal(err)
	}
	id := byName["DC0_H0_VM0"].ID
	for _, c := range []struct {
		change func() (*types.ManagedObjectReference, error)
		want   gtypes.NodeState
	}{
		{func() (*types.ManagedObjectReference, error) { t, err := vm.Suspend(ctx); return ref(t, err) }, gtypes.NodeStateSuspended},
		{func() (*types.ManagedObjectReference, error) { t, err := vm.PowerOn(ctx); return ref(t, err) }, gtypes.NodeStateRunning},
		{func() (*types.ManagedObjectReference, error) { t, err := vm.PowerOff(ctx); return ref(t, err) }, gtypes.NodeStateStopped},
	} {
		r, err := c.change()
		if err == nil {
			err = waitRef(ctx, s, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		n, err := d.GetNode(ctx, id)
		if err != nil || n.State != c.want {
			t.Errorf("GetNode = %v, %v; want state %s", n, err, c.want)
		}
	}
}

func ref(t interface {
	Reference() types.ManagedObjectReference
}, err error) (*types.ManagedObjectReference, error) {
	if err != nil {
		return nil, err
	}
	r := t.Reference()
	return &r, nil
}

func waitRef(ctx context.Context, s *sim, r *types.ManagedObjectReference) error {
	return s.taskOf(*r).Wait(ctx)
}

// The debug log of a driver's work never holds the password.
func TestLogsHoldNoSecrets(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	var buf bytes.Buffer
	o := s.options()
	o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := vsphere.New(o)
	if err != nil {
		t.Fatal(err)
	}
	n := create(t, d, s, &compute.CreateNodeRequest{Name: "logged"})
	if err := d.DestroyNode(t.Context(), n.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "logged in") {
		t.Errorf("no login in the debug log:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), simPassword) {
		t.Errorf("the debug log holds the password:\n%s", buf.String())
	}
}
