package compute

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/types"
)

// The kinds of error every driver reports. Test for them with errors.Is; the
// error itself is a *Error whose Kind is one of these.
var (
	// ErrNotFound: the resource does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a resource with that name or id exists already.
	ErrAlreadyExists = errors.New("already exists")
	// ErrInvalidArgument: the request is malformed or names something invalid.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrNotSupported: the provider or driver does not offer the operation.
	ErrNotSupported = errors.New("not supported")
	// ErrPermissionDenied: the credentials are wrong or lack the right.
	ErrPermissionDenied = errors.New("permission denied")
	// ErrQuotaExceeded: a resource limit was reached.
	ErrQuotaExceeded = errors.New("quota exceeded")
	// ErrConflict: the resource is in the wrong state for the operation
	// (stopping a stopped node, resizing a running one) or is in use.
	ErrConflict = errors.New("conflict")
	// ErrThrottled: the provider refused the call for rate (HTTP 429,
	// RequestLimitExceeded, ...) before running it. Nothing happened, so the
	// call is safe to retry, writes included; drivers retry it themselves
	// within their retry budget and return ErrThrottled only once that
	// budget is spent.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable: the provider could not be reached, the connection
	// broke, or it answered with a transient failure. For a read nothing
	// changed. For a state-changing call the outcome is unknown: the call
	// may or may not have taken effect, and the *Error carries what is known
	// (its ID is the resource the provider had already named, if any), so
	// look before sending it again unless the provider makes it idempotent.
	ErrUnavailable = errors.New("unavailable")
	// ErrInternal: the provider failed in a way the caller cannot fix.
	ErrInternal = errors.New("internal error")
)

// Kinds lists every error kind, for tables and tests.
var Kinds = []error{
	ErrNotFound, ErrAlreadyExists, ErrInvalidArgument, ErrNotSupported,
	ErrPermissionDenied, ErrQuotaExceeded, ErrConflict, ErrThrottled, ErrUnavailable, ErrInternal,
}

// Error is the error every driver returns. It answers errors.Is for its Kind
// and errors.As for the provider's raw error in Err (for CloudStack a
// *cloudstack.APIError).
type Error struct {
	// Provider is the provider whose driver failed.
	Provider types.Provider
	// Op is the driver operation, such as "CreateNode" or "ExListNetworks".
	Op string
	// ID is the resource the operation was about, or "". For a create whose
	// outcome is unknown it is the id the provider had already returned.
	ID string
	// Kind is one of the Err* sentinels.
	Kind error
	// Err is the underlying error, often the provider's own error type.
	Err error
}

// Error formats the error as
// `compute: <provider>: <Op> "<ID>": <kind>: <underlying error>`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("compute: ")
	if e.Provider != "" {
		b.WriteString(string(e.Provider))
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		if e.ID != "" {
			fmt.Fprintf(&b, " %q", e.ID)
		}
		b.WriteString(": ")
	} else if e.ID != "" {
		fmt.Fprintf(&b, "%q: ", e.ID)
	}
	kind := e.Kind
	if kind == nil {
		kind = ErrInternal
	}
	b.WriteString(kind.Error())
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the kind and the underlying error, skipping nils.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// NewError wraps err as a *Error of the given kind, except that context
// errors (context.Canceled, context.DeadlineExceeded) and errors that are
// already a *Error are returned unchanged, so errors.Is(err,
// context.Canceled) keeps working. A nil kind is taken from err when it
// already matches a kind, else ErrInternal.
//
// A *url.Error (what an http.Client returns) has its URL's query and user
// information removed first, since a signed request carries its API key and
// signature there; errors.As still finds the *url.Error.
func NewError(p types.Provider, op, id string, kind, err error) error {
	err = redactURL(err)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		var ce *Error
		if errors.As(err, &ce) {
			return err
		}
	}
	if kind == nil {
		kind = KindOf(err)
	}
	if kind == nil {
		kind = ErrInternal
	}
	return &Error{Provider: p, Op: op, ID: id, Kind: kind, Err: err}
}

// redactURL returns err with the URL of a top-level *url.Error reduced to
// scheme, host and path.
func redactURL(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	clean := "(unparsable URL)"
	if u, perr := url.Parse(ue.URL); perr == nil {
		u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
		clean = u.String()
	}
	return &url.Error{Op: ue.Op, URL: clean, Err: ue.Err}
}

// Errorf is NewError with a formatted message as the underlying error.
func Errorf(p types.Provider, op, id string, kind error, format string, args ...any) error {
	return NewError(p, op, id, kind, fmt.Errorf(format, args...))
}

// KindOf returns the Err* kind err matches, or ErrInternal when it matches
// none (and nil for a nil err).
func KindOf(err error) error {
	if err == nil {
		return nil
	}
	for _, k := range Kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	return ErrInternal
}
