package deploy

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/goclouds/goclouds/compute"
	"golang.org/x/crypto/ssh"
)

// Default values of the Options fields.
const (
	// DefaultUsername is the login tried first when Options.Username is "".
	DefaultUsername = "root"
	// DefaultPort is the SSH port used when neither Options.Port nor the
	// node's Extra["ssh_port"] gives one.
	DefaultPort = 22
	// DefaultWaitTimeout bounds the wait for the node to run and get an
	// address (Libcloud's NODE_ONLINE_WAIT_TIMEOUT).
	DefaultWaitTimeout = 600 * time.Second
	// DefaultWaitInterval is the delay between two polls of the node's state.
	DefaultWaitInterval = 5 * time.Second
	// DefaultConnectTimeout bounds the whole SSH connection phase, retries
	// included (Libcloud's SSH_CONNECT_TIMEOUT).
	DefaultConnectTimeout = 300 * time.Second
	// DefaultDialTimeout bounds one connection attempt: TCP connect, SSH
	// handshake and authentication.
	DefaultDialTimeout = 15 * time.Second
	// DefaultRetryInterval is the delay between two connection attempts.
	DefaultRetryInterval = 2 * time.Second
	// DefaultMaxTries is how often a step is tried when the connection
	// fails under it (Libcloud's max_tries).
	DefaultMaxTries = 3
	// DefaultKeepAliveInterval is how often an idle connection is checked
	// (OpenSSH's ServerAliveInterval).
	DefaultKeepAliveInterval = 30 * time.Second
	// DefaultCleanupTimeout bounds the destruction of a node whose
	// deployment failed.
	DefaultCleanupTimeout = 5 * time.Minute
	// DefaultMaxOutput is how many bytes of a command's stdout, and as many
	// of its stderr, are kept.
	DefaultMaxOutput = 4 << 20
)

// FailurePolicy says what DeployNode does with the node when the deployment
// fails after the node was created.
type FailurePolicy int

const (
	// DestroyOnFailure destroys the node; this is the default, so that a
	// failed deployment leaves nothing to pay for behind.
	DestroyOnFailure FailurePolicy = iota
	// KeepOnFailure keeps the node, for inspection; the caller gets it back
	// in the *DeploymentError and must destroy it.
	KeepOnFailure
)

// String returns "destroy" or "keep".
func (p FailurePolicy) String() string {
	switch p {
	case DestroyOnFailure:
		return "destroy"
	case KeepOnFailure:
		return "keep"
	}
	return fmt.Sprintf("FailurePolicy(%d)", int(p))
}

// AddressFamily selects which IP versions DeployNode connects over.
type AddressFamily int

const (
	// IPv4 uses IPv4 addresses only; this is the default (Libcloud's
	// force_ipv4).
	IPv4 AddressFamily = iota
	// IPv6 uses IPv6 addresses only.
	IPv6
	// AnyFamily uses IPv4 and IPv6 addresses, in the order the provider
	// lists them.
	AnyFamily
)

// String returns "ipv4", "ipv6" or "any".
func (f AddressFamily) String() string {
	switch f {
	case IPv4:
		return "ipv4"
	case IPv6:
		return "ipv6"
	case AnyFamily:
		return "any"
	}
	return fmt.Sprintf("AddressFamily(%d)", int(f))
}

