package compute

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/goclouds/goclouds/types"
)

// AddressInterface selects which of a node's addresses WaitUntilRunning (and
// deployment) waits for and uses.
type AddressInterface string

// The address interfaces.
const (
	// PublicIPs uses Node.PublicIPs (Libcloud's "public_ips").
	PublicIPs AddressInterface = "public_ips"
	// PrivateIPs uses Node.PrivateIPs (Libcloud's "private_ips").
	PrivateIPs AddressInterface = "private_ips"
)

// WaitOptions tunes WaitUntilRunning and WaitForState. The zero value, or
// nil, gives Libcloud's defaults.
type WaitOptions struct {
	// Interval is the delay between polls; default 5s (Libcloud's
	// wait_period).
	Interval time.Duration
	// Timeout bounds the whole wait; default 600s. The context may end it
	// sooner.
	Timeout time.Duration
	// Interface is the address list a running node must have an address in;
	// default PublicIPs.
	Interface AddressInterface
	// AllowIPv6 counts IPv6 addresses as well; by default only IPv4 counts
	// (Libcloud's force_ipv4=True).
	AllowIPv6 bool
}

func (o *WaitOptions) withDefaults() WaitOptions {
	var w WaitOptions
	if o != nil {
		w = *o
	}
	if w.Interval <= 0 {
		w.Interval = 5 * time.Second
	}
	if w.Timeout <= 0 {
		w.Timeout = 600 * time.Second
	}
	if w.Interface == "" {
		w.Interface = PublicIPs
	}
	return w
}

// RunningNode is a node WaitUntilRunning saw running, with the addresses it
// found on the chosen interface.
type RunningNode struct {
	// Node is the node as last listed.
	Node *Node
	// Addresses are the node's usable addresses on the chosen interface.
	Addresses []string
}

// Addresses returns the addresses of n on the interface iface, IPv4 only
// unless allowIPv6.
func Addresses(n *Node, iface AddressInterface, allowIPv6 bool) []string {
	src := n.PublicIPs
	if iface == PrivateIPs {
		src = n.PrivateIPs
	}
	out := make([]string, 0, len(src))
	for _, a := range src {
		ip := net.ParseIP(a)
		if ip == nil {
			continue
		}
		if ip.To4() == nil && !allowIPv6 {
			continue
		}
		out = append(out, a)
	}
	return out
}

