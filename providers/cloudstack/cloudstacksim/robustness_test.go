package cloudstacksim_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// TestRobustness sends every implemented command with every parameter set
// to awkward values (special ids, empty, garbage, numbers, existing ids of
// the wrong kind) and checks that the simulator answers each with a
// well-formed envelope and never panics.
func TestRobustness(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := deploy(c, k, nil)
	values := []string{"-1", "", "x", "0", "true", "11111111-2222-4333-8444-555555555555", k.zone1, vm["id"].(string),
		strings.Repeat("a", 300), "1,2", "-5"}
	spec := c.sim.Spec()
	for _, name := range cloudstacksim.ImplementedCommands() {
		cmd := spec.Command(name)
		for _, val := range values {
			p := map[string]string{}
			for _, prm := range cmd.Params {
				if prm.Type == "map" {
					p[prm.Name+"[0].key"] = val
					p[prm.Name+"[0].value"] = val
					continue
				}
				p[prm.Name] = val
			}
			status, env := c.call(name, p)
			inner := innerOf(t, env)
			if status != http.StatusOK {
				if code, _ := inner["errorcode"].(float64); int(code) != status {
					t.Errorf("%s with %q: HTTP %d but errorcode %v", name, val, status, inner["errorcode"])
				}
			}
		}
	}
	if n := c.sim.PanicCount(); n != 0 {
		t.Fatalf("%d handler panics", n)
	}
}
