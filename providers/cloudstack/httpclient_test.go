package cloudstack_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// caSim serves the simulator over HTTPS with a certificate of the test's
// own CA, counting connections and the HTTP major versions of requests.
type caSim struct {
	sim     *cloudstacksim.Server
	srv     *httptest.Server
	conns   atomic.Int32
	proto1  atomic.Int32
	proto2  atomic.Int32
	resumed atomic.Int32 // requests on a connection whose TLS session was resumed
}

// newCASim starts a caSim serving cert; http2 lets the server speak HTTP/2.
func newCASim(t *testing.T, cert tls.Certificate, http2 bool) *caSim {
	t.Helper()
	s := &caSim{sim: cloudstacksim.New(&cloudstacksim.Options{JobDelay: relJobDelay})}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			s.proto2.Add(1)
		} else {
			s.proto1.Add(1)
		}
		if r.TLS != nil && r.TLS.DidResume {
			s.resumed.Add(1)
		}
		s.sim.ServeHTTP(w, r)
	}))
	s.srv.EnableHTTP2 = http2
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.StartTLS()
	t.Cleanup(func() {
		s.sim.Close()
		s.srv.Close()
	})
	return s
}

// options returns admin options for the server's URL (host replaces
// 127.0.0.1 when not "").
func (s *caSim) options(host string) *cloudstack.Options {
	creds := s.sim.AdminCredentials()
	u := s.srv.URL
	if host != "" {
		u = strings.Replace(u, "127.0.0.1", host, 1)
	}
	return &cloudstack.Options{URL: u + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey, Settings: relSettings()}
}

// TestPrivateCA: a private CA is trusted through CAPEM, CAFile (Options and
// compute.Config.Options "ca_file") and TLSConfig.RootCAs; TLSConfig is
// cloned, not changed; the driver speaks HTTP/1.1 to a server that offers
// HTTP/2 unless HTTP2 is set.
func TestPrivateCA(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t)
	_, _, cert := ca.validServerCert(t)
	ctx := context.Background()
	caFile := writeFile(t, "ca.pem", ca.PEM)

	t.Run("CAPEM, HTTP/1.1 by default", func(t *testing.T) {
		s := newCASim(t, cert, true)
		o := s.options("")
		o.CAPEM = ca.PEM
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		for range 3 {
			_, err = d.ListLocations(ctx)
			require.NoError(t, err)
		}
		assert.Equal(t, int32(3), s.proto1.Load())
		assert.Zero(t, s.proto2.Load(), "HTTP/2 only when asked for")
		assert.Equal(t, int32(1), s.conns.Load(), "one kept-alive connection")
	})
	t.Run("new connections resume the TLS session", func(t *testing.T) {
		s := newCASim(t, cert, false)
		o := s.options("")
		o.CAPEM, o.GETOnly = ca.PEM, true
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		require.NoError(t, err)
		for i := range 3 {
			// State-changing GETs, each on a connection of its own.
			_, err := d.CreateKeyPair(ctx, fmt.Sprintf("resume-%d", i))
			require.NoError(t, err)
		}
		assert.Equal(t, int32(4), s.conns.Load(), "one kept-alive connection and one per write")
		assert.GreaterOrEqual(t, s.resumed.Load(), int32(2), "later connections resumed the session")
	})
	t.Run("HTTP2 opt-in", func(t *testing.T) {
		s := newCASim(t, cert, true)
		o := s.options("")
		o.CAPEM, o.HTTP2 = ca.PEM, true
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		require.NoError(t, err)
		assert.Equal(t, int32(1), s.proto2.Load())
		assert.Zero(t, s.proto1.Load())
	})
	t.Run("ca_file through the factory", func(t *testing.T) {
		s := newCASim(t, cert, false)
		creds := s.sim.AdminCredentials()
		d, err := cloudstack.Factory(compute.Config{
			URL: s.srv.URL + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey,
			Options: map[string]any{"ca_file": caFile},
		})
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		require.NoError(t, err)
		assert.Equal(t, caFile, d.(*cloudstack.Driver).Settings().CAFile)
	})
	t.Run("TLSConfig merged", func(t *testing.T) {
		s := newCASim(t, cert, false)
		pool := x509.NewCertPool()
		require.True(t, pool.AppendCertsFromPEM(ca.PEM))
		base := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}
		o := s.options("")
		o.TLSConfig = base
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		require.NoError(t, err)
		assert.Nil(t, base.ClientSessionCache, "the caller's TLSConfig is not modified")
		assert.Equal(t, time.Minute, d.Settings().CallTimeout, "the driver's own settings stay")
	})
	t.Run("bad CA settings", func(t *testing.T) {
		s := newCASim(t, cert, false)
		for name, mod := range map[string]func(*cloudstack.Options){
			"missing file":    func(o *cloudstack.Options) { o.CAFile = caFile + ".missing" },
			"not PEM":         func(o *cloudstack.Options) { o.CAFile = writeFile(t, "bad.pem", []byte("not a certificate")) },
			"CAPEM not PEM":   func(o *cloudstack.Options) { o.CAPEM = []byte("junk") },
			"with HTTPClient": func(o *cloudstack.Options) { o.CAFile, o.HTTPClient = caFile, http.DefaultClient },
		} {
			o := s.options("")
			mod(o)
			_, err := cloudstack.New(o)
			assert.ErrorIs(t, err, compute.ErrInvalidArgument, name)
		}
	})
}

