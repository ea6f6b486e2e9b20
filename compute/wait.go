package compute

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/goclouds/goclouds/types"
)

// AddressInterface selects which of a node's addresses WaitUntilRunning (and
// deployment) waits for and uses.
type AddressInterface string

// The address interfaces.
const (
	// AnyIPs uses Node.PublicIPs, then Node.PrivateIPs: a node with an
	// address of either kind is reachable from somewhere. The default of
	// WaitUntilRunning.
	AnyIPs AddressInterface = "any"
	// PublicIPs uses Node.PublicIPs (Libcloud's "public_ips").
	PublicIPs AddressInterface = "public_ips"
	// PrivateIPs uses Node.PrivateIPs (Libcloud's "private_ips").
	PrivateIPs AddressInterface = "private_ips"
)

// WaitOptions tunes WaitUntilRunning and WaitForState. The zero value, or
// nil, gives Libcloud's intervals and timeout.
type WaitOptions struct {
	// Interval is the delay between polls; default 5s (Libcloud's
	// wait_period).
	Interval time.Duration
	// Timeout bounds the whole wait; default 600s. The context may end it
	// sooner.
	Timeout time.Duration
	// Interface is the address list a running node must have an address in;
	// default AnyIPs (public or private). Ask for PublicIPs when the node
	// must be reachable from the internet.
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
		w.Interface = AnyIPs
	}
	return w
}

// RunningNode is a node WaitUntilRunning saw running, with the addresses it
// found on the chosen interface.
type RunningNode struct {
	// Node is the node as last read.
	Node *Node
	// Addresses are the node's usable addresses on the chosen interface.
	Addresses []string
}

