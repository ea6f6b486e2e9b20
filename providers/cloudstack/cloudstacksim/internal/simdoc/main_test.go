package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// TestDocUpToDate fails when docs/simulator.md's command table is stale.
func TestDocUpToDate(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "simulator.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := splice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(doc) {
		t.Fatal("docs/simulator.md is stale: run go generate ./providers/cloudstack/cloudstacksim")
	}
	if !strings.Contains(string(doc), "| `deployVirtualMachine` | async, `{id, jobid}` |") {
		t.Error("table lacks deployVirtualMachine")
	}
}

func TestSpliceNeedsMarkers(t *testing.T) {
	if _, err := splice([]byte("no markers")); err == nil {
		t.Fatal("no error without markers")
	}
}
