package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// TestSpecGenUpToDate checks that spec_gen.go is what the generator writes
// from the embedded spec.
func TestSpecGenUpToDate(t *testing.T) {
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	want, err := render(spec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../spec_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("providers/cloudstack/internal/csapi/spec_gen.go is stale: run go generate ./providers/cloudstack/internal/csapi")
	}
	if !regexp.MustCompile(`"deployvirtualmachine": +true`).Match(want) || !regexp.MustCompile(`"listapis": +true`).Match(want) {
		t.Fatal("deployVirtualMachine is async and listApis does not page: the tables are wrong")
	}
}

// TestGoGenerateFreshCopy runs `go generate ./...` in a copy of the
// repository's tracked files, in a directory with no ../shared beside it (a
// fresh clone), and checks that it succeeds and changes nothing.
func TestGoGenerateFreshCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every generator")
	}
	root, err := filepath.Abs("../../../../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	ls := exec.Command("git", "ls-files", "-z")
	ls.Dir = root
	out, err := ls.Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v)", err)
	}
	copyDir := filepath.Join(t.TempDir(), "repo")
	if _, err := os.Stat(filepath.Join(copyDir, "..", "shared")); err == nil {
		t.Fatal("the copy has a ../shared")
	}
	var files []string
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(copyDir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	gen := exec.Command("go", "generate", "./...")
	gen.Dir = copyDir
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("go generate ./... in a fresh copy: %v\n%s", err, out)
	}
	for _, name := range files {
		want, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(copyDir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("go generate ./... changed %s (%v)", name, err)
		}
	}
}