// Addresses returns the addresses of n on the interface iface (AnyIPs:
// public ones first, then private ones), IPv4 only unless allowIPv6.
func Addresses(n *Node, iface AddressInterface, allowIPv6 bool) []string {
	var src []string
	switch iface {
	case PrivateIPs:
		src = n.PrivateIPs
	case AnyIPs:
		src = append(slices.Clone(n.PublicIPs), n.PrivateIPs...)
	default:
		src = n.PublicIPs
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
// least one address on the chosen interface (by default any address,
// public or private), and returns them in the order given. It polls only
// the nodes it waits for: with the driver's NodeGetter when it has one,
// else with one GetNode per node still waiting, every Interval; it never
// lists the whole inventory. Transient errors (ErrUnavailable,
// ErrThrottled) are polled through. A node not found yet is waited for
// (providers may not show a node right after its create); one that was
// found and then vanished fails the wait with ErrNotFound, and one that
// reaches the error or terminated state with ErrConflict.
//
// When the Timeout passes, the error matches context.DeadlineExceeded and
// says what each node still lacked, such as `node "web1" (id 42) is
// running with private address 10.1.1.5, no public address yet`.
func WaitUntilRunning(ctx context.Context, d Driver, nodes []*Node, opts *WaitOptions) ([]RunningNode, error) {
	if d == nil {
		return nil, NewError("", "WaitUntilRunning", "", ErrInvalidArgument, errNilDriver)
	}
	o := opts.withDefaults()
	if o.Interface != AnyIPs && o.Interface != PublicIPs && o.Interface != PrivateIPs {
		return nil, NewError(d.Provider(), "WaitUntilRunning", "", ErrInvalidArgument,
			fmt.Errorf("interface %q: want %q, %q or %q", o.Interface, AnyIPs, PublicIPs, PrivateIPs))
	}
	if len(nodes) == 0 {
		return []RunningNode{}, nil
	}
	w := &runWait{d: d, o: o, nodes: nodes, out: make([]RunningNode, len(nodes)), seen: make([]bool, len(nodes)),
		index: make(map[string]int, len(nodes))}
	for i, n := range nodes {
		if n == nil || n.ID == "" {
			return nil, NewError(d.Provider(), "WaitUntilRunning", "", ErrInvalidArgument,
				fmt.Errorf("nodes[%d] is nil or has no id", i))
		}
		if _, dup := w.index[n.ID]; dup {
			return nil, NewError(d.Provider(), "WaitUntilRunning", n.ID, ErrInvalidArgument,
				fmt.Errorf("node %q is given twice", n.ID))
		}
		w.index[n.ID] = i
	}
	ctx, cancel := context.WithTimeoutCause(ctx, o.Timeout, errWaitTimeout)
	defer cancel()
	for {
		done, err := w.poll(ctx)
		if err != nil {
			return nil, w.timeoutErr(ctx, err)
		}
		if done {
			return w.out, nil
		}
		if err := Sleep(ctx, o.Interval); err != nil {
			return nil, w.timeoutErr(ctx, err)
		}
	}
}

// runWait is the state of one WaitUntilRunning.
type runWait struct {
	d     Driver
	o     WaitOptions
	nodes []*Node
	index map[string]int // node id to its position
	out   []RunningNode  // the latest read of each node; Addresses once ready
	seen  []bool         // the node was found at least once
}

// poll reads the nodes not ready yet and reports whether all are ready.
func (w *runWait) poll(ctx context.Context) (bool, error) {
	var ids []string
	for i, n := range w.nodes {
		if w.out[i].Addresses == nil {
			ids = append(ids, n.ID)
		}
	}
	found, err := w.read(ctx, ids)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		i := w.index[id]
		n := found[id]
		if n == nil {
			if w.seen[i] {
				return false, NewError(w.d.Provider(), "WaitUntilRunning", id, ErrNotFound,
					errors.New("node vanished while waiting for it to run"))
			}
			continue
		}
		w.seen[i] = true
		w.out[i].Node = n
		if n.State == types.NodeStateError || n.State == types.NodeStateTerminated {
			return false, NewError(w.d.Provider(), "WaitUntilRunning", id, ErrConflict,
				fmt.Errorf("node %q entered state %s while waiting for it to run", n.Name, n.State))
		}
		if n.State == types.NodeStateRunning {
			if addrs := Addresses(n, w.o.Interface, w.o.AllowIPv6); len(addrs) > 0 {
				w.out[i].Addresses = addrs
			}
		}
	}
	for _, r := range w.out {
		if r.Addresses == nil {
			return false, nil
		}
	}
	return true, nil
}

// read returns the nodes among ids that exist, by id. Transient errors
// leave them unread (nil) without failing, unless the wait is over.
func (w *runWait) read(ctx context.Context, ids []string) (map[string]*Node, error) {
	found := make(map[string]*Node, len(ids))
	transient := func(err error) bool {
		return (errors.Is(err, ErrUnavailable) || errors.Is(err, ErrThrottled)) && ctx.Err() == nil
	}
	if g, ok := As[NodeGetter](w.d); ok {
		nodes, err := g.GetNodes(ctx, ids)
		if err != nil {
			if transient(err) {
				return w.previous(ids), nil
			}
			return nil, err
		}
		for _, n := range nodes {
			if _, want := w.index[n.ID]; want {
				found[n.ID] = n
			}
		}
		return found, nil
	}
	for _, id := range ids {
		n, err := w.d.GetNode(ctx, id)
		switch {
		case err == nil:
			found[id] = n
		case errors.Is(err, ErrNotFound):
		case transient(err):
			found[id] = w.out[w.index[id]].Node
		default:
			return nil, err
		}
	}
	return found, nil
}

// previous returns the last read of each of ids, for a poll that failed
// transiently.
func (w *runWait) previous(ids []string) map[string]*Node {
	m := make(map[string]*Node, len(ids))
	for _, id := range ids {
		m[id] = w.out[w.index[id]].Node
	}
	return m
}

// timeoutErr turns the end of the wait's own timeout into an error that
// says what each node still lacked; other errors pass through waitErr.
func (w *runWait) timeoutErr(ctx context.Context, err error) error {
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(context.Cause(ctx), errWaitTimeout) {
		return waitErr(ctx, w.d, "WaitUntilRunning", "", err, w.o.Timeout)
	}
	var missing []string
	for i, n := range w.nodes {
		if w.out[i].Addresses == nil {
			missing = append(missing, w.lack(n, w.out[i].Node, w.seen[i]))
		}
	}
	return fmt.Errorf("compute: %s: WaitUntilRunning: timed out after %s: %s: %w",
		w.d.Provider(), w.o.Timeout, strings.Join(missing, "; "), err)
}

// lack says what node (asked as given, last read as got) still lacks.
func (w *runWait) lack(given, got *Node, seen bool) string {
	name := given.Name
	if got != nil && got.Name != "" {
		name = got.Name
	}
	who := fmt.Sprintf("node %q (id %s)", name, given.ID)
	if !seen || got == nil {
		return who + " was never found"
	}
	if got.State != types.NodeStateRunning {
		return fmt.Sprintf("%s is %s, not running yet", who, got.State)
	}
	var have []string
	if a := Addresses(got, PublicIPs, true); len(a) > 0 {
		have = append(have, "public address "+strings.Join(a, ", "))
	}
	if a := Addresses(got, PrivateIPs, true); len(a) > 0 {
		have = append(have, "private address "+strings.Join(a, ", "))
	}
	want := "an address"
	switch w.o.Interface {
	case PublicIPs:
		want = "a public address"
	case PrivateIPs:
		want = "a private address"
	}
	if !w.o.AllowIPv6 {
		want = strings.Replace(want, "address", "IPv4 address", 1)
	}
	if len(have) == 0 {
		return fmt.Sprintf("%s is running with no address, no %s yet", who, strings.TrimPrefix(strings.TrimPrefix(want, "an "), "a "))
	}
	return fmt.Sprintf("%s is running with %s, no %s yet", who, strings.Join(have, " and "), strings.TrimPrefix(strings.TrimPrefix(want, "an "), "a "))
}

// WaitForState polls GetNode every Interval until the node reaches state and
// returns it. Waiting for types.NodeStateTerminated also succeeds when the
// node is gone (ErrNotFound), returning nil. Reaching the error or the
// terminated state while waiting for another fails with ErrConflict; a node
// that disappears while waiting for any other state fails with ErrNotFound.
// Errors matching ErrUnavailable or ErrThrottled are polled through. When the wait's own
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
		case errors.Is(err, ErrUnavailable), errors.Is(err, ErrThrottled):
			// transient: poll again
		default:
			return nil, waitErr(ctx, d, "WaitForState", id, err, o.Timeout)
		}
		if err := Sleep(ctx, o.Interval); err != nil {
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

// Sleep waits for d or until ctx is done, returning ctx's error then (at
// once for a d of 0 or less). Drivers and helpers use it for polls and
// backoffs that a cancelled context must end.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
