// Command simdoc regenerates the command table of docs/simulator.md from the
// embedded listApis spec and the simulator's command registry. Run it with
// `go generate ./providers/cloudstack/cloudstacksim`.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/internal/docsplice"
)

// Markers delimiting the generated part of docs/simulator.md.
const (
	beginMarker = "<!-- BEGIN GENERATED COMMAND TABLE (go generate ./providers/cloudstack/cloudstacksim) -->"
	endMarker   = "<!-- END GENERATED COMMAND TABLE -->"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: simdoc path/to/docs/simulator.md")
		os.Exit(2)
	}
	if err := update(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "simdoc:", err)
		os.Exit(1)
	}
}

// update rewrites the generated part of the file at path.
func update(path string) error {
	table, err := render()
	if err != nil {
		return err
	}
	return docsplice.Update(path, beginMarker, endMarker, table)
}

// splice replaces the text between the markers with a fresh table.
func splice(doc []byte) ([]byte, error) {
	table, err := render()
	if err != nil {
		return nil, err
	}
	return docsplice.Splice(doc, beginMarker, endMarker, table)
}

// render returns the Markdown of the command table.
func render() (string, error) {
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		return "", err
	}
	infos := map[string]cloudstacksim.CommandInfo{}
	async := 0
	for _, ci := range cloudstacksim.Commands() {
		infos[ci.Name] = ci
		if ci.Async {
			async++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe simulator implements **%d of the %d commands** of the CloudStack 4.18 spec (%d of them async).\n",
		len(infos), len(spec.Commands), async)
	b.WriteString("Every other command of the spec answers as on a server where the caller's role lacks it: HTTP 401,\n")
	b.WriteString("`The given command '<name>' either does not exist, is not available for user.`\n\n")
	b.WriteString("### Implemented commands\n\n")
	b.WriteString("| Command | Kind | Envelope | Result object |\n| --- | --- | --- | --- |\n")
	for _, name := range spec.Names() {
		ci, ok := infos[name]
		if !ok {
			continue
		}
		kind := "sync"
		switch {
		case ci.Create:
			kind = "async, `{id, jobid}`"
		case ci.Async:
			kind = "async, `{jobid}`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | `%s` |\n", ci.Name, kind, ci.ResponseName, ci.ItemKey)
	}
	b.WriteString("\n### Commands of the spec not implemented\n\n")
	var missing []string
	for _, name := range spec.Names() {
		if _, ok := infos[name]; !ok {
			missing = append(missing, "`"+name+"`")
		}
	}
	fmt.Fprintf(&b, "%d commands: %s.\n\n", len(missing), strings.Join(missing, ", "))
	return b.String(), nil
}
