package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/internal/docsplice"
)

// TestDocUpToDate fails when docs/simulator.md's EC2 action table is stale.
func TestDocUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "..", "docs", "simulator.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	table, err := render()
	if err != nil {
		t.Fatal(err)
	}
	want, err := docsplice.Splice(doc, beginMarker, endMarker, table)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(doc) {
		t.Fatal("docs/simulator.md is stale: run go generate ./providers/ec2/ec2sim")
	}
	if !strings.Contains(table, "| `DescribeInstances` | - | yes |") || !strings.Contains(table, "| `RunInstances` | `MaxCount`, `MinCount` | - |") {
		t.Errorf("table lacks DescribeInstances or RunInstances:\n%s", table)
	}
}
