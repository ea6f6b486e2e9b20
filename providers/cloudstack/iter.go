package cloudstack

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

var (
	_ compute.NodeStreamer = (*Driver)(nil)
	_ compute.NodeGetter   = (*Driver)(nil)
)

// IterNodes implements compute.NodeStreamer with ExIterNodes: the VMs page
// by page, filtered on the server by name (CloudStack matches substrings),
// by tags (tags[i].key/value) and by state when the filter's one state is
// a single CloudStack state (Running, Starting, Stopping, Migrating, Error),
// then exactly in the driver (filter.Match), so that it yields what
// ListNodes gives that matches.
func (d *Driver) IterNodes(ctx context.Context, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	o := &ListNodesOptions{}
	if filter != nil {
		o.Name, o.Tags = filter.Name, filter.Tags
		if len(filter.States) == 1 {
			o.State = serverState(filter.States[0])
		}
	}
	return d.iterNodes(ctx, "IterNodes", o, filter.Match)
}

// serverState returns the one CloudStack state that maps to s, or "" when
// none or several do (Stopped is also Shutdown and Restored).
func serverState(s types.NodeState) string {
	var found []string
	for cs, ns := range nodeStates {
		if ns == s {
			found = append(found, cs)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return strings.ToUpper(found[0][:1]) + found[0][1:]
}

// ExIterNodes streams the VMs page by page, so that listing a very large
// inventory keeps only about two pages in memory; the addresses of static
// NAT and port forwarding are fetched first. After an error it yields the
// error and stops. Not portable: IterNodes is its portable form.
func (d *Driver) ExIterNodes(ctx context.Context, opts *ListNodesOptions) iter.Seq2[*compute.Node, error] {
	return d.iterNodes(ctx, "ExIterNodes", opts, nil)
}

// iterNodes is ExIterNodes for operation op, keeping the nodes match
// accepts (nil: all).
func (d *Driver) iterNodes(ctx context.Context, op string, opts *ListNodesOptions, match func(*compute.Node) bool) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		if opts == nil {
			opts = &ListNodesOptions{}
		}
		params := d.nodeParams(opts)
		var addr *addressBook
		if !opts.SkipAddresses {
			var err error
			if addr, err = d.addresses(ctx, op, params); err != nil {
				yield(nil, err)
				return
			}
		}
		for vm, err := range listSeq[VirtualMachine](ctx, d, op, "listVirtualMachines", params, "virtualmachine") {
			if err != nil {
				yield(nil, err)
				return
			}
			if !keep(&vm, opts) {
				continue
			}
			n := d.toNode(&vm, addr)
			if match != nil && !match(n) {
				continue
			}
			if !yield(n, nil) {
				return
			}
		}
	}
}

// maxIDsPerCall bounds the ids of one listVirtualMachines ids=... call (a
// page of 500).
const maxIDsPerCall = 500

// GetNodes implements compute.NodeGetter with listVirtualMachines ids=...
// (one call per 500 ids; CloudStack refuses the whole list when one id
// names no VM, and then each id is asked for alone), looking among every project's VMs (projectid=-1)
// for the ids the account's own listing lacks, as GetNode does. Destroyed
// VMs and unknown ids are left out. The nodes have the public addresses of
// static NAT and port forwarding, as GetNode's.
func (d *Driver) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	const op = "GetNodes"
	want := make([]string, 0, len(ids))
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return nil, d.errorf(op, "", compute.ErrInvalidArgument, "empty node id")
		}
		if !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	found := map[string]*VirtualMachine{}
	list := func(p url.Values, ids []string) error {
		vms, err := listAll[VirtualMachine](ctx, d, op, "listVirtualMachines", d.scoped(p, true), "virtualmachine")
		if err != nil {
			return err
		}
		for i := range vms {
			if vm := &vms[i]; slices.Contains(ids, vm.ID) && !gone(vm.State) {
				found[vm.ID] = vm
			}
		}
		return nil
	}
	lookup := func(ids []string, projectID string) error {
		for chunk := range slices.Chunk(ids, maxIDsPerCall) {
			p := url.Values{"ids": {strings.Join(chunk, ",")}, "listall": {"true"}}
			setString(p, "projectid", projectID)
			err := list(p, chunk)
			if !isKind(err, compute.ErrNotFound) {
				if err != nil {
					return err
				}
				continue
			}
			// The server refuses the whole list for one unknown id: ask for
			// each id alone.
			for _, id := range chunk {
				p := url.Values{"id": {id}, "listall": {"true"}}
				setString(p, "projectid", projectID)
				if err := list(p, chunk); err != nil && !isKind(err, compute.ErrNotFound) {
					return err
				}
			}
		}
		return nil
	}
	if err := lookup(want, ""); err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range want {
		if found[id] == nil {
			missing = append(missing, id)
		}
	}
	inProjects := false
	if len(missing) > 0 && d.settings.ProjectID == "" {
		// A project's VM is listed only with its project (or -1, all).
		if err := lookup(missing, "-1"); err != nil {
			return nil, err
		}
		for _, id := range missing {
			inProjects = inProjects || found[id] != nil
		}
	}
	if len(found) == 0 {
		return []*compute.Node{}, nil
	}
	addr, err := d.addresses(ctx, op, d.scoped(url.Values{"listall": {"true"}}, true))
	if err != nil {
		return nil, err
	}
	if inProjects {
		more, err := d.addresses(ctx, op, url.Values{"listall": {"true"}, "projectid": {"-1"}})
		if err != nil {
			return nil, err
		}
		addr.merge(more)
	}
	nodes := make([]*compute.Node, 0, len(found))
	for _, id := range want {
		if vm := found[id]; vm != nil {
			nodes = append(nodes, d.toNode(vm, addr))
		}
	}
	return nodes, nil
}

// merge adds the addresses of o to b.
func (b *addressBook) merge(o *addressBook) {
	for id, ips := range o.ips {
		b.ips[id] = append(b.ips[id], ips...)
	}
	for id, rules := range o.rules {
		b.rules[id] = append(b.rules[id], rules...)
	}
}
