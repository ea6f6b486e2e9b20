package cloudstack

import (
	"context"
	"net/netip"
	"net/url"
	"strings"
	"sync"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// ListNodesOptions filters ExListNodes and ExIterNodes. The zero value lists
// what ListNodes lists.
type ListNodesOptions struct {
	// ListAll lists every account's VMs the caller may see (listall=true),
	// in addition to the driver's ListAll setting.
	ListAll bool
	// ProjectID lists a project's VMs ("-1": every project's); default the
	// driver's ProjectID setting.
	ProjectID string
	// ZoneID lists the VMs of one zone.
	ZoneID string
	// Name keeps the VMs with exactly this name (the server matches
	// substrings; the driver filters exactly).
	Name string
	// State lists the VMs in one CloudStack state ("Running", "Stopped").
	State string
	// Keyword is CloudStack's keyword filter.
	Keyword string
	// Tags lists the VMs with all these tags.
	Tags map[string]string
	// IncludeDestroyed also lists VMs in state Destroyed and Expunging, which
	// the portable ListNodes and GetNode treat as gone.
	IncludeDestroyed bool
	// SkipAddresses skips the listPublicIpAddresses,
	// listPortForwardingRules and listIpForwardingRules calls that add
	// static NAT and port forwarding addresses to PublicIPs and the
	// ip_addresses, port_forwarding_rules and ip_forwarding_rules Extra
	// keys (left empty).
	SkipAddresses bool
	// Params adds raw listVirtualMachines parameters.
	Params url.Values
}

// params returns the listVirtualMachines parameters of o.
func (d *Driver) nodeParams(o *ListNodesOptions) url.Values {
	p := url.Values{}
	if o == nil {
		o = &ListNodesOptions{}
	}
	for k, v := range o.Params {
		p[k] = v
	}
	if o.ListAll {
		p.Set("listall", "true")
	}
	if o.ProjectID != "" {
		p.Set("projectid", o.ProjectID)
	}
	if o.ZoneID != "" {
		p.Set("zoneid", o.ZoneID)
	}
	if o.Name != "" {
		p.Set("name", o.Name)
	}
	if o.State != "" {
		p.Set("state", o.State)
	}
	if o.Keyword != "" {
		p.Set("keyword", o.Keyword)
	}
	setTags(p, o.Tags)
	return d.scoped(p, true)
}

// setTags encodes tags as CloudStack's tags[i].key / tags[i].value map.
func setTags(p url.Values, tags map[string]string) {
	i := 0
	for _, k := range sortedKeys(tags) {
		p.Set("tags["+itoa(i)+"].key", k)
		p.Set("tags["+itoa(i)+"].value", tags[k])
		i++
	}
}

// ListNodes implements compute.Driver.ListNodes: every VM on every page
// (listVirtualMachines, 500 rows per page, pages fetched concurrently once
// the total is known) with the public addresses of static NAT and port
// forwarding rules, and the rules themselves in Extra (see nodeExtra). VMs in state Destroyed or Expunging are left out (see
// ListNodesOptions.IncludeDestroyed).
func (d *Driver) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	return d.listNodes(ctx, "ListNodes", nil)
}

// ExListNodes is ListNodes with CloudStack filters. Not portable.
func (d *Driver) ExListNodes(ctx context.Context, opts *ListNodesOptions) ([]*compute.Node, error) {
	return d.listNodes(ctx, "ExListNodes", opts)
}

func (d *Driver) listNodes(ctx context.Context, op string, opts *ListNodesOptions) ([]*compute.Node, error) {
	if opts == nil {
		opts = &ListNodesOptions{}
	}
	params := d.nodeParams(opts)
	var (
		addr *addressBook
		wg   sync.WaitGroup
		aerr error
	)
	if !opts.SkipAddresses {
		wg.Go(func() { addr, aerr = d.addresses(ctx, op, params) })
	}
	pages, err := listPages[VirtualMachine](ctx, d, op, "listVirtualMachines", params, "virtualmachine")
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if aerr != nil {
		return nil, aerr
	}
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	nodes := make([]*compute.Node, 0, n)
	for _, page := range pages {
		for i := range page {
			if vm := &page[i]; keep(vm, opts) {
				nodes = append(nodes, d.toNode(vm, addr))
			}
		}
	}
	return nodes, nil
}

// keep applies the filters the server cannot: exact names and hiding
// destroyed VMs.
func keep(vm *VirtualMachine, o *ListNodesOptions) bool {
	if o.Name != "" && vm.Name != o.Name {
		return false
	}
	return o.IncludeDestroyed || !gone(vm.State)
}

