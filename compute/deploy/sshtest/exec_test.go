package sshtest

import (
	"slices"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for in, want := range map[string][]string{
		`scp -p -t 'it'\''s here'`: {"scp", "-p", "-t", "it's here"},
		`a  "b \" c" d\ e ''`:      {"a", `b " c`, "d e", ""},
		"":                         nil,
	} {
		if got := splitWords(in); !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) = %q, want %q", in, got, want)
		}
	}
}
