package cloudstack

import (
	"context"
	"net/url"
)

// ListProjectsOptions filters ExListProjects. Zero values are not sent.
type ListProjectsOptions struct {
	// ID lists one project.
	ID string
	// Name lists the project with exactly this name.
	Name string
	// DisplayText lists the projects with this display text.
	DisplayText string
	// State lists the projects in a state ("Active", "Suspended").
	State string
	// Keyword is CloudStack's keyword search.
	Keyword string
	// Tags lists the projects carrying all these tags.
	Tags map[string]string
	// Account and DomainID list the projects of an account or domain.
	Account, DomainID string
	// IsRecursive includes the subdomains of DomainID.
	IsRecursive bool
	// ListAll lists every project the caller may see (admins), in addition
	// to the driver's ListAll setting.
	ListAll bool
	// Username lists the projects of a user.
	Username string
}

// ExListProjects lists projects with their limits and usage, every page
// (listProjects), as Libcloud's ex_list_projects ("Unlimited" is -1). Not
// portable.
func (d *Driver) ExListProjects(ctx context.Context, opts *ListProjectsOptions) ([]Project, error) {
	o := opts
	if o == nil {
		o = &ListProjectsOptions{}
	}
	p := url.Values{}
	setString(p, "id", o.ID)
	setString(p, "name", o.Name)
	setString(p, "displaytext", o.DisplayText)
	setString(p, "state", o.State)
	setSearch(p, o.Keyword, o.Tags)
	setString(p, "account", o.Account)
	setString(p, "domainid", o.DomainID)
	setTrue(p, "isrecursive", o.IsRecursive)
	setTrue(p, "listall", o.ListAll || d.settings.ListAll)
	setString(p, "username", o.Username)
	projects, err := listAll[Project](ctx, d, "ExListProjects", "listProjects", p, "project")
	if err != nil {
		return nil, err
	}
	return exactName(projects, o.Name, func(p *Project) string { return p.Name }), nil
}

// Limits are the resource limits of an account or project (-1: unlimited),
// by CloudStack resource type, as Libcloud's ex_limits reports them.
type Limits struct {
	MaxInstances        int64 // type 0, user_vm
	MaxPublicIPs        int64 // type 1, public_ip
	MaxVolumes          int64 // type 2, volume
	MaxSnapshots        int64 // type 3, snapshot
	MaxImages           int64 // type 4, template
	MaxProjects         int64 // type 5, project
	MaxNetworks         int64 // type 6, network
	MaxVPC              int64 // type 7, vpc
	MaxCPU              int64 // type 8, cpu
	MaxMemory           int64 // type 9, memory (MB)
	MaxPrimaryStorage   int64 // type 10, primary_storage (GB)
	MaxSecondaryStorage int64 // type 11, secondary_storage (GB)
	// Rows are the listResourceLimits rows, every type included.
	Rows []ResourceLimit
}

// limitKeys are Libcloud's ex_limits keys, by resource type.
var limitKeys = [...]string{
	"max_instances", "max_public_ips", "max_volumes", "max_snapshots", "max_images", "max_projects",
	"max_networks", "max_vpc", "max_cpu", "max_memory", "max_primary_storage", "max_secondary_storage",
}

// fields returns the struct fields of l by resource type.
func (l *Limits) fields() [12]*int64 {
	return [12]*int64{&l.MaxInstances, &l.MaxPublicIPs, &l.MaxVolumes, &l.MaxSnapshots, &l.MaxImages,
		&l.MaxProjects, &l.MaxNetworks, &l.MaxVPC, &l.MaxCPU, &l.MaxMemory, &l.MaxPrimaryStorage,
		&l.MaxSecondaryStorage}
}

// Map returns the limits under Libcloud's keys (max_instances, ...).
func (l *Limits) Map() map[string]int64 {
	m := make(map[string]int64, len(limitKeys))
	for i, f := range l.fields() {
		m[limitKeys[i]] = *f
	}
	return m
}

// LimitsOptions select whose limits ExLimits reports.
type LimitsOptions struct {
	// OwnerOptions name a project or another account (default the caller,
	// or the driver's ProjectID).
	OwnerOptions
}

// ExLimits returns the resource limits of the caller's account, or of a
// project or account (listResourceLimits), as Libcloud's ex_limits. A type
// the server does not list stays -1 (unlimited). Not portable.
func (d *Driver) ExLimits(ctx context.Context, opts *LimitsOptions) (*Limits, error) {
	if opts == nil {
		opts = &LimitsOptions{}
	}
	p := d.ownerParams(url.Values{}, opts.OwnerOptions)
	rows, err := listAll[ResourceLimit](ctx, d, "ExLimits", "listResourceLimits", p, "resourcelimit")
	if err != nil {
		return nil, err
	}
	l := &Limits{Rows: rows}
	fields := l.fields()
	for _, f := range fields {
		*f = -1
	}
	for _, r := range rows {
		if r.ResourceType >= 0 && r.ResourceType < len(fields) {
			*fields[r.ResourceType] = r.Max
		}
	}
	return l, nil
}