// gone reports the states in which a VM counts as destroyed for the
// portable API.
func gone(state string) bool {
	return strings.EqualFold(state, "Destroyed") || strings.EqualFold(state, "Expunging") || strings.EqualFold(state, "Expunged")
}

// addressBook holds, by VM id, the public addresses that belong to VMs
// without being on their NICs: static NAT (listPublicIpAddresses) and port
// forwarding (listPortForwardingRules), and the static NAT rules
// (listIpForwardingRules).
type addressBook struct {
	ips         map[string][]PublicIP
	rules       map[string][]PortForwardingRule
	ipForwRules map[string][]IPForwardingRule
}

// addresses fetches the address book for the scope of params (project,
// listall). An API that the account may not call or that the zone does not
// offer (401, 431, 432) leaves that part empty rather than failing the
// listing.
func (d *Driver) addresses(ctx context.Context, op string, params url.Values) (*addressBook, error) {
	scope := url.Values{}
	for _, k := range []string{"listall", "projectid", "zoneid"} {
		if v := params.Get(k); v != "" {
			scope.Set(k, v)
		}
	}
	book := &addressBook{ips: map[string][]PublicIP{}, rules: map[string][]PortForwardingRule{},
		ipForwRules: map[string][]IPForwardingRule{}}
	var (
		ips      []PublicIP
		ipfRules []IPForwardingRule
		e1, e3   error
		wg       sync.WaitGroup
	)
	wg.Go(func() {
		ips, e1 = listAll[PublicIP](ctx, d, op, "listPublicIpAddresses", scope, "publicipaddress")
	})
	rulesScope := url.Values{} // neither rule listing takes zoneid
	for k, v := range scope {
		if k != "zoneid" {
			rulesScope[k] = v
		}
	}
	wg.Go(func() {
		ipfRules, e3 = listAll[IPForwardingRule](ctx, d, op, "listIpForwardingRules", rulesScope, "ipforwardingrule")
	})
	rules, e2 := listAll[PortForwardingRule](ctx, d, op, "listPortForwardingRules", rulesScope, "portforwardingrule")
	wg.Wait()
	for _, err := range []error{e1, e2, e3} {
		if err != nil && !optionalLookupError(err) {
			return nil, err
		}
	}
	for _, ip := range ips {
		if ip.VirtualMachineID != "" {
			book.ips[ip.VirtualMachineID] = append(book.ips[ip.VirtualMachineID], ip)
		}
	}
	for _, r := range rules {
		if r.VirtualMachineID != "" {
			book.rules[r.VirtualMachineID] = append(book.rules[r.VirtualMachineID], r)
		}
	}
	for _, r := range ipfRules {
		if r.VirtualMachineID != "" {
			book.ipForwRules[r.VirtualMachineID] = append(book.ipForwRules[r.VirtualMachineID], r)
		}
	}
	return book, nil
}

// optionalLookupError reports errors of the address lookups that should not
// fail a node listing: the API is not offered or not allowed.
func optionalLookupError(err error) bool {
	var ae *APIError
	if !asAPIError(err, &ae) {
		return false
	}
	switch ae.ErrorCode {
	case 401, 405, 432, 531:
		return true
	}
	return false
}

// GetNode implements compute.Driver.GetNode (listVirtualMachines id=...).
// A VM that is Destroyed or Expunging counts as not found.
func (d *Driver) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	return d.getNode(ctx, "GetNode", id, nil)
}

// ExGetNode is GetNode with ListNodesOptions (project, IncludeDestroyed,
// SkipAddresses; the other filters are ignored). Not portable.
func (d *Driver) ExGetNode(ctx context.Context, id string, opts *ListNodesOptions) (*compute.Node, error) {
	return d.getNode(ctx, "ExGetNode", id, opts)
}

func (d *Driver) getNode(ctx context.Context, op, id string, opts *ListNodesOptions) (*compute.Node, error) {
	if opts == nil {
		opts = &ListNodesOptions{}
	}
	vm, err := d.getVM(ctx, op, id, opts.ProjectID, opts.IncludeDestroyed)
	if err != nil {
		return nil, err
	}
	var addr *addressBook
	if !opts.SkipAddresses {
		p := url.Values{}
		if vm.ProjectID != "" {
			p.Set("projectid", vm.ProjectID)
		}
		if vm.ZoneID != "" {
			p.Set("zoneid", vm.ZoneID)
		}
		p.Set("listall", "true")
		if addr, err = d.addresses(ctx, op, p); err != nil {
			return nil, d.withID(err, id)
		}
	}
	return d.toNode(vm, addr), nil
}

