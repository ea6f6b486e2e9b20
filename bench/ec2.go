package main

import "fmt"

// The EC2 benchmarks, on ec2sim in a child process (so CPU time and heap
// are the client's): providers/ec2's BenchmarkGetNode gets one instance
// with the driver's GetNode and with the SDK's DescribeInstances, in
// alternation; BenchmarkListNodes10000 lists 10,000 instances streaming
// (IterNodes) and in full (ListNodes) and compares their peak heaps.
const (
	// wlEC2 is their workload group (-only ec2).
	wlEC2 = "ec2"
	// ec2GetTarget is the limit on driver / SDK wall and CPU time per get.
	ec2GetTarget = 1.15
	// ec2ListTarget is the limit on the streaming / full peak heap.
	ec2ListTarget = 0.2
	// ec2OpsPerRound is how many gets each side does a round.
	ec2OpsPerRound = 1000
	// ec2Pkg is the benchmarks' package.
	ec2Pkg = "./providers/ec2/"
	// ec2GetBench and ec2ListBench are the benchmarks' names.
	ec2GetBench, ec2ListBench = "BenchmarkGetNode", "BenchmarkListNodes10000"
)

// ec2Get is what BenchmarkGetNode reported: the gets each side did, the
// wall and CPU time per get of each side (µs) and the driver / SDK ratios.
type ec2Get struct {
	n                                 int
	driverUS, sdkUS, cpuDrvUS, cpuSDK float64
	wall, cpu                         float64
	benchtime                         string
}

// parseEC2Get reads BenchmarkGetNode's line from go test's output.
func parseEC2Get(out []byte) (*ec2Get, error) {
	n, v, err := benchMetrics(out, ec2GetBench, "us-driver/op", "us-sdk/op", "us-cpu-driver/op", "us-cpu-sdk/op",
		"wall-driver/sdk", "cpu-driver/sdk")
	if err != nil {
		return nil, err
	}
	return &ec2Get{n: n, driverUS: v[0], sdkUS: v[1], cpuDrvUS: v[2], cpuSDK: v[3], wall: v[4], cpu: v[5]}, nil
}

// ec2List is what BenchmarkListNodes10000 reported: the listings of each
// kind, the peak heap of each (MiB) and streaming / full.
type ec2List struct {
	n                  int
	streamMiB, fullMiB float64
	ratio              float64
	benchtime          string
}

// parseEC2List reads BenchmarkListNodes10000's line from go test's output.
func parseEC2List(out []byte) (*ec2List, error) {
	n, v, err := benchMetrics(out, ec2ListBench, "MiB-stream", "MiB-full", "stream/full")
	if err != nil {
		return nil, err
	}
	return &ec2List{n: n, streamMiB: v[0], fullMiB: v[1], ratio: v[2]}, nil
}

// runEC2 runs both benchmarks (gets: ec2OpsPerRound a round; listings: one
// a round) and keeps their results; nothing when -only leaves them out.
func (b *bench) runEC2() error {
	if !b.cfg.want(wlEC2) {
		return nil
	}
	benchtime := fmt.Sprintf("%dx", b.cfg.rounds*ec2OpsPerRound)
	out, err := b.goTest(wlEC2, ec2GetBench, ec2Pkg, benchtime)
	if err != nil {
		return err
	}
	if b.ec2Get, err = parseEC2Get(out); err != nil {
		return err
	}
	b.ec2Get.benchtime = benchtime
	benchtime = fmt.Sprintf("%dx", b.cfg.rounds)
	if out, err = b.goTest(wlEC2, ec2ListBench, ec2Pkg, benchtime); err != nil {
		return err
	}
	if b.ec2List, err = parseEC2List(out); err != nil {
		return err
	}
	b.ec2List.benchtime = benchtime
	return nil
}

// ec2Section renders the benchmarks' tables (nothing for one that did not
// run), each after a blank line.
func (b *bench) ec2Section(p func(format string, args ...any)) {
	if g := b.ec2Get; g != nil {
		p("")
		p("EC2: getting one instance from ec2sim (in a child process, HTTP on loopback), the goclouds driver's GetNode")
		p("against the SDK's DescribeInstances on the driver's own client, alternating, %d gets each", g.n)
		p("(`go test -bench %s -benchtime %s %s`):", ec2GetBench, g.benchtime, ec2Pkg)
		p("")
		p("| Measure | goclouds ec2 | aws-sdk-go-v2 | goclouds / SDK |")
		p("|---|---:|---:|---:|")
		p("| wall per get (µs) | %s | %s | %.2f× |", num(g.driverUS, 0), num(g.sdkUS, 0), g.wall)
		p("| client CPU per get (µs) | %s | %s | %.2f× |", num(g.cpuDrvUS, 0), num(g.cpuSDK, 0), g.cpu)
	}
	if l := b.ec2List; l != nil {
		p("")
		p("EC2: listing 10,000 instances from ec2sim (in a child process), streaming (IterNodes, 250 a page) and in")
		p("full (ListNodes, 1,000 a page), %d listings each (`go test -bench %s -benchtime %s %s`):", l.n, ec2ListBench, l.benchtime, ec2Pkg)
		p("")
		p("| Measure | streaming (IterNodes) | full list (ListNodes) | streaming / full |")
		p("|---|---:|---:|---:|")
		p("| peak heap (MiB, sampled every ms) | %s | %s | %.3f× |", num(l.streamMiB, 1), num(l.fullMiB, 1), l.ratio)
	}
}

// ec2Targets adds the benchmarks' targets with add (as targets does).
func (b *bench) ec2Targets(add func(what, limit string, v float64, ok bool, max float64, format string)) {
	var wall, cpu, heap float64
	if b.ec2Get != nil {
		wall, cpu = b.ec2Get.wall, b.ec2Get.cpu
	}
	if b.ec2List != nil {
		heap = b.ec2List.ratio
	}
	limit := fmt.Sprintf("≤ %.2f×", ec2GetTarget)
	add("EC2: get an instance on ec2sim, wall time, goclouds driver / SDK", limit, wall, b.ec2Get != nil, ec2GetTarget, "%.2f×")
	add("EC2: get an instance on ec2sim, client CPU, goclouds driver / SDK", limit, cpu, b.ec2Get != nil, ec2GetTarget, "%.2f×")
	add("EC2: list 10,000 instances on ec2sim, peak heap, streaming / full", fmt.Sprintf("≤ %.2f×", ec2ListTarget), heap,
		b.ec2List != nil, ec2ListTarget, "%.3f×")
}
