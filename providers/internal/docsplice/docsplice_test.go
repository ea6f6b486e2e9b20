package docsplice

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSplice(t *testing.T) {
	doc := []byte("intro\n<!-- B -->\nold\n<!-- E -->\nrest\n")
	got, err := Splice(doc, "<!-- B -->", "<!-- E -->", "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "intro\n<!-- B -->\nnew\n<!-- E -->\nrest\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := Splice(doc, "<!-- X -->", "<!-- E -->", ""); err == nil {
		t.Error("no error without the begin marker")
	}
	if _, err := Splice([]byte("<!-- E --> <!-- B -->"), "<!-- B -->", "<!-- E -->", ""); err == nil {
		t.Error("no error with the end marker only before the begin marker")
	}
}

func TestUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte("<!-- B -->\nold\n<!-- E -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Update(path, "<!-- B -->", "<!-- E -->", "new\n"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "<!-- B -->\nnew\n<!-- E -->\n" {
		t.Fatalf("file: %q", got)
	}
	if err := Update(filepath.Join(t.TempDir(), "missing.md"), "a", "b", ""); err == nil {
		t.Error("no error for a missing file")
	}
}
