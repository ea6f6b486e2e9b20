package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// secretSink is where a secret the provider returns only once goes (a new
// key pair's private key, a node's generated password): a file created
// before the resource, so the secret never has nowhere to go, or stdout.
// The secret is never part of the printed resource.
type secretSink struct {
	path string   // the file, or "-" for stdout
	file *os.File // nil for stdout
}

// openSecretSink prepares the sink named by a flag's value: "-" is stdout,
// anything else a new file with mode 0600 (never an existing one). An empty
// path gives a nil sink.
func openSecretSink(env *cliEnv, flag, path string) (*secretSink, error) {
	if path == "" {
		return nil, nil
	}
	if path == "-" {
		return &secretSink{path: path}, nil
	}
	path = expandHome(env, path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, usageErrorf("--%s: %v", flag, err)
	}
	return &secretSink{path: path, file: f}, nil
}

// toStdout reports whether the secret goes to stdout (in place of the
// resource).
func (s *secretSink) toStdout() bool { return s != nil && s.file == nil }

// write stores the secret, on a line of its own, and closes the file.
func (s *secretSink) write(env *cliEnv, what, secret string) error {
	text := strings.TrimRight(secret, "\n") + "\n"
	if s.file == nil {
		_, err := fmt.Fprint(env.stdout, text)
		return err
	}
	_, err := s.file.WriteString(text)
	if cerr := s.file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s to %s (it cannot be fetched again): %w", what, s.path, err)
	}
	return nil
}

// discard closes and removes the file, when nothing was written to it.
func (s *secretSink) discard() {
	if s != nil && s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.path)
	}
}

// nodeSecret removes the generated password CloudStack returns once, on
// create, in Extra["password"] (in place: n is the driver's copy) and
// returns it ("" when there is none).
func nodeSecret(n *compute.Node) string {
	if n == nil || n.Extra == nil {
		return ""
	}
	password, _ := n.Extra["password"].(string)
	delete(n.Extra, "password")
	return password
}

// withoutNodeSecrets removes the secrets of every node (in place).
func withoutNodeSecrets(nodes []*compute.Node) []*compute.Node {
	for _, n := range nodes {
		nodeSecret(n)
	}
	return nodes
}
