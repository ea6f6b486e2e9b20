package cloudstack

import (
	"net/http"
	"net/url"
	"time"
)

// SetCatalogClock replaces the clock of d's catalogue cache.
func SetCatalogClock(d *Driver, now func() time.Time) { d.now = now }

// SetProxy makes the driver built from o send its requests through the
// proxy that fn picks, as HTTP_PROXY would (which net/http reads once per
// process and ignores for loopback addresses).
func SetProxy(o *Options, fn func(*http.Request) (*url.URL, error)) { o.proxy = fn }
