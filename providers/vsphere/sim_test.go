package vsphere_test

import (
	"context"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/providers/vsphere"
	"github.com/goclouds/goclouds/providers/vsphere/vspheresim"
)

// Credentials vcsim accepts in these tests.
const (
	simUser     = vspheresim.DefaultUsername
	simPassword = vspheresim.DefaultPassword
)

// sim is an in-process vcsim (VMware's simulator) started by vspheresim:
// on loopback over TLS, with one template ("tmpl") made from a model VM.
type sim struct {
	*vspheresim.Server
}

// newSim starts a simulator with o (nil: the VPX model, no Tools
// stand-in); t.Cleanup stops it. The Tools stand-in's errors are logged.
func newSim(t testing.TB, o *vspheresim.Options) *sim {
	t.Helper()
	if o == nil {
		o = &vspheresim.Options{}
	}
	if o.Logf == nil {
		o.Logf = t.Logf
	}
	s, err := vspheresim.Start(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return &sim{s}
}

// options returns driver options for the simulator, verifying its
// certificate with its CA file.
func (s *sim) options() *vsphere.Options {
	return &vsphere.Options{
		URL: s.URL.String(), Username: s.Username, Password: s.Password, CAFile: s.CAFile,
	}
}

// vmByName returns the VM or template with the name, or nil.
func (s *sim) vmByName(t testing.TB, name string) *mo.VirtualMachine {
	t.Helper()
	ctx := context.Background()
	vc := s.Client.Client
	m := view.NewManager(vc)
	v, err := m.CreateContainerView(ctx, vc.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = v.Destroy(ctx) }()
	var vms []mo.VirtualMachine
	err = v.RetrieveWithFilter(ctx, []string{"VirtualMachine"}, []string{"name", "config", "runtime.powerState", "guest", "customValue", "resourcePool"}, &vms, property.Match{"name": name})
	if err != nil || len(vms) == 0 {
		return nil
	}
	return &vms[0]
}

// poolOf returns the managed object id of the root resource pool of the
// cluster or host of DC0.
func (s *sim) poolOf(t testing.TB, compute string) string {
	t.Helper()
	pool, err := find.NewFinder(s.Client.Client).ResourcePool(context.Background(), "/DC0/host/"+compute+"/Resources")
	if err != nil {
		t.Fatal(err)
	}
	return pool.Reference().Value
}

// taskOf returns a task of the test's own session.
func (s *sim) taskOf(r types.ManagedObjectReference) *object.Task {
	return object.NewTask(s.Client.Client, r)
}
