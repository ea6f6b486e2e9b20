package cloudstack

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"

	"github.com/goclouds/goclouds/compute"
)

// User data limits of the server, on the base64 text: 4 KB over GET
// (MAX_HTTP_GET_LENGTH, refused from 4096 on) and vm.userdata.max.length
// over POST (default 32768, at most 1 MB; Settings.UserDataMaxLength).
const (
	maxUserDataGET           = 4095
	DefaultUserDataMaxLength = 32768
	maxUserDataMaxLength     = 1 << 20
)

// maxUserData returns the largest raw user data the server takes once
// base64-encoded: the driver POSTs it unless GETOnly is set.
func (d *Driver) maxUserData() int {
	limit := d.settings.UserDataMaxLength
	if limit == 0 {
		limit = DefaultUserDataMaxLength
	}
	if d.settings.GETOnly {
		limit = min(limit, maxUserDataGET)
	}
	return limit / 4 * 3 // base64 makes 4 characters of every 3 bytes
}

// uuidPattern matches CloudStack's resource UUIDs.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// portableCreate checks a CreateNode request (compute's shared rules, then
// CloudStack's) and merges its portable fields into a copy of its options:
//
//   - UserData (or CreateNodeOptions.UserData, not both) must fit the
//     server's limit once base64-encoded;
//   - Networks become NetworkIDs (ids, not resolved from names; not with
//     CreateNodeOptions.NetworkIDs);
//   - SecurityGroups that look like UUIDs join SecurityGroupIDs, the others
//     SecurityGroupNames; CloudStack takes ids or names, not both, so a
//     mix in SecurityGroups is refused;
//   - a password is not supported.
//
// Tags are set after the deploy (deployVirtualMachine has no tags).
func (d *Driver) portableCreate(op string, req *compute.CreateNodeRequest) (*CreateNodeOptions, error) {
	if req == nil {
		return nil, req.Validate(d.provider, op, 0)
	}
	given, err := compute.ProviderOptionsOf[CreateNodeOptions](d.provider, op, req.ProviderOptions)
	if err != nil {
		return nil, err
	}
	o := *given
	bad := func(format string, args ...any) error {
		return d.errorf(op, "", compute.ErrInvalidArgument, format, args...)
	}
	checked := *req
	switch {
	case len(req.UserData) > 0 && o.UserData != "":
		return nil, bad("set UserData or CreateNodeOptions.UserData, not both")
	case o.UserData != "":
		checked.UserData = []byte(o.UserData)
	}
	if err := checked.Validate(d.provider, op, d.maxUserData()); err != nil {
		return nil, err
	}
	switch {
	case req.Auth.Password != "":
		return nil, d.errorf(op, "", compute.ErrNotSupported, "CloudStack cannot set a password at creation: it generates one for password-enabled templates (returned in Extra[\"password\"]); use an SSH key")
	case o.DiskSize < 0 || o.RootDiskSize < 0:
		return nil, bad("disk sizes must not be negative")
	case len(req.Networks) > 0 && len(o.NetworkIDs) > 0:
		return nil, bad("set Networks or CreateNodeOptions.NetworkIDs, not both")
	}
	o.UserData = string(checked.UserData)
	if len(req.Networks) > 0 {
		o.NetworkIDs = req.Networks
	}
	var ids, names []string
	for _, g := range req.SecurityGroups {
		if uuidPattern.MatchString(g) {
			ids = append(ids, g)
		} else {
			names = append(names, g)
		}
	}
	if len(ids) > 0 && len(names) > 0 {
		return nil, bad("SecurityGroups %v are ids and %v names: CloudStack takes either ids or names, give all as ids (ExListSecurityGroups shows them)", ids, names)
	}
	o.SecurityGroupIDs = append(slices.Clip(o.SecurityGroupIDs), ids...)
	o.SecurityGroupNames = append(slices.Clip(o.SecurityGroupNames), names...)
	return &o, nil
}

// setUserData sets the base64 user data parameter.
func setUserData(p url.Values, userData string) {
	if userData != "" {
		p.Set("userdata", base64.StdEncoding.EncodeToString([]byte(userData)))
	}
}

// tagged returns n once tagNewNode has set its tags, or tagNewNode's error.
func (d *Driver) tagged(ctx context.Context, op string, n *compute.Node, tags map[string]string) (*compute.Node, error) {
	if err := d.tagNewNode(ctx, op, n, tags); err != nil {
		return nil, err
	}
	return n, nil
}

// tagNewNode sets the request's tags on a new VM (createTags, resource type
// UserVm) and on n. When tagging fails the VM still exists: the error names
// it (compute.Error.ID) and says so.
func (d *Driver) tagNewNode(ctx context.Context, op string, n *compute.Node, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	p := url.Values{"resourcetype": {"UserVm"}, "resourceids": {n.ID}}
	setTags(p, tags)
	if err := d.tagJob(ctx, op, "createTags", p); err != nil {
		cause := err
		var ce *compute.Error
		if errors.As(err, &ce) {
			cause = ce.Err
		}
		kind := compute.KindOf(err)
		if ctx.Err() != nil {
			kind = compute.ErrUnavailable // the tags may or may not be set
		}
		return &compute.Error{Provider: d.provider, Op: op, ID: n.ID, Kind: kind,
			Err: fmt.Errorf("node %s was created but its tags were not set (set them with ExCreateTags, or destroy it): %w", n.ID, cause)}
	}
	if n.Tags == nil {
		n.Tags = make(map[string]string, len(tags))
	}
	maps.Copy(n.Tags, tags)
	return nil
}