// getVM returns the raw VM with the given id. An empty result, the server's
// "entity does not exist" answer and (unless includeDestroyed) a destroyed
// VM give ErrNotFound. Without a project, a VM not found is looked for again
// among every project's VMs (projectid=-1).
func (d *Driver) getVM(ctx context.Context, op, id, projectID string, includeDestroyed bool) (*VirtualMachine, error) {
	if strings.TrimSpace(id) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "empty node id")
	}
	p := url.Values{"id": {id}, "listall": {"true"}}
	if projectID != "" {
		p.Set("projectid", projectID)
	}
	p = d.scoped(p, true)
	vms, err := listAll[VirtualMachine](ctx, d, op, "listVirtualMachines", p, "virtualmachine")
	if err != nil && !isKind(err, compute.ErrNotFound) {
		return nil, err
	}
	if len(vms) == 0 && !p.Has("projectid") {
		// A project's VM is listed only with its project (or -1, all).
		p.Set("projectid", "-1")
		more, perr := listAll[VirtualMachine](ctx, d, op, "listVirtualMachines", p, "virtualmachine")
		switch {
		case perr == nil:
			vms = more
		case ctx.Err() != nil:
			return nil, perr
		}
	}
	if err != nil && len(vms) == 0 {
		return nil, err
	}
	for i := range vms {
		if vms[i].ID == id && (includeDestroyed || !gone(vms[i].State)) {
			return &vms[i], nil
		}
	}
	return nil, d.errorf(op, id, compute.ErrNotFound, "no virtual machine with id %q", id)
}

// nodeStates maps CloudStack VM states (VirtualMachine.State, all versions)
// to compute states; anything else is NodeStateUnknown.
var nodeStates = map[string]types.NodeState{
	"running":    types.NodeStateRunning,
	"starting":   types.NodeStateStarting,
	"stopping":   types.NodeStateStopping,
	"stopped":    types.NodeStateStopped,
	"migrating":  types.NodeStateMigrating,
	"destroyed":  types.NodeStateTerminated,
	"expunging":  types.NodeStateTerminated,
	"expunged":   types.NodeStateTerminated,
	"error":      types.NodeStateError,
	"unknown":    types.NodeStateUnknown,
	"shutdown":   types.NodeStateStopped,
	"shutdowned": types.NodeStateStopped,
	"restoring":  types.NodeStatePending,
	"restored":   types.NodeStateStopped,
	"creating":   types.NodeStatePending,
}

// NodeState returns the compute state of a CloudStack VM state (case
// insensitive; unknown states give NodeStateUnknown).
func NodeState(state string) types.NodeState {
	if s, ok := nodeStates[strings.ToLower(state)]; ok {
		return s
	}
	return types.NodeStateUnknown
}

// toNode converts a VM. Public addresses are the static NAT address, the
// public addresses in addr, and the NIC addresses (IPv4, IPv6, secondary)
// that are not private; private ones are RFC 1918, unique local, loopback
// and link-local. NICs without an address are skipped.
func (d *Driver) toNode(vm *VirtualMachine, addr *addressBook) *compute.Node {
	n := &compute.Node{
		ID:         vm.ID,
		Name:       vm.Name,
		State:      NodeState(vm.State),
		PublicIPs:  []string{},
		PrivateIPs: []string{},
		CreatedAt:  vm.Created,
		Provider:   d.provider,
	}
	if n.Name == "" {
		n.Name = vm.DisplayName
	}
	addIP := func(ip string) {
		if ip == "" {
			return // most are unset: spare ParseAddr's error
		}
		a, err := netip.ParseAddr(ip)
		if err != nil {
			return
		}
		s := ip // an IPv4 address that parses is in canonical form
		if a.Is6() {
			s = a.String()
		}
		list := &n.PublicIPs
		if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
			list = &n.PrivateIPs
		}
		for _, x := range *list {
			if x == s {
				return
			}
		}
		*list = append(*list, s)
	}
	addIP(vm.PublicIP)
	var ips []PublicIP
	var rules []PortForwardingRule
	var ipfRules []IPForwardingRule
	if addr != nil {
		ips, rules, ipfRules = addr.ips[vm.ID], addr.rules[vm.ID], addr.ipForwRules[vm.ID]
		for _, ip := range ips {
			addIP(ip.IPAddress)
		}
		for _, r := range rules {
			addIP(r.IPAddress)
		}
	}
	for i := range vm.NICs {
		nic := &vm.NICs[i]
		addIP(nic.IPAddress)
		addIP(nic.IP6Address)
		for _, s := range nic.SecondaryIPs {
			addIP(s.IPAddress)
		}
	}
	if vm.ServiceOfferingID != "" {
		n.Size = &compute.Size{
			ID: vm.ServiceOfferingID, Name: vm.ServiceOfferingName, VCPUs: vm.CPUNumber, RAM: vm.Memory, Provider: d.provider,
			Extra: map[string]any{"cpu": vm.CPUNumber, "cpu_speed": vm.CPUSpeed},
		}
	}
	if imageID := vm.TemplateID; imageID != "" || vm.IsoID != "" {
		name := vm.TemplateName
		if imageID == "" {
			imageID, name = vm.IsoID, vm.IsoName
		}
		n.Image = &compute.Image{ID: imageID, Name: name, Provider: d.provider}
	}
	if vm.ZoneID != "" {
		n.Location = &compute.Location{ID: vm.ZoneID, Name: vm.ZoneName, Provider: d.provider}
	}
	if len(vm.Tags) > 0 {
		n.Tags = tagMap(vm.Tags)
	}
	n.Extra = nodeExtra(vm, ips, rules, ipfRules)
	return n
}

