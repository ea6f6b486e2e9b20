package compute

import (
	"context"
	"iter"
	"slices"

	"github.com/goclouds/goclouds/types"
)

// NodeFilter selects nodes for IterNodes. Every field set must match; the
// zero value (or nil) matches every node.
type NodeFilter struct {
	// Name matches the node's name exactly.
	Name string
	// States matches nodes in any of the states.
	States []types.NodeState
	// Tags matches nodes that carry every key with the value given.
	Tags map[string]string
}

// Match reports whether n matches f; a nil filter matches every node.
// Drivers use it for what their server cannot filter.
func (f *NodeFilter) Match(n *Node) bool {
	if f == nil {
		return true
	}
	if f.Name != "" && n.Name != f.Name {
		return false
	}
	if len(f.States) > 0 && !slices.Contains(f.States, n.State) {
		return false
	}
	for k, v := range f.Tags {
		if got, ok := n.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// IterNodes streams the nodes of d that match filter: through d's
// NodeStreamer when it has one (a page at a time, filtered on the server
// where the provider can), else from ListNodes filtered here. An error is
// yielded once and ends the sequence.
func IterNodes(ctx context.Context, d Driver, filter *NodeFilter) iter.Seq2[*Node, error] {
	if d == nil {
		return func(yield func(*Node, error) bool) {
			yield(nil, NewError("", "IterNodes", "", ErrInvalidArgument, errNilDriver))
		}
	}
	if s, ok := As[NodeStreamer](d); ok {
		return s.IterNodes(ctx, filter)
	}
	return func(yield func(*Node, error) bool) {
		nodes, err := d.ListNodes(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, n := range nodes {
			if filter.Match(n) && !yield(n, nil) {
				return
			}
		}
	}
}
