package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// toKeyPair converts a key pair; CloudStack identifies key pairs by name,
// which is also the ID.
func (d *Driver) toKeyPair(k *SSHKeyPair) *compute.KeyPair {
	x := map[string]any{"keypair": &SSHKeyPair{ID: k.ID, Name: k.Name, Fingerprint: k.Fingerprint, Owner: k.Owner, Extra: k.Extra}}
	if k.ID != "" {
		x["id"] = k.ID
	}
	return &compute.KeyPair{ID: k.Name, Name: k.Name, Provider: d.provider, Fingerprint: k.Fingerprint, PrivateKey: k.PrivateKey, Extra: x}
}

// ListKeyPairs implements compute.KeyPairManager.ListKeyPairs
// (listSSHKeyPairs, all pages).
func (d *Driver) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	pairs, err := listAll[SSHKeyPair](ctx, d, "ListKeyPairs", "listSSHKeyPairs", d.scoped(nil, true), "sshkeypair")
	if err != nil {
		return nil, err
	}
	out := make([]*compute.KeyPair, len(pairs))
	for i := range pairs {
		out[i] = d.toKeyPair(&pairs[i])
	}
	return out, nil
}

// GetKeyPair implements compute.KeyPairManager.GetKeyPair (listSSHKeyPairs
// name=..., matched exactly).
func (d *Driver) GetKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	const op = "GetKeyPair"
	if strings.TrimSpace(name) == "" {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "empty key pair name")
	}
	pairs, err := listAll[SSHKeyPair](ctx, d, op, "listSSHKeyPairs", d.scoped(url.Values{"name": {name}}, false), "sshkeypair")
	if err != nil {
		return nil, d.withID(err, name)
	}
	for i := range pairs {
		if pairs[i].Name == name {
			return d.toKeyPair(&pairs[i]), nil
		}
	}
	return nil, d.errorf(op, name, compute.ErrNotFound, "no key pair named %q", name)
}

// CreateKeyPair implements compute.KeyPairManager.CreateKeyPair
// (createSSHKeyPair): CloudStack generates the key; the result carries the
// private key, which the server does not keep.
func (d *Driver) CreateKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	const op = "CreateKeyPair"
	if strings.TrimSpace(name) == "" {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "empty key pair name")
	}
	var k SSHKeyPair
	if err := d.callObject(ctx, op, "createSSHKeyPair", d.scoped(url.Values{"name": {name}}, false), "keypair", &k); err != nil {
		return nil, d.withID(err, name)
	}
	if k.Name == "" {
		k.Name = name
	}
	return d.toKeyPair(&k), nil
}

// ImportKeyPair implements compute.KeyPairManager.ImportKeyPair
// (registerSSHKeyPair). The key must be in OpenSSH authorized_keys form; use
// compute.ImportKeyPairFromFile to read it from a file.
func (d *Driver) ImportKeyPair(ctx context.Context, name, publicKey string) (*compute.KeyPair, error) {
	const op = "ImportKeyPair"
	if strings.TrimSpace(name) == "" {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "empty key pair name")
	}
	if _, err := compute.ParseSSHPublicKey(publicKey); err != nil {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "%v", err)
	}
	publicKey = strings.TrimSpace(publicKey)
	var k SSHKeyPair
	p := d.scoped(url.Values{"name": {name}, "publickey": {publicKey}}, false)
	if err := d.callObject(ctx, op, "registerSSHKeyPair", p, "keypair", &k); err != nil {
		return nil, d.withID(err, name)
	}
	if k.Name == "" {
		k.Name = name
	}
	kp := d.toKeyPair(&k)
	kp.PublicKey = publicKey
	return kp, nil
}

// DeleteKeyPair implements compute.KeyPairManager.DeleteKeyPair
// (deleteSSHKeyPair).
func (d *Driver) DeleteKeyPair(ctx context.Context, name string) error {
	const op = "DeleteKeyPair"
	if strings.TrimSpace(name) == "" {
		return d.errorf(op, name, compute.ErrInvalidArgument, "empty key pair name")
	}
	var r struct {
		Success bool `json:"success"`
	}
	if err := d.call(ctx, op, "deleteSSHKeyPair", d.scoped(url.Values{"name": {name}}, false), &r); err != nil {
		return d.withID(err, name)
	}
	return nil
}
