package main

// The vSphere overhead benchmark: providers/vsphere's BenchmarkListNodes1000
// lists 1,000 VMs on vcsim (in process, over TLS on loopback) with the
// driver's ListNodes and with govmomi directly, in alternation.
const (
	// wlVSphere is its workload group (-only vsphere).
	wlVSphere = "vsphere"
	// vsphereTarget is the limit on driver / govmomi wall time.
	vsphereTarget = 1.2
)

// vsphereBench is the go test benchmark that measures it.
var vsphereBench = goBench{group: wlVSphere, name: "BenchmarkListNodes1000", pkg: "./providers/vsphere/", base: "govmomi"}

// runVSphere runs the benchmark (one listing each a round) and keeps its
// result.
func (b *bench) runVSphere() (err error) {
	b.vsphere, err = b.runGoBench(vsphereBench, b.cfg.rounds)
	return err
}

// vsphereSection renders the benchmark's table (nothing when it did not
// run), after a blank line when blankBefore is set.
func (b *bench) vsphereSection(p func(format string, args ...any), blankBefore bool) {
	r := b.vsphere
	if r == nil {
		return
	}
	if blankBefore {
		p("")
	}
	p("vSphere: listing 1,000 VMs on vcsim (VMware's simulator, in process over TLS), the goclouds driver's ListNodes")
	p("against govmomi directly (a container view and one Retrieve of the same properties), alternating, %d listings each", r.n)
	p("(`go test -bench %s -benchtime %s %s`):", vsphereBench.name, r.benchtime, vsphereBench.pkg)
	p("")
	p("| Measure | goclouds vsphere | govmomi | goclouds / govmomi |")
	p("|---|---:|---:|---:|")
	p("| wall per listing (ms) | %s | %s | %.2f× |", num(r.driverMS, 0), num(r.baseMS, 0), r.ratio)
}
