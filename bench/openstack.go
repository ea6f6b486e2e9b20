package main

// The OpenStack overhead benchmark: providers/openstack's BenchmarkGetNode
// gets one server from openstacksim (in process, HTTP on loopback) with
// the driver's GetNode and with gophercloud's servers.Get directly, in
// alternation.
const (
	// wlOpenStack is its workload group (-only openstack).
	wlOpenStack = "openstack"
	// openstackTarget is the limit on driver / gophercloud wall
	// time.
	openstackTarget = 1.15
	// openstackOpsPerRound is how many gets each side does a round.
	openstackOpsPerRound = 1000
)

// openstackBench is the go test benchmark that measures it.
var openstackBench = goBench{group: wlOpenStack, name: "BenchmarkGetNode", pkg: "./providers/openstack/", base: "gophercloud"}

// runOpenStack runs the benchmark and keeps its result.
func (b *bench) runOpenStack() (err error) {
	b.openstack, err = b.runGoBench(openstackBench, b.cfg.rounds*openstackOpsPerRound)
	return err
}

// openstackSection renders the benchmark's table (nothing when it did not
// run), after a blank line.
func (b *bench) openstackSection(p func(format string, args ...any)) {
	r := b.openstack
	if r == nil {
		return
	}
	p("")
	p("OpenStack: getting one server from openstacksim (in process, HTTP on loopback), the goclouds driver's GetNode")
	p("against gophercloud's servers.Get at the same microversion, alternating, %d gets each", r.n)
	p("(`go test -bench %s -benchtime %s %s`):", openstackBench.name, r.benchtime, openstackBench.pkg)
	p("")
	p("| Measure | goclouds openstack | gophercloud | goclouds / gophercloud |")
	p("|---|---:|---:|---:|")
	p("| wall per get (ms) | %s | %s | %.2f× |", num(r.driverMS, 3), num(r.baseMS, 3), r.ratio)
}
