package csapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
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
// (GETOnly), which goes on a connection used for it alone; and it bounds
// each attempt by timeout.
//
// net/http resends a replayable request (a GET without body) by itself
// when a reused keep-alive connection breaks before the answer's first
// byte (persistConn.shouldRetryRequest, Request.isReplayable): a deploy
// dropped after it took effect would run twice. It never does so on a
// fresh connection ("there's no reason the server should've hung up on
// us"), and a transport without keep-alives only has fresh connections.
// POSTs are never replayed once written (not isReplayable).
//
// The timeout is applied here, not by http.Client.Timeout: for a round
// tripper other than *http.Transport, http.Client enforces its Timeout
// with a goroutine and a timer per request.
type noReplay struct {
	keep, once *http.Transport
	timeout    time.Duration
}

// newNoReplay returns the round tripper for t.
func newNoReplay(t *http.Transport, timeout time.Duration) *noReplay {
	once := t.Clone() // shares the TLS session cache, so a fresh TLS connection resumes
	once.DisableKeepAlives = true
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true) // one request per connection: HTTP/2 would gain nothing
	once.Protocols = protocols
	return &noReplay{keep: t, once: once, timeout: timeout}
}

// RoundTrip implements http.RoundTripper.
func (n *noReplay) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := n.keep
	if req.Method == http.MethodGet {
		if cl := callOf(req.Context()); cl != nil && !cl.idempotent {
			rt = n.once
		}
	}
	if n.timeout <= 0 {
		return rt.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), n.timeout, errAttemptTimeout{n.timeout})
	resp, err := rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, attemptError(ctx, err)
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel}
	return resp, nil
}

// CloseIdleConnections closes the idle connections of both transports
// (http.Client.CloseIdleConnections calls it).
func (n *noReplay) CloseIdleConnections() {
	n.keep.CloseIdleConnections()
	n.once.CloseIdleConnections()
}

// errAttemptTimeout is the cause of an attempt's context when its timeout
// passed.
type errAttemptTimeout struct{ d time.Duration }

func (e errAttemptTimeout) Error() string {
	return fmt.Sprintf("the attempt timed out after %s (Timeout)", e.d)
}

// attemptError returns err, saying so when the attempt's timeout ended it.
func attemptError(ctx context.Context, err error) error {
	var at errAttemptTimeout
	if ctx.Err() == nil || !errors.As(context.Cause(ctx), &at) {
		return err
	}
	return fmt.Errorf("%s: %w", at.Error(), err)
}

// timedBody is an answer's body read within the attempt's timeout; closing
// it releases the attempt's timer.
type timedBody struct {
	io.ReadCloser
	ctx    context.Context
	cancel context.CancelFunc
}

// Read implements io.Reader.
func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = attemptError(b.ctx, err)
	}
	return n, err
}

// Close implements io.Closer.
func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// withNoReplay returns hc with its transport wrapped in noReplay, when it
// is net/http's (nil means http.DefaultTransport), hc's Timeout moving
// into it; another round tripper is used as it is, and is responsible for
// not resending requests.
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
	c.Transport = newNoReplay(t, hc.Timeout)
	c.Timeout = 0
	return &c
}
