package cloudstack

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListNicsOptions filters ExListNics.
type ListNicsOptions struct {
	// NetworkID lists the VM's NIC on a network (networkid).
	NetworkID string
	// NICID lists one NIC (nicid).
	NICID string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
}

// ExListNics lists the network interfaces of a VM (listNics
// virtualmachineid=..., every page), as Libcloud's ex_list_nics. Not
// portable.
func (d *Driver) ExListNics(ctx context.Context, nodeID string, opts *ListNicsOptions) ([]NIC, error) {
	const op = "ExListNics"
	if err := d.requireID(op, "node", nodeID); err != nil {
		return nil, err
	}
	p := url.Values{"virtualmachineid": {nodeID}}
	if opts != nil {
		setString(p, "networkid", opts.NetworkID)
		setString(p, "nicid", opts.NICID)
		setString(p, "keyword", opts.Keyword)
	}
	nics, err := listAll[NIC](ctx, d, op, "listNics", p, "nic")
	return nics, d.withID(err, nodeID)
}

// AttachNicOptions tunes ExAttachNicToNode.
type AttachNicOptions struct {
	// IPAddress is the NIC's address in the network (ipaddress); the
	// server picks a free one when empty.
	IPAddress string
	// MACAddress is the NIC's MAC address (macaddress); the server makes
	// one when empty.
	MACAddress string
	// DHCPOptions are extra DHCP options by option code, such as 114:
	// "http://example.com" (dhcpoptions[0].dhcp:114=...).
	DHCPOptions map[int]string
}

// ExAttachNicToNode adds a network interface on a network to a VM
// (addNicToVirtualMachine, waiting for the job) and returns the new NIC, as
// Libcloud's ex_attach_nic_to_node (which returns only true). A VM has at
// most one NIC per network. Not portable.
func (d *Driver) ExAttachNicToNode(ctx context.Context, nodeID, networkID string, opts *AttachNicOptions) (*NIC, error) {
	const op = "ExAttachNicToNode"
	if err := d.requireID(op, "node", nodeID); err != nil {
		return nil, err
	}
	if err := d.requireID(op, "network", networkID); err != nil {
		return nil, err
	}
	p := url.Values{"virtualmachineid": {nodeID}, "networkid": {networkID}}
	if opts != nil {
		setString(p, "ipaddress", opts.IPAddress)
		setString(p, "macaddress", opts.MACAddress)
		codes := make([]int, 0, len(opts.DHCPOptions))
		for code := range opts.DHCPOptions {
			codes = append(codes, code)
		}
		sort.Ints(codes)
		for _, code := range codes {
			p.Set("dhcpoptions[0].dhcp:"+strconv.Itoa(code), opts.DHCPOptions[code])
		}
	}
	var vm VirtualMachine
	if err := d.callAsync(ctx, op, "addNicToVirtualMachine", p, "virtualmachine", &vm); err != nil {
		return nil, d.withID(err, nodeID)
	}
	for i := range vm.NICs {
		if vm.NICs[i].NetworkID == networkID {
			nic := vm.NICs[i]
			if nic.VirtualMachineID == "" {
				nic.VirtualMachineID = nodeID
			}
			return &nic, nil
		}
	}
	return nil, d.errorf(op, nodeID, compute.ErrInternal, "the job succeeded but the VM has no NIC on network %q", networkID)
}

// ExDetachNicFromNode removes a network interface from a VM
// (removeNicFromVirtualMachine, waiting for the job), as Libcloud's
// ex_detach_nic_from_node, whose argument order (NIC, then VM) it keeps.
// The server refuses to remove the default NIC. Not portable.
func (d *Driver) ExDetachNicFromNode(ctx context.Context, nicID, nodeID string) error {
	const op = "ExDetachNicFromNode"
	if err := d.requireID(op, "NIC", nicID); err != nil {
		return err
	}
	if err := d.requireID(op, "node", nodeID); err != nil {
		return err
	}
	p := url.Values{"virtualmachineid": {nodeID}, "nicid": {nicID}}
	return d.withID(d.callAsync(ctx, op, "removeNicFromVirtualMachine", p, "", nil), nodeID)
}

// ExUpdateNodeAffinityGroup sets the affinity groups of a stopped VM
// (updateVMAffinityGroup, waiting for the job) and returns the VM, as
// Libcloud's ex_update_node_affinity_group. An empty groupIDs removes the
// VM from every group (affinitygroupids is then sent empty). The node's
// addresses are those of its NICs. Not portable.
func (d *Driver) ExUpdateNodeAffinityGroup(ctx context.Context, nodeID string, groupIDs []string) (*compute.Node, error) {
	const op = "ExUpdateNodeAffinityGroup"
	if err := d.requireID(op, "node", nodeID); err != nil {
		return nil, err
	}
	for _, g := range groupIDs {
		if strings.TrimSpace(g) == "" || strings.Contains(g, ",") {
			return nil, d.errorf(op, nodeID, compute.ErrInvalidArgument, "invalid affinity group id %q", g)
		}
	}
	p := url.Values{"id": {nodeID}, "affinitygroupids": {strings.Join(groupIDs, ",")}}
	var vm VirtualMachine
	if err := d.callAsync(ctx, op, "updateVMAffinityGroup", p, "virtualmachine", &vm); err != nil {
		return nil, err
	}
	return d.toNode(&vm, nil), nil
}
