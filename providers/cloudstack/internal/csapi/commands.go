package csapi

import "strings"

// IsIdempotent reports whether a command only reads, so that sending it
// twice is harmless and it may be retried: list*, get*, query* and find*,
// except the get* commands that create an upload slot. Every other command
// may change state and is never sent twice.
func IsIdempotent(command string) bool {
	switch {
	case hasPrefixFold(command, "getuploadparams"):
		return false
	case hasPrefixFold(command, "list"), hasPrefixFold(command, "get"),
		hasPrefixFold(command, "query"), hasPrefixFold(command, "find"):
		return true
	}
	return false
}

// hasPrefixFold reports whether s begins with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// IsAsync reports whether the spec (CloudStack 4.18) lists the command as
// asynchronous. Commands newer than the spec are recognised by their answer
// instead (see LooksLikeJob).
func IsAsync(command string) bool { return hasLower(asyncCommands, command) }

// Pages reports whether a list command takes page and pagesize; the few
// that do not return everything at once.
func Pages(command string) bool {
	return hasPrefixFold(command, "list") && !hasLower(unpagedLists, command)
}

// hasLower reports m[strings.ToLower(s)], without allocating for the short
// ASCII names of commands.
func hasLower(m map[string]bool, s string) bool {
	var b [64]byte
	if len(s) > len(b) {
		return m[strings.ToLower(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return m[strings.ToLower(s)]
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return m[string(b[:len(s)])]
}

// secretParams are parameter names whose values are secrets: they are never
// logged, and force POST so they stay out of URLs and server access logs.
var secretParams = map[string]bool{
	"signature": true, "password": true, "userdata": true, "privatekey": true,
	"secretkey": true, "sessionkey": true, "currentpassword": true, "ipsecpsk": true,
}

// IsSecretParam reports whether the parameter name carries a secret.
func IsSecretParam(name string) bool {
	n := strings.ToLower(name)
	return secretParams[n] || strings.Contains(n, "password") || strings.Contains(n, "secret") ||
		strings.Contains(n, "privatekey")
}
