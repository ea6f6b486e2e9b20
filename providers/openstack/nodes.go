package openstack

import (
	"context"
	"iter"
	"maps"
	"net/netip"
	"regexp"
	"slices"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/goclouds/goclouds/compute"
)

// ListNodes returns every server of the project, following Nova's pages
// (its largest: it keeps every server anyway, so fewer round trips win).
func (d *Driver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	nodes := []*compute.Node{}
	for n, err := range d.iterNodes(ctx, nil, 0) {
		if err != nil {
			return nil, d.wrap("ListNodes", "", err)
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// IterNodes yields the servers matching filter a page of streamPageSize at
// a time (Nova's servers/detail with limit and marker), so that its memory
// does not grow with the inventory. The name is filtered by Nova too (a
// regular expression there, so the name is quoted and matched exactly
// here); states and tags (server metadata) are filtered here.
func (d *Driver) IterNodes(ctx context.Context, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return d.iterNodes(ctx, filter, streamPageSize)
}

// iterNodes is IterNodes with pages of pageSize servers (0: Nova's
// osapi_max_limit, 1,000 by default).
func (d *Driver) iterNodes(ctx context.Context, filter *compute.NodeFilter, pageSize int) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		ctx, c, err := d.begin(ctx, "IterNodes")
		if err != nil {
			yield(nil, err)
			return
		}
		opts := servers.ListOpts{Limit: pageSize}
		if filter != nil && filter.Name != "" {
			opts.Name = regexp.QuoteMeta(filter.Name)
		}
		stopped := false
		err = servers.List(c.compute, opts).EachPage(ctx, func(ctx context.Context, page pagination.Page) (bool, error) {
			list, err := servers.ExtractServers(page)
			if err != nil {
				return false, err
			}
			flavors := d.flavorIDs(ctx, c, list)
			ext := d.externalNetworks(ctx, c)
			for i := range list {
				n := d.toNode(&list[i], flavors, ext)
				if !filter.Match(n) {
					continue
				}
				if !yield(n, nil) {
					stopped = true
					return false, nil
				}
			}
			return true, nil
		})
		if err != nil && !stopped {
			yield(nil, d.wrap("IterNodes", "", err))
		}
	}
}

// GetNode returns the server with the given id.
func (d *Driver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	ctx, c, err := d.begin(ctx, "GetNode")
	if err != nil {
		return nil, err
	}
	return d.getNode(ctx, c, "GetNode", id)
}

func (d *Driver) getNode(ctx context.Context, c *conn, op, id string) (*compute.Node, error) {
	if id == "" {
		return nil, compute.Errorf(provider, op, id, compute.ErrNotFound, "empty server id")
	}
	s, err := servers.Get(ctx, c.compute, id).Extract()
	if err != nil {
		return nil, d.wrap(op, id, err)
	}
	list := []servers.Server{*s}
	return d.toNode(s, d.flavorIDs(ctx, c, list), d.externalNetworks(ctx, c)), nil
}

// GetNodes returns the servers with the given ids that exist, one GET per
// id when there are few, else from the listing.
func (d *Driver) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	want := map[string]bool{}
	for _, id := range ids {
		if id != "" {
			want[id] = true
		}
	}
	out := []*compute.Node{}
	if len(want) == 0 {
		return out, nil
	}
	if len(want) <= 3 {
		for _, id := range slices.Sorted(maps.Keys(want)) {
			n, err := d.GetNode(ctx, id)
			if compute.KindOf(err) == compute.ErrNotFound {
				continue
			}
			if err != nil {
				return nil, compute.NewError(provider, "GetNodes", id, nil, err)
			}
			out = append(out, n)
		}
		return out, nil
	}
	for n, err := range d.IterNodes(ctx, nil) {
		if err != nil {
			return nil, d.wrap("GetNodes", "", err)
		}
		if want[n.ID] {
			out = append(out, n)
		}
	}
	return out, nil
}

