package cloudstack

import "context"

// ListRoutersOptions filters ExListRouters. The zero value lists the
// routers the driver's settings select.
type ListRoutersOptions struct {
	ListScope
	// ID lists one router (id).
	ID string
	// Name lists the router with this name (name).
	Name string
	// VPCID lists the router of a VPC (vpcid).
	VPCID string
	// NetworkID lists the routers of a network (networkid).
	NetworkID string
	// ZoneID lists the routers of a zone (zoneid).
	ZoneID string
	// State is the router's state, such as "Running" (state).
	State string
	// Keyword is CloudStack's keyword filter (keyword).
	Keyword string
	// ForVPC lists only VPC routers (true) or only the others (false) when
	// not nil (forvpc).
	ForVPC *bool
}

// ExListRouters lists virtual routers (listRouters, every page), as
// Libcloud's ex_list_routers. CloudStack offers listRouters to admins only:
// a normal account gets ErrPermissionDenied. Not portable.
func (d *Driver) ExListRouters(ctx context.Context, opts *ListRoutersOptions) ([]Router, error) {
	if opts == nil {
		opts = &ListRoutersOptions{}
	}
	p := d.listScope(&opts.ListScope)
	setString(p, "id", opts.ID)
	setString(p, "name", opts.Name)
	setString(p, "vpcid", opts.VPCID)
	setString(p, "networkid", opts.NetworkID)
	setString(p, "zoneid", opts.ZoneID)
	setString(p, "state", opts.State)
	setString(p, "keyword", opts.Keyword)
	setBool(p, "forvpc", opts.ForVPC)
	routers, err := listAll[Router](ctx, d, "ExListRouters", "listRouters", p, "router")
	if err != nil {
		return nil, err
	}
	return exactName(routers, opts.Name, func(r *Router) string { return r.Name }), nil
}
