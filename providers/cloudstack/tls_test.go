package cloudstack_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// tlsSim serves the simulator over HTTPS with httptest's self-signed
// certificate and counts the TLS connections clients open.
type tlsSim struct {
	sim   *cloudstacksim.Server
	srv   *httptest.Server
	conns atomic.Int32
}

func newTLSSim(t *testing.T) *tlsSim {
	t.Helper()
	s := &tlsSim{sim: cloudstacksim.New(nil)}
	s.srv = httptest.NewUnstartedServer(s.sim)
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

func (s *tlsSim) options(logs *relBuffer) *cloudstack.Options {
	creds := s.sim.AdminCredentials()
	return &cloudstack.Options{
		URL: s.srv.URL + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey,
		Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Settings: relSettings(),
	}
}

// warnings returns the warning records in a JSON log.
func warnings(logs string) []string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"level":"WARN"`) {
			out = append(out, line)
		}
	}
	return out
}

// TestTLSVerifiedByDefault: a self-signed server is refused (a typed error
// naming the certificate problem, not retried, no request reaches the API)
// unless the user opts out; nothing is logged as a warning.
func TestTLSVerifiedByDefault(t *testing.T) {
	t.Parallel()
	s := newTLSSim(t)
	logs := &relBuffer{}
	d, err := cloudstack.New(s.options(logs))
	require.NoError(t, err)
	_, err = d.ListLocations(context.Background())
	requireTyped(t, err)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument, "a configuration problem, not an outage")
	assert.NotErrorIs(t, err, compute.ErrUnavailable)
	assert.Contains(t, err.Error(), "CAFile / --ca-file / CLOUDSTACK_CA_FILE", "the error says what to do")
	var unknownAuthority x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	assert.True(t, errors.As(err, &unknownAuthority) || errors.As(err, &verify), "a certificate error: %v", err)
	assert.Equal(t, int32(1), s.conns.Load(), "a certificate error is not retried")
	assert.Zero(t, s.sim.RequestCount("listZones"), "no request got through")
	assert.Empty(t, warnings(logs.String()))

	// Trusting the server's certificate (a private CA) works without any
	// opt-out.
	o := s.options(logs)
	o.HTTPClient = s.srv.Client()
	trusted, err := cloudstack.New(o)
	require.NoError(t, err)
	_, err = trusted.ListLocations(context.Background())
	require.NoError(t, err)
	assert.Empty(t, warnings(logs.String()))
}

// TestTLSOptOutWarnsOnce: Insecure (Libcloud's secure=False) turns
// verification off for an https endpoint, and says so once, as a warning
// naming the endpoint, however many calls follow.
func TestTLSOptOutWarnsOnce(t *testing.T) {
	t.Parallel()
	s := newTLSSim(t)
	logs := &relBuffer{}
	o := s.options(logs)
	o.Insecure = true
	d, err := cloudstack.New(o)
	require.NoError(t, err)
	ctx := context.Background()
	for range 3 {
		_, err := d.ListLocations(ctx)
		require.NoError(t, err)
		_, err = d.ListNodes(ctx)
		require.NoError(t, err)
	}
	w := warnings(logs.String())
	require.Len(t, w, 1, "one warning for the opt-out: %v", w)
	assert.Contains(t, strings.ToLower(w[0]), "verification")
	assert.Contains(t, w[0], s.srv.Listener.Addr().String(), "the warning names the endpoint")

	// Through the registry's factory (compute.Config.Insecure) as well.
	logs2 := &relBuffer{}
	creds := s.sim.AdminCredentials()
	drv, err := cloudstack.Factory(compute.Config{
		URL: s.srv.URL + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey, Insecure: true,
		Logger: slog.New(slog.NewJSONHandler(logs2, nil)),
	})
	require.NoError(t, err)
	_, err = drv.ListLocations(ctx)
	require.NoError(t, err)
	assert.Len(t, warnings(logs2.String()), 1)

	// Plain HTTP has no certificate to skip: no warning.
	logs3 := &relBuffer{}
	plain := newRelSim(t, nil)
	plain.logs = logs3
	pd := plain.driver(t, func(o *cloudstack.Options) { o.Insecure = true })
	_, err = pd.ListLocations(ctx)
	require.NoError(t, err)
	assert.Empty(t, warnings(logs3.String()))
}
