package drv

func (d *Driver) TestOnly() error { return d.call("listNetworks") }
