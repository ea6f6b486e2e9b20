package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// setSearch sets the keyword and tags[i].key/value filters of a list
// command, when given.
func setSearch(p url.Values, keyword string, tags map[string]string) {
	setString(p, "keyword", keyword)
	setTags(p, tags)
}

// tagTargets checks the resources and type of ExCreateTags and ExDeleteTags
// and returns their parameters.
func (d *Driver) tagTargets(op string, resourceIDs []string, resourceType string) (url.Values, error) {
	id := strings.Join(resourceIDs, ",")
	if strings.TrimSpace(resourceType) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "a resource type is required (UserVm, Volume, Template, ...)")
	}
	p := url.Values{"resourcetype": {resourceType}}
	setList(p, "resourceids", nonBlank(resourceIDs))
	if !p.Has("resourceids") {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "at least one resource id is required")
	}
	return p, nil
}

// nonBlank returns the values of vs that are not blank, trimmed.
func nonBlank(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ExCreateTags sets tags on resources of one type (createTags, waiting for
// the job), as Libcloud's ex_create_tags. resourceType is CloudStack's
// resource type name: UserVm, Volume, Template, ISO, Snapshot, Network,
// PublicIpAddress, SecurityGroup, PortForwardingRule, FirewallRule, Project,
// VPC, ... A key already set on a resource is an error. Not portable.
func (d *Driver) ExCreateTags(ctx context.Context, resourceIDs []string, resourceType string, tags map[string]string) error {
	const op = "ExCreateTags"
	p, err := d.tagTargets(op, resourceIDs, resourceType)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return d.errorf(op, p.Get("resourceids"), compute.ErrInvalidArgument, "no tags given")
	}
	setTags(p, tags)
	return d.tagJob(ctx, op, "createTags", p)
}

// ExDeleteTags removes the tags with the given keys from resources of one
// type (deleteTags, waiting for the job), as Libcloud's ex_delete_tags.
// With no keys every tag of the resources is removed. Not portable.
func (d *Driver) ExDeleteTags(ctx context.Context, resourceIDs []string, resourceType string, keys []string) error {
	const op = "ExDeleteTags"
	p, err := d.tagTargets(op, resourceIDs, resourceType)
	if err != nil {
		return err
	}
	for i, k := range keys {
		p.Set("tags["+itoa(i)+"].key", k)
	}
	return d.tagJob(ctx, op, "deleteTags", p)
}

// tagJob runs createTags or deleteTags and checks the job's success.
func (d *Driver) tagJob(ctx context.Context, op, command string, p url.Values) error {
	return d.asyncSuccess(ctx, op, command, p, p.Get("resourceids"))
}

// ListTagsOptions filters ExListTags. Zero values are not sent.
type ListTagsOptions struct {
	ListScope
	// Keyword is CloudStack's keyword search.
	Keyword string
	// ResourceType lists the tags of one resource type (UserVm, ...).
	ResourceType string
	// ResourceID lists the tags of one resource.
	ResourceID string
	// Key and Value list the tags with this key or value.
	Key, Value string
	// Customer lists the tags of a customer (a region's tag owner).
	Customer string
}

// ExListTags lists resource tags, every page (listTags). Libcloud has no
// such method. Not portable.
func (d *Driver) ExListTags(ctx context.Context, opts *ListTagsOptions) ([]Tag, error) {
	o := opts
	if o == nil {
		o = &ListTagsOptions{}
	}
	p := d.listScope(&o.ListScope)
	setString(p, "keyword", o.Keyword)
	setString(p, "resourcetype", o.ResourceType)
	setString(p, "resourceid", o.ResourceID)
	setString(p, "key", o.Key)
	setString(p, "value", o.Value)
	setString(p, "customer", o.Customer)
	return listAll[Tag](ctx, d, "ExListTags", "listTags", p, "tag")
}
