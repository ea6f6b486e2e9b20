package computetest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// pairsHolding returns the names of the key pairs holding publicKey.
func (e *env) pairsHolding(ctx context.Context, publicKey string) []string {
	e.t.Helper()
	fp, _ := compute.SSHFingerprintMD5(publicKey)
	var names []string
	for _, k := range try(e.d.ListKeyPairs(ctx)).must(e.t, "ListKeyPairs") {
		if k.PublicKey != "" && compute.SameSSHKey(k.PublicKey, publicKey) ||
			k.PublicKey == "" && strings.EqualFold(strings.TrimPrefix(k.Fingerprint, "MD5:"), fp) {
			names = append(names, k.Name)
		}
	}
	return names
}

// freshPublicKey returns a new Ed25519 public key in authorized_keys form.
func freshPublicKey(e *env) string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	mustOK(e.t, "generating a key", err)
	p, err := ssh.NewPublicKey(pub)
	mustOK(e.t, "generating a key", err)
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(p))) + " computetest-" + e.tag
}

// testKeyReuse checks that creates with NodeAuth.SSHKey reuse a key pair
// holding the same key, whatever its name and comment, and never register
// the same key twice.
func testKeyReuse(e *env) {
	e.require(e.caps.KeyPairs, "KeyPairs")
	ctx := e.ctx()

	// A key imported as "laptop" is reused, not registered again.
	key := freshPublicKey(e)
	laptop := e.name("laptop")
	_, err := e.d.ImportKeyPair(ctx, laptop, key)
	mustOK(e.t, "ImportKeyPair", err)
	e.cleanupKeyPair(laptop)
	req := e.request(e.name("keyreuse"))
	req.Auth = compute.NodeAuthSSHKey(strings.Replace(key, "computetest-", "another-comment-", 1))
	n, err := e.d.CreateNode(ctx, req)
	if err != nil {
		e.t.Fatalf("CreateNode with the key of key pair %q: %v", laptop, err)
	}
	e.cleanupNode(n.ID)
	if names := e.pairsHolding(ctx, key); len(names) != 1 || names[0] != laptop {
		e.t.Errorf("after a create with the key imported as %q, the key pairs holding it are %v: the key was registered again", laptop, names)
	}

	// A key no pair holds is registered at most once, however many creates
	// use it; what stays behind is cleaned up here.
	fresh := freshPublicKey(e)
	e.cleanup("deleting the key pairs of a fresh key", func(ctx context.Context) error {
		for _, name := range e.pairsHolding(ctx, fresh) {
			if err := e.d.DeleteKeyPair(ctx, name); err != nil {
				return err
			}
		}
		return nil
	})
	for range 2 {
		req := e.request(e.name("keyreuse"))
		req.Auth = compute.NodeAuthSSHKey(fresh)
		n, err := e.d.CreateNode(ctx, req)
		if err != nil {
			e.t.Fatalf("CreateNode with a key no key pair holds: %v", err)
		}
		e.cleanupNode(n.ID)
	}
	if names := e.pairsHolding(ctx, fresh); len(names) > 1 {
		e.t.Errorf("two creates with the same new key registered it %d times: %v", len(names), names)
	}
}
