package cloudstack_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/coveragegen/coverage"
)

// TestCoverageDocUpToDate regenerates docs/cloudstack-coverage.md in memory
// and fails when the committed file differs, so that the report stays true
// as methods and simulator commands are added.
func TestCoverageDocUpToDate(t *testing.T) {
	root, err := coverage.RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	want, err := coverage.Generate(filepath.Join(root, "providers", "cloudstack"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "docs", "cloudstack-coverage.md"))
	if err != nil {
		t.Fatalf("%v: run go generate ./providers/cloudstack", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		g, w := "", ""
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("docs/cloudstack-coverage.md is stale: run go generate ./providers/cloudstack\nline %d is\n\t%s\nwant\n\t%s", i+1, g, w)
		}
	}
}
