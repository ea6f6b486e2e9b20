package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"maps"
	"net"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// SCPMode says how the server handles "scp -t" commands.
type SCPMode int

const (
	// SCPBuiltin handles scp commands with a sink written in Go (default).
	SCPBuiltin SCPMode = iota
	// SCPShell runs scp commands through /bin/sh like any other, so the
	// system's scp receives the files.
	SCPShell
	// SCPMissing answers scp commands as a shell without scp would: exit
	// status 127.
	SCPMissing
)

// Options configures a Server.
type Options struct {
	// HostKey is the server's host key; nil generates an Ed25519 key.
	HostKey ssh.Signer
	// ExtraHostKeys are further host keys, of other types.
	ExtraHostKeys []ssh.Signer
	// AuthorizedKeys maps a user name to the public keys it may log in
	// with.
	AuthorizedKeys map[string][]ssh.PublicKey
	// Passwords maps a user name to its password.
	Passwords map[string]string
	// PasswordCallback, when set, decides on passwords instead of
	// Passwords (for a password only the node's provider knows).
	PasswordCallback func(user, password string) bool
	// KeyboardInteractive takes passwords through keyboard-interactive
	// only, as many OpenSSH servers do, instead of the "password" method.
	KeyboardInteractive bool
	// FailAuth makes authentication fail on the first FailAuth
	// connections, whatever the credentials (a key not installed yet).
	FailAuth int
	// DropConnections closes the first DropConnections accepted
	// connections before the SSH handshake.
	DropConnections int
	// Deferred reserves the port but listens only when Start is called, so
	// connections are refused until then.
	Deferred bool
	// SCP selects how uploads are received.
	SCP SCPMode
	// Home is the home directory commands run in; "" makes a temporary
	// one.
	Home string
	// Host is the loopback address to listen on; "" means "127.0.0.1".
	Host string
}

// Exec records one command the server ran.
type Exec struct {
	// User is the login user.
	User string
	// Command is the command line.
	Command string
	// ExitStatus is the exit status (-1 for a signal).
	ExitStatus int
	// Signal is the signal that ended the command, or "".
	Signal string
}

// Server is a running test SSH server. Its methods are safe for concurrent
// use.
type Server struct {
	opts Options
	cfg  *ssh.ServerConfig

	// Host and Port are where the server listens.
	Host string
	Port int
	// Home is the directory commands run in.
	Home string
	// HostKey is the server's host key; read it with Fingerprint or
	// KnownHostsLine once SetHostKey may run.
	HostKey ssh.Signer

	mu        sync.Mutex
	ln        net.Listener
	conns     map[net.Conn]bool
	accepted  int
	authConns map[string]bool
	execs     []Exec
	signals   []string
	global    map[string]int
	passwords map[string]string
	closed    bool
	wg        sync.WaitGroup
}

// New starts a server (or, with Deferred, reserves its port) and stops it
// when the test ends.
func New(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{opts: o, Host: o.Host, Home: o.Home, HostKey: o.HostKey,
		conns: make(map[net.Conn]bool), authConns: make(map[string]bool), global: make(map[string]int),
		passwords: maps.Clone(o.Passwords)}
	if s.Home == "" {
		s.Home = t.TempDir()
	}
	if s.Host == "" {
		s.Host = "127.0.0.1"
	}
	if s.HostKey == nil {
		s.HostKey = NewSigner(t)
	}
	s.cfg = s.serverConfig()
	ln, err := net.Listen("tcp", net.JoinHostPort(s.Host, "0"))
	if err != nil {
		t.Fatalf("sshtest: listen: %v", err)
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	if o.Deferred {
		ln.Close()
	} else {
		s.serve(ln)
	}
	t.Cleanup(s.Close)
	return s
}

// Start listens on the reserved port (for a Deferred server).
func (s *Server) Start() error {
	ln, err := net.Listen("tcp", s.Addr())
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// Addr returns "<host>:<port>".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Fingerprint returns the host key's SHA256 fingerprint.
func (s *Server) Fingerprint() string { return ssh.FingerprintSHA256(s.hostKey().PublicKey()) }

// KnownHostsLine returns the known_hosts line for the server.
func (s *Server) KnownHostsLine() string {
	return knownhosts.Line([]string{knownhosts.Normalize(s.Addr())}, s.hostKey().PublicKey())
}

func (s *Server) hostKey() ssh.Signer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.HostKey
}

// Execs returns the commands run so far, finished ones only.
func (s *Server) Execs() []Exec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exec(nil), s.execs...)
}

