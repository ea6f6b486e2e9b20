package cloudstack

import (
	"net/http"
	"net/url"
)

// SetProxy makes the driver built from o send its requests through the
// proxy that fn picks, as HTTP_PROXY would (which net/http reads once per
// process and ignores for loopback addresses).
func SetProxy(o *Options, fn func(*http.Request) (*url.URL, error)) { o.proxy = fn }