// nodeExtra holds Libcloud's extra keys (typed, not stringified, and without
// its typos) plus "state" (the CloudStack state) and "virtualmachine" (the
// whole record, unmodelled fields in its Extra). "ip_addresses"
// ([]PublicIP), "port_forwarding_rules" ([]PortForwardingRule) and
// "ip_forwarding_rules" ([]IPForwardingRule) are the VM's static NAT
// addresses, port forwarding rules and static NAT rules (empty, never nil,
// when it has none or the listing skipped them).
func nodeExtra(vm *VirtualMachine, ips []PublicIP, rules []PortForwardingRule, ipfRules []IPForwardingRule) map[string]any {
	keyName := vm.KeyPair
	if keyName == "" {
		keyName, _, _ = strings.Cut(vm.KeyPairs, ",")
	}
	sgs, ags := emptyStrings, emptyStrings
	if len(vm.SecurityGroups) > 0 {
		names := make([]string, len(vm.SecurityGroups))
		for i, g := range vm.SecurityGroups {
			names[i] = g.Name
		}
		sgs = names
	}
	if len(vm.AffinityGroups) > 0 {
		ids := make([]string, len(vm.AffinityGroups))
		for i, g := range vm.AffinityGroups {
			ids[i] = g.ID
		}
		ags = ids
	}
	x := make(map[string]any, 27)
	x["state"] = vm.State
	x["zone_id"] = vm.ZoneID
	x["zone_name"] = vm.ZoneName
	x["image_id"] = vm.TemplateID
	x["image_name"] = vm.TemplateName
	x["template_display_text"] = vm.TemplateDisplayText
	x["size_id"] = vm.ServiceOfferingID
	x["size_name"] = vm.ServiceOfferingName
	x["key_name"] = keyName
	x["password_enabled"] = vm.PasswordEnabled
	x["haenable"] = vm.HAEnable
	x["root_device_id"] = vm.RootDeviceID
	x["root_device_type"] = vm.RootDeviceType
	x["hypervisor"] = vm.Hypervisor
	x["project"] = vm.Project
	x["project_id"] = vm.ProjectID
	x["nics"] = vm.NICs
	x["security_group"] = sgs
	x["affinity_group"] = ags
	x["ip_addresses"] = emptyOr(ips, emptyPublicIPs)
	x["port_forwarding_rules"] = emptyOr(rules, emptyRules)
	x["ip_forwarding_rules"] = emptyOr(ipfRules, emptyIPForwardingRules)
	x["virtualmachine"] = vm
	if len(vm.Tags) > 0 {
		x["tags"] = tagMap(vm.Tags)
	}
	if vm.Password != "" {
		x["password"] = vm.Password
	}
	return x
}

// The empty lists of nodeExtra, boxed once for every node (an empty slice
// cannot be written to, so sharing it is safe).
var (
	emptyStrings           any = []string{}
	emptyPublicIPs         any = []PublicIP{}
	emptyRules             any = []PortForwardingRule{}
	emptyIPForwardingRules any = []IPForwardingRule{}
)

// emptyOr returns s boxed, or empty when s has no element.
func emptyOr[T any](s []T, empty any) any {
	if len(s) == 0 {
		return empty
	}
	return s
}
