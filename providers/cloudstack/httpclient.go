package cloudstack

import (
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
	"github.com/goclouds/goclouds/types"
)

// callTimeoutFactor is the default CallTimeout in Timeouts: room for one
// attempt that runs to its timeout and retries after it.
const callTimeoutFactor = 2

// timeouts returns the per-attempt timeout and the per-call bound, defaults
// filled in.
func (o *Options) timeouts() (attempt, call time.Duration) {
	attempt = o.Timeout
	if attempt == 0 {
		attempt = DefaultHTTPTimeout
	}
	call = o.CallTimeout
	if call == 0 {
		call = callTimeoutFactor * attempt
	}
	return attempt, call
}

// httpClient returns the client the driver sends requests with: net/http's
// transport (csapi.NewTransport: HTTP/1.1 unless HTTP2, a keep-alive pool
// for concurrent calls, the environment's proxy), the TLS configuration of
// tlsConfig, and Timeout per attempt. Options.HTTPClient replaces it.
func (o *Options) httpClient(p types.Provider, u *url.URL, logger *slog.Logger) (*http.Client, error) {
	if o.HTTPClient != nil {
		return o.HTTPClient, nil
	}
	tlsConfig, err := o.tlsConfig(p)
	if err != nil {
		return nil, err
	}
	if tlsConfig.InsecureSkipVerify && u.Scheme == "https" {
		if logger == nil {
			logger = slog.Default()
		}
		logger.Warn("cloudstack: TLS certificate verification is turned off (Insecure)", slog.String("endpoint", u.Redacted()))
	}
	timeout, _ := o.timeouts()
	tr := csapi.NewTransport(csapi.TransportConfig{TLSConfig: tlsConfig, HTTP2: o.HTTP2, Proxy: o.proxy})
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

// tlsConfig returns a copy of TLSConfig (or a new configuration) with the
// authorities of CAFile and CAPEM added to its RootCAs (or to the system's
// roots), verification off when Insecure, and a session cache, so that the
// new connections of a busy driver resume their TLS sessions.
func (o *Options) tlsConfig(p types.Provider) (*tls.Config, error) {
	c := &tls.Config{}
	if o.TLSConfig != nil {
		c = o.TLSConfig.Clone()
	}
	if o.CAFile != "" || len(o.CAPEM) > 0 {
		pool := c.RootCAs
		if pool != nil {
			pool = pool.Clone()
		} else if sys, err := x509.SystemCertPool(); err == nil {
			pool = sys
		} else {
			pool = x509.NewCertPool()
		}
		if o.CAFile != "" {
			pem, err := os.ReadFile(o.CAFile)
			if err != nil {
				return nil, invalid(p, "ca_file: %v", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, invalid(p, "ca_file %s holds no PEM certificate", o.CAFile)
			}
		}
		if len(o.CAPEM) > 0 && !pool.AppendCertsFromPEM(o.CAPEM) {
			return nil, invalid(p, "CAPEM holds no PEM certificate")
		}
		c.RootCAs = pool
	}
	if o.Insecure {
		c.InsecureSkipVerify = true //nolint:gosec // explicit user opt-out, logged
	}
	if c.ClientSessionCache == nil {
		c.ClientSessionCache = tls.NewLRUClientSessionCache(0)
	}
	return c, nil
}
