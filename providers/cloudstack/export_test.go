package cloudstack

import "time"

// SetCatalogClock replaces the clock of d's catalogue cache.
func SetCatalogClock(d *Driver, now func() time.Time) { d.now = now }
