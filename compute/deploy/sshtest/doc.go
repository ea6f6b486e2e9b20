// Package sshtest is an SSH server on loopback for tests of deployments
// (package deploy and its users), as net/http/httptest is for HTTP. It
// authenticates with public keys, passwords or keyboard-interactive,
// really runs the commands it is sent (with /bin/sh, in a temporary home
// directory), honours the KILL signal, and receives files through a
// built-in scp sink (or the system's scp, or none). It can come up late and
// drop connections, to exercise retries.
package sshtest
