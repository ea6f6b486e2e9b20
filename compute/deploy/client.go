package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Client is the SSH connection to the node as deployment steps see it. The
// implementation DeployNode passes is safe for use by one step at a time.
type Client interface {
	// Run runs cmd through the login user's shell (a POSIX shell is
	// assumed) in the user's home directory. It returns the command's
	// output and exit status; a non-zero exit is reported in the Result,
	// not as an error. Errors are transport failures, ctx's end, or a
	// *CommandTimeoutError.
	Run(ctx context.Context, cmd string, opts *RunOptions) (*Result, error)
	// Upload writes size bytes read from r to path on the node (relative
	// paths are relative to the home directory), creating or replacing the
	// file, with the permission bits mode. The directory must exist.
	Upload(ctx context.Context, path string, mode fs.FileMode, size int64, r io.Reader) error
	// Address is the "host:port" the client is connected to.
	Address() string
	// Username is the user the client is logged in as.
	Username() string
}

// RunOptions tunes one Client.Run call.
type RunOptions struct {
	// Stdin is fed to the command; nil gives it an empty input.
	Stdin io.Reader
	// Timeout bounds the command; zero uses Options.CommandTimeout.
	Timeout time.Duration
	// Name describes the command in logs and errors, in place of the
	// command line, which may hold secrets. Default "command".
	Name string
}

// Result is the outcome of a command.
type Result struct {
	// Stdout and Stderr are what the command printed, up to
	// Options.MaxOutput bytes each.
	Stdout, Stderr []byte
	// Truncated reports that output beyond Options.MaxOutput was dropped.
	Truncated bool
	// ExitStatus is the command's exit status; -1 if it died of a signal.
	ExitStatus int
	// Signal is the signal that killed the command, or "".
	Signal string
}

// err returns nil for a zero exit status, else an *ExitError.
func (r *Result) err(name string) error {
	if r.ExitStatus == 0 && r.Signal == "" {
		return nil
	}
	return &ExitError{Command: name, ExitStatus: r.ExitStatus, Signal: r.Signal, Stdout: r.Stdout, Stderr: r.Stderr}
}

// sshClient is the Client DeployNode gives to steps.
type sshClient struct {
	conn      *ssh.Client
	addr      string
	user      string
	cfg       *config
	stop      chan struct{}
	closeOnce sync.Once
}

func newSSHClient(conn *ssh.Client, addr, user string, cfg *config) *sshClient {
	c := &sshClient{conn: conn, addr: addr, user: user, cfg: cfg, stop: make(chan struct{})}
	if cfg.KeepAliveInterval > 0 {
		go c.keepAlive(cfg.KeepAliveInterval)
	}
	return c
}

func (c *sshClient) Address() string  { return c.addr }
func (c *sshClient) Username() string { return c.user }

// Close stops the keepalives and closes the connection.
func (c *sshClient) Close() error {
	c.closeOnce.Do(func() { close(c.stop) })
	return c.conn.Close()
}

// keepAlive sends a keepalive request every interval, one at a time; when
// three intervals pass without an answer, the peer is taken for dead and
// the connection closed, which fails the running command as a lost
// connection.
func (c *sshClient) keepAlive(every time.Duration) {
	const maxMissed = 3
	t := time.NewTicker(every)
	defer t.Stop()
	var pending chan error
	missed := 0
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		if pending != nil {
			select {
			case err := <-pending:
				if err != nil {
					return // the connection is gone already
				}
				pending, missed = nil, 0
			default:
				if missed++; missed >= maxMissed {
					c.cfg.log.Warn("deploy: no answer to keepalives, closing the connection",
						"address", c.addr, "interval", every)
					c.conn.Close()
					return
				}
				continue
			}
		}
		pending = make(chan error, 1)
		go func(done chan<- error) {
			_, _, err := c.conn.SendRequest("keepalive@openssh.com", true, nil)
			done <- err
		}(pending)
	}
}