// Options tunes DeployNode. A nil *Options is not enough: DeployNode needs at
// least a way to verify the node's host key (KnownHostsFile,
// HostKeyFingerprints, HostKeyCallback or InsecureIgnoreHostKey) and, unless
// the provider generates a password, a way to log in. Zero fields take the
// Default* values.
type Options struct {
	// Username is the login tried first; default "root".
	Username string
	// AlternateUsernames are tried, in order, when Username cannot log in
	// (for images whose user is "ubuntu", "debian", "cloud-user", ...).
	AlternateUsernames []string
	// Port is the SSH port. Zero uses the node's Extra["ssh_port"] when the
	// provider reports one, else 22.
	Port int

	// PrivateKeyFiles are paths of private keys (PEM or OpenSSH format) to
	// log in with. They are read, and decrypted with PrivateKeyPassphrase,
	// before the node is created, so a bad key costs no node.
	PrivateKeyFiles []string
	// PrivateKeys are private keys given as bytes, like PrivateKeyFiles.
	// They are secrets: never logged nor put into errors.
	PrivateKeys [][]byte
	// PrivateKeyPassphrase decrypts the encrypted private keys. It is a
	// secret.
	PrivateKeyPassphrase []byte
	// Signers are further keys, already parsed (for example from an SSH
	// agent).
	Signers []ssh.Signer
	// Password is the login password. When "", the request's Auth.Password
	// is used, else the password the provider generated for the node
	// (Node.Extra["password"]). It is a secret.
	Password string

	// KnownHostsFile is an OpenSSH known_hosts file the node's host key must
	// be listed in (under the address DeployNode connects to).
	KnownHostsFile string
	// AcceptNewHostKey, with KnownHostsFile, accepts the key of a host the
	// file does not list yet and appends it to the file (OpenSSH's
	// StrictHostKeyChecking=accept-new); a listed host presenting another
	// key is still refused.
	AcceptNewHostKey bool
	// HostKeyFingerprints pins the host key: it must have one of these
	// SHA-256 fingerprints, in OpenSSH's "SHA256:<base64>" form (see
	// ssh.FingerprintSHA256). Pre-generate the node's host key and hand it
	// to the node in user data to know the fingerprint in advance.
	HostKeyFingerprints []string
	// HostKeyCallback verifies the host key with custom logic.
	HostKeyCallback ssh.HostKeyCallback
	// InsecureIgnoreHostKey accepts any host key. It exposes the deployment
	// (and the password, if one is used) to a man in the middle; each use is
	// logged as a warning.
	InsecureIgnoreHostKey bool

	// Interface is the address list to connect to: compute.PublicIPs
	// (default) or compute.PrivateIPs.
	Interface compute.AddressInterface
	// Family selects IPv4 (default), IPv6 or both.
	Family AddressFamily

	// WaitTimeout bounds the wait for the node to run with an address.
	WaitTimeout time.Duration
	// WaitInterval is the delay between polls of the node's state.
	WaitInterval time.Duration
	// ConnectTimeout bounds the SSH connection phase, retries included.
	ConnectTimeout time.Duration
	// DialTimeout bounds a single connection attempt.
	DialTimeout time.Duration
	// RetryInterval is the delay between connection attempts.
	RetryInterval time.Duration
	// CommandTimeout bounds each remote command (a script run, an upload);
	// zero means no limit but the context's. A step's own Timeout wins.
	CommandTimeout time.Duration
	// KeepAliveInterval is how often a keepalive request is sent while the
	// connection is open, so that NAT gateways keep it during long silent
	// commands and a dead peer is noticed; three unanswered keepalives in
	// a row close the connection (OpenSSH's ServerAliveCountMax). Negative
	// disables keepalives.
	KeepAliveInterval time.Duration
	// MaxTries is how many times a step is tried when the SSH connection
	// breaks under it; DeployNode reconnects between tries. A command
	// that runs and fails (non-zero exit, timeout) is not tried again.
	MaxTries int
	// MaxOutput caps how many bytes of each command's stdout and stderr are
	// kept; the rest is counted and dropped.
	MaxOutput int

	// OnFailure says what to do with the node when deployment fails:
	// DestroyOnFailure (default) or KeepOnFailure.
	OnFailure FailurePolicy
	// CleanupTimeout bounds the destruction of a failed node. Destruction
	// runs even when ctx was canceled.
	CleanupTimeout time.Duration

	// Logger receives progress and warnings; nil logs nothing. Secrets are
	// never logged.
	Logger *slog.Logger
	// Progress, when set, is called at each phase (see Event).
	Progress func(Event)
	// Stdout and Stderr, when set, receive a live copy of what remote
	// commands print.
	Stdout, Stderr io.Writer
}

// config is Options with defaults applied and key material parsed.
type config struct {
	Options
	usernames []string
	signers   []ssh.Signer
	hostKeys  *hostKeyVerifier
	log       *slog.Logger
	// liveMu serialises writes to Options.Stdout and Options.Stderr, which
	// may be the same writer.
	liveMu sync.Mutex
}

// newConfig validates o and fills in the defaults. It parses every private
// key, so errors surface before any node exists.
func newConfig(o *Options) (*config, error) {
	if o == nil {
		return nil, invalid(errors.New("options are required: at least a host key policy"))
	}
	c := &config{Options: *o}
	c.log = c.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.Username == "" {
		c.Username = DefaultUsername
	}
	c.usernames = dedupe(append([]string{c.Username}, c.AlternateUsernames...))
	if c.Port < 0 || c.Port > 65535 {
		return nil, invalid(fmt.Errorf("port %d out of range", c.Port))
	}
	if c.Interface == "" {
		c.Interface = compute.PublicIPs
	}
	if c.Interface != compute.PublicIPs && c.Interface != compute.PrivateIPs {
		return nil, invalid(fmt.Errorf("interface %q: want %q or %q", c.Interface, compute.PublicIPs, compute.PrivateIPs))
	}
	if c.Family < IPv4 || c.Family > AnyFamily {
		return nil, invalid(fmt.Errorf("unknown address family %d", int(c.Family)))
	}
	if c.OnFailure != DestroyOnFailure && c.OnFailure != KeepOnFailure {
		return nil, invalid(fmt.Errorf("unknown failure policy %d", int(c.OnFailure)))
	}
	for _, d := range []*time.Duration{&c.WaitTimeout, &c.WaitInterval, &c.ConnectTimeout, &c.DialTimeout,
		&c.RetryInterval, &c.CommandTimeout, &c.CleanupTimeout} {
		if *d < 0 {
			return nil, invalid(fmt.Errorf("negative duration %s", *d))
		}
	}
	setDefault(&c.WaitTimeout, DefaultWaitTimeout)
	setDefault(&c.WaitInterval, DefaultWaitInterval)
	setDefault(&c.ConnectTimeout, DefaultConnectTimeout)
	setDefault(&c.DialTimeout, DefaultDialTimeout)
	setDefault(&c.RetryInterval, DefaultRetryInterval)
	setDefault(&c.CleanupTimeout, DefaultCleanupTimeout)
	setDefault(&c.KeepAliveInterval, DefaultKeepAliveInterval)
	if c.MaxTries < 0 || c.MaxOutput < 0 {
		return nil, invalid(errors.New("MaxTries and MaxOutput must not be negative"))
	}
	if c.MaxTries == 0 {
		c.MaxTries = DefaultMaxTries
	}
	if c.MaxOutput == 0 {
		c.MaxOutput = DefaultMaxOutput
	}
	var err error
	if c.signers, err = loadSigners(o); err != nil {
		return nil, err
	}
	if c.hostKeys, err = newHostKeyVerifier(o, c.log); err != nil {
		return nil, err
	}
	return c, nil
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

// dedupe drops empty and repeated names, keeping the first occurrence.
func dedupe(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := names[:0:0]
	for _, n := range names {
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}
