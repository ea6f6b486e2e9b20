package openstacksim_test

import (
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// TestManySeededServersPage: 1,100 seeded servers (more than one private
// /24 holds) all get distinct private addresses, and an unlimited detail
// listing comes in Nova's pages of MaxServerPage with a next link until
// the last.
func TestManySeededServersPage(t *testing.T) {
	const n = openstacksim.MaxServerPage + 100
	e := newEnv(t, &openstacksim.Options{Servers: n, KeyBits: 1024})
	seen := map[string]bool{}
	addrs := map[string]bool{}
	path := "/compute/v2.1/servers/detail"
	var pages []int
	for path != "" {
		st, out, _ := e.do("GET", path, "", "")
		if st != 200 {
			t.Fatalf("GET %s: %d %v", path, st, out)
		}
		list := out["servers"].([]any)
		pages = append(pages, len(list))
		for _, s := range list {
			sv := s.(map[string]any)
			seen[sv["id"].(string)] = true
			for _, a := range sv["addresses"].(map[string]any)["private"].([]any) {
				addrs[a.(map[string]any)["addr"].(string)] = true
			}
		}
		path = ""
		if links, ok := out["servers_links"].([]any); ok {
			href := links[0].(map[string]any)["href"].(string)
			path = href[strings.Index(href, "/compute/"):]
		}
	}
	if len(pages) != 2 || pages[0] != openstacksim.MaxServerPage || pages[1] != 100 {
		t.Errorf("pages of %v, want [%d 100]", pages, openstacksim.MaxServerPage)
	}
	if len(seen) != n || len(addrs) != n {
		t.Errorf("%d distinct servers with %d distinct addresses, want %d", len(seen), len(addrs), n)
	}
	if !addrs["10.0.4.3"] {
		t.Errorf("no server on the fifth /24 (10.0.4.3)")
	}
}
