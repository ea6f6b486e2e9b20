package csapi

import "strings"

// IsIdempotent reports whether a command only reads, so that sending it
// twice is harmless and it may be retried: list*, get*, query* and find*,
// except the get* commands that create an upload slot. Every other command
// may change state and is never sent twice.
func IsIdempotent(command string) bool {
	c := strings.ToLower(command)
	switch {
	case strings.HasPrefix(c, "getuploadparams"):
		return false
	case strings.HasPrefix(c, "list"), strings.HasPrefix(c, "get"),
		strings.HasPrefix(c, "query"), strings.HasPrefix(c, "find"):
		return true
	}
	return false
}

// IsAsync reports whether the spec (CloudStack 4.18) lists the command as
// asynchronous. Commands newer than the spec are recognised by their answer
// instead (see LooksLikeJob).
func IsAsync(command string) bool { return asyncCommands[strings.ToLower(command)] }

// Pages reports whether a list command takes page and pagesize; the few
// that do not return everything at once.
func Pages(command string) bool {
	c := strings.ToLower(command)
	return strings.HasPrefix(c, "list") && !unpagedLists[c]
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
