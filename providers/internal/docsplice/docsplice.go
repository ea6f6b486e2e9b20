// Package docsplice rewrites the generated part of a document (the text
// between a begin and an end marker), so that generators keep a section of
// a hand-written page such as docs/simulator.md current and their tests can
// tell when it is stale.
package docsplice

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// Splice returns doc with the text between begin and end replaced by
// "\n" + content; the markers stay.
func Splice(doc []byte, begin, end, content string) ([]byte, error) {
	s := string(doc)
	i := strings.Index(s, begin)
	if i < 0 {
		return nil, fmt.Errorf("marker %q not found", begin)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return nil, fmt.Errorf("marker %q not found after %q", end, begin)
	}
	return []byte(s[:i+len(begin)] + "\n" + content + s[i+j:]), nil
}

// Update splices content into the file at path, writing it only when it
// changes.
func Update(path, begin, end, content string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := Splice(doc, begin, end, content)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(out, doc) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}
