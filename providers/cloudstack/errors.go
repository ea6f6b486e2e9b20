package cloudstack

import (
	"context"
	"errors"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
)

// APIError is an error answer from the CloudStack API, for a command or for
// the async job it started. It is found inside the *compute.Error every
// method returns:
//
//	var ae *cloudstack.APIError
//	if errors.As(err, &ae) && ae.ErrorCode == 431 { ... }
type APIError struct {
	// HTTPStatus is the HTTP status of the answer; 200 for a failed async
	// job or an error object sent with status 200.
	HTTPStatus int
	// ErrorCode is CloudStack's errorcode (401, 431, 530, ...).
	ErrorCode int
	// CSErrorCode is CloudStack's cserrorcode (4350, 9999, ...), 0 when the
	// server sent none.
	CSErrorCode int
	// ErrorText is the server's message.
	ErrorText string
	// Command is the API command that failed.
	Command string
	// JobID is the async job that failed, or "".
	JobID string
}

// Error implements error.
func (e *APIError) Error() string { return (*csapi.Error)(e).Error() }

// Kind returns the compute error kind of an API error:
//
//	401, 531, 511, 411                 ErrPermissionDenied
//	431 "does not exist", "not found"  ErrNotFound
//	431 "already exists"               ErrAlreadyExists
//	430, 431, other 4xx                ErrInvalidArgument
//	404                                ErrInvalidArgument (wrong endpoint path)
//	403                                ErrPermissionDenied
//	405, 432, 501                      ErrNotSupported
//	429 (refused for rate; not run)     ErrThrottled
//	534, 500-529                       ErrUnavailable
//	530, 535, other 5xx                ErrInternal
//	532, 533                           ErrQuotaExceeded
//	536, 537                           ErrConflict ("already exists": ErrAlreadyExists)
func (e *APIError) Kind() error {
	text := strings.ToLower(e.ErrorText)
	exists := strings.Contains(text, "already exist")
	switch c := e.ErrorCode; {
	case c == 401, c == 403, c == 531, c == 511, c == 411:
		return compute.ErrPermissionDenied
	case c == 431, c == 430:
		switch {
		case notFoundText(text):
			return compute.ErrNotFound
		case exists:
			return compute.ErrAlreadyExists
		}
		return compute.ErrInvalidArgument
	case c == 405, c == 432, c == 501:
		return compute.ErrNotSupported
	case c == 429:
		return compute.ErrThrottled
	case c == 534:
		return compute.ErrUnavailable
	case c == 532, c == 533:
		return compute.ErrQuotaExceeded
	case c == 536, c == 537:
		if exists {
			return compute.ErrAlreadyExists
		}
		return compute.ErrConflict
	case c == 530, c == 535:
		if exists {
			return compute.ErrAlreadyExists
		}
		return compute.ErrInternal
	case c >= 500 && c < 530:
		return compute.ErrUnavailable
	case c >= 400 && c < 500:
		return compute.ErrInvalidArgument
	}
	return compute.ErrInternal
}

// notFoundText reports whether a 431 message says the entity does not exist
// ("... or entity does not exist ...", "Unable to find ...", "... not found").
func notFoundText(text string) bool {
	for _, s := range []string{"does not exist", "doesn't exist", "not found", "unable to find", "cannot find", "can't find", "could not find", "no such"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// apiError converts the internal error type to the exported one.
func apiError(e *csapi.Error) *APIError { return (*APIError)(e) }

// wrap turns any error from the internal client into the *compute.Error the
// driver returns for operation op about resource id. Context errors pass
// through unchanged; an async job still running when the wait ended becomes
// ErrUnavailable that still matches the context error and names the
// resource; a lost answer to a state-changing command is ErrUnavailable; an
// endpoint that cannot be used as configured (certificate, TLS, DNS) is
// ErrInvalidArgument.
func (d *Driver) wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	var ce *compute.Error
	if errors.As(err, &ce) {
		if ce.ID == "" && id != "" {
			c := *ce
			c.ID = id
			return &c
		}
		return err
	}
	var ae *csapi.Error
	var pe *csapi.JobPendingError
	var te *csapi.TransportError
	var me *csapi.MalformedResponseError
	var ee *csapi.EndpointError
	switch {
	case errors.As(err, &ee):
		// A certificate problem, plain HTTP on an https URL, an unknown
		// host: the endpoint settings are wrong, nothing reached the API,
		// and retrying cannot help.
		return &compute.Error{Provider: d.provider, Op: op, ID: id, Kind: compute.ErrInvalidArgument, Err: err}
	case errors.As(err, &pe):
		if pe.ResourceID != "" && id == "" {
			id = pe.ResourceID
		}
		return &compute.Error{Provider: d.provider, Op: op, ID: id, Kind: compute.ErrUnavailable, Err: &JobPendingError{pe}}
	case errors.As(err, &te):
		// Before the context case (reliability suite): an http.Client
		// timeout also matches context.DeadlineExceeded, but the caller's
		// context was not done (csapi returns the bare context error then),
		// so this is a typed ErrUnavailable, not a context error.
		return &compute.Error{Provider: d.provider, Op: op, ID: id, Kind: compute.ErrUnavailable, Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &ae):
		e := apiError(ae)
		return &compute.Error{Provider: d.provider, Op: op, ID: id, Kind: e.Kind(), Err: e}
	case errors.As(err, &me):
		kind := compute.ErrInternal
		// An unreadable answer to a state-changing command leaves its
		// outcome unknown, like a lost answer (reliability suite: the
		// simulator's malformed-JSON fault takes effect first).
		if me.HTTPStatus >= 500 || !csapi.IsIdempotent(me.Command) {
			kind = compute.ErrUnavailable
		}
		return &compute.Error{Provider: d.provider, Op: op, ID: id, Kind: kind, Err: err}
	}
	return compute.NewError(d.provider, op, id, nil, err)
}

// JobPendingError reports an async job that was still running when the wait
// for it ended, because the context was done or the driver's JobTimeout
// passed. The job may still complete: ResourceID is the object it creates or
// acts on (for CreateNode, the new VM's id). It matches the context error
// with errors.Is.
type JobPendingError struct{ e *csapi.JobPendingError }

// Error implements error.
func (e *JobPendingError) Error() string { return e.e.Error() }

// Unwrap returns the context error that ended the wait.
func (e *JobPendingError) Unwrap() error { return e.e.Err }

// Command returns the command that started the job.
func (e *JobPendingError) Command() string { return e.e.Command }

// JobID returns the job's id.
func (e *JobPendingError) JobID() string { return e.e.JobID }

// ResourceID returns the id of the object the job creates or acts on, or "".
func (e *JobPendingError) ResourceID() string { return e.e.ResourceID }

// errorf builds a driver error of the given kind.
func (d *Driver) errorf(op, id string, kind error, format string, args ...any) error {
	return compute.Errorf(d.provider, op, id, kind, format, args...)
}
