package cloudstacksim_test

import (
	"fmt"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

func TestSpec_Embedded(t *testing.T) {
	spec, err := cloudstacksim.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(spec.Commands); n != 705 {
		t.Fatalf("%d commands, want 705", n)
	}
	async := 0
	for _, c := range spec.Commands {
		if c.IsAsync {
			async++
		}
	}
	if async != 318 {
		t.Errorf("%d async commands, want 318", async)
	}
	d := spec.Command("deployVirtualMachine")
	if d == nil || !d.IsAsync || d.Param("userdata").Length != 1048576 || !d.Param("zoneid").Required {
		t.Errorf("deployVirtualMachine: %+v", d)
	}
	if spec.Command("deployvirtualmachine") != nil {
		t.Error("command lookup must be case-sensitive")
	}
}

// TestSpec_MissingParameters checks the generic validation of every
// implemented command: without parameters, each command with a required
// parameter answers the real "missing parameter" error.
func TestSpec_MissingParameters(t *testing.T) {
	c := newSim(t, nil)
	spec := c.sim.Spec()
	implemented := cloudstacksim.ImplementedCommands()
	if len(implemented) < 80 {
		t.Fatalf("only %d commands implemented", len(implemented))
	}
	for _, name := range implemented {
		cmd := spec.Command(name)
		if cmd == nil {
			t.Errorf("%s is not in the spec", name)
			continue
		}
		first := ""
		for _, p := range cmd.Params {
			if p.Required && first == "" {
				first = p.Name
			}
		}
		if name == "deployVirtualMachine" {
			first = "zoneid" // DeployVMCmd declares zoneid first
		}
		if first == "" {
			continue
		}
		status, env := c.call(name, nil)
		inner := innerOf(t, env)
		apiName := envelopeKey(env)
		apiName = apiName[:len(apiName)-len("response")]
		want := fmt.Sprintf("Unable to execute API command %s due to missing parameter %s", apiName, first)
		if status != 431 || inner["errortext"] != want {
			t.Errorf("%s: HTTP %d %v, want %q", name, status, inner["errortext"], want)
		}
	}
}
