//go:build ignore

package drv

func (d *Driver) Ignored() error { return d.call("listNetworks") }
