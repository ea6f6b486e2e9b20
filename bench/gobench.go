package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
)

// goBench is a go test benchmark that times a goclouds driver and the
// library it is built on (the base: "govmomi", "gophercloud") doing the
// same thing, in alternation, and reports three metrics: ms-driver/op,
// ms-<base>/op and driver/<base>, and any extra ones it names.
type goBench struct {
	// group is its -only workload group.
	group string
	// name and pkg are the benchmark and its package.
	name, pkg string
	// base is the library's name in the metrics.
	base string
	// extra are the other metrics (units) it must report.
	extra []string
}

// goBenchResult is what a goBench reported: the operations it timed, the
// wall time per operation of each side and their ratio.
type goBenchResult struct {
	n                int
	driverMS, baseMS float64
	ratio            float64
	// extra holds the values of the goBench's extra metrics by unit.
	extra map[string]float64
	// benchtime is the -benchtime it ran with.
	benchtime string
}

// parse reads the benchmark's result line from go test's output.
func (g goBench) parse(out []byte) (*goBenchResult, error) {
	line := regexp.MustCompile(`(?m)^` + g.name + `(?:-\d+)?\s+(\d+)\s.*$`).FindSubmatch(out)
	if line == nil {
		return nil, fmt.Errorf("no %s result in:\n%s", g.name, out)
	}
	r := &goBenchResult{extra: make(map[string]float64, len(g.extra))}
	r.n, _ = strconv.Atoi(string(line[1]))
	units := map[string]*float64{"ms-driver/op": &r.driverMS, "ms-" + g.base + "/op": &r.baseMS, "driver/" + g.base: &r.ratio}
	extra := make([]float64, len(g.extra))
	for i, u := range g.extra {
		units[u] = &extra[i]
	}
	seen := 0
	for _, m := range regexp.MustCompile(`([0-9.]+) (\S+)`).FindAllSubmatch(line[0], -1) {
		dst, ok := units[string(m[2])]
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return nil, err
		}
		*dst = v
		seen++
	}
	if seen != len(units) || r.n == 0 {
		return nil, fmt.Errorf("%s: incomplete result line %q", g.name, line[0])
	}
	for i, u := range g.extra {
		r.extra[u] = extra[i]
	}
	return r, nil
}

// runGoBench runs g with go test (-benchtime: ops operations) and returns
// its result; nil when -only leaves it out.
func (b *bench) runGoBench(g goBench, ops int) (*goBenchResult, error) {
	if !b.cfg.want(g.group) {
		return nil, nil
	}
	benchtime := fmt.Sprintf("%dx", ops)
	args := []string{"test", "-run", "^$", "-bench", "^" + g.name + "$", "-benchtime", benchtime, "-count", "1", g.pkg}
	b.logf("%s: %s %v", g.group, b.cfg.gobin, args)
	cmd := exec.Command(b.cfg.gobin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s benchmark: %w\n%s", g.group, err, out.Bytes())
	}
	r, err := g.parse(out.Bytes())
	if err != nil {
		return nil, err
	}
	r.benchtime = benchtime
	return r, nil
}
