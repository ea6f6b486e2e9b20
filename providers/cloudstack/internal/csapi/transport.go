package csapi

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Connection pool limits of NewTransport: enough idle keep-alive
// connections for concurrent paging and many concurrent creates on one
// driver, so that finished requests park their connection instead of
// closing it (which would leave TIME_WAIT sockets and cost a new handshake
// per request).
const (
	DefaultMaxIdleConns        = 256
	DefaultMaxIdleConnsPerHost = 128
	DefaultIdleConnTimeout     = 90 * time.Second
)

// TransportConfig configures NewTransport.
type TransportConfig struct {
	// TLSConfig configures https connections; nil means the defaults
	// (certificates verified against the system roots). It is used as
	// given: the caller fills in roots, session cache and versions.
	TLSConfig *tls.Config
	// HTTP2 lets the transport negotiate HTTP/2 over TLS; by default it
	// speaks HTTP/1.1 only.
	HTTP2 bool
	// Proxy picks the proxy of a request; nil means the environment's
	// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
	Proxy func(*http.Request) (*url.URL, error)
}

// NewTransport returns net/http's transport configured for a CloudStack
// API: HTTP/1.1 unless cfg.HTTP2 (behind proxies that limit the requests
// per connection, such as nginx's keepalive_requests, HTTP/2 connections
// end in GOAWAY storms), a keep-alive pool sized for concurrent calls,
// and the proxy of the environment.
func NewTransport(cfg TransportConfig) *http.Transport {
	proxy := cfg.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(cfg.HTTP2)
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 proxy,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       cfg.TLSConfig,
		TLSHandshakeTimeout:   10 * time.Second,
		Protocols:             protocols,
		MaxIdleConns:          DefaultMaxIdleConns,
		MaxIdleConnsPerHost:   DefaultMaxIdleConnsPerHost,
		IdleConnTimeout:       DefaultIdleConnTimeout,
		ExpectContinueTimeout: time.Second,
	}
}

// noReplay is the round tripper of a Client: it sends every request on
// keep-alive connections, except a state-changing command sent by GET
// (GETOnly), which goes on a connection used for it alone.
//
// net/http resends a replayable request (a GET without body) by itself
// when a reused keep-alive connection breaks before the answer's first
// byte (persistConn.shouldRetryRequest, Request.isReplayable): a deploy
// dropped after it took effect would run twice. It never does so on a
// fresh connection ("there's no reason the server should've hung up on
// us"), and a transport without keep-alives only has fresh connections.
// POSTs are never replayed once written (not isReplayable).
type noReplay struct {
	keep, once *http.Transport
}

// newNoReplay returns the round tripper for t.
func newNoReplay(t *http.Transport) *noReplay {
	once := t.Clone() // shares the TLS session cache, so a fresh TLS connection resumes
	once.DisableKeepAlives = true
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true) // one request per connection: HTTP/2 would gain nothing
	once.Protocols = protocols
	return &noReplay{keep: t, once: once}
}

// RoundTrip implements http.RoundTripper.
func (n *noReplay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet {
		if cl := callOf(req.Context()); cl != nil && !cl.idempotent {
			return n.once.RoundTrip(req)
		}
	}
	return n.keep.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of both transports
// (http.Client.CloseIdleConnections calls it).
func (n *noReplay) CloseIdleConnections() {
	n.keep.CloseIdleConnections()
	n.once.CloseIdleConnections()
}

// withNoReplay returns hc with its transport wrapped in noReplay, when it
// is net/http's (nil means http.DefaultTransport); another round tripper
// is used as it is, and is responsible for not resending requests.
func withNoReplay(hc *http.Client) *http.Client {
	var t *http.Transport
	switch rt := hc.Transport.(type) {
	case nil:
		t, _ = http.DefaultTransport.(*http.Transport)
	case *http.Transport:
		t = rt
	}
	if t == nil {
		return hc
	}
	c := *hc
	c.Transport = newNoReplay(t)
	return &c
}