// TestEndpointErrorsArePermanent: certificate problems (unknown authority,
// wrong host name, expired), plain HTTP behind an https URL and an unknown
// host are ErrInvalidArgument (not ErrUnavailable), are not retried (one
// connection), and say what to do.
func TestEndpointErrorsArePermanent(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t)
	_, _, valid := ca.validServerCert(t)
	_, _, expired := ca.serverCert(t, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	ctx := context.Background()
	check := func(t *testing.T, err error, conns *atomic.Int32, hint string, target any) {
		t.Helper()
		requireTyped(t, err)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument)
		assert.NotErrorIs(t, err, compute.ErrUnavailable)
		assert.Contains(t, err.Error(), hint)
		if target != nil {
			assert.ErrorAs(t, err, target, "the cause stays reachable")
		}
		if conns != nil {
			assert.Equal(t, int32(1), conns.Load(), "not retried")
		}
	}
	t.Run("unknown authority", func(t *testing.T) {
		s := newCASim(t, valid, false)
		d, err := cloudstack.New(s.options(""))
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		var target x509.UnknownAuthorityError
		check(t, err, &s.conns, "pass its CA with CAFile / --ca-file / CLOUDSTACK_CA_FILE, or Insecure", &target)
		assert.Zero(t, s.sim.RequestCount("listZones"))
	})
	t.Run("host name mismatch", func(t *testing.T) {
		s := newCASim(t, valid, false)
		o := s.options("localhost") // the certificate names 127.0.0.1 only
		o.CAPEM = ca.PEM
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		var target x509.HostnameError
		check(t, err, &s.conns, "not valid for the endpoint's host name", &target)
	})
	t.Run("expired", func(t *testing.T) {
		s := newCASim(t, expired, false)
		o := s.options("")
		o.CAPEM = ca.PEM
		d, err := cloudstack.New(o)
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		var target x509.CertificateInvalidError
		check(t, err, &s.conns, "expired", &target)
	})
	t.Run("plain HTTP server", func(t *testing.T) {
		r := newRelSim(t, nil)
		d := r.driver(t, func(o *cloudstack.Options) { o.URL = strings.Replace(r.url, "http://", "https://", 1) })
		r.sim.ResetRequestCounts()
		_, err := d.ListLocations(ctx)
		check(t, err, nil, "use an http:// endpoint URL", nil)
		assert.Contains(t, err.Error(), "server gave HTTP response to HTTPS client")
		assert.Zero(t, r.sim.RequestCount(""), "not retried")
	})
	t.Run("no such host", func(t *testing.T) {
		const host = "no-such-host.invalid"
		if _, err := net.DefaultResolver.LookupHost(ctx, host); !isNotFound(err) {
			t.Skipf("the resolver does not answer NXDOMAIN here: %v", err)
		}
		d, err := cloudstack.New(&cloudstack.Options{URL: "http://" + host + "/client/api", Key: "k", Secret: "s", Settings: relSettings()})
		require.NoError(t, err)
		_, err = d.ListLocations(ctx)
		var target *net.DNSError
		check(t, err, nil, "does not resolve", &target)
	})
}

func isNotFound(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// blackhole is a listener that accepts connections and never answers
// (nor reads), as a dead server behind a live load balancer.
type blackhole struct {
	ln    net.Listener
	conns atomic.Int32
	mu    sync.Mutex
	open  []net.Conn
}

func newBlackhole(t *testing.T) *blackhole {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b := &blackhole{ln: ln}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.conns.Add(1)
			b.mu.Lock()
			b.open = append(b.open, c)
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, c := range b.open {
			c.Close()
		}
	})
	return b
}

// TestCallTimeoutBoundsRetries: against a server that never answers, a
// read is retried (each attempt ended by Timeout) only until CallTimeout
// passes, then fails typed; without the bound its 40 retries would take
// over 12 s. The same holds over https with a TLSConfig (the handshake
// never completes): the driver's timeouts stay.
func TestCallTimeoutBoundsRetries(t *testing.T) {
	t.Parallel()
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			t.Parallel()
			b := newBlackhole(t)
			o := &cloudstack.Options{
				URL: scheme + "://" + b.ln.Addr().String() + "/client/api", Key: "k", Secret: "s",
				Timeout: 300 * time.Millisecond,
				Settings: cloudstack.Settings{
					RetryMax: 40, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
					CallTimeout: 1500 * time.Millisecond,
				},
			}
			if scheme == "https" {
				o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			d, err := cloudstack.New(o)
			require.NoError(t, err)
			start := time.Now()
			_, err = d.ListLocations(context.Background())
			took := time.Since(start)
			requireTyped(t, err)
			assert.ErrorIs(t, err, compute.ErrUnavailable)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "CallTimeout")
			assert.GreaterOrEqual(t, took, 1400*time.Millisecond, "the call used its time")
			assert.Less(t, took, 8*time.Second, "bounded by CallTimeout, not 41 attempts of Timeout")
			assert.GreaterOrEqual(t, b.conns.Load(), int32(2), "retried within the bound")
		})
	}
	t.Run("default is twice Timeout", func(t *testing.T) {
		d, err := cloudstack.New(&cloudstack.Options{URL: "http://127.0.0.1:1/client/api", Key: "k", Secret: "s", Timeout: 7 * time.Second})
		require.NoError(t, err)
		assert.Equal(t, 14*time.Second, d.Settings().CallTimeout)
		d, err = cloudstack.New(&cloudstack.Options{URL: "http://127.0.0.1:1/client/api", Key: "k", Secret: "s"})
		require.NoError(t, err)
		assert.Equal(t, 2*cloudstack.DefaultHTTPTimeout, d.Settings().CallTimeout)
	})
}
