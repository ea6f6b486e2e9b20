package openstack

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// IdempotencyMetadataKey is the server metadata key CreateNode stores a
// request's IdempotencyKey under.
const IdempotencyMetadataKey = "goclouds-idempotency-key"

// CreateNodeOptions are OpenStack-specific create settings, passed as
// CreateNodeRequest.ProviderOptions.
type CreateNodeOptions struct {
	// KeyName is a registered key pair to install (instead of, or when
	// Auth.SSHKey is empty).
	KeyName string `mapstructure:"key_name"`
	// ServerTags are Nova server tags (plain strings, microversion 2.52+
	// at create time); the portable Tags go to server metadata.
	ServerTags []string `mapstructure:"server_tags"`
	// ConfigDrive asks for a configuration drive.
	ConfigDrive bool `mapstructure:"config_drive"`
	// Ports attaches existing Neutron ports (by id) besides Networks.
	Ports []string `mapstructure:"ports"`
}

// CreateNode creates a Nova server from the portable request:
//
//   - Image, Size, Location: imageRef, flavorRef, availability_zone;
//   - Auth.SSHKey: a key pair holding the key (compute.EnsureSSHKeyPair:
//     reused by fingerprint, else imported as compute.SSHKeyPairName and
//     left registered), passed as key_name; Auth.Password: adminPass;
//   - UserData: user_data, base64 (at most MaxUserData raw bytes);
//   - Tags: server metadata (keys and values at most 255 characters);
//   - Networks: networks by uuid (a name is looked up in Neutron); with none,
//     "auto" from microversion 2.37;
//   - SecurityGroups: security_groups by name (or id);
//   - IdempotencyKey: Nova has no idempotent create, so the key is stored
//     in metadata (IdempotencyMetadataKey, shown in Node.Extra["idempotency_key"], not in Node.Tags) and a server of the same name
//     carrying it is returned instead of creating a second; after a lost
//     answer (ErrUnavailable) the driver looks once and returns the server
//     if the create took effect, else the error (then a server may still
//     appear: look before resending without the key).
//
// The node returned is read back after the create (state pending, BUILD).
func (d *Driver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	if err := req.Validate(provider, op, MaxUserData); err != nil {
		return nil, err
	}
	po, err := compute.ProviderOptionsOf[CreateNodeOptions](provider, op, req.ProviderOptions)
	if err != nil {
		return nil, err
	}
	if err := checkMetadata(op, req.Tags); err != nil {
		return nil, err
	}
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	opts := servers.CreateOpts{
		Name: req.Name, ImageRef: req.Image.ID, FlavorRef: req.Size.ID,
		SecurityGroups: req.SecurityGroups, AdminPass: req.Auth.Password,
		Metadata: map[string]string{},
	}
	for k, v := range req.Tags {
		opts.Metadata[k] = v
	}
	if req.IdempotencyKey != "" {
		opts.Metadata[IdempotencyMetadataKey] = req.IdempotencyKey
		if n, err := d.findCreated(ctx, req); err != nil || n != nil {
			return n, err
		}
	}
	if len(opts.Metadata) == 0 {
		opts.Metadata = nil
	}
	if req.Location != nil {
		opts.AvailabilityZone = req.Location.ID
	}
	if len(req.UserData) > 0 {
		// Encoded here: gophercloud would pass data that happens to be
		// valid base64 through unencoded.
		opts.UserData = []byte(base64.StdEncoding.EncodeToString(req.UserData))
	}
	if po.ConfigDrive {
		t := true
		opts.ConfigDrive = &t
	}
	if len(po.ServerTags) > 0 {
		if !c.atLeast(52) {
			return nil, compute.Errorf(provider, op, "", compute.ErrNotSupported,
				"server tags at create need compute microversion 2.52; the cloud speaks 2.%d", c.minor)
		}
		opts.Tags = po.ServerTags
	}
	nets, err := d.createNetworks(ctx, c, req.Networks, po.Ports)
	if err != nil {
		return nil, err
	}
	switch {
	case len(nets) > 0:
		opts.Networks = nets
	case c.atLeast(37):
		opts.Networks = "auto"
	}
	opts.Name = req.Name
	keyName := po.KeyName
	if req.Auth.SSHKey != "" {
		kp, _, err := compute.EnsureSSHKeyPair(ctx, d, req.Auth.SSHKey)
		if err != nil {
			return nil, compute.NewError(provider, op, "", nil, err)
		}
		keyName = kp.Name
	}
	created, err := servers.Create(ctx, c.compute, keyPairOpts{opts, keyName}, nil).Extract()
	if err != nil {
		werr := d.wrap(op, "", err)
		if req.IdempotencyKey != "" && compute.KindOf(werr) == compute.ErrUnavailable {
			if n, ferr := d.findCreated(ctx, req); ferr == nil && n != nil {
				return n, nil
			}
		}
		return nil, werr
	}
	n, err := d.getNode(ctx, c, op, created.ID)
	if err != nil {
		// Created, but not readable yet: return what the create said.
		return &compute.Node{ID: created.ID, Name: req.Name, State: types.NodeStatePending,
			PublicIPs: []string{}, PrivateIPs: []string{}, Provider: provider}, nil
	}
	return n, nil
}

// keyPairOpts adds key_name to the create body (gophercloud's keypairs
// extension, inlined to keep the body in one place).
type keyPairOpts struct {
	servers.CreateOpts
	keyName string
}

// ToServerCreateMap implements servers.CreateOptsBuilder.
func (o keyPairOpts) ToServerCreateMap() (map[string]any, error) {
	b, err := o.CreateOpts.ToServerCreateMap()
	if err != nil || o.keyName == "" {
		return b, err
	}
	b["server"].(map[string]any)["key_name"] = o.keyName
	return b, nil
}

// createNetworks resolves the request's networks (uuids, or names looked up
// in Neutron) and ports.
func (d *Driver) createNetworks(ctx context.Context, c *conn, names, ports []string) ([]servers.Network, error) {
	var out []servers.Network
	for _, n := range names {
		if uuidPattern.MatchString(n) {
			out = append(out, servers.Network{UUID: n})
			continue
		}
		if c.network == nil {
			return nil, compute.Errorf(provider, "CreateNode", "", compute.ErrInvalidArgument,
				"network %q is not a uuid and Neutron is not in the catalogue to look it up", n)
		}
		pages, err := networks.List(c.network, networks.ListOpts{Name: n}).AllPages(ctx)
		if err != nil {
			return nil, d.wrap("CreateNode", "", err)
		}
		found, err := networks.ExtractNetworks(pages)
		if err != nil {
			return nil, d.wrap("CreateNode", "", err)
		}
		if len(found) != 1 {
			return nil, compute.Errorf(provider, "CreateNode", "", compute.ErrInvalidArgument,
				"network %q: %d networks have that name; give its uuid", n, len(found))
		}
		out = append(out, servers.Network{UUID: found[0].ID})
	}
	for _, p := range ports {
		out = append(out, servers.Network{Port: p})
	}
	return out, nil
}

// findCreated returns the server of req's name that carries its
// IdempotencyKey, or nil.
func (d *Driver) findCreated(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	for n, err := range d.IterNodes(ctx, &compute.NodeFilter{Name: req.Name}) {
		if err != nil {
			return nil, compute.NewError(provider, "CreateNode", "", nil, fmt.Errorf("looking for a server of the same IdempotencyKey: %w", err))
		}
		if n.Extra["idempotency_key"] == req.IdempotencyKey {
			return n, nil
		}
	}
	return nil, nil
}
