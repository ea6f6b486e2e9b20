package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListAffinityGroupsOptions filters ExListAffinityGroups. Zero values are
// not sent.
type ListAffinityGroupsOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// ID lists one group.
	ID string
	// Name lists the group with exactly this name.
	Name string
	// Type lists the groups of a type ("host anti-affinity", ...).
	Type string
	// VirtualMachineID lists the groups of a VM.
	VirtualMachineID string
}

// ExListAffinityGroups lists affinity groups, every page
// (listAffinityGroups), as Libcloud's ex_list_affinity_groups. The ids of
// each group's VMs are in Extra["virtualmachineIds"]. Not portable.
func (d *Driver) ExListAffinityGroups(ctx context.Context, opts *ListAffinityGroupsOptions) ([]AffinityGroup, error) {
	o := opts
	if o == nil {
		o = &ListAffinityGroupsOptions{}
	}
	p := d.listScope(&o.ListScope)
	setString(p, "keyword", o.Keyword)
	setString(p, "id", o.ID)
	setString(p, "name", o.Name)
	setString(p, "type", o.Type)
	setString(p, "virtualmachineid", o.VirtualMachineID)
	groups, err := listAll[AffinityGroup](ctx, d, "ExListAffinityGroups", "listAffinityGroups", p, "affinitygroup")
	if err != nil {
		return nil, err
	}
	return exactName(groups, o.Name, func(g *AffinityGroup) string { return g.Name }), nil
}

// ExListAffinityGroupTypes lists the affinity group types the server offers
// (listAffinityGroupTypes), as Libcloud's ex_list_affinity_group_types. Not
// portable.
func (d *Driver) ExListAffinityGroupTypes(ctx context.Context) ([]AffinityGroupType, error) {
	return listAll[AffinityGroupType](ctx, d, "ExListAffinityGroupTypes", "listAffinityGroupTypes", url.Values{}, "affinityGroupType")
}

// CreateAffinityGroupOptions are the options of ExCreateAffinityGroup.
type CreateAffinityGroupOptions struct {
	// Description describes the group.
	Description string
	// OwnerOptions create the group in a project or for another account.
	OwnerOptions
}

// ExCreateAffinityGroup creates an affinity group of a type from
// ExListAffinityGroupTypes (createAffinityGroup, waiting for the job) and
// returns it, as Libcloud's ex_create_affinity_group. An existing name gives
// compute.ErrAlreadyExists (the server checks; Libcloud listed the groups
// first, which races). Not portable.
func (d *Driver) ExCreateAffinityGroup(ctx context.Context, name, groupType string, opts *CreateAffinityGroupOptions) (*AffinityGroup, error) {
	const op = "ExCreateAffinityGroup"
	switch {
	case strings.TrimSpace(name) == "":
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "an affinity group name is required")
	case strings.TrimSpace(groupType) == "":
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "an affinity group type is required")
	}
	if opts == nil {
		opts = &CreateAffinityGroupOptions{}
	}
	p := d.ownerParams(url.Values{"name": {name}, "type": {groupType}}, opts.OwnerOptions)
	setString(p, "description", opts.Description)
	var g AffinityGroup
	if err := d.callAsync(ctx, op, "createAffinityGroup", p, "affinitygroup", &g); err != nil {
		return nil, d.withID(err, name)
	}
	return &g, nil
}

// ExDeleteAffinityGroup deletes an affinity group by id
// (deleteAffinityGroup, waiting for the job), as Libcloud's
// ex_delete_affinity_group. A group in use by VMs cannot be deleted. Not
// portable.
func (d *Driver) ExDeleteAffinityGroup(ctx context.Context, id string) error {
	return d.deleteAsync(ctx, "ExDeleteAffinityGroup", "affinity group", "deleteAffinityGroup", id, nil)
}
