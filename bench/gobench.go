package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
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
	n, v, err := benchMetrics(out, g.name, append([]string{"ms-driver/op", "ms-" + g.base + "/op", "driver/" + g.base}, g.extra...)...)
	if err != nil {
		return nil, err
	}
	r := &goBenchResult{n: n, driverMS: v[0], baseMS: v[1], ratio: v[2], extra: make(map[string]float64, len(g.extra))}
	for i, u := range g.extra {
		r.extra[u] = v[3+i]
	}
	return r, nil
}

// benchMetrics reads benchmark name's result line from go test's output:
// the operations it timed and the values of the metrics units, in order;
// an error when the line or any of the metrics is missing.
func benchMetrics(out []byte, name string, units ...string) (int, []float64, error) {
	line := regexp.MustCompile(`(?m)^` + name + `(?:-\d+)?\s+(\d+)\s.*$`).FindSubmatch(out)
	if line == nil {
		return 0, nil, fmt.Errorf("no %s result in:\n%s", name, out)
	}
	n, _ := strconv.Atoi(string(line[1]))
	vals := make([]float64, len(units))
	seen := 0
	for _, m := range regexp.MustCompile(`([0-9.]+) (\S+)`).FindAllSubmatch(line[0], -1) {
		i := slices.Index(units, string(m[2]))
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			return 0, nil, err
		}
		vals[i] = v
		seen++
	}
	if seen != len(units) || n == 0 {
		return 0, nil, fmt.Errorf("%s: incomplete result line %q", name, line[0])
	}
	return n, vals, nil
}

// runGoBench runs g with go test (-benchtime: ops operations) and returns
// its result; nil when -only leaves it out.
func (b *bench) runGoBench(g goBench, ops int) (*goBenchResult, error) {
	if !b.cfg.want(g.group) {
		return nil, nil
	}
	benchtime := fmt.Sprintf("%dx", ops)
	out, err := b.goTest(g.group, g.name, g.pkg, benchtime)
	if err != nil {
		return nil, err
	}
	r, err := g.parse(out)
	if err != nil {
		return nil, err
	}
	r.benchtime = benchtime
	return r, nil
}

// goTest runs benchmark name of package pkg once with go test at
// benchtime and returns its output.
func (b *bench) goTest(group, name, pkg, benchtime string) ([]byte, error) {
	args := []string{"test", "-run", "^$", "-bench", "^" + name + "$", "-benchtime", benchtime, "-count", "1", pkg}
	b.logf("%s: %s %v", group, b.cfg.gobin, args)
	cmd := exec.Command(b.cfg.gobin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s benchmark: %w\n%s", group, err, out.Bytes())
	}
	return out.Bytes(), nil
}
