package deploy_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
	"github.com/goclouds/goclouds/providers/dummy"
)

// testKey is a client key pair: the signer and its PEM private key.
type testKey struct {
	signer ssh.Signer
	pem    []byte
}

func newKey(t testing.TB, passphrase string) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "test key")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test key", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: s, pem: pem.EncodeToMemory(block)}
}

// env is a test SSH server and a dummy driver whose new nodes point at it.
type env struct {
	t    testing.TB
	srv  *sshtest.Server
	drv  *dummy.Driver
	key  testKey
	req  *compute.CreateNodeRequest
	logs *lockedBuffer
}

// newEnv starts a server that authorises a fresh key for root, unless o
// sets its own credentials, and a dummy driver reporting the server's
// address and port.
func newEnv(t testing.TB, o sshtest.Options) *env {
	t.Helper()
	e := &env{t: t, key: newKey(t, ""), logs: &lockedBuffer{}}
	if o.AuthorizedKeys == nil && o.Passwords == nil {
		o.AuthorizedKeys = map[string][]ssh.PublicKey{"root": {e.key.signer.PublicKey()}}
	}
	e.srv = sshtest.New(t, o)
	e.drv = dummy.New(&dummy.Options{Nodes: -1, PublicIP: e.srv.Host, SSHPort: e.srv.Port})
	e.req = &compute.CreateNodeRequest{Name: "web-1", Image: &compute.Image{ID: "1"}, Size: &compute.Size{ID: "1"}}
	return e
}

// opts returns fast options that log in with the env's key and pin the
// server's host key.
func (e *env) opts() *deploy.Options {
	return &deploy.Options{
		PrivateKeys:         [][]byte{e.key.pem},
		HostKeyFingerprints: []string{e.srv.Fingerprint()},
		WaitInterval:        5 * time.Millisecond,
		RetryInterval:       5 * time.Millisecond,
		ConnectTimeout:      time.Minute,
		Logger:              slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// nodes returns the ids of the driver's nodes.
func (e *env) nodes() []string {
	e.t.Helper()
	ns, err := e.drv.ListNodes(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, n := range ns {
		ids = append(ids, n.ID)
	}
	return ids
}

// home returns the path of name in the server's home directory.
func (e *env) home(name string) string { return filepath.Join(e.srv.Home, name) }

// readHome reads a file in the server's home directory and its mode.
func (e *env) readHome(name string) (string, os.FileMode) {
	e.t.Helper()
	b, err := os.ReadFile(e.home(name))
	if err != nil {
		e.t.Fatal(err)
	}
	st, err := os.Stat(e.home(name))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b), st.Mode().Perm()
}

// deploymentError asserts err is a *DeploymentError and returns it.
func deploymentError(t *testing.T, err error) *deploy.DeploymentError {
	t.Helper()
	var de *deploy.DeploymentError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *DeploymentError", err, err)
	}
	return de
}

// eventually polls cond until it holds, failing after a generous bound. It
// synchronises with asynchronous effects; it does not measure time.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hookHandler is a slog handler that calls fn for every record whose
// message contains match.
type hookHandler struct {
	slog.Handler
	match string
	fn    func()
}

func (h *hookHandler) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, h.match) {
		h.fn()
	}
	return h.Handler.Handle(ctx, r)
}

// phases returns the phases of the events, in order.
func phases(events []deploy.Event) []deploy.Phase {
	var out []deploy.Phase
	for _, e := range events {
		out = append(out, e.Phase)
	}
	return out
}

// recorder collects progress events.
type recorder struct {
	mu     sync.Mutex
	events []deploy.Event
}

func (r *recorder) record(e deploy.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) all() []deploy.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// assertNoSecrets fails if any secret shows up in the texts.
func assertNoSecrets(t *testing.T, texts []string, secrets ...string) {
	t.Helper()
	for _, text := range texts {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("secret %q leaked into %q", s, text)
			}
		}
	}
}

// stepFunc is a deployment step made of a function.
type stepFunc struct {
	name string
	run  func(ctx context.Context, c deploy.Client) error
}

func (s *stepFunc) String() string { return s.name }

func (s *stepFunc) Run(ctx context.Context, node *compute.Node, c deploy.Client) (*compute.Node, error) {
	if err := s.run(ctx, c); err != nil {
		return nil, err
	}
	return node, nil
}
