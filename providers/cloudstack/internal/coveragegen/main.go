// Command coveragegen writes docs/cloudstack-coverage.md: for each of the
// 705 commands of the CloudStack 4.18 API spec (listApis.json), the typed
// methods of the cloudstack driver that send it and whether the simulator
// implements it, with the totals at the top.
//
// It runs from `go generate ./providers/cloudstack` (see
// providers/cloudstack/coverage_generate.go) and finds the repository root
// by walking up to go.mod. The spec is the copy the simulator embeds
// (cloudstacksim/apispec, gzip of ../shared/cloudstack-api/listApis.json;
// a test checks they are identical when ../shared is present), so the report
// also builds on a machine without the shared material.
//
// Where the data comes from, and why (package coverage has the details):
//
//   - Simulator: its command registry, cloudstacksim.ImplementedCommands.
//   - Driver: a go/ast scan of providers/cloudstack's non-test files. Every
//     string literal that is exactly a command name of the spec belongs to
//     the declaration holding it; an exported *Driver method sends the
//     commands of everything it reaches through the package's functions,
//     methods and variables. A scan needs no server, is deterministic, and
//     sees every branch of a method, where a recorded run would see only the
//     branches a test takes. What a scan could miss (a command name built at
//     run time) is caught by spec_params_test.go, which runs every method
//     against the simulator and fails when a method sends a command the scan
//     did not attribute to it.
//
// Flags: -o sets the output file (default docs/cloudstack-coverage.md under
// the repository root).
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/coveragegen/coverage"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("coveragegen: ")
	root, err := coverage.RepoRoot(".")
	if err != nil {
		log.Fatal(err)
	}
	out := flag.String("o", filepath.Join(root, "docs", "cloudstack-coverage.md"), "output file")
	flag.Parse()
	doc, err := coverage.Generate(filepath.Join(root, "providers", "cloudstack"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		log.Fatal(err)
	}
}
