package main

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// redactedValue replaces secrets in --debug logs.
const redactedValue = "REDACTED"

// secretKeys are attribute names (lower-cased, without "_" or "-") whose
// values are always secrets.
var secretKeys = map[string]bool{
	"secret": true, "secretkey": true, "signature": true, "password": true,
	"privatekey": true, "userdata": true, "sessionkey": true, "authorization": true,
}

// secretParam matches secret query parameters inside logged URLs or bodies.
var secretParam = regexp.MustCompile(`(?i)\b(signature|secretkey|secret_key|password|userdata|sessionkey)=[^&\s"']*`)

// scrubber removes secrets from text: secret query parameters, and every
// occurrence of the configured secret key, also URL-encoded.
type scrubber struct {
	secrets []string
}

func newScrubber(secret string) scrubber {
	var sc scrubber
	if secret != "" {
		sc.secrets = []string{secret}
		for _, enc := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
			if enc != secret {
				sc.secrets = append(sc.secrets, enc)
			}
		}
	}
	return sc
}

// shortSecret is the length under which a secret is scrubbed only where it
// stands alone (not inside a longer word), so that a one-letter test
// secret does not turn "unavailable" into "unavailaREDACTEDle".
const shortSecret = 8

// scrub removes secret parameters and the secret key from s.
func (sc scrubber) scrub(s string) string {
	s = secretParam.ReplaceAllString(s, "${1}="+redactedValue)
	for _, secret := range sc.secrets {
		if len(secret) >= shortSecret {
			s = strings.ReplaceAll(s, secret, redactedValue)
			continue
		}
		s = replaceWhole(s, secret)
	}
	return s
}

// replaceWhole replaces the occurrences of secret in s that are not part
// of a longer run of letters and digits.
func replaceWhole(s, secret string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(secret)
		whole := (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(redactedValue)
		} else {
			b.WriteString(secret)
		}
		s = s[end:]
	}
}

// isWordByte reports whether c is an ASCII letter or digit.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// redactingHandler is a slog.Handler that removes secrets before records
// reach the wrapped handler: attributes named like secrets, and whatever
// its scrubber removes. It is the CLI's second line of defence; drivers
// redact on their own.
type redactingHandler struct {
	scrubber
	next slog.Handler
}

func newRedactingHandler(next slog.Handler, secret string) *redactingHandler {
	return &redactingHandler{next: next, scrubber: newScrubber(secret)}
}

// Enabled implements slog.Handler.
func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(clean), scrubber: h.scrubber}
}

// WithGroup implements slog.Handler.
func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name), scrubber: h.scrubber}
}

func (h *redactingHandler) attr(a slog.Attr) slog.Attr {
	norm := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(a.Key))
	v := a.Value.Resolve()
	if secretKeys[norm] && !(v.Kind() == slog.KindString && v.String() == "") {
		return slog.String(a.Key, redactedValue)
	}
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindString:
		return slog.String(a.Key, h.scrub(v.String()))
	case slog.KindAny:
		// Render values (errors, URLs, maps, byte slices) that may carry
		// a secret; leave the others alone.
		if s := v.String(); h.scrub(s) != s {
			return slog.String(a.Key, h.scrub(s))
		}
		if b, ok := v.Any().([]byte); ok {
			return slog.String(a.Key, h.scrub(string(b)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
