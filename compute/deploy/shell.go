package deploy

import "strings"

// quote returns s as one POSIX shell word: in single quotes, each embedded
// single quote closed, escaped with a backslash and reopened.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// commandLine returns the shell command that runs path with args, each
// quoted. A bare file name is made relative ("./name"), so the shell does
// not look it up in PATH.
func commandLine(path string, args []string) string {
	if !strings.Contains(path, "/") {
		path = "./" + path
	}
	var b strings.Builder
	b.WriteString(quote(path))
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(quote(a))
	}
	return b.String()
}