// WaitUntilRunning waits until every node in nodes is running and has at
// least one address on the chosen interface, as Libcloud's
// wait_until_running: it lists nodes every Interval, matches them by UUID,
// and fails if one disappears, reaches an error or terminated state, or the
// timeout passes. It returns the nodes in the order given.
func WaitUntilRunning(ctx context.Context, d Driver, nodes []*Node, opts *WaitOptions) ([]RunningNode, error) {
	if d == nil {
		return nil, NewError("", "WaitUntilRunning", "", ErrInvalidArgument, errNilDriver)
	}
	o := opts.withDefaults()
	if o.Interface != PublicIPs && o.Interface != PrivateIPs {
		return nil, NewError(d.Provider(), "WaitUntilRunning", "", ErrInvalidArgument,
			fmt.Errorf("interface %q: want %q or %q", o.Interface, PublicIPs, PrivateIPs))
	}
	if len(nodes) == 0 {
		return []RunningNode{}, nil
	}
	want := make(map[string]int, len(nodes))
	for i, n := range nodes {
		if n == nil {
			return nil, NewError(d.Provider(), "WaitUntilRunning", "", ErrInvalidArgument,
				fmt.Errorf("nodes[%d] is nil", i))
		}
		if _, dup := want[n.UUID()]; dup {
			return nil, NewError(d.Provider(), "WaitUntilRunning", n.ID, ErrInvalidArgument,
				fmt.Errorf("node %q is given twice", n.ID))
		}
		want[n.UUID()] = i
	}
	// everSeen marks the nodes listed at least once: a node not yet listed
	// (listings may lag behind a create) is waited for, as Libcloud does, but
	// one that was listed and then vanished fails the wait.
	everSeen := make([]bool, len(nodes))
	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errWaitTimeout)
	defer cancel()
	for {
		listed, err := d.ListNodes(ctx)
		if err != nil && !errors.Is(err, ErrUnavailable) {
			return nil, waitErr(ctx, d, "WaitUntilRunning", "", err, o.Timeout)
		}
		if err == nil {
			out := make([]RunningNode, len(nodes))
			ready, seen := 0, 0
			for _, n := range listed {
				i, ok := want[n.UUID()]
				if !ok {
					continue
				}
				if out[i].Node != nil {
					return nil, NewError(d.Provider(), "WaitUntilRunning", n.ID, ErrInternal,
						errors.New("multiple nodes with the same UUID"))
				}
				seen++
				everSeen[i] = true
				out[i].Node = n
				if n.State == types.NodeStateError || n.State == types.NodeStateTerminated {
					return nil, NewError(d.Provider(), "WaitUntilRunning", n.ID, ErrConflict,
						fmt.Errorf("node entered state %s", n.State))
				}
				if n.State == types.NodeStateRunning {
					if addrs := Addresses(n, o.Interface, o.AllowIPv6); len(addrs) > 0 {
						out[i].Addresses = addrs
						ready++
					}
				}
			}
			if seen < len(nodes) {
				for i, n := range nodes {
					if out[i].Node == nil && everSeen[i] {
						return nil, NewError(d.Provider(), "WaitUntilRunning", n.ID, ErrNotFound,
							errors.New("node is no longer listed"))
					}
				}
			}
			if ready == len(nodes) {
				return out, nil
			}
		}
		if err := sleep(ctx, o.Interval); err != nil {
			return nil, waitErr(ctx, d, "WaitUntilRunning", "", err, o.Timeout)
		}
	}
}

// WaitForState polls GetNode every Interval until the node reaches state and
// returns it. Waiting for types.NodeStateTerminated also succeeds when the
// node is gone (ErrNotFound), returning nil. Reaching the error or the
// terminated state while waiting for another fails with ErrConflict; a node
// that disappears while waiting for any other state fails with ErrNotFound.
// Errors matching ErrUnavailable are polled through. When the wait's own
// Timeout passes, the error matches context.DeadlineExceeded and says so.
func WaitForState(ctx context.Context, d Driver, id string, state types.NodeState, opts *WaitOptions) (*Node, error) {
	if d == nil {
		return nil, NewError("", "WaitForState", id, ErrInvalidArgument, errNilDriver)
	}
	o := opts.withDefaults()
	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errWaitTimeout)
	defer cancel()
	for {
		n, err := d.GetNode(ctx, id)
		switch {
		case err == nil:
			if n.State == state {
				return n, nil
			}
			if (n.State == types.NodeStateError || n.State == types.NodeStateTerminated) && state != n.State {
				return nil, NewError(d.Provider(), "WaitForState", id, ErrConflict,
					fmt.Errorf("node entered state %s while waiting for %s", n.State, state))
			}
		case errors.Is(err, ErrNotFound) && state == types.NodeStateTerminated:
			return nil, nil
		case errors.Is(err, ErrUnavailable):
			// transient: poll again
		default:
			return nil, waitErr(ctx, d, "WaitForState", id, err, o.Timeout)
		}
		if err := sleep(ctx, o.Interval); err != nil {
			return nil, waitErr(ctx, d, "WaitForState", id, err, o.Timeout)
		}
	}
}

// errWaitTimeout is the cause of a wait's own context when its Timeout passes.
var errWaitTimeout = errors.New("wait timed out")

var errNilDriver = errors.New("nil driver")

// waitErr turns the expiry of the wait's own timeout into a clear error (still
// matching context.DeadlineExceeded) while passing the caller's context errors
// through unchanged.
func waitErr(ctx context.Context, d Driver, op, id string, err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(ctx), errWaitTimeout) {
		what := op
		if id != "" {
			what = fmt.Sprintf("%s %q", op, id)
		}
		return fmt.Errorf("compute: %s: %s: timed out after %s: %w", d.Provider(), what, timeout, err)
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
