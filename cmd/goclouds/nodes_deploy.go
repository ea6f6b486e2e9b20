package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/deploy"
)

func init() { registerNodeCommand(newNodesDeployCmd) }

// deployFlags are the flags of `goclouds nodes deploy`.
type deployFlags struct {
	// create holds the flags shared with `nodes create`: image, size,
	// location, --password-file and the CloudStack options.
	create createFlags

	sshKeys       []string
	passphraseEnv string
	passwordEnv   string
	noAuthKey     bool
	user          string
	altUsers      []string
	port          int

	authorizeKeys []string
	files         []string
	scripts       []string
	scriptArgs    []string
	allowFailure  bool

	knownHosts      string
	strictHostKey   bool
	fingerprints    []string
	insecureHostKey bool

	private bool
	family  string

	wf             waitFlags
	connectTimeout time.Duration
	commandTimeout time.Duration
	maxTries       int
	keep           bool
	quiet          bool
}

func newNodesDeployCmd(env *cliEnv) *cobra.Command {
	var f deployFlags
	cmd := &cobra.Command{
		Use:   "deploy NAME --image IMAGE --size SIZE [--ssh-key FILE] [--script FILE]...",
		Short: "Create a node and provision it over SSH (keys, files, scripts)",
		Long: `Create a node (with the options of 'nodes create'), wait until it runs
with an address, log in over SSH and run the deployment steps, in this order:
--authorize-key (append public keys to ~/.ssh/authorized_keys), --file
(upload), --script (upload and run; a non-zero exit fails the deployment
unless --allow-script-failure). Each phase is reported on stderr, with the
scripts' output (unless --quiet); the deployed node is printed on stdout. A
password the provider generates is used to log in, and kept only in
--password-file.

Login: --ssh-key private keys (their public half, FILE.pub or derived, is
given to the provider to install on the node, unless --no-auth-key), then the
password from $GOCLOUDS_SSH_PASSWORD or the one the provider generated. An
encrypted key's passphrase is read from $GOCLOUDS_SSH_KEY_PASSPHRASE.
Secrets are never taken as flag values.

Host keys are verified: by default against ~/.ssh/known_hosts, recording the
new node's key there (OpenSSH's accept-new; --strict-host-key refuses unknown
hosts), or against --host-key-fingerprint. --insecure-ignore-host-key skips
verification (with a warning).

If anything fails once the node exists, the node is destroyed, unless
--keep-on-failure. Ctrl-C also destroys it.`,
		Example: `  goclouds nodes deploy web1 --image "Ubuntu 22.04" --size Small \
      --ssh-key ~/.ssh/id_ed25519 --alt-user ubuntu --script setup.sh
  goclouds nodes deploy web1 --image 7e1f... --size 1 --ssh-key ~/.ssh/id_ed25519 \
      --file ./site.conf:/etc/nginx/conf.d/site.conf --script install.sh \
      --script-arg=--domain --script-arg=example.com --command-timeout 15m -o json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNodesDeploy(env, cmd, args[0], &f)
		},
	}
	f.create.add(cmd)
	fl := cmd.Flags()
	fl.StringArrayVar(&f.sshKeys, "ssh-key", nil, "private key file to log in with (repeatable)")
	fl.StringVar(&f.passphraseEnv, "ssh-key-passphrase-env", "GOCLOUDS_SSH_KEY_PASSPHRASE",
		"environment variable holding the private keys' passphrase")
	fl.StringVar(&f.passwordEnv, "password-env", "GOCLOUDS_SSH_PASSWORD",
		"environment variable holding the login password")
	fl.BoolVar(&f.noAuthKey, "no-auth-key", false, "do not ask the provider to install the --ssh-key public key")
	fl.StringVar(&f.user, "user", deploy.DefaultUsername, "login user")
	fl.StringArrayVar(&f.altUsers, "alt-user", nil, "login user to try next, such as ubuntu (repeatable)")
	fl.IntVar(&f.port, "port", 0, "SSH port (default: the provider's, else 22)")
	fl.StringArrayVar(&f.authorizeKeys, "authorize-key", nil, "public key file to add to authorized_keys (repeatable)")
	fl.StringArrayVar(&f.files, "file", nil, "LOCAL:REMOTE file to upload, keeping its mode (repeatable)")
	fl.StringArrayVar(&f.scripts, "script", nil, "script file to upload and run (repeatable)")
	fl.StringArrayVar(&f.scriptArgs, "script-arg", nil, "argument passed to every script (repeatable)")
	fl.BoolVar(&f.allowFailure, "allow-script-failure", false, "do not fail on a non-zero script exit status")
	fl.StringVar(&f.knownHosts, "known-hosts", "~/.ssh/known_hosts", "known_hosts file to verify host keys with")
	fl.BoolVar(&f.strictHostKey, "strict-host-key", false, "refuse hosts missing from --known-hosts instead of recording them")
	fl.StringArrayVar(&f.fingerprints, "host-key-fingerprint", nil, "expected host key SHA256:... fingerprint (repeatable)")
	fl.BoolVar(&f.insecureHostKey, "insecure-ignore-host-key", false, "do not verify the host key (unsafe)")
	fl.BoolVar(&f.private, "private", false, "connect to the node's private address")
	fl.StringVar(&f.family, "ip-family", "ipv4", "address family to connect over: ipv4, ipv6 or any")
	f.wf.add(cmd)
	fl.DurationVar(&f.connectTimeout, "connect-timeout", deploy.DefaultConnectTimeout, "how long to retry the SSH connection")
	fl.DurationVar(&f.commandTimeout, "command-timeout", 0, "bound on each remote command (default none)")
	fl.IntVar(&f.maxTries, "max-tries", deploy.DefaultMaxTries, "tries per step when the connection breaks")
	fl.BoolVar(&f.keep, "keep-on-failure", false, "keep the node when the deployment fails")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print neither progress nor script output")
	return cmd
}

func runNodesDeploy(env *cliEnv, cmd *cobra.Command, name string, f *deployFlags) error {
	if err := f.create.check("nodes deploy"); err != nil {
		return err
	}
	steps, err := f.steps(env)
	if err != nil {
		return err
	}
	opts, auth, err := f.options(env)
	if err != nil {
		return err
	}
	providerOpts, err := f.create.providerOptions(env)
	if err != nil {
		return err
	}
	ctx, d, err := env.connect(cmd)
	if err != nil {
		return err
	}
	req, err := f.create.request(ctx, d, "nodes deploy", name, auth, providerOpts)
	if err != nil {
		return err
	}
	sink, err := openSecretSink(env, "password-file", f.create.passwordFile)
	if err != nil {
		return err
	}
	node, err := deploy.DeployNode(ctx, d, req, steps, opts)
	var de *deploy.DeploymentError
	switch {
	case errors.As(err, &de) && de.Node != nil && !de.Destroyed:
		// A kept node's generated password is needed to look into it.
		if _, werr := keepNodePassword(env, sink, de.Node); werr != nil {
			return errors.Join(err, werr)
		}
		return err
	case err != nil:
		sink.discard()
		if de == nil && errors.Is(err, compute.ErrInvalidArgument) {
			return asUsage(err)
		}
		return err
	}
	if wrote, err := keepNodePassword(env, sink, node); err != nil || wrote && sink.toStdout() {
		return err
	}
	return renderOne(env, node, nodeColumns)
}

// steps builds the deployment from the flags: keys, then files, then
// scripts.
func (f *deployFlags) steps(env *cliEnv) (*deploy.MultiStepDeployment, error) {
	steps := &deploy.MultiStepDeployment{}
	for _, path := range f.authorizeKeys {
		data, err := os.ReadFile(expandHome(env, path))
		if err != nil {
			return nil, usageErrorf("--authorize-key: %v", err)
		}
		for line := range strings.Lines(string(data)) {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				steps.Add(&deploy.SSHKeyDeployment{Key: line})
			}
		}
	}
	for _, spec := range f.files {
		local, remote, ok := strings.Cut(spec, ":")
		if !ok || local == "" || remote == "" {
			return nil, usageErrorf("--file %q: want LOCAL:REMOTE", spec)
		}
		steps.Add(&deploy.FileDeployment{Source: expandHome(env, local), Target: remote})
	}
	for _, path := range f.scripts {
		s := &deploy.ScriptFileDeployment{ScriptFile: expandHome(env, path)}
		s.Args, s.AllowFailure, s.Delete = f.scriptArgs, f.allowFailure, true
		steps.Add(s)
	}
	return steps, nil
}

// options builds the deployment options and the auth to create the node
// with.
func (f *deployFlags) options(env *cliEnv) (*deploy.Options, compute.NodeAuth, error) {
	var auth compute.NodeAuth
	o := &deploy.Options{
		Username:           f.user,
		AlternateUsernames: f.altUsers,
		Port:               f.port,
		Password:           env.getenv(f.passwordEnv),
		WaitTimeout:        f.wf.timeout,
		WaitInterval:       f.wf.interval,
		ConnectTimeout:     f.connectTimeout,
		CommandTimeout:     f.commandTimeout,
		MaxTries:           f.maxTries,
	}
	if pass := env.getenv(f.passphraseEnv); pass != "" {
		o.PrivateKeyPassphrase = []byte(pass)
	}
	for _, path := range f.sshKeys {
		path = expandHome(env, path)
		o.PrivateKeyFiles = append(o.PrivateKeyFiles, path)
		if f.noAuthKey || auth.SSHKey != "" {
			continue
		}
		pub, err := publicKeyOf(path, o.PrivateKeyPassphrase)
		if err != nil {
			return nil, auth, usageErrorf("--ssh-key %s: %v", path, err)
		}
		auth = compute.NodeAuthSSHKey(pub)
	}
	if f.private {
		o.Interface = compute.PrivateIPs
	}
	switch f.family {
	case "ipv4":
		o.Family = deploy.IPv4
	case "ipv6":
		o.Family = deploy.IPv6
	case "any":
		o.Family = deploy.AnyFamily
	default:
		return nil, auth, usageErrorf("--ip-family %q: want ipv4, ipv6 or any", f.family)
	}
	switch {
	case len(f.fingerprints) > 0 && f.insecureHostKey:
		return nil, auth, usageErrorf("--host-key-fingerprint and --insecure-ignore-host-key exclude each other")
	case len(f.fingerprints) > 0:
		o.HostKeyFingerprints = f.fingerprints
	case f.insecureHostKey:
		o.InsecureIgnoreHostKey = true
	default:
		o.KnownHostsFile = expandHome(env, f.knownHosts)
		o.AcceptNewHostKey = !f.strictHostKey
	}
	if f.keep {
		o.OnFailure = deploy.KeepOnFailure
	}
	out := &lockedWriter{w: env.stderr}
	o.Logger = f.logger(env, out)
	if !f.quiet {
		o.Progress = func(e deploy.Event) { fmt.Fprintf(out, "==> %s\n", e) }
		o.Stdout, o.Stderr = out, out
	}
	return o, auth, nil
}

// logger returns the deployment's logger: debug records with --debug, else
// warnings only (such as an unverified host key), on stderr.
func (f *deployFlags) logger(env *cliEnv, w io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if env.flags.debug {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// publicKeyOf returns the public half of a private key file: the contents
// of FILE.pub when it exists, else derived from the private key.
func publicKeyOf(path string, passphrase []byte) (string, error) {
	if data, err := os.ReadFile(path + ".pub"); err == nil {
		return strings.TrimSpace(string(data)), nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s, err := deploy.ParsePrivateKey(pem, passphrase)
	if err != nil {
		return "", err
	}
	return deploy.AuthorizedKey(s), nil
}

// lockedWriter serialises writes from progress, logs and live output.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
