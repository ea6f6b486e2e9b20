package csapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Errors that retrying cannot fix get a hint; transient ones do not.
func TestPermanentHint(t *testing.T) {
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://h/client/api?signature=x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("tls: %w", x509.UnknownAuthorityError{}), hintUnknownAuthority},
		{x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}, hintHostname},
		{x509.CertificateInvalidError{Reason: x509.Expired}, hintInvalid},
		{&tls.CertificateVerificationError{Err: errors.New("x")}, hintVerify},
		{errors.New("http: server gave HTTP response to HTTPS client"), hintPlainHTTP},
		{tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, hintNotTLS},
		{dial(&net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}), hintNoSuchHost},
		{dial(&net.DNSError{Err: "server misbehaving", Name: "h", IsTemporary: true}), ""},
		{dial(errors.New("connection refused")), ""},
		{errors.New("EOF"), ""},
	} {
		assert.Equal(t, c.want, permanentHint(c.err), "%v", c.err)
	}
}

// An unknown host is not retried, although it fails while dialing, and
// comes back as an *EndpointError without the signed URL.
func TestClient_UnknownHostNotRetried(t *testing.T) {
	var dials atomic.Int32
	tr := NewTransport(TransportConfig{})
	tr.DialContext = func(context.Context, string, string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "cloud.example", IsNotFound: true}}
	}
	u, err := url.Parse("http://cloud.example/client/api")
	require.NoError(t, err)
	c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "key", SecretKey: "topsecret"}, HTTPClient: &http.Client{Transport: tr}})
	_, err = c.Do(context.Background(), "listZones", nil)
	var ee *EndpointError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, hintNoSuchHost, ee.Hint)
	assert.Equal(t, int32(1), dials.Load(), "not retried")
	assert.NotContains(t, err.Error(), "signature")
}
