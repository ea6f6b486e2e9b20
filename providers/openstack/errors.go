package openstack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/goclouds/goclouds/compute"
)

// APIError is an OpenStack service's error answer, decoded once from the
// body Nova, Cinder, Glance, Keystone or Neutron sends. It wraps
// gophercloud's ErrUnexpectedResponseCode (with the raw body and headers),
// which errors.As also finds:
//
//	var raw gophercloud.ErrUnexpectedResponseCode
//	if errors.As(err, &raw) { ... raw.Body ... }
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Type is the error's name in the body ("itemNotFound",
	// "conflictingRequest", "HTTPNotFound", a Neutron type such as
	// "NetworkNotFound"), or "" when the body names none.
	Type string
	// Message is the service's message.
	Message string
	// Raw is gophercloud's error, with the body and response headers.
	Raw gophercloud.ErrUnexpectedResponseCode
}

// Error returns "HTTP <status> <type>: <message>".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	if e.Type != "" {
		b.WriteString(" " + e.Type)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Unwrap returns the raw gophercloud error.
func (e *APIError) Unwrap() error { return e.Raw }

// newAPIError decodes raw's body: Nova and Cinder send {"<type>":
// {"code": N, "message": "..."}}, Keystone {"error": {"code", "message",
// "title"}}, Neutron {"NeutronError": {"type", "message"}}, Glance a text or
// HTML page whose last non-empty line is the message.
func newAPIError(raw gophercloud.ErrUnexpectedResponseCode) *APIError {
	e := &APIError{Status: raw.Actual, Raw: raw}
	var body map[string]json.RawMessage
	if json.Unmarshal(raw.Body, &body) == nil && len(body) > 0 {
		for k, v := range body {
			var inner struct {
				Message string `json:"message"`
				Title   string `json:"title"`
				Type    string `json:"type"`
				Detail  string `json:"detail"`
			}
			if json.Unmarshal(v, &inner) != nil {
				if k == "message" || k == "error_message" {
					_ = json.Unmarshal(v, &e.Message)
				}
				continue
			}
			e.Type, e.Message = k, inner.Message
			switch {
			case k == "NeutronError" && inner.Type != "":
				e.Type = inner.Type
			case k == "error" && inner.Title != "":
				e.Type = inner.Title
			}
			break
		}
		return e
	}
	text := strings.TrimSpace(stripTags(string(raw.Body)))
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			e.Message = l
			break
		}
	}
	if len(e.Message) > 500 {
		e.Message = e.Message[:500] + "..."
	}
	return e
}

// stripTags removes HTML tags from s (Glance's error pages).
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte('\n')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// kind maps an API error to a compute kind:
//
//	400 → ErrInvalidArgument (ErrQuotaExceeded when the message says quota;
//	      ErrConflict for Cinder's "status must be ..." state errors)
//	401, 403 → ErrPermissionDenied (403 with a quota message: ErrQuotaExceeded)
//	404 → ErrNotFound
//	409 → ErrAlreadyExists when the message says it exists, else ErrConflict
//	413 → ErrQuotaExceeded when the message says quota or limit exceeded
//	      with no Retry-After, else ErrThrottled
//	429 → ErrThrottled
//	501 → ErrNotSupported
//	502, 503, 504 → ErrUnavailable
//	other → ErrInternal
func (e *APIError) kind() error {
	msg := strings.ToLower(e.Message)
	quota := strings.Contains(msg, "quota")
	switch e.Status {
	case http.StatusBadRequest:
		if quota {
			return compute.ErrQuotaExceeded
		}
		if strings.Contains(msg, "status must be") || strings.Contains(msg, "current status is") {
			return compute.ErrConflict // Cinder's InvalidVolume for a volume in the wrong state
		}
		return compute.ErrInvalidArgument
	case http.StatusUnauthorized:
		return compute.ErrPermissionDenied
	case http.StatusForbidden:
		if quota {
			return compute.ErrQuotaExceeded
		}
		return compute.ErrPermissionDenied
	case http.StatusNotFound:
		return compute.ErrNotFound
	case http.StatusConflict:
		if strings.Contains(msg, "already exists") || strings.Contains(msg, "already in use") && strings.Contains(msg, "name") {
			return compute.ErrAlreadyExists
		}
		return compute.ErrConflict
	case http.StatusRequestEntityTooLarge:
		if quota || e.Raw.ResponseHeader.Get("Retry-After") == "" {
			return compute.ErrQuotaExceeded
		}
		return compute.ErrThrottled
	case http.StatusTooManyRequests:
		return compute.ErrThrottled
	case http.StatusNotImplemented:
		return compute.ErrNotSupported
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return compute.ErrUnavailable
	}
	return compute.ErrInternal
}

// wrap maps err, from gophercloud or the driver, to a *compute.Error of
// the right kind for operation op on resource id. Context errors pass
// through unchanged.
func (d *Driver) wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	return compute.NewError(provider, op, id, kindOf(err), describe(err))
}

// describe returns the error to carry: an *APIError for an HTTP error
// answer (wrapping gophercloud's), else err.
func describe(err error) error {
	var reauth gophercloud.ErrUnableToReauthenticate
	if errors.As(err, &reauth) {
		if e := describe(reauth.ErrReauth); e != reauth.ErrReauth {
			return fmt.Errorf("reissuing the token: %w", e)
		}
		return err
	}
	var raw gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &raw) {
		return newAPIError(raw)
	}
	return err
}

// kindOf returns err's compute kind.
func kindOf(err error) error {
	var reauth gophercloud.ErrUnableToReauthenticate
	if errors.As(err, &reauth) {
		return kindOf(reauth.ErrReauth)
	}
	var raw gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &raw) {
		return newAPIError(raw).kind()
	}
	var ce *compute.Error
	if errors.As(err, &ce) {
		return ce.Kind
	}
	for _, k := range compute.Kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	var (
		noServiceP  *gophercloud.ErrServiceNotFound
		noEndpointP *gophercloud.ErrEndpointNotFound
		notFound    gophercloud.ErrResourceNotFound
		multiple    gophercloud.ErrMultipleResourcesFound
		noService   gophercloud.ErrServiceNotFound
		noEndpoint  gophercloud.ErrEndpointNotFound
		missing     gophercloud.ErrMissingInput
		invalid     gophercloud.ErrInvalidInput
		urlErr      *url.Error
		netErr      net.Error
		syntaxErr   *json.SyntaxError
		unmarshalEr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &notFound):
		return compute.ErrNotFound
	case errors.As(err, &multiple), errors.As(err, &missing), errors.As(err, &invalid):
		return compute.ErrInvalidArgument
	case errors.As(err, &noService), errors.As(err, &noServiceP):
		return compute.ErrNotSupported
	case errors.As(err, &noEndpoint), errors.As(err, &noEndpointP):
		return compute.ErrInvalidArgument
	case errors.As(err, &urlErr), errors.As(err, &netErr):
		return compute.ErrUnavailable
	case errors.As(err, &syntaxErr), errors.As(err, &unmarshalEr):
		return compute.ErrInternal
	}
	return compute.ErrInternal
}
