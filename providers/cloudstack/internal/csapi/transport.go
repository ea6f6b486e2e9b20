package csapi

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Transport is an HTTP/1.1 client transport that does all of a request's
// work in the calling goroutine: it writes the request on a kept-alive
// connection and reads the answer there, with the connection's deadline
// bounding the whole exchange.
//
// net/http's Transport hands every request between three goroutines (the
// caller and each connection's writer and reader); on a machine with
// several cores each hand-over wakes an idle thread, which doubles the
// client CPU of a small API call. A CloudStack client sends one request at
// a time per connection and reads every answer whole, so it needs none of
// that. Transport speaks HTTP/1.1 only (no HTTP/2, no proxies: the driver
// uses net/http when a proxy is configured). It checks that an idle
// connection is still open before reusing it, and sends a request again
// (on a new connection) only when not one byte of it was written: unlike
// net/http it never resends a GET whose answer was lost, since with
// GETOnly a GET may change state.
type Transport struct {
	// TLSConfig configures https connections; nil means the defaults
	// (certificates verified against the system roots).
	TLSConfig *tls.Config
	// Timeout bounds each request: connecting, writing it, and reading the
	// whole answer. Zero means no limit (the context still applies).
	Timeout time.Duration
	// MaxIdlePerHost is the number of idle connections kept per host;
	// default 16.
	MaxIdlePerHost int
	// IdleTimeout is how long an idle connection is kept; default 90s.
	IdleTimeout time.Duration

	mu   sync.Mutex
	idle map[connKey][]*persistConn
}

// Limits of Transport.
const (
	defaultMaxIdlePerHost = 16
	defaultIdleTimeout    = 90 * time.Second
	// maxHeaderBytes bounds an answer's status line and headers.
	maxHeaderBytes = 1 << 20
	dialTimeout    = 30 * time.Second
	tcpKeepAlive   = 30 * time.Second
)

// TransportSupported reports whether Transport can check idle connections
// before reusing them on this system (elsewhere the driver uses net/http's
// transport, whose reader goroutines notice closed connections).
const TransportSupported = peekSupported

// connKey names the connections to one server: scheme and URL host.
type connKey struct{ scheme, host string }

// persistConn is one connection, used by one request at a time.
type persistConn struct {
	t      *Transport
	key    connKey
	conn   net.Conn // what requests are written to (TLS or TCP)
	raw    net.Conn // the TCP connection
	in     countingReader
	out    countingWriter
	br     *bufio.Reader
	bw     *bufio.Writer
	idleAt time.Time
	reused bool
}

// countingReader reads the connection, counting bytes, and fails once more
// than limit bytes have been read while limit is set (the headers).
type countingReader struct {
	conn  net.Conn
	n     int64
	limit int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n >= r.limit {
		return 0, fmt.Errorf("answer headers larger than %d bytes", maxHeaderBytes)
	}
	if rest := r.limit - r.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := r.conn.Read(p)
	r.n += int64(n)
	return n, err
}

// countingWriter writes to the connection, counting the bytes it took.
type countingWriter struct {
	conn net.Conn
	n    int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.conn.Write(p)
	w.n += int64(n)
	return n, err
}

// aLongTimeAgo is a deadline in the past, which makes pending I/O fail.
var aLongTimeAgo = time.Unix(1, 0)

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.URL.Host == "" || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
		closeBody(req)
		return nil, fmt.Errorf("unsupported URL %q", redactURL(req))
	}
	ctx := req.Context()
	key := connKey{req.URL.Scheme, req.URL.Host}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			closeBody(req)
			return nil, err
		}
		pc, err := t.getConn(ctx, key)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		resp, again, err := pc.roundTrip(ctx, req) // closes req.Body
		if err == nil || !again || attempt > 0 {
			return resp, err
		}
	}
}

// roundTrip sends req on pc and reads the answer's headers. again reports
// a failure that sending again on a new connection may fix and cannot
// duplicate: pc was reused (the server may have closed it just now), req
// has no body, and not one byte of it was written.
func (pc *persistConn) roundTrip(ctx context.Context, req *http.Request) (resp *http.Response, again bool, err error) {
	t := pc.t
	if t.Timeout > 0 {
		pc.conn.SetDeadline(time.Now().Add(t.Timeout))
	}
	stop := func() bool { return true }
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { pc.conn.SetDeadline(aLongTimeAgo) })
	}
	fail := func(err error) (*http.Response, bool, error) {
		stop()
		pc.close()
		return nil, false, t.wrapErr(ctx, err)
	}
	bodyless := req.Body == nil || req.Body == http.NoBody
	written := pc.out.n
	if err := req.Write(pc.bw); err != nil {
		return fail(err)
	}
	if err := pc.bw.Flush(); err != nil {
		_, _, err = fail(err)
		return nil, pc.reused && bodyless && pc.out.n == written && ctx.Err() == nil, err
	}
	pc.in.limit = pc.in.n + maxHeaderBytes
	for {
		resp, err = http.ReadResponse(pc.br, req)
		if err != nil || resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		resp.Body.Close() // an interim 1xx answer: the real one follows
	}
	pc.in.limit = math.MaxInt64
	if err != nil {
		return fail(err)
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		resp.Body.Close()
		return fail(errors.New("the server switched protocols"))
	}
	if tc, ok := pc.conn.(*tls.Conn); ok {
		st := tc.ConnectionState()
		resp.TLS = &st
	}
	if resp.Body == http.NoBody {
		pc.done(stop, !resp.Close)
		return resp, false, nil
	}
	resp.Body = &bodyReader{pc: pc, ctx: ctx, body: resp.Body, stop: stop, keep: !resp.Close && !req.Close}
	return resp, false, nil
}

