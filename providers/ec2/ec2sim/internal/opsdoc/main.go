// Command opsdoc regenerates the list of the EC2 simulator's implemented
// actions in docs/simulator.md from the embedded EC2 model and the
// simulator's registry. Run it with `go generate ./providers/ec2/ec2sim`.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/internal/docsplice"
)

// Markers delimiting the generated part of docs/simulator.md.
const (
	beginMarker = "<!-- BEGIN GENERATED EC2 ACTION TABLE (go generate ./providers/ec2/ec2sim) -->"
	endMarker   = "<!-- END GENERATED EC2 ACTION TABLE -->"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: opsdoc path/to/docs/simulator.md")
		os.Exit(2)
	}
	table, err := render()
	if err == nil {
		err = docsplice.Update(os.Args[1], beginMarker, endMarker, table)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "opsdoc:", err)
		os.Exit(1)
	}
}

// render returns the Markdown of the action table: each implemented action
// with the members its input requires and whether it pages.
func render() (string, error) {
	m, err := ec2sim.LoadModel()
	if err != nil {
		return "", err
	}
	impl := ec2sim.Implemented()
	var b strings.Builder
	fmt.Fprintf(&b, "\nec2sim implements **%d of the %d operations** of the EC2 model (API version %s). Every other\n",
		len(impl), len(m.Operations), ec2sim.APIVersion)
	b.WriteString("operation is validated against its input shape, then answers `UnsupportedOperation` (HTTP 400).\n\n")
	b.WriteString("Paged actions take `MaxResults` and `NextToken`; a test checks that each of them applies EC2's bounds.\n\n")
	b.WriteString("| Action | Required parameters | Paged |\n| --- | --- | --- |\n")
	for _, name := range impl {
		op := m.Operations[name]
		required, paged := "-", "-"
		if in := op.Input; in != nil {
			var req []string
			for _, r := range in.Required {
				req = append(req, "`"+r+"`")
			}
			if len(req) > 0 {
				required = strings.Join(req, ", ")
			}
			if in.Members["NextToken"] != nil && in.Members["MaxResults"] != nil {
				paged = "yes"
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, required, paged)
	}
	b.WriteString("\n")
	return b.String(), nil
}
