// Command coveragegen regenerates the tables of docs/ec2-coverage.md: for
// each operation of the EC2 API model that ec2sim embeds (botocore's), the
// typed methods of the ec2 driver that call it and whether ec2sim
// implements it, with the totals. Run it with `go generate ./providers/ec2`.
//
// The driver's operations come from a go/ast scan of providers/ec2's
// non-test files (see scanDriver): the SDK calls each function and method
// makes (d.client.Op, d.Client().Op, c.api.Op, ec2.NewOpPaginator), and the
// package's functions and methods each exported *Driver method reaches. A
// scan needs no server and sees every branch; it may over-approximate (a
// helper reached by several methods lends them all its operations). The
// simulator's operations are its registry, ec2sim.Implemented.
package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/internal/docsplice"
)

// Markers delimiting the generated part of docs/ec2-coverage.md.
const (
	beginMarker = "<!-- BEGIN GENERATED EC2 COVERAGE (go generate ./providers/ec2) -->"
	endMarker   = "<!-- END GENERATED EC2 COVERAGE -->"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: coveragegen path/to/providers/ec2 path/to/docs/ec2-coverage.md")
		os.Exit(2)
	}
	table, err := render(os.Args[1])
	if err == nil {
		err = docsplice.Update(os.Args[2], beginMarker, endMarker, table)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "coveragegen:", err)
		os.Exit(1)
	}
}

// render returns the Markdown of the coverage of the driver package in
// driverDir: totals, the operations of each method, every operation.
func render(driverDir string) (string, error) {
	m, err := ec2sim.LoadModel()
	if err != nil {
		return "", err
	}
	methods, err := scanDriver(driverDir, func(s string) bool { return m.Operations[s] != nil })
	if err != nil {
		return "", err
	}
	return markdown(m.OperationNames(), methods, ec2sim.Implemented()), nil
}

// markdown renders the coverage of ops (sorted) by methods (method ->
// operations) and by the simulator's operations simulated.
func markdown(ops []string, methods map[string][]string, simulated []string) string {
	byOp := map[string][]string{}
	for meth, called := range methods {
		for _, op := range called {
			byOp[op] = append(byOp[op], meth)
		}
	}
	typed, sim, both := 0, 0, 0
	for _, op := range ops {
		t, s := len(byOp[op]) > 0, slices.Contains(simulated, op)
		if t {
			typed++
		}
		if s {
			sim++
		}
		if t && s {
			both++
		}
	}
	pct := func(n int) string { return fmt.Sprintf("%.1f %%", 100*float64(n)/float64(max(len(ops), 1))) }
	var b strings.Builder
	fmt.Fprintf(&b, "\n| | Operations | Of %d |\n|---|---:|---:|\n", len(ops))
	fmt.Fprintf(&b, "| Typed driver methods | %d | %s |\n", typed, pct(typed))
	fmt.Fprintf(&b, "| ec2sim | %d | %s |\n", sim, pct(sim))
	fmt.Fprintf(&b, "| Typed and simulated | %d | %s |\n", both, pct(both))
	fmt.Fprintf(&b, "| `Client()` only (the SDK's client) | %d | %s |\n\n", len(ops)-typed, pct(len(ops)-typed))
	fmt.Fprintf(&b, "%d exported methods of `*ec2.Driver` call EC2 operations.\n\n", len(methods))

	b.WriteString("## Driver methods\n\n| Method | Operations |\n|---|---|\n")
	names := make([]string, 0, len(methods))
	for meth := range methods {
		names = append(names, meth)
	}
	slices.Sort(names)
	for _, meth := range names {
		fmt.Fprintf(&b, "| `%s` | %s |\n", meth, codeList(methods[meth]))
	}

	b.WriteString("\n## Operations\n\n| Operation | Driver methods | ec2sim |\n|---|---|---|\n")
	for _, op := range ops {
		ms := byOp[op]
		slices.Sort(ms)
		s := ""
		if slices.Contains(simulated, op) {
			s = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", op, codeList(ms), s)
	}
	b.WriteString("\n")
	return b.String()
}

// codeList renders names as comma-separated code spans.
func codeList(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "`" + n + "`"
	}
	return strings.Join(parts, ", ")
}