// wrapErr turns an I/O error into the context's error when the context
// ended, and says so when the deadline of Timeout passed.
func (t *Transport) wrapErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if t.Timeout > 0 && errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("no complete answer within the %v timeout: %w", t.Timeout, err)
	}
	return err
}

// done ends a request: the connection goes back to the pool when keep is
// set and the context did not interrupt it, and is closed otherwise.
func (pc *persistConn) done(stop func() bool, keep bool) {
	if !stop() || !keep {
		pc.close()
		return
	}
	if pc.t.Timeout > 0 {
		pc.conn.SetDeadline(time.Time{})
	}
	pc.t.putConn(pc)
}

func (pc *persistConn) close() { pc.conn.Close() }

// bodyReader is an answer's body: reading it to its end returns the
// connection to the pool; closing it earlier closes the connection.
type bodyReader struct {
	pc   *persistConn
	ctx  context.Context
	body io.ReadCloser
	stop func() bool
	keep bool
	err  error // set once the body ended
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.body.Read(p)
	switch {
	case err == io.EOF:
		b.err = io.EOF
		b.pc.done(b.stop, b.keep)
	case err != nil:
		b.err = b.pc.t.wrapErr(b.ctx, err)
		b.stop()
		b.pc.close()
		err = b.err
	}
	return n, err
}

func (b *bodyReader) Close() error {
	if b.err == nil {
		b.err = errors.New("read on a closed body")
		b.stop()
		b.pc.close()
	}
	return nil
}

// getConn returns an idle connection to key that is still open, or a new
// one.
func (t *Transport) getConn(ctx context.Context, key connKey) (*persistConn, error) {
	for {
		t.mu.Lock()
		list := t.idle[key]
		if len(list) == 0 {
			t.mu.Unlock()
			break
		}
		pc := list[len(list)-1]
		list[len(list)-1] = nil
		t.idle[key] = list[:len(list)-1]
		t.mu.Unlock()
		if time.Since(pc.idleAt) < t.idleTimeout() && pc.br.Buffered() == 0 && stillOpen(pc.raw) {
			pc.reused = true
			return pc, nil
		}
		pc.close()
	}
	return t.dial(ctx, key)
}

func (t *Transport) idleTimeout() time.Duration {
	if t.IdleTimeout > 0 {
		return t.IdleTimeout
	}
	return defaultIdleTimeout
}

// putConn keeps pc for a later request.
func (t *Transport) putConn(pc *persistConn) {
	limit := t.MaxIdlePerHost
	if limit <= 0 {
		limit = defaultMaxIdlePerHost
	}
	pc.idleAt = time.Now()
	t.mu.Lock()
	if t.idle == nil {
		t.idle = map[connKey][]*persistConn{}
	}
	if list := t.idle[pc.key]; len(list) < limit {
		t.idle[pc.key] = append(list, pc)
		pc = nil
	}
	t.mu.Unlock()
	if pc != nil {
		pc.close()
	}
}

// CloseIdleConnections closes the idle connections.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, list := range idle {
		for _, pc := range list {
			pc.close()
		}
	}
}

// dial opens a connection to key (and does the TLS handshake for https).
// Connection errors are *net.OpError with Op "dial".
func (t *Transport) dial(ctx context.Context, key connKey) (*persistConn, error) {
	d := net.Dialer{Timeout: dialTimeout, KeepAlive: tcpKeepAlive}
	var deadline time.Time
	if t.Timeout > 0 {
		deadline = time.Now().Add(t.Timeout)
		d.Deadline = deadline
	}
	addr := dialAddr(key.scheme, key.host)
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn := raw
	if key.scheme == "https" {
		tc := tls.Client(raw, t.tlsConfig(addr))
		if !deadline.IsZero() {
			raw.SetDeadline(deadline)
		}
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, t.wrapErr(ctx, err)
		}
		raw.SetDeadline(time.Time{})
		conn = tc
	}
	pc := &persistConn{t: t, key: key, conn: conn, raw: raw}
	pc.in = countingReader{conn: conn, limit: math.MaxInt64}
	pc.br = bufio.NewReaderSize(&pc.in, 16<<10)
	pc.out = countingWriter{conn: conn}
	pc.bw = bufio.NewWriterSize(&pc.out, 4<<10)
	return pc, nil
}

// tlsConfig returns the TLS configuration for a connection to addr: the
// server name set, HTTP/1.1 only.
func (t *Transport) tlsConfig(addr string) *tls.Config {
	var cfg *tls.Config
	if t.TLSConfig != nil {
		cfg = t.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		cfg.ServerName = host
	}
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}

// dialAddr returns the host:port of a URL host, the port defaulting to
// the scheme's.
func dialAddr(scheme, host string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	port := "80"
	if scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), port)
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// redactURL returns req's URL without its query (which holds the
// signature).
func redactURL(req *http.Request) string {
	if req.URL == nil {
		return ""
	}
	u := *req.URL
	u.RawQuery, u.User = "", nil
	return u.String()
}
