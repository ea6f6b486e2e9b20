package dummy

import (
	"context"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// nodeRecord is a node and the transition it is going through: after due it
// moves to next. Transitions are applied lazily, whenever the node is read.
type nodeRecord struct {
	node     *compute.Node
	next     types.NodeState
	due      time.Time
	userData []byte // CreateNodeRequest.UserData, read back by ExUserData
}

// view returns a copy of the node for a caller (Extra's slices copied too).
func (r *nodeRecord) view() *compute.Node {
	n := r.node.Clone()
	for _, k := range []string{"networks", "security_groups"} {
		if v, ok := n.Extra[k].([]string); ok {
			n.Extra[k] = slices.Clone(v)
		}
	}
	return n
}

// settle applies a transition whose time has come.
func (r *nodeRecord) settle(now time.Time) {
	if r.next != "" && !now.Before(r.due) {
		r.node.State, r.next = r.next, ""
	}
}

// transition moves the node to via, then to to after the transition delay
// (at once when the delay is 0).
func (d *Driver) transition(r *nodeRecord, via, to types.NodeState) {
	if d.opts.TransitionDelay <= 0 {
		r.node.State, r.next = to, ""
		return
	}
	r.node.State, r.next, r.due = via, to, d.opts.Now().Add(d.opts.TransitionDelay)
}

// newNode builds a node record's node; state is set by the caller.
func (d *Driver) newNode(id, name string, img *compute.Image, size *compute.Size, loc *compute.Location,
	now time.Time, extra map[string]any) *compute.Node {
	n, _ := strconv.Atoi(id)
	public := d.opts.PublicIP
	if public == "" {
		public = addrFor(127, n)
	}
	x := map[string]any{"foo": "bar", "ssh_port": d.opts.SSHPort}
	maps.Copy(x, extra)
	return &compute.Node{
		ID:         id,
		Name:       name,
		State:      types.NodeStateRunning,
		PublicIPs:  []string{public},
		PrivateIPs: []string{addrFor(10, n)},
		Size:       size.Clone(),
		Image:      img.Clone(),
		Location:   loc.Clone(),
		CreatedAt:  now,
		Provider:   types.ProviderDummy,
		Extra:      x,
	}
}

// addrFor returns the IPv4 address first.0.0.0 + n (n taken modulo 2^24).
func addrFor(first byte, n int) string {
	return netip.AddrFrom4([4]byte{first, byte(n >> 16), byte(n >> 8), byte(n)}).String()
}

// node returns the record of node id, settled, or ErrNotFound.
func (d *Driver) node(op, id string) (*nodeRecord, error) {
	r, ok := d.nodes[id]
	if !ok {
		return nil, notFound(op, "node", id)
	}
	r.settle(d.opts.Now())
	return r, nil
}

// onNode runs f, under d.mu and after enter, on the settled record of node
// id (ErrNotFound when there is none).
func (d *Driver) onNode(ctx context.Context, op, id string, f func(*nodeRecord) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	r, err := d.node(op, id)
	if err != nil {
		return err
	}
	return f(r)
}

// ListNodes implements [compute.Driver.ListNodes], in creation order.
func (d *Driver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "ListNodes"); err != nil {
		return nil, err
	}
	now := d.opts.Now()
	recs := sortedByID(d.nodes, func(r *nodeRecord) string { return r.node.ID })
	out := make([]*compute.Node, len(recs))
	for i, r := range recs {
		r.settle(now)
		out[i] = r.view()
	}
	return out, nil
}

func idNumber(id string) int {
	n, _ := strconv.Atoi(strings.TrimLeft(id, "abcdefghijklmnopqrstuvwxyz-"))
	return n
}

// GetNode implements [compute.Driver.GetNode].
func (d *Driver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	var out *compute.Node
	err := d.onNode(ctx, "GetNode", id, func(r *nodeRecord) error {
		out = r.view()
		return nil
	})
	return out, err
}

// RebootNode implements [compute.Driver.RebootNode]: a running node is
// rebooting for Options.TransitionDelay, then running again. Any other state
// gives ErrConflict.
func (d *Driver) RebootNode(ctx context.Context, id string) error {
	return d.change(ctx, "RebootNode", id, types.NodeStateRunning, types.NodeStateRebooting, types.NodeStateRunning)
}

// StartNode implements [compute.Driver.StartNode]: a stopped node is starting
// for Options.TransitionDelay, then running. Any other state gives
// ErrConflict.
func (d *Driver) StartNode(ctx context.Context, id string) error {
	return d.change(ctx, "StartNode", id, types.NodeStateStopped, types.NodeStateStarting, types.NodeStateRunning)
}

// StopNode implements [compute.Driver.StopNode]: a running node is stopping
// for Options.TransitionDelay, then stopped. Any other state gives
// ErrConflict.
func (d *Driver) StopNode(ctx context.Context, id string) error {
	return d.change(ctx, "StopNode", id, types.NodeStateRunning, types.NodeStateStopping, types.NodeStateStopped)
}

func (d *Driver) change(ctx context.Context, op, id string, from, via, to types.NodeState) error {
	return d.onNode(ctx, op, id, func(r *nodeRecord) error {
		if r.node.State != from {
			return conflict(op, id, "node %q is %s, want %s", id, r.node.State, from)
		}
		d.transition(r, via, to)
		return nil
	})
}

// DestroyNode implements [compute.Driver.DestroyNode]: the node is gone at
// once (later calls give ErrNotFound), whatever its state; its volumes are
// detached.
func (d *Driver) DestroyNode(ctx context.Context, id string) error {
	return d.onNode(ctx, "DestroyNode", id, func(*nodeRecord) error {
		delete(d.nodes, id)
		for _, v := range d.volumes {
			if v.vol.NodeID == id {
				v.detach()
			}
		}
		return nil
	})
}

// ExSetNodeState forces node id into state, cancelling any transition in
// progress, to let tests reach states such as error or suspended. Not
// portable.
func (d *Driver) ExSetNodeState(ctx context.Context, id string, state types.NodeState) error {
	const op = "ExSetNodeState"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	if !slices.Contains(types.NodeStates, state) {
		return invalid(op, id, "unknown node state %q", state)
	}
	r, err := d.node(op, id)
	if err != nil {
		return err
	}
	r.node.State, r.next = state, ""
	return nil
}

// requireUsable fails with ErrConflict unless node r is settled and running
// or stopped; id is the resource the operation is about.
func requireUsable(op string, r *nodeRecord, id string) error {
	if r.next != "" {
		return conflict(op, r.node.ID, "node %q is %s", r.node.ID, r.node.State)
	}
	if s := r.node.State; s != types.NodeStateRunning && s != types.NodeStateStopped {
		return conflict(op, id, "node %q is %s, want running or stopped", r.node.ID, s)
	}
	return nil
}
