package drv

import "strings"

// Driver is a miniature of the cloudstack driver for the scanner's tests.
type Driver struct{}

// Other has a method named like a Driver method.
type Other struct{}

var actions = map[string]string{"reboot": "rebootVirtualMachine"}

const listCommand = "listZones"

func (d *Driver) call(command string) error { return nil }

func (d *Driver) action(name string) error { return d.call(actions[name]) }

func listAll(d *Driver, command string) error { return d.call(command) }

// Direct sends a literal.
func (d *Driver) Direct() error { return d.call("deployVirtualMachine") }

// ViaHelper reaches a command through a helper and a package map.
func (d *Driver) ViaHelper() error { return d.action("reboot") }

// ViaConst reaches a command through a constant and a generic-free function.
func (d *Driver) ViaConst() error { return listAll(d, listCommand) }

// Compared only tests a command name, it sends another.
func (d *Driver) Compared(c string) error {
	if c == "destroyVirtualMachine" {
		return nil
	}
	switch strings.ToLower(c) {
	case "expungeVirtualMachine":
		return nil
	}
	return d.call("startVirtualMachine")
}

// Closure sends from a closure and calls another exported method.
func (d *Driver) Closure() error {
	f := func() error { return d.call("stopVirtualMachine") }
	if err := f(); err != nil {
		return err
	}
	return d.Direct()
}

// MethodValue passes a method as a value.
func (d *Driver) MethodValue() func() error { return d.Direct }

// Nothing sends no command; "not a command" is no command either.
func (d *Driver) Nothing() string { return "listvirtualmachines" }

// Direct on Other is not reached from Driver methods through d.
func (o *Other) Direct() error { return (&Driver{}).call("listVolumes") }

func (d *Driver) unexported() error { return d.call("listTemplates") }