// toNode converts a Nova server. flavors maps embedded flavor names to
// ids (microversion 2.47 and later embed the flavor without its id); ext
// holds the names of external networks.
func (d *Driver) toNode(s *servers.Server, flavors map[string]string, ext map[string]bool) *compute.Node {
	n := &compute.Node{
		ID: s.ID, Name: s.Name, State: nodeState(s.Status, s.TaskState),
		PublicIPs: []string{}, PrivateIPs: []string{},
		CreatedAt: s.Created, Provider: provider,
		Extra: map[string]any{
			"status": s.Status, "task_state": s.TaskState, "vm_state": s.VmState,
			"key_name": s.KeyName, "host_id": s.HostID, "tenant_id": s.TenantID,
			"user_id": s.UserID, "progress": s.Progress, "updated": s.Updated,
		},
	}
	if len(s.Metadata) > 0 {
		n.Tags = maps.Clone(s.Metadata)
		if k, ok := n.Tags[IdempotencyMetadataKey]; ok {
			n.Extra["idempotency_key"] = k
			delete(n.Tags, IdempotencyMetadataKey)
		}
		if len(n.Tags) == 0 {
			n.Tags = nil
		}
	}
	if s.Tags != nil {
		n.Extra["tags"] = slices.Clone(*s.Tags)
	}
	if s.Fault.Message != "" {
		n.Extra["fault"] = s.Fault.Message
	}
	if len(s.SecurityGroups) > 0 {
		var names []string
		for _, g := range s.SecurityGroups {
			if name, ok := g["name"].(string); ok {
				names = append(names, name)
			}
		}
		n.Extra["security_groups"] = names
	}
	if len(s.AttachedVolumes) > 0 {
		var vols []string
		for _, v := range s.AttachedVolumes {
			vols = append(vols, v.ID)
		}
		n.Extra["volumes_attached"] = vols
	}
	if id, _ := s.Image["id"].(string); id != "" {
		n.Image = &compute.Image{ID: id, Name: str(s.Image["name"]), Provider: provider}
	}
	n.Size = flavorSize(s.Flavor, flavors)
	if s.AvailabilityZone != "" {
		n.Location = &compute.Location{ID: s.AvailabilityZone, Name: s.AvailabilityZone, Provider: provider}
	}
	n.PublicIPs, n.PrivateIPs = splitAddresses(s.Addresses, ext)
	for _, a := range []string{s.AccessIPv4, s.AccessIPv6} {
		if a != "" && !slices.Contains(n.PublicIPs, a) && !slices.Contains(n.PrivateIPs, a) {
			n.PublicIPs = append(n.PublicIPs, a)
		}
	}
	return n
}

// flavorSize reads a server's flavor: {"id", "links"} before microversion
// 2.47, the embedded flavor ({"original_name", "vcpus", "ram", "disk",
// ...}) from 2.47, whose id comes from flavors (by name) or is the name.
func flavorSize(f map[string]any, flavors map[string]string) *compute.Size {
	if len(f) == 0 {
		return nil
	}
	if id := str(f["id"]); id != "" {
		return &compute.Size{ID: id, Name: id, Provider: provider}
	}
	name := str(f["original_name"])
	if name == "" {
		return nil
	}
	s := &compute.Size{ID: name, Name: name, VCPUs: num(f["vcpus"]), RAM: num(f["ram"]), Disk: num(f["disk"]), Provider: provider,
		Extra: map[string]any{"ephemeral": num(f["ephemeral"]), "swap": num(f["swap"])}}
	if id, ok := flavors[name]; ok {
		s.ID = id
	}
	if specs, ok := f["extra_specs"].(map[string]any); ok {
		s.Extra["extra_specs"] = specs
	}
	return s
}

// splitAddresses splits a server's addresses (network name → list of
// {"addr", "version", "OS-EXT-IPS:type"}) by the documented rule: an
// address is public when it is a floating IP, when its network is
// external (router:external, in ext), or when it is globally routable (not
// private, loopback, link-local, shared CGNAT or unique-local); every other
// address is private. Networks are taken in name order; the lists have no duplicates.
func splitAddresses(addrs map[string]any, ext map[string]bool) (public, private []string) {
	public, private = []string{}, []string{}
	for _, net := range slices.Sorted(maps.Keys(addrs)) {
		list, _ := addrs[net].([]any)
		for _, item := range list {
			a, _ := item.(map[string]any)
			ip := str(a["addr"])
			if ip == "" {
				continue
			}
			if str(a["OS-EXT-IPS:type"]) == "floating" || ext[net] || routable(ip) {
				if !slices.Contains(public, ip) {
					public = append(public, ip)
				}
			} else if !slices.Contains(private, ip) {
				private = append(private, ip)
			}
		}
	}
	return public, private
}

// cgnat is the shared address space of RFC 6598.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// routable reports whether ip is a globally routable unicast address.
func routable(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

// str returns v as a string, or "".
func str(v any) string {
	s, _ := v.(string)
	return s
}

// num returns v (a JSON number, decoded as float64 or json.Number) as an
// int, or 0.
func num(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case int:
		return x
	case interface{ Int64() (int64, error) }:
		i, _ := x.Int64()
		return int(i)
	}
	return 0
}

// streamPageSize is how many servers IterNodes asks Nova for a page: a page
// of 1,000 decoded by gophercloud (into maps, then structs) peaks at about
// 36 MiB of heap, one of 100 at about 5 MiB (BenchmarkListNodes10000).
const streamPageSize = 100
