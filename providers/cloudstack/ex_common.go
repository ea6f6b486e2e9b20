package cloudstack

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListScope holds the ownership filters that CloudStack list commands of
// account-owned resources take (networks, VPCs, ACL lists, VPN gateways,
// ...). It is embedded in their options structs; the zero value lists what
// the driver's settings select (its ProjectID and ListAll).
type ListScope struct {
	// Account lists the resources of this account (account; with DomainID).
	Account string
	// DomainID lists the resources of a domain (domainid).
	DomainID string
	// IsRecursive also lists the resources of DomainID's subdomains
	// (isrecursive=true).
	IsRecursive bool
	// ListAll lists every account's resources the caller may see
	// (listall=true), in addition to the driver's ListAll setting.
	ListAll bool
	// ProjectID lists a project's resources ("-1": every project's);
	// default the driver's ProjectID setting.
	ProjectID string
}

// listScope returns the list parameters of s, with the driver's ListAll and
// ProjectID settings filled in where s leaves them unset.
func (d *Driver) listScope(s *ListScope) url.Values {
	p := url.Values{}
	if s != nil {
		setString(p, "account", s.Account)
		setString(p, "domainid", s.DomainID)
		setTrue(p, "isrecursive", s.IsRecursive)
		setTrue(p, "listall", s.ListAll)
		setString(p, "projectid", s.ProjectID)
	}
	return d.scoped(p, true)
}

// OwnerOptions names the owner of a created resource when it is not the
// caller: a project, or an account of a domain (admins only). The zero
// value creates the resource for the caller, or for the driver's ProjectID
// setting.
type OwnerOptions struct {
	// ProjectID creates the resource in a project (projectid).
	ProjectID string
	// Account creates the resource for this account (account; with
	// DomainID).
	Account string
	// DomainID is the domain of Account (domainid).
	DomainID string
}

// ownerParams sets the owner parameters of o on p, with the driver's
// ProjectID setting when o names no owner.
func (d *Driver) ownerParams(p url.Values, o OwnerOptions) url.Values {
	setString(p, "account", o.Account)
	setString(p, "domainid", o.DomainID)
	setString(p, "projectid", o.ProjectID)
	if o.Account == "" && o.ProjectID == "" && d.settings.ProjectID != "" {
		p.Set("projectid", d.settings.ProjectID)
	}
	return p
}

// setString sets a parameter when v is not empty: unset options are never
// sent, not even as "" (Libcloud sends "None").
func setString(p url.Values, name, v string) {
	if v != "" {
		p.Set(name, v)
	}
}

// setTrue sets a boolean parameter to true when v is; false is the
// server's default and is not sent.
func setTrue(p url.Values, name string, v bool) {
	if v {
		p.Set(name, "true")
	}
}

// setBool sets a boolean parameter when v is not nil.
func setBool(p url.Values, name string, v *bool) {
	if v != nil {
		p.Set(name, strconv.FormatBool(*v))
	}
}

// setInt sets an integer parameter when v is not nil: numeric options whose
// zero is a real value (ports, ICMP type and code) are pointers, so that 0
// is sent (see the package doc's numeric options).
func setInt(p url.Values, name string, v *int) {
	if v != nil {
		p.Set(name, strconv.Itoa(*v))
	}
}

// intOr returns *v, or def when v is nil.
func intOr(v *int, def int) int {
	if v != nil {
		return *v
	}
	return def
}

// setList sets a comma-separated list parameter when vs is not empty.
func setList(p url.Values, name string, vs []string) {
	if len(vs) > 0 {
		p.Set(name, strings.Join(vs, ","))
	}
}

// requireID returns an ErrInvalidArgument error when id is blank. what
// names the kind of id in the message ("network", "VPC", ...).
func (d *Driver) requireID(op, what, id string) error {
	if strings.TrimSpace(id) == "" {
		return d.errorf(op, id, compute.ErrInvalidArgument, "empty %s id", what)
	}
	return nil
}

// deleteAsync sends an async delete-style command for id (params, if not
// nil, adds parameters), waits for its job and checks that the server
// answered success: a job that ends with {"success":false} is an
// ErrInternal error carrying the server's display text.
func (d *Driver) deleteAsync(ctx context.Context, op, what, command, id string, params url.Values) error {
	if err := d.requireID(op, what, id); err != nil {
		return err
	}
	p := url.Values{"id": {id}}
	for k, v := range params {
		p[k] = v
	}
	return d.asyncSuccess(ctx, op, command, p, id)
}

// asyncSuccess sends an async command answering CloudStack's
// SuccessResponse, waits for its job and checks that the server answered
// success (see deleteAsync); id names the resource in errors that name
// none.
func (d *Driver) asyncSuccess(ctx context.Context, op, command string, p url.Values, id string) error {
	var r successResult
	if err := d.callAsync(ctx, op, command, p, "", &r); err != nil {
		return d.withID(err, id)
	}
	return r.check(d, op, id)
}

// successResult is CloudStack's SuccessResponse. Success is a pointer: an
// answer without it (older servers answering with the object) counts as
// success.
type successResult struct {
	Success     *bool  `json:"success"`
	DisplayText string `json:"displaytext"`
}

// check returns an error when the server said the command failed.
func (r *successResult) check(d *Driver, op, id string) error {
	if r.Success == nil || *r.Success {
		return nil
	}
	text := r.DisplayText
	if text == "" {
		text = "the server answered success=false"
	}
	return d.errorf(op, id, compute.ErrInternal, "%s", text)
}

// exactName keeps the rows whose name is exactly name (all of them when
// name is ""): servers match name filters as substrings or not at all.
func exactName[T any](rows []T, name string, nameOf func(*T) string) []T {
	if name == "" {
		return rows
	}
	out := make([]T, 0, len(rows))
	for i := range rows {
		if nameOf(&rows[i]) == name {
			out = append(out, rows[i])
		}
	}
	return out
}
