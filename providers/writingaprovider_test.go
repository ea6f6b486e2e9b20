package providers_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWritingAProviderDocIsTheExample: the Go blocks of
// docs/writing-a-provider.md, put end to end, are thirdparty_example_test.go
// (blank lines, indentation and the file's "// ---" section markers aside),
// so that following the doc alone gives a provider that passes the
// conformance suite and runs as an example.
func TestWritingAProviderDocIsTheExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/writing-a-provider.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("thirdparty_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, b := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		blocks = append(blocks, b[1])
	}
	got, want := docLines(strings.Join(blocks, "\n")), docLines(string(src))
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("docs/writing-a-provider.md's Go blocks differ from thirdparty_example_test.go at its line %d of code:\ndoc:  %q\nfile: %q", i+1, g, w)
		}
	}
}

// docLines returns the lines of code, trimmed, without blank lines and the
// file's "// --- section ---" markers.
func docLines(s string) []string {
	var lines []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "// ---") {
			lines = append(lines, l)
		}
	}
	return lines
}
