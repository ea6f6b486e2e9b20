package openstack

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// ListKeyPairs returns the user's Nova key pairs.
func (d *Driver) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	ctx, c, err := d.begin(ctx, "ListKeyPairs")
	if err != nil {
		return nil, err
	}
	pages, err := keypairs.List(c.compute, nil).AllPages(ctx)
	if err != nil {
		return nil, d.wrap("ListKeyPairs", "", err)
	}
	all, err := keypairs.ExtractKeyPairs(pages)
	if err != nil {
		return nil, d.wrap("ListKeyPairs", "", err)
	}
	out := make([]*compute.KeyPair, 0, len(all))
	for i := range all {
		out = append(out, toKeyPair(&all[i]))
	}
	return out, nil
}

// GetKeyPair returns the named key pair.
func (d *Driver) GetKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	if name == "" {
		return nil, compute.Errorf(provider, "GetKeyPair", name, compute.ErrNotFound, "empty key pair name")
	}
	ctx, c, err := d.begin(ctx, "GetKeyPair")
	if err != nil {
		return nil, err
	}
	kp, err := keypairs.Get(ctx, c.compute, name, nil).Extract()
	if err != nil {
		return nil, d.wrap("GetKeyPair", name, err)
	}
	return toKeyPair(kp), nil
}

// CreateKeyPair generates an Ed25519 key locally and imports its public
// half (Nova stopped generating keys at microversion 2.92, and a key made
// here never crosses the network); the result carries the private key in
// OpenSSH PEM form.
func (d *Driver) CreateKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, compute.NewError(provider, "CreateKeyPair", name, compute.ErrInternal, err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, compute.NewError(provider, "CreateKeyPair", name, compute.ErrInternal, err)
	}
	block, err := ssh.MarshalPrivateKey(priv, name)
	if err != nil {
		return nil, compute.NewError(provider, "CreateKeyPair", name, compute.ErrInternal, err)
	}
	kp, err := d.importKeyPair(ctx, "CreateKeyPair", name, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))))
	if err != nil {
		return nil, err
	}
	kp.PrivateKey = string(pem.EncodeToMemory(block))
	return kp, nil
}

// ImportKeyPair registers an OpenSSH public key under name.
func (d *Driver) ImportKeyPair(ctx context.Context, name, publicKey string) (*compute.KeyPair, error) {
	if _, err := compute.ParseSSHPublicKey(publicKey); err != nil {
		return nil, compute.NewError(provider, "ImportKeyPair", name, compute.ErrInvalidArgument, err)
	}
	return d.importKeyPair(ctx, "ImportKeyPair", name, strings.TrimSpace(publicKey))
}

func (d *Driver) importKeyPair(ctx context.Context, op, name, publicKey string) (*compute.KeyPair, error) {
	if strings.TrimSpace(name) == "" {
		return nil, compute.Errorf(provider, op, name, compute.ErrInvalidArgument, "a key pair needs a name")
	}
	ctx, c, err := d.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	kp, err := keypairs.Create(ctx, c.compute, keypairs.CreateOpts{Name: name, PublicKey: publicKey}).Extract()
	if err != nil {
		return nil, d.wrap(op, name, err)
	}
	out := toKeyPair(kp)
	out.PrivateKey = ""
	if out.PublicKey == "" {
		out.PublicKey = publicKey
	}
	return out, nil
}

// DeleteKeyPair deletes the named key pair.
func (d *Driver) DeleteKeyPair(ctx context.Context, name string) error {
	if name == "" {
		return compute.Errorf(provider, "DeleteKeyPair", name, compute.ErrNotFound, "empty key pair name")
	}
	ctx, c, err := d.begin(ctx, "DeleteKeyPair")
	if err != nil {
		return err
	}
	return d.wrap("DeleteKeyPair", name, keypairs.Delete(ctx, c.compute, name, nil).ExtractErr())
}

// toKeyPair converts a Nova key pair; Nova identifies key pairs by name.
func toKeyPair(k *keypairs.KeyPair) *compute.KeyPair {
	return &compute.KeyPair{ID: k.Name, Name: k.Name, Fingerprint: k.Fingerprint, PublicKey: strings.TrimSpace(k.PublicKey),
		Provider: provider, Extra: map[string]any{"user_id": k.UserID, "type": k.Type}}
}
