package cloudstacksim

import (
	"testing"
)

type testEntity struct{ base }

func TestTable_InsertRemoveOrder(t *testing.T) {
	tb := newTable[*testEntity]()
	var all []*testEntity
	for i := 1; i <= 10; i++ {
		e := &testEntity{base{id: newUUID(), seq: uint64(i)}}
		tb.insert(e)
		all = append(all, e)
	}
	tb.remove(all[0].id)
	tb.remove(all[5].id)
	tb.remove(all[9].id)
	tb.remove("missing")
	want := []uint64{2, 3, 4, 5, 7, 8, 9}
	if tb.len() != len(want) {
		t.Fatalf("len %d", tb.len())
	}
	for i, e := range tb.list {
		if e.seq != want[i] {
			t.Fatalf("order %d: seq %d, want %d", i, e.seq, want[i])
		}
		if got, ok := tb.get(e.id); !ok || got != e {
			t.Fatalf("get %s", e.id)
		}
	}
	if _, ok := tb.get(all[5].id); ok {
		t.Fatal("removed entity still found")
	}
}

func TestUUID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		u := newUUID()
		if !isUUID(u) || u[14] != '4' || seen[u] {
			t.Fatalf("bad or repeated uuid %q", u)
		}
		seen[u] = true
	}
	for _, s := range []string{"", "ABCDEF00-0000-4000-8000-000000000000", "123", "00000000-0000-4000-8000-00000000000g"} {
		if isUUID(s) {
			t.Errorf("isUUID(%q)", s)
		}
	}
}

func TestJavaURLEncode(t *testing.T) {
	for in, want := range map[string]string{
		"a b":          "a%20b",
		"*.-_":         "*.-_",
		"~+/=":         "%7E%2B%2F%3D",
		"é":            "%C3%A9",
		"\xff":         "%EF%BF%BD",
		"tags[0].key":  "tags%5B0%5D.key",
		"AZaz09":       "AZaz09",
		"100%":         "100%25",
		"a&b=c":        "a%26b%3Dc",
		"\u4e16":       "%E4%B8%96",
		"\U0001F600":   "%F0%9F%98%80",
		"line\nbreak":  "line%0Abreak",
		"quote\"'semi": "quote%22%27semi",
	} {
		if got := javaURLEncode(in); got != want {
			t.Errorf("javaURLEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAuthorizedKey(t *testing.T) {
	if _, _, _, ok := parseAuthorizedKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host"); !ok {
		t.Error("ed25519 key rejected")
	}
	for _, bad := range []string{"", "ssh-rsa", "ssh-rsa !!!", "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQCy", "ssh-foo AAAA"} {
		if _, _, _, ok := parseAuthorizedKey(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}