// Signals returns the signals clients sent, in order.
func (s *Server) Signals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.signals...)
}

// Accepted returns how many TCP connections the server accepted.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Close stops the server, closes every connection, kills running commands
// and waits for its goroutines.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	if s.ln != nil {
		s.ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// SetHostKey replaces the host key for the connections to come (a
// reinstalled machine, or a man in the middle).
func (s *Server) SetHostKey(k ssh.Signer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.HostKey = k
	s.cfg = s.serverConfig()
}

// SetPassword sets user's password, for instance to the one a provider
// generated for a new node.
func (s *Server) SetPassword(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.passwords == nil {
		s.passwords = make(map[string]string)
	}
	s.passwords[user] = password
}

// DropAll closes every open connection, as a network failure would, but
// keeps listening.
func (s *Server) DropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

func (s *Server) serve(ln net.Listener) {
	s.mu.Lock()
	s.ln = ln
	closed := s.closed
	s.mu.Unlock()
	if closed {
		ln.Close()
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if s.closed {
				s.mu.Unlock()
				c.Close()
				return
			}
			s.accepted++
			drop := s.accepted <= s.opts.DropConnections
			s.conns[c] = true
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer s.forget(c)
				if drop {
					return
				}
				s.handle(c)
			}()
		}
	}()
}

func (s *Server) forget(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// serverConfig sets up the authentication methods the options ask for.
func (s *Server) serverConfig() *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{}
	cfg.AddHostKey(s.HostKey)
	for _, k := range s.opts.ExtraHostKeys {
		cfg.AddHostKey(k)
	}
	cfg.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
		if s.failAuth(c) {
			return nil, fmt.Errorf("authentication disabled for now")
		}
		for _, k := range s.opts.AuthorizedKeys[c.User()] {
			if bytes.Equal(k.Marshal(), key.Marshal()) {
				return nil, nil
			}
		}
		return nil, fmt.Errorf("key not authorized for %q", c.User())
	}
	check := func(c ssh.ConnMetadata, password string) error {
		s.mu.Lock()
		want, ok := s.passwords[c.User()]
		s.mu.Unlock()
		if s.opts.PasswordCallback != nil {
			ok, want = s.opts.PasswordCallback(c.User(), password), password
		}
		if s.failAuth(c) || !ok || password != want {
			return fmt.Errorf("wrong password for %q", c.User())
		}
		return nil
	}
	if s.opts.KeyboardInteractive {
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata,
			ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			answers, err := ask(c.User(), "", []string{"Password: "}, []bool{false})
			if err != nil || len(answers) != 1 {
				return nil, fmt.Errorf("keyboard-interactive failed")
			}
			return nil, check(c, answers[0])
		}
	} else {
		cfg.PasswordCallback = func(c ssh.ConnMetadata, password []byte) (*ssh.Permissions, error) {
			return nil, check(c, string(password))
		}
	}
	return cfg
}

// failAuth reports whether the connection falls under Options.FailAuth.
func (s *Server) failAuth(c ssh.ConnMetadata) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := string(c.SessionID())
	if _, seen := s.authConns[id]; !seen {
		s.authConns[id] = len(s.authConns) < s.opts.FailAuth
	}
	return s.authConns[id]
}

func (s *Server) handle(c net.Conn) {
	s.mu.Lock()
	cfg := s.cfg
	s.mu.Unlock()
	conn, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	defer conn.Close()
	go s.globalRequests(reqs)
	var wg sync.WaitGroup
	defer wg.Wait()
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.session(conn.User(), ch, creqs)
		}()
	}
}

// globalRequests counts the connection-level requests (keepalives) and
// refuses them, as OpenSSH does for those it does not know.
func (s *Server) globalRequests(reqs <-chan *ssh.Request) {
	for req := range reqs {
		s.mu.Lock()
		s.global[req.Type]++
		s.mu.Unlock()
		if req.WantReply {
			_ = req.Reply(false, nil)
		}
	}
}

// GlobalRequests returns how many connection-level requests of type typ
// (such as "keepalive@openssh.com") clients sent.
func (s *Server) GlobalRequests(typ string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.global[typ]
}

// NewSigner returns a new Ed25519 signer.
func NewSigner(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	return signer(t, priv, err)
}

// NewRSASigner returns a new 2048-bit RSA signer.
func NewRSASigner(t testing.TB) ssh.Signer {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	return signer(t, priv, err)
}

func signer(t testing.TB, priv any, err error) ssh.Signer {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
