package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// The process exit codes, documented in docs/cli.md and the root command's
// help.
const (
	// exitOK: the command succeeded.
	exitOK = 0
	// exitFailure: any failure without a more specific code.
	exitFailure = 1
	// exitUsage: bad flags or arguments, unknown command, or missing or
	// invalid configuration.
	exitUsage = 2
	// exitNotFound: the resource (or provider, or profile) does not exist.
	exitNotFound = 3
	// exitPermission: the credentials are wrong or lack the right.
	exitPermission = 4
	// exitInterrupted: cancelled by Ctrl-C (SIGINT) or SIGTERM, 128+SIGINT.
	exitInterrupted = 130
)

// usageError marks an error as the user's invocation being wrong.
type usageError struct {
	err error
	// config marks a configuration problem: its message says how to fix
	// it, so no pointer to --help is added.
	config bool
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// asUsage marks err as a usage error (nil stays nil).
func asUsage(err error) error {
	if err == nil {
		return nil
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return &usageError{err: err}
}

// usageErrorf returns a formatted usage error.
func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// configErrorf returns a formatted usage error about the configuration.
func configErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), config: true}
}

// reportedError ends a command whose failures were already printed (one
// line each, by a command acting on several resources) with their worst
// exit code; nothing more is printed.
type reportedError struct{ code int }

// Error says the command failed with its exit code (never printed: the
// failures were).
func (e *reportedError) Error() string { return fmt.Sprintf("failed (exit code %d)", e.code) }

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var ue *usageError
	var re *reportedError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &re):
		return re.code
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, compute.ErrNotFound):
		return exitNotFound
	case errors.Is(err, compute.ErrPermissionDenied):
		return exitPermission
	}
	return exitFailure
}

// reportError writes err to w as one line prefixed with "goclouds: " and
// returns its exit code. A usage error points at the help of cmdPath, the
// command that failed. Secrets are scrubbed from the message.
func reportError(w io.Writer, err error, cmdPath string, sc scrubber) int {
	code := exitCode(err)
	var re *reportedError
	if errors.As(err, &re) {
		return code
	}
	msg := sc.scrub(oneLine(err.Error()))
	switch code {
	case exitInterrupted:
		// Keep what the driver knew (an async job still running, the id
		// of a VM that now exists); drop a bare "context canceled".
		if errors.Is(err, context.Canceled) && err.Error() == context.Canceled.Error() {
			msg = "interrupted"
		} else {
			msg = "interrupted: " + msg
		}
	case exitUsage:
		var ue *usageError
		if errors.As(err, &ue) && !ue.config && !strings.Contains(msg, "--help") {
			msg += fmt.Sprintf(" (see '%s --help')", cmdPath)
		}
	}
	fmt.Fprintln(w, "goclouds: "+msg)
	return code
}

// oneLine folds a multi-line message (errors.Join) onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' }), "; ")
}
