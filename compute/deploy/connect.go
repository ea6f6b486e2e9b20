package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// connector makes SSH connections to one node, retrying until the connect
// timeout, and remembers which address and user worked so reconnects try
// them first.
type connector struct {
	cfg     *config
	addrs   []string // "host:port"
	users   []string
	methods []ssh.AuthMethod
}

// connect returns a connection, or an error matching ErrConnect (timeout),
// ErrHostKey (fatal at once) or ctx's error.
func (k *connector) connect(ctx context.Context) (*sshClient, error) {
	cctx, cancel := context.WithTimeout(ctx, k.cfg.ConnectTimeout)
	defer cancel()
	attempts := 0
	var last error
	for {
		for _, addr := range k.addrs {
			for _, user := range k.users {
				attempts++
				c, err := k.dial(cctx, addr, user)
				if err == nil {
					k.prefer(addr, user)
					k.cfg.log.Debug("deploy: connected", "address", addr, "user", user, "attempts", attempts)
					return c, nil
				}
				err = fmt.Errorf("%s@%s: %w", user, addr, err)
				k.cfg.log.Debug("deploy: connection attempt failed", "attempt", attempts, "error", err)
				if last == nil || !pastDeadline(cctx) {
					// An attempt cut short by the deadline says less than
					// the one before it.
					last = err
				}
				if errors.Is(err, ErrHostKey) {
					return nil, err
				}
				if !isAuthFailure(err) {
					break // the address is not reachable: other users will not fare better
				}
			}
		}
		if err := compute.Sleep(cctx, k.cfg.RetryInterval); err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%w (last attempt: %v)", ctx.Err(), last)
			}
			return nil, fmt.Errorf("%w: %d attempts in %s: %w", ErrConnect, attempts,
				k.cfg.ConnectTimeout, last)
		}
	}
}

// pastDeadline reports whether ctx is done or its deadline has come (a
// network deadline may fire before the context notices).
func pastDeadline(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(dl)
}

// dial makes one connection attempt, bounded by DialTimeout.
func (k *connector) dial(ctx context.Context, addr, user string) (*sshClient, error) {
	dctx, cancel := context.WithTimeout(ctx, k.cfg.DialTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// Abort the handshake when the attempt's time is up.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	cc := &ssh.ClientConfig{
		User:              user,
		Auth:              k.methods,
		HostKeyCallback:   k.cfg.hostKeys.callback,
		HostKeyAlgorithms: k.cfg.hostKeys.algorithms(addr),
		Timeout:           k.cfg.DialTimeout,
	}
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, cc)
	if !stop() {
		if err == nil {
			sc.Close()
		}
		return nil, fmt.Errorf("SSH handshake: %w", context.Cause(dctx))
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return newSSHClient(ssh.NewClient(sc, chans, reqs), addr, user, k.cfg), nil
}

// prefer moves addr and user to the front, for the next reconnect.
func (k *connector) prefer(addr, user string) {
	moveFront(k.addrs, addr)
	moveFront(k.users, user)
}

func moveFront(s []string, v string) {
	if i := slices.Index(s, v); i > 0 {
		copy(s[1:i+1], s[:i])
		s[0] = v
	}
}

// isAuthFailure reports an SSH authentication failure, which is retried
// (cloud-init may not have installed the key yet) and moves on to the next
// user name.
func isAuthFailure(err error) bool {
	return strings.Contains(err.Error(), "unable to authenticate")
}

// sshPort returns the port to connect to: the option, else the node's
// Extra["ssh_port"], else 22.
func sshPort(opt int, extra map[string]any) (int, error) {
	if opt != 0 {
		return opt, nil
	}
	v, ok := extra["ssh_port"]
	if !ok {
		return DefaultPort, nil
	}
	p := -1
	switch x := v.(type) {
	case int:
		p = x
	case int64:
		p = int(x)
	case float64:
		if x == float64(int(x)) {
			p = int(x)
		}
	case string, fmt.Stringer: // fmt.Stringer: json.Number
		if n, err := strconv.Atoi(fmt.Sprint(x)); err == nil {
			p = n
		}
	}
	if p <= 0 || p > 65535 {
		return 0, fmt.Errorf("node reports an invalid ssh_port %v", v)
	}
	return p, nil
}
