package csapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
)

// EndpointError is a failure that retrying cannot fix, because the
// endpoint cannot be used as configured: the server's certificate is not
// trusted, names another host or has expired; the server speaks plain
// HTTP to an https URL; the host name does not resolve. Nothing reached
// the API. Hint says what to do.
type EndpointError struct {
	// Command is the API command.
	Command string
	// Hint describes the problem and its remedy.
	Hint string
	// Err is the underlying error, with any URL removed.
	Err error
}

// Error implements error.
func (e *EndpointError) Error() string {
	return e.Command + ": " + e.Hint + " (" + e.Err.Error() + ")"
}

// Unwrap returns the underlying error.
func (e *EndpointError) Unwrap() error { return e.Err }

// The hints of EndpointError.
const (
	hintUnknownAuthority = "the server's certificate is signed by an unknown authority: pass its CA with CAFile / --ca-file / CLOUDSTACK_CA_FILE, or Insecure to skip verification"
	hintHostname         = "the server's certificate is not valid for the endpoint's host name: use a host name the certificate names, or Insecure to skip verification"
	hintInvalid          = "the server's certificate is not valid (expired, not yet valid, or not for TLS servers): check the server's certificate and this machine's clock, or Insecure to skip verification"
	hintVerify           = "the server's certificate could not be verified: pass its CA with CAFile / --ca-file / CLOUDSTACK_CA_FILE, or Insecure to skip verification"
	hintPlainHTTP        = "the server answered the TLS handshake in plain HTTP: use an http:// endpoint URL"
	hintNotTLS           = "the server's answer to the TLS handshake is not TLS: check the endpoint's scheme and port"
	hintNoSuchHost       = "the endpoint's host name does not resolve (DNS: no such host): check the endpoint URL"
)

// permanentHint returns the hint of an error that retrying cannot fix, or
// "" for any other error.
func permanentHint(err error) string {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
		recordHdr   tls.RecordHeaderError
		dns         *net.DNSError
	)
	switch {
	case errors.As(err, &unknownAuth):
		return hintUnknownAuthority
	case errors.As(err, &hostname):
		return hintHostname
	case errors.As(err, &invalid):
		return hintInvalid
	case errors.As(err, &verify):
		return hintVerify
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http's text for a TLS record header that reads "HTTP/"; the
		// tls.RecordHeaderError is not wrapped.
		return hintPlainHTTP
	case errors.As(err, &recordHdr):
		return hintNotTLS
	case errors.As(err, &dns) && dns.IsNotFound:
		return hintNoSuchHost
	}
	return ""
}
