package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
)

// The vSphere overhead benchmark: providers/vsphere's BenchmarkListNodes1000
// lists 1,000 VMs on vcsim (in process, over TLS on loopback) with the
// driver's ListNodes and with govmomi directly, in alternation.
const (
	// wlVSphere is its workload group (-only vsphere).
	wlVSphere = "vsphere"
	// vsphereBench is the go test benchmark and package that measure it.
	vsphereBench, vspherePkg = "BenchmarkListNodes1000", "./providers/vsphere/"
	// vsphereTarget is the limit on driver / govmomi wall time.
	vsphereTarget = 1.2
)

// vsphereResult is what the benchmark reported: the listings it timed, the
// wall time per listing of each side and their ratio.
type vsphereResult struct {
	n                   int
	driverMS, govmomiMS float64
	ratio               float64
	// benchtime is the -benchtime it ran with.
	benchtime string
}

// vsphereMetric matches one custom metric of the benchmark's line.
var vsphereMetric = regexp.MustCompile(`([0-9.]+) (ms-driver/op|ms-govmomi/op|driver/govmomi)`)

// parseVSphereBench reads the benchmark's result line from go test's
// output.
func parseVSphereBench(out []byte) (*vsphereResult, error) {
	line := regexp.MustCompile(`(?m)^` + vsphereBench + `(?:-\d+)?\s+(\d+)\s.*$`).FindSubmatch(out)
	if line == nil {
		return nil, fmt.Errorf("no %s result in:\n%s", vsphereBench, out)
	}
	r := &vsphereResult{}
	r.n, _ = strconv.Atoi(string(line[1]))
	seen := 0
	for _, m := range vsphereMetric.FindAllSubmatch(line[0], -1) {
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return nil, err
		}
		switch string(m[2]) {
		case "ms-driver/op":
			r.driverMS = v
		case "ms-govmomi/op":
			r.govmomiMS = v
		case "driver/govmomi":
			r.ratio = v
		}
		seen++
	}
	if seen != 3 || r.n == 0 {
		return nil, fmt.Errorf("%s: incomplete result line %q", vsphereBench, line[0])
	}
	return r, nil
}

// runVSphere runs the benchmark with go test (-benchtime: one listing
// each a round) and keeps its result.
func (b *bench) runVSphere() error {
	if !b.cfg.want(wlVSphere) {
		return nil
	}
	benchtime := fmt.Sprintf("%dx", b.cfg.rounds)
	args := []string{"test", "-run", "^$", "-bench", "^" + vsphereBench + "$", "-benchtime", benchtime, "-count", "1", vspherePkg}
	b.logf("vSphere: %s %v", b.cfg.gobin, args)
	cmd := exec.Command(b.cfg.gobin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("vSphere benchmark: %w\n%s", err, out.Bytes())
	}
	r, err := parseVSphereBench(out.Bytes())
	if err != nil {
		return err
	}
	r.benchtime = benchtime
	b.vsphere = r
	return nil
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
	p("(`go test -bench %s -benchtime %s %s`):", vsphereBench, r.benchtime, vspherePkg)
	p("")
	p("| Measure | goclouds vsphere | govmomi | goclouds / govmomi |")
	p("|---|---:|---:|---:|")
	p("| wall per listing (ms) | %s | %s | %.2f× |", num(r.driverMS, 0), num(r.govmomiMS, 0), r.ratio)
}
