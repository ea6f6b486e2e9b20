package dummy

import (
	"context"
	"iter"
	"slices"

	"github.com/goclouds/goclouds/compute"
)

// IterNodes implements [compute.NodeStreamer]: the nodes matching filter
// (nil: all) in creation order, read [NodesPageSize] at a time, each page
// under one lock of the driver, so that a caller may stop early without the
// rest being copied. A node created or destroyed while the loop runs shows
// up (or not) as it would between the pages of a cloud's listing. Every
// page is a call for ExFailNext("IterNodes", ...) and
// Options.ThrottleEvery; an error is yielded once and ends the sequence.
func (d *Driver) IterNodes(ctx context.Context, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		after := 0 // the last id number read
		for {
			page, err := d.nodesPage(ctx, filter, after)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, n := range page.nodes {
				if !yield(n, nil) {
					return
				}
			}
			if page.last == 0 {
				return
			}
			after = page.last
		}
	}
}

// nodesPage is one page of IterNodes: the matching nodes among the next
// NodesPageSize, and the id number of the last one read (0 at the end).
type nodesPage struct {
	nodes []*compute.Node
	last  int
}

func (d *Driver) nodesPage(ctx context.Context, filter *compute.NodeFilter, after int) (nodesPage, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "IterNodes"); err != nil {
		return nodesPage{}, err
	}
	recs := sortedByID(d.nodes, func(r *nodeRecord) string { return r.node.ID })
	start, _ := slices.BinarySearchFunc(recs, after+1, func(r *nodeRecord, n int) int { return idNumber(r.node.ID) - n })
	recs = recs[start:]
	var p nodesPage
	if len(recs) > NodesPageSize {
		recs = recs[:NodesPageSize]
		p.last = idNumber(recs[len(recs)-1].node.ID)
	}
	now := d.opts.Now()
	p.nodes = make([]*compute.Node, 0, len(recs))
	for _, r := range recs {
		r.settle(now)
		if filter.Match(r.node) {
			p.nodes = append(p.nodes, r.view())
		}
	}
	return p, nil
}

// GetNodes implements [compute.NodeGetter]: the nodes among ids that exist,
// in the order of ids, each once; unknown ids are left out.
func (d *Driver) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "GetNodes"); err != nil {
		return nil, err
	}
	now := d.opts.Now()
	out := make([]*compute.Node, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		r, ok := d.nodes[id]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		r.settle(now)
		out = append(out, r.view())
	}
	return out, nil
}
