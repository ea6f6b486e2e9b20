package csapi

import (
	"fmt"
	"regexp"
	"strings"
)

// Error is an error answer from the CloudStack API, for a command or for an
// async job it started. Package cloudstack turns it into its exported
// APIError.
type Error struct {
	// HTTPStatus is the HTTP status of the answer (200 for job failures and
	// for error objects sent with status 200).
	HTTPStatus int
	// ErrorCode is CloudStack's errorcode (431, 530, ...); it equals the HTTP
	// status on current servers.
	ErrorCode int
	// CSErrorCode is CloudStack's cserrorcode (4350, 9999, ...) when sent.
	CSErrorCode int
	// ErrorText is the server's message.
	ErrorText string
	// Command is the API command that failed.
	Command string
	// JobID is the async job that failed, or "".
	JobID string
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Command)
	if e.JobID != "" {
		fmt.Fprintf(&b, " (job %s)", e.JobID)
	}
	fmt.Fprintf(&b, ": error %d", e.ErrorCode)
	if e.CSErrorCode != 0 {
		fmt.Fprintf(&b, "/%d", e.CSErrorCode)
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != e.ErrorCode {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.ErrorText != "" {
		b.WriteString(": ")
		b.WriteString(e.ErrorText)
	}
	return b.String()
}

// TransportError is a failure to get a complete answer: the connection
// could not be made, broke, or the body could not be read. For a command
// that may change state the outcome is unknown (Sent reports whether the
// request may have reached the server); it was not retried.
type TransportError struct {
	// Command is the API command.
	Command string
	// Idempotent reports whether the command is a read that was retried.
	Idempotent bool
	// Sent reports whether the request may have reached the server.
	Sent bool
	// Attempts is the number of attempts made.
	Attempts int
	// Err is the underlying error, with any URL (and so any signature)
	// removed.
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	switch {
	case e.Idempotent:
		return fmt.Sprintf("%s: no answer after %d attempt(s): %v", e.Command, e.Attempts, e.Err)
	case e.Sent:
		return fmt.Sprintf("%s: outcome unknown (the request may have been executed; not retried): %v", e.Command, e.Err)
	default:
		return fmt.Sprintf("%s: request not sent: %v", e.Command, e.Err)
	}
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// MalformedResponseError is an answer that is not a CloudStack JSON
// response (an HTML error page, XML, truncated or invalid JSON, no
// "...response" member).
type MalformedResponseError struct {
	// Command is the API command.
	Command string
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// Snippet is the beginning of the body, for diagnosis.
	Snippet string
	// Err says what is wrong.
	Err error
}

// Error implements error.
func (e *MalformedResponseError) Error() string {
	s := fmt.Sprintf("%s: malformed response (HTTP %d): %v", e.Command, e.HTTPStatus, e.Err)
	if e.Snippet != "" {
		s += fmt.Sprintf(" (body starts %q)", e.Snippet)
	}
	return s
}

// Unwrap returns the underlying error.
func (e *MalformedResponseError) Unwrap() error { return e.Err }

// JobPendingError reports that waiting for an async job ended (context done
// or the job timeout reached) while the job was still running. The job may
// still complete; ResourceID names the object it creates or acts on, when
// known.
type JobPendingError struct {
	// Command is the command that started the job.
	Command string
	// JobID is the job.
	JobID string
	// ResourceID is the id returned at submit or the job's instance id.
	ResourceID string
	// Err is the context error that ended the wait.
	Err error
}

// Error implements error.
func (e *JobPendingError) Error() string {
	s := fmt.Sprintf("%s: job %s still running when the wait ended", e.Command, e.JobID)
	if e.ResourceID != "" {
		s += fmt.Sprintf(" (resource %s exists)", e.ResourceID)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the context error.
func (e *JobPendingError) Unwrap() error { return e.Err }

// snippet returns the start of body for error messages, with the values of
// secret members (privatekey, password, userdata, ...: IsSecretParam)
// replaced, so that a malformed answer carrying a generated private key or
// password does not put it into an error string (reliability suite,
// secret hygiene).
func snippet(body []byte) string {
	const max = 200
	if len(body) > 64<<10 {
		body = body[:64<<10] // a value cut here is still redacted (to the end)
	}
	s := redactJSONSecrets(strings.TrimSpace(string(body)))
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// jsonStringMember matches a JSON member with a string value, also one cut
// short by the end of a truncated body.
var jsonStringMember = regexp.MustCompile(`"([^"\\]{1,64})"\s*:\s*"(?:[^"\\]|\\.)*(?:"|\\?$)`)

// redactJSONSecrets replaces the string values of secret members in s.
func redactJSONSecrets(s string) string {
	return jsonStringMember.ReplaceAllStringFunc(s, func(m string) string {
		name := jsonStringMember.FindStringSubmatch(m)[1]
		if !IsSecretParam(name) {
			return m
		}
		return `"` + name + `":"REDACTED"`
	})
}
