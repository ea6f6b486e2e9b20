package csapi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connServer is a test server counting the connections clients open and
// the requests it handles.
type connServer struct {
	*httptest.Server
	conns, reqs atomic.Int32
}

func newConnServer(t *testing.T, h http.HandlerFunc) *connServer {
	t.Helper()
	s := &connServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.reqs.Add(1)
		h(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, tr http.RoundTripper, ctx context.Context, u string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	require.NoError(t, err)
	return tr.RoundTrip(req)
}

func readAllBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	return string(b)
}

// waitIdleClosed waits until the server's closing of tr's idle connections
// has reached their sockets.
func waitIdleClosed(t *testing.T, tr *Transport) {
	t.Helper()
	if !TransportSupported {
		return
	}
	require.Eventually(t, func() bool {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		for _, list := range tr.idle {
			for _, pc := range list {
				if stillOpen(pc.raw) {
					return false
				}
			}
		}
		return true
	}, 5*time.Second, time.Millisecond)
}

func TestTransport_KeepsConnectionsAlive(t *testing.T) {
	for name, chunked := range map[string]bool{"length": false, "chunked": true} {
		t.Run(name, func(t *testing.T) {
			s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", "9")
				}
				w.WriteHeader(200)
				io.WriteString(w, "answer ")
				if chunked {
					w.(http.Flusher).Flush()
				}
				io.WriteString(w, r.URL.Query().Get("n"))
			})
			tr := &Transport{Timeout: 10 * time.Second}
			for i := range 20 {
				resp, err := get(t, tr, t.Context(), fmt.Sprintf("%s/x?n=%02d", s.URL, i))
				require.NoError(t, err)
				assert.Equal(t, 200, resp.StatusCode)
				assert.Equal(t, fmt.Sprintf("answer %02d", i), readAllBody(t, resp))
			}
			assert.Equal(t, int32(1), s.conns.Load(), "one connection for sequential requests")
		})
	}
}

func TestTransport_EmptyBodiesAndInterimAnswers(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hint" {
			w.Header().Set("Link", "</x>")
			w.WriteHeader(http.StatusEarlyHints)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	tr := &Transport{}
	for _, path := range []string{"/", "/hint", "/"} {
		resp, err := get(t, tr, t.Context(), s.URL+path)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		assert.Empty(t, readAllBody(t, resp))
	}
	assert.Equal(t, int32(1), s.conns.Load())
}

// A connection the server closed while idle is not reused: the next
// request opens a new one and succeeds; a POST goes out once (the closed
// connection is noticed before anything is sent).
func TestTransport_ServerClosedIdleConnection(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	})
	tr := &Transport{}
	for i, method := range []string{http.MethodGet, http.MethodGet, http.MethodPost} {
		req, err := http.NewRequestWithContext(t.Context(), method, s.URL, strings.NewReader("command=deployVirtualMachine"))
		require.NoError(t, err)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err, method)
		assert.Equal(t, "ok", readAllBody(t, resp))
		assert.Equal(t, int32(i+1), s.reqs.Load(), "each request reached the server once")
		assert.Equal(t, int32(i+1), s.conns.Load())
		s.CloseClientConnections()
		waitIdleClosed(t, tr)
	}
}

// The server drops a reused connection on receiving a request: neither a
// GET nor a POST is sent twice (with GETOnly a GET may change state; Client
// retries reads itself).
func TestTransport_DroppedOnReusedConnection(t *testing.T) {
	var first sync.Map // remote address -> answered once
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, seen := first.LoadOrStore(r.RemoteAddr, true); seen {
			drop(w, r)
			return
		}
		io.WriteString(w, "ok")
	})
	tr := &Transport{}
	for i, method := range []string{http.MethodGet, http.MethodPost} {
		resp, err := get(t, tr, t.Context(), s.URL)
		require.NoError(t, err)
		readAllBody(t, resp)
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader("command=deployVirtualMachine")
		}
		req, err := http.NewRequestWithContext(t.Context(), method, s.URL, body)
		require.NoError(t, err)
		_, err = tr.RoundTrip(req)
		require.Error(t, err, method)
		assert.Equal(t, int32(2*(i+1)), s.reqs.Load(), "the %s reached the server once", method)
	}
}

