package vsphere_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/providers/vsphere"
)

// Credentials vcsim accepts in these tests.
const (
	simUser     = "administrator@vsphere.local"
	simPassword = "s3cret-Pa55"
)

// sim is an in-process vcsim (VMware's simulator) on loopback over TLS,
// with one template ("tmpl") made from a model VM, and a stand-in for
// VMware Tools that reports an address for every powered-on VM.
type sim struct {
	model      *simulator.Model
	server     *simulator.Server
	url        *url.URL // without user information
	caFile     string
	thumbprint string
	client     *govmomi.Client // an admin session of the test's own
	templateID string          // instance UUID of "tmpl"
	dcID       string          // managed object id of DC0
	stop       func()
}

// newSim starts a simulator; t.Cleanup stops it.
func newSim(t testing.TB, model *simulator.Model) *sim {
	t.Helper()
	if model == nil {
		model = simulator.VPX()
	}
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	model.Service.TLS = new(tls.Config)
	model.Service.Listen = &url.URL{User: url.UserPassword(simUser, simPassword)}
	server := model.Service.NewServer()
	s := &sim{model: model, server: server}
	t.Cleanup(func() {
		if s.stop != nil {
			s.stop()
		}
		if s.client != nil {
			_ = s.client.Logout(context.Background())
		}
		server.Close()
		model.Remove()
	})
	u := *server.URL
	u.User = nil
	s.url = &u
	ca, err := server.CertificateFile()
	if err != nil {
		t.Fatal(err)
	}
	s.caFile = ca
	s.thumbprint = server.CertificateInfo().ThumbprintSHA1
	ctx := context.Background()
	s.client, err = govmomi.NewClient(ctx, server.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	f := find.NewFinder(s.client.Client, true)
	dc, err := f.Datacenter(ctx, "DC0")
	if err != nil {
		t.Fatal(err)
	}
	s.dcID = dc.Reference().Value
	f.SetDatacenter(dc)
	vm, err := f.VirtualMachine(ctx, "DC0_H0_VM1")
	if err != nil {
		t.Fatal(err)
	}
	task, err := vm.PowerOff(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err == nil {
		task, err = vm.Rename(ctx, "tmpl")
		if err == nil {
			err = task.Wait(ctx)
		}
	}
	if err == nil {
		err = vm.MarkAsTemplate(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	var o mo.VirtualMachine
	if err := vm.Properties(ctx, vm.Reference(), []string{"config.instanceUuid"}, &o); err != nil {
		t.Fatal(err)
	}
	s.templateID = o.Config.InstanceUuid
	return s
}

// options returns driver options for the simulator, verifying its
// certificate with its CA file.
func (s *sim) options() *vsphere.Options {
	return &vsphere.Options{
		URL: s.url.String(), Username: simUser, Password: simPassword, CAFile: s.caFile,
	}
}

// startTools runs a stand-in for VMware Tools: every few milliseconds,
// each powered-on VM without a guest address gets one (10.0.x.y and
// 2001:db8::x:y) and Tools "running", through vcsim's SET.guest.*
// extraConfig hook. vcsim has no guest OS to do it.
func (s *sim) startTools(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	s.stop = func() { cancel(); wg.Wait() }
	vc := s.client.Client
	wg.Go(func() {
		m := view.NewManager(vc)
		v, err := m.CreateContainerView(ctx, vc.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
		if err != nil {
			t.Errorf("tools: %v", err)
			return
		}
		next := 1
		for ctx.Err() == nil {
			var vms []mo.VirtualMachine
			if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"runtime.powerState", "guest.ipAddress"}, &vms); err != nil && ctx.Err() == nil {
				t.Logf("tools: %v", err)
			}
			for _, vm := range vms {
				if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn || (vm.Guest != nil && vm.Guest.IpAddress != "") {
					continue
				}
				ip := fmt.Sprintf("10.0.%d.%d", next/250, next%250+2)
				next++
				task, err := object.NewVirtualMachine(vc, vm.Self).Reconfigure(ctx, types.VirtualMachineConfigSpec{
					ExtraConfig: []types.BaseOptionValue{
						&types.OptionValue{Key: "SET.guest.ipAddress", Value: ip},
						&types.OptionValue{Key: "SET.guest.toolsRunningStatus", Value: string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)},
					},
				})
				if err == nil {
					err = task.Wait(ctx)
				}
				if err != nil && ctx.Err() == nil {
					t.Logf("tools: %s: %v", vm.Self.Value, err)
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
}

// vmByName returns the VM or template with the name, or nil.
func (s *sim) vmByName(t testing.TB, name string) *mo.VirtualMachine {
	t.Helper()
	ctx := context.Background()
	vc := s.client.Client
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
	pool, err := find.NewFinder(s.client.Client).ResourcePool(context.Background(), "/DC0/host/"+compute+"/Resources")
	if err != nil {
		t.Fatal(err)
	}
	return pool.Reference().Value
}

// taskOf returns a task of the test's own session.
func (s *sim) taskOf(r types.ManagedObjectReference) *object.Task {
	return object.NewTask(s.client.Client, r)
}
