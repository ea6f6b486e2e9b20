package cloudstack

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListScope holds the ownership and search filters most CloudStack list
// commands take. It is embedded in the options of the Ex list methods. Zero
// values are not sent; the driver's ListAll and ProjectID settings apply
// unless ListAll or ProjectID say otherwise.
type ListScope struct {
	// Account lists the resources of this account (with DomainID).
	Account string
	// DomainID lists the resources of a domain.
	DomainID string
	// ProjectID lists a project's resources ("-1": every project's).
	ProjectID string
	// ListAll lists every resource the caller may see, not only its own.
	ListAll bool
	// IsRecursive also lists the resources of the subdomains of DomainID.
	IsRecursive bool
	// Keyword is CloudStack's keyword (substring) search.
	Keyword string
	// Tags lists the resources that carry all these tags.
	Tags map[string]string
}

// apply adds the scope to p. withTags is false for the commands that take
// no tags parameter.
func (s *ListScope) apply(p url.Values, withTags bool) {
	if s == nil {
		return
	}
	setStr(p, "account", s.Account)
	setStr(p, "domainid", s.DomainID)
	setStr(p, "projectid", s.ProjectID)
	if s.ListAll {
		p.Set("listall", "true")
	}
	if s.IsRecursive {
		p.Set("isrecursive", "true")
	}
	setStr(p, "keyword", s.Keyword)
	if withTags {
		setTags(p, s.Tags)
	}
}

// setStr sets p[key] when v is not empty.
func setStr(p url.Values, key, v string) {
	if v != "" {
		p.Set(key, v)
	}
}

// setBool sets p[key] when v is not nil.
func setBool(p url.Values, key string, v *bool) {
	if v != nil {
		p.Set(key, strconv.FormatBool(*v))
	}
}

// setInt sets p[key] when v is not nil.
func setInt(p url.Values, key string, v *int) {
	if v != nil {
		p.Set(key, strconv.Itoa(*v))
	}
}

// setList sets p[key] to the comma-joined non-empty values, if any.
func setList(p url.Values, key string, vs []string) {
	var keep []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			keep = append(keep, v)
		}
	}
	if len(keep) > 0 {
		p.Set(key, strings.Join(keep, ","))
	}
}

// requireID returns an ErrInvalidArgument error when id is blank.
func (d *Driver) requireID(op, what, id string) error {
	if strings.TrimSpace(id) == "" {
		return d.errorf(op, id, compute.ErrInvalidArgument, "empty %s", what)
	}
	return nil
}

// successAnswer is the answer of commands that only report success.
type successAnswer struct {
	Success     *bool  `json:"success"`
	DisplayText string `json:"displaytext"`
}

// check turns an explicit "success": false into an error.
func (d *Driver) checkSuccess(op, id string, a *successAnswer) error {
	if a.Success != nil && !*a.Success {
		text := a.DisplayText
		if text == "" {
			text = "the server reported failure"
		}
		return d.errorf(op, id, compute.ErrInternal, "%s", text)
	}
	return nil
}

// callSuccess sends a synchronous command answering {"success": ...};
// "success": false is an error.
func (d *Driver) callSuccess(ctx context.Context, op, command string, params url.Values) error {
	var a successAnswer
	if err := d.call(ctx, op, command, params, &a); err != nil {
		return err
	}
	return d.checkSuccess(op, params.Get("id"), &a)
}

// asyncSuccess sends an async command whose job answers {"success": ...},
// waits for it and turns "success": false into an error.
func (d *Driver) asyncSuccess(ctx context.Context, op, command string, params url.Values) error {
	var a successAnswer
	if err := d.callAsync(ctx, op, command, params, "", &a); err != nil {
		return err
	}
	return d.checkSuccess(op, params.Get("id"), &a)
}