func TestTransport_Timeout(t *testing.T) {
	release := make(chan struct{})
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		if r.URL.Path == "/slowbody" {
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "12345")
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		io.WriteString(w, "ok")
	})
	defer close(release)
	tr := &Transport{Timeout: 50 * time.Millisecond}
	_, err := get(t, tr, t.Context(), s.URL+"/slow")
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.Contains(t, err.Error(), "timeout")

	resp, err := get(t, tr, t.Context(), s.URL+"/slowbody")
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded, "the timeout covers the body")

	resp, err = get(t, tr, t.Context(), s.URL+"/")
	require.NoError(t, err)
	assert.Equal(t, "ok", readAllBody(t, resp))
}

func TestTransport_ContextCancel(t *testing.T) {
	release := make(chan struct{})
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.Header().Set("Content-Length", "10")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	tr := &Transport{Timeout: time.Minute}

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := get(t, tr, ctx, s.URL)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(t.Context())
	resp, err := get(t, tr, ctx, s.URL+"/body")
	require.NoError(t, err)
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, context.Canceled)

	_, err = get(t, tr, ctx, s.URL)
	assert.ErrorIs(t, err, context.Canceled, "a done context sends nothing")
}

// Closing a body before its end closes the connection rather than reusing
// it with unread data.
func TestTransport_EarlyClose(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 100<<10))
	})
	tr := &Transport{}
	for range 3 {
		resp, err := get(t, tr, t.Context(), s.URL)
		require.NoError(t, err)
		buf := make([]byte, 10)
		_, err = io.ReadFull(resp.Body, buf)
		require.NoError(t, err)
		resp.Body.Close()
		_, err = resp.Body.Read(buf)
		assert.Error(t, err)
	}
	assert.Equal(t, int32(3), s.conns.Load())
}

func TestTransport_ConnectionClose(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	tr := &Transport{}
	for range 2 {
		resp, err := get(t, tr, t.Context(), s.URL)
		require.NoError(t, err)
		assert.Equal(t, "bye", readAllBody(t, resp))
	}
	assert.Equal(t, int32(2), s.conns.Load())
}

func TestTransport_HugeHeaders(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, bw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		bw.WriteString("HTTP/1.1 200 OK\r\n")
		for i := 0; i < 3*maxHeaderBytes/1000; i++ {
			fmt.Fprintf(bw, "X-Pad-%d: %s\r\n", i, strings.Repeat("p", 990))
		}
		bw.WriteString("\r\n")
		bw.Flush()
	})
	_, err := get(t, &Transport{}, t.Context(), s.URL)
	assert.ErrorContains(t, err, "answer headers larger than")
}

func TestTransport_Errors(t *testing.T) {
	tr := &Transport{}
	_, err := get(t, tr, t.Context(), "ftp://example.com/x?signature=secret")
	assert.ErrorContains(t, err, "unsupported URL")
	assert.NotContains(t, err.Error(), "secret")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	_, err = get(t, tr, t.Context(), "http://"+addr+"/")
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op, "a refused connection is a dial error: nothing was sent")
}

// Concurrent requests each get a connection; at most MaxIdlePerHost stay
// idle, and CloseIdleConnections closes them.
func TestTransport_Concurrent(t *testing.T) {
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Millisecond)
		io.WriteString(w, r.URL.Query().Get("n"))
	})
	tr := &Transport{MaxIdlePerHost: 3}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				n := fmt.Sprintf("%d-%d", g, i)
				resp, err := get(t, tr, t.Context(), s.URL+"/?n="+n)
				if assert.NoError(t, err) {
					b, err := io.ReadAll(resp.Body)
					assert.NoError(t, err)
					assert.Equal(t, n, string(b))
				}
			}
		})
	}
	wg.Wait()
	tr.mu.Lock()
	idle := 0
	for _, list := range tr.idle {
		idle += len(list)
	}
	tr.mu.Unlock()
	assert.LessOrEqual(t, idle, 3)
	tr.CloseIdleConnections()
	assert.Empty(t, tr.idle)
}

