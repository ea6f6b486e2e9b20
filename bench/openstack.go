package main

import "fmt"

// The OpenStack benchmarks: providers/openstack's BenchmarkGetNode gets one
// server from openstacksim (in process, HTTP on loopback) with the driver's
// GetNode and with gophercloud's servers.Get directly, in alternation;
// BenchmarkListNodes10000 lists 10,000 servers on openstacksim in a child
// process with the driver's ListNodes and with gophercloud's
// servers.List(...).AllPages, in alternation, and measures the peak heap of
// streaming them (IterNodes) against ListNodes.
const (
	// wlOpenStack is their workload group (-only openstack).
	wlOpenStack = "openstack"
	// openstackTarget is the limit on driver / gophercloud wall
	// time.
	openstackTarget = 1.15
	// openstackStreamTarget is the limit on the streaming / full listing
	// peak heap.
	openstackStreamTarget = 0.2
	// openstackOpsPerRound is how many gets each side does a round.
	openstackOpsPerRound = 1000
)

// The listing benchmark's extra metrics.
const (
	osCPUDriver   = "ms-cpu-driver/op"
	osCPUBase     = "ms-cpu-gophercloud/op"
	osCPURatio    = "cpu-driver/gophercloud"
	osHeapStream  = "MiB-stream"
	osHeapFull    = "MiB-full"
	osStreamRatio = "stream/full"
)

// openstackBench and openstackListBench are the go test benchmarks that
// measure them.
var (
	openstackBench     = goBench{group: wlOpenStack, name: "BenchmarkGetNode", pkg: "./providers/openstack/", base: "gophercloud"}
	openstackListBench = goBench{group: wlOpenStack, name: "BenchmarkListNodes10000", pkg: "./providers/openstack/", base: "gophercloud",
		extra: []string{osCPUDriver, osCPUBase, osCPURatio, osHeapStream, osHeapFull, osStreamRatio}}
)

// runOpenStack runs the benchmarks (the listing once a round) and keeps
// their results.
func (b *bench) runOpenStack() (err error) {
	if b.openstack, err = b.runGoBench(openstackBench, b.cfg.rounds*openstackOpsPerRound); err != nil {
		return err
	}
	b.openstackList, err = b.runGoBench(openstackListBench, b.cfg.rounds)
	return err
}

// openstackSection renders the benchmarks' tables (nothing for one that did
// not run), each after a blank line.
func (b *bench) openstackSection(p func(format string, args ...any)) {
	if r := b.openstack; r != nil {
		p("")
		p("OpenStack: getting one server from openstacksim (in process, HTTP on loopback), the goclouds driver's GetNode")
		p("against gophercloud's servers.Get at the same microversion, alternating, %d gets each", r.n)
		p("(`go test -bench %s -benchtime %s %s`):", openstackBench.name, r.benchtime, openstackBench.pkg)
		p("")
		p("| Measure | goclouds openstack | gophercloud | goclouds / gophercloud |")
		p("|---|---:|---:|---:|")
		p("| wall per get (ms) | %s | %s | %.2f× |", num(r.driverMS, 3), num(r.baseMS, 3), r.ratio)
	}
	if r := b.openstackList; r != nil {
		p("")
		p("OpenStack: listing 10,000 servers on openstacksim (in a child process, so CPU and heap are the client's), the")
		p("goclouds driver's ListNodes against gophercloud's servers.List(...).AllPages and ExtractServers (Nova's pages of")
		p("1,000), alternating, %d listings each; then streaming them (IterNodes, pages of 100, each node dropped) against", r.n)
		p("ListNodes (`go test -bench %s -benchtime %s %s`):", openstackListBench.name, r.benchtime, openstackListBench.pkg)
		p("")
		p("| Measure | goclouds openstack | gophercloud | goclouds / gophercloud |")
		p("|---|---:|---:|---:|")
		p("| wall per listing (ms) | %s | %s | %.2f× |", num(r.driverMS, 0), num(r.baseMS, 0), r.ratio)
		p("| client CPU per listing (ms) | %s | %s | %.2f× |", num(r.extra[osCPUDriver], 0), num(r.extra[osCPUBase], 0), r.extra[osCPURatio])
		p("")
		p("| Measure | streaming (IterNodes) | full list (ListNodes) | streaming / full |")
		p("|---|---:|---:|---:|")
		p("| peak heap (MiB, sampled every ms) | %s | %s | %.3f× |", num(r.extra[osHeapStream], 1), num(r.extra[osHeapFull], 1), r.extra[osStreamRatio])
	}
}

// openstackTargets adds the benchmarks' rows to the targets table.
func (b *bench) openstackTargets(add func(what, limit string, v float64, ok bool, max float64, format string)) {
	var r float64
	if b.openstack != nil {
		r = b.openstack.ratio
	}
	add("OpenStack: get a server on openstacksim, wall time, goclouds driver / gophercloud", fmt.Sprintf("≤ %.2f×", openstackTarget), r, b.openstack != nil, openstackTarget, "%.2f×")
	l := b.openstackList
	r = 0
	if l != nil {
		r = l.ratio
	}
	add("OpenStack: list 10,000 servers on openstacksim, wall time, goclouds driver / gophercloud", fmt.Sprintf("≤ %.2f×", openstackTarget), r, l != nil, openstackTarget, "%.2f×")
	r = 0
	if l != nil {
		r = l.extra[osStreamRatio]
	}
	add("OpenStack: list 10,000 servers: peak heap, streaming / full list", fmt.Sprintf("< %.2f×", openstackStreamTarget), r, l != nil, openstackStreamTarget, "%.3f×")
}
