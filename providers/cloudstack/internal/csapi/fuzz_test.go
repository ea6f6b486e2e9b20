package csapi

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzEncode compares Encode with an independent rendering of Java's
// URLEncoder (Go's query escaping with its differences undone).
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"my vm*+~/é", "a b", "*.example.com", "[0].key", "\x00", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.NewReplacer("+", "%20", "%2A", "*", "~", "%7E").Replace(url.QueryEscape(s))
		if got := Encode(s); got != want {
			t.Fatalf("Encode(%q) = %q, want %q", s, got, want)
		}
		back, err := url.QueryUnescape(Encode(s))
		if err != nil || back != s {
			t.Fatalf("Encode(%q) does not decode back: %q %v", s, back, err)
		}
	})
}
