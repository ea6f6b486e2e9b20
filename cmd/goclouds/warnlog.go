package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// warningHandler is the slog.Handler of a command run without --debug: it
// prints the driver's warnings (such as TLS verification turned off) as the
// CLI prints everything else on stderr, one line starting with "goclouds:",
// and drops records below warning level.
type warningHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	attrs []slog.Attr
}

func newWarningHandler(w io.Writer) *warningHandler {
	return &warningHandler{mu: &sync.Mutex{}, w: w}
}

// Enabled implements slog.Handler: warnings and errors only.
func (h *warningHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

// Handle implements slog.Handler: "goclouds: warning: MSG (key value, ...)".
func (h *warningHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	level := "warning"
	if r.Level >= slog.LevelError {
		level = "error"
	}
	fmt.Fprintf(&b, "goclouds: %s: %s", level, r.Message)
	var attrs []string
	add := func(a slog.Attr) bool {
		if !a.Equal(slog.Attr{}) {
			attrs = append(attrs, a.Key+" "+a.Value.String())
		}
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	if len(attrs) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(attrs, ", "))
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// WithAttrs implements slog.Handler.
func (h *warningHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

// WithGroup implements slog.Handler; groups are flattened (warnings carry
// few attributes).
func (h *warningHandler) WithGroup(string) slog.Handler { return h }
