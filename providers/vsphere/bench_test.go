package vsphere_test

import (
	"context"
	"testing"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
)

// benchProps are the properties the driver reads of a VM, which the
// direct govmomi listing reads too.
var benchProps = []string{
	"name", "config.instanceUuid", "config.uuid", "config.template", "config.hardware.numCPU",
	"config.hardware.memoryMB", "config.createDate", "config.annotation", "runtime.powerState",
	"guest.ipAddress", "guest.net", "guest.toolsRunningStatus", "customValue",
}

// BenchmarkListNodes1000 lists 1,000 VMs on vcsim with the driver
// (ListNodes: datacenters, custom attribute names, the VMs, mapped to
// nodes) and with govmomi directly (a container view and a Retrieve of the
// same properties into mo.VirtualMachine), in alternation, and reports the
// driver's wall time over govmomi's as "driver/govmomi".
func BenchmarkListNodes1000(b *testing.B) {
	model := simulator.VPX()
	model.Host, model.ClusterHost, model.Machine = 1, 1, 500 // 500 VMs on a host, 500 in a cluster
	s := newSim(b, model)
	dd, err := vsphere.New(s.options())
	if err != nil {
		b.Fatal(err)
	}
	defer dd.Close()
	var d compute.Driver = dd
	ctx := context.Background()
	nodes, err := d.ListNodes(ctx)
	if err != nil || len(nodes) < 999 { // 1,000 less the template
		b.Fatalf("ListNodes: %d nodes, %v", len(nodes), err)
	}
	vc := s.client.Client
	direct := func() int {
		v, err := view.NewManager(vc).CreateContainerView(ctx, vc.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
		if err != nil {
			b.Fatal(err)
		}
		defer func() { _ = v.Destroy(ctx) }()
		var vms []mo.VirtualMachine
		if err := v.Retrieve(ctx, []string{"VirtualMachine"}, benchProps, &vms); err != nil {
			b.Fatal(err)
		}
		return len(vms)
	}
	if n := direct(); n != 1000 {
		b.Fatalf("govmomi lists %d VMs, want 1000", n)
	}
	var tDriver, tDirect time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := d.ListNodes(ctx); err != nil {
			b.Fatal(err)
		}
		tDriver += time.Since(start)
		start = time.Now()
		direct()
		tDirect += time.Since(start)
	}
	b.ReportMetric(float64(tDriver.Microseconds())/float64(b.N)/1000, "ms-driver/op")
	b.ReportMetric(float64(tDirect.Microseconds())/float64(b.N)/1000, "ms-govmomi/op")
	b.ReportMetric(float64(tDriver)/float64(tDirect), "driver/govmomi")
}