// Through Client: reads are retried, state-changing commands are sent once
// and a refused connection is known not to have sent anything.
func TestTransport_WithClient(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(503, "busy"), answer(200, zones)}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/client/api")
	c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "key", SecretKey: "topsecret"},
		HTTPClient: &http.Client{Transport: &Transport{Timeout: 10 * time.Second}}, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	resp, err := c.Do(t.Context(), "listZones", nil)
	require.NoError(t, err)
	assert.JSONEq(t, zones, string(resp.Body))
	assert.Equal(t, 2, s.count())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	u, _ = url.Parse("http://" + ln.Addr().String() + "/client/api")
	ln.Close()
	c = NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "k", SecretKey: "s"}, RetryMax: 1,
		HTTPClient: &http.Client{Transport: &Transport{}}, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err = c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"x"}})
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.Sent)
	assert.Equal(t, 2, te.Attempts)
	assert.False(t, errors.Is(err, context.Canceled))
}

func TestDialAddr(t *testing.T) {
	assert.Equal(t, "example.com:443", dialAddr("https", "example.com"))
	assert.Equal(t, "example.com:80", dialAddr("http", "example.com"))
	assert.Equal(t, "example.com:8080", dialAddr("http", "example.com:8080"))
	assert.Equal(t, "[::1]:443", dialAddr("https", "[::1]"))
	assert.Equal(t, "[::1]:8443", dialAddr("https", "[::1]:8443"))
}

func TestStillOpen(t *testing.T) {
	if !TransportSupported {
		t.Skip("no idle connection check on this system")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func() (net.Conn, net.Conn) {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c, <-accepted
	}
	c, server := dial()
	assert.True(t, stillOpen(c), "idle and open")
	server.Write([]byte("x"))
	assert.Eventually(t, func() bool { return !stillOpen(c) }, 5*time.Second, time.Millisecond, "unexpected data")

	c, server = dial()
	server.Close()
	assert.Eventually(t, func() bool { return !stillOpen(c) }, 5*time.Second, time.Millisecond, "closed by the server")
	assert.False(t, stillOpen(struct{ net.Conn }{c}), "not a socket")
}

// failConn is a connection whose writes take accept bytes and then fail.
type failConn struct {
	net.Conn
	accept int
	closed bool
}

func (c *failConn) Write(p []byte) (int, error) {
	n := min(len(p), c.accept)
	c.accept -= n
	return n, errors.New("broken pipe")
}
func (c *failConn) Close() error                     { c.closed = true; return nil }
func (c *failConn) SetDeadline(time.Time) error      { return nil }
func (c *failConn) SetReadDeadline(time.Time) error  { return nil }
func (c *failConn) SetWriteDeadline(time.Time) error { return nil }

// A request is sent again only when it went out on a reused connection,
// has no body, and not one byte of it was written.
func TestTransport_SendsAgainOnlyWhenNothingWasWritten(t *testing.T) {
	cases := []struct {
		name         string
		reused, body bool
		accept       int
		again        bool
	}{
		{name: "reused, nothing written", reused: true, again: true},
		{name: "new connection", reused: false},
		{name: "partly written", reused: true, accept: 10},
		{name: "with a body", reused: true, body: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := &failConn{accept: c.accept}
			pc := &persistConn{t: &Transport{Timeout: time.Second}, conn: conn, raw: conn, reused: c.reused}
			pc.out = countingWriter{conn: conn}
			pc.bw = bufio.NewWriter(&pc.out)
			var body io.Reader
			if c.body {
				body = strings.NewReader("x=1")
			}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://cloud.example/client/api", body)
			require.NoError(t, err)
			_, again, err := pc.roundTrip(t.Context(), req)
			assert.ErrorContains(t, err, "broken pipe")
			assert.Equal(t, c.again, again)
			assert.True(t, conn.closed)
		})
	}
}