// Run implements Client.
func (c *sshClient) Run(ctx context.Context, cmd string, opts *RunOptions) (*Result, error) {
	var o RunOptions
	if opts != nil {
		o = *opts
	}
	if o.Name == "" {
		o.Name = "command"
	}
	stdout := c.cfg.capture(c.cfg.Stdout)
	stderr := c.cfg.capture(c.cfg.Stderr)
	res := func() *Result {
		return &Result{Stdout: stdout.bytes(), Stderr: stderr.bytes(), Truncated: stdout.dropped+stderr.dropped > 0}
	}
	err := c.session(ctx, o.Name, o.Timeout, res, func(s *ssh.Session) error {
		s.Stdin, s.Stdout, s.Stderr = o.Stdin, stdout, stderr
		if err := s.Start(cmd); err != nil {
			return &connLostError{err}
		}
		return s.Wait()
	})
	r := res()
	var exit *ssh.ExitError
	switch {
	case err == nil:
		return r, nil
	case errors.As(err, &exit):
		r.ExitStatus, r.Signal = exit.ExitStatus(), exit.Signal()
		if r.Signal != "" {
			r.ExitStatus = -1
		}
		return r, nil
	}
	return r, err
}

// session runs fn on a new session, watching ctx and the command timeout:
// when either ends first, the command is sent SIGKILL and the session closed.
// partial supplies the output gathered so far for a timeout error.
func (c *sshClient) session(ctx context.Context, name string, timeout time.Duration,
	partial func() *Result, fn func(*ssh.Session) error) error {
	if timeout <= 0 {
		timeout = c.cfg.CommandTimeout
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := c.conn.NewSession()
	if err != nil {
		return &connLostError{err}
	}
	defer s.Close()
	done := make(chan error, 1)
	go func() { done <- fn(s) }()
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case err := <-done:
		var missing *ssh.ExitMissingError
		if errors.As(err, &missing) {
			return &connLostError{err}
		}
		return err
	case <-expired:
		kill(s, done)
		r := partial()
		c.cfg.log.Warn("deploy: command timed out", "command", name, "timeout", timeout)
		return &CommandTimeoutError{Command: name, Timeout: timeout, Stdout: r.Stdout, Stderr: r.Stderr}
	case <-ctx.Done():
		kill(s, done)
		return ctx.Err()
	}
}

// kill signals the remote command, closes its session and waits for fn to
// return.
func kill(s *ssh.Session, done <-chan error) {
	_ = s.Signal(ssh.SIGKILL)
	_ = s.Close()
	<-done
}

// capture keeps the first max bytes written to it, counts the rest, and
// copies everything to live (under the config's lock) when set.
type captureBuffer struct {
	max     int
	buf     []byte
	dropped int64
	live    io.Writer
	liveMu  *sync.Mutex
}

func (c *config) capture(live io.Writer) *captureBuffer {
	return &captureBuffer{max: c.MaxOutput, live: live, liveMu: &c.liveMu}
}

func (b *captureBuffer) Write(p []byte) (int, error) {
	keep := min(len(p), b.max-len(b.buf))
	b.buf = append(b.buf, p[:keep]...)
	b.dropped += int64(len(p) - keep)
	if b.live != nil {
		b.liveMu.Lock()
		_, _ = b.live.Write(p)
		b.liveMu.Unlock()
	}
	return len(p), nil
}

func (b *captureBuffer) bytes() []byte { return b.buf }

// errNoSCP reports that the node has no scp program.
var errNoSCP = errors.New("no scp on the node")

// Upload implements Client: it speaks the scp protocol to "scp -t" and, when
// the node has no scp, falls back to "cat >" through the shell.
func (c *sshClient) Upload(ctx context.Context, path string, mode fs.FileMode, size int64, r io.Reader) error {
	if err := checkRemotePath(path); err != nil {
		return err
	}
	name := "upload " + path
	none := func() *Result { return &Result{} }
	err := c.session(ctx, name, 0, none, func(s *ssh.Session) error {
		return scpSend(s, path, mode, size, r)
	})
	if !errors.Is(err, errNoSCP) {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	c.cfg.log.Debug("deploy: no scp on the node, uploading through the shell", "path", path)
	cmd := fmt.Sprintf("umask 077 && cat > %s && chmod %04o %s", quote(path), mode.Perm(), quote(path))
	in := &sourceReader{r: io.LimitReader(r, size)}
	res, err := c.Run(ctx, cmd, &RunOptions{Stdin: in, Name: name})
	if err != nil {
		return err
	}
	if err := res.err(name); err != nil {
		return err
	}
	if in.n != size {
		return fmt.Errorf("%s: source gave %d bytes, want %d", name, in.n, size)
	}
	return nil
}

// sourceReader counts the bytes read through it and remembers the first
// error, so a failing or short local source is told apart from a failing
// connection.
type sourceReader struct {
	r   io.Reader
	n   int64
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}
