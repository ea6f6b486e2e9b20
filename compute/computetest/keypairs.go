package computetest

import (
	"bytes"
	"context"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// testPublicKey is the public half of an RSA key made for the suite with
// ssh-keygen (its private half was discarded). Its fingerprints are
// testKeySHA256 and testKeyMD5.
const (
	testPublicKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7hsOcrVVxIY8ZAk49oEv3CpgMXD4o/6o9nXzv25cTTUzisRCAGpX8XUmMQzkZeVcKy8Kxkvt1q2CW0mrQH5DVZ9w8oZgTmbL5Fd7PuS5WxZnYX7uGcHOO8YU1STFe29UcdXUFgzFfcwSxqapScgaQrD//3913UwJOfilG18CbBvM6/DYxWRz7XCnTfr9vtyeiDo4+EJCykqSnguLabrbqBXSSEAstu358S9Z4V+dWV1vWGtdyQzwwnHhRh1bZOqDVw1n8WwwSlyEl4HerRRr9t6jwBn26HzgkVTJAhWj6EZ+m2WOxh6bdODexlhHAsZcB6kbQxqpKPnmTevxubq4t computetest"
	testKeySHA256 = "SHA256:tkmpShZ9D5mO/f22or8VJvNbQR3mb3DBM7AtVknXdhY"
	testKeyMD5    = "0d:b2:c0:d9:0d:87:0c:8f:b0:e6:fc:96:bd:89:82:b4"
)

func (e *env) cleanupKeyPair(name string) {
	e.cleanup("deleting key pair "+name, func(ctx context.Context) error { return e.d.DeleteKeyPair(ctx, name) })
}

// fingerprintOf reports whether fp is pub's fingerprint in OpenSSH's SHA256
// form or the colon-separated MD5 form (with or without "MD5:").
func fingerprintOf(pub ssh.PublicKey, fp string) bool {
	md5 := ssh.FingerprintLegacyMD5(pub)
	return fp == ssh.FingerprintSHA256(pub) || strings.EqualFold(fp, md5) || strings.EqualFold(fp, "MD5:"+md5)
}

// samePublicKey reports whether the authorized_keys text holds pub.
func samePublicKey(text string, pub ssh.PublicKey) bool {
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(text))
	return err == nil && bytes.Equal(k.Marshal(), pub.Marshal())
}

func keyPairName(k *compute.KeyPair) string { return k.Name }

func testKeyPairs(e *env) {
	e.require(e.caps.KeyPairs, "KeyPairs")
	ctx := e.ctx()

	// Create: the private key must be usable and match the public key and
	// the fingerprint.
	name := e.name("key")
	created, err := e.d.CreateKeyPair(ctx, name)
	if err != nil {
		e.t.Fatalf("CreateKeyPair: %v", err)
	}
	e.cleanupKeyPair(name)
	if created.Name != name {
		e.t.Errorf("CreateKeyPair returned name %q, want %q", created.Name, name)
	}
	signer, err := ssh.ParsePrivateKey([]byte(created.PrivateKey))
	if err != nil {
		e.t.Fatalf("CreateKeyPair returned a private key that does not parse: %v", err)
	}
	pub := signer.PublicKey()
	if created.PublicKey != "" && !samePublicKey(created.PublicKey, pub) {
		e.t.Errorf("CreateKeyPair: PublicKey %q is not the private key's", created.PublicKey)
	}
	if !fingerprintOf(pub, created.Fingerprint) {
		e.t.Errorf("CreateKeyPair: fingerprint %q is not the key's (%s or %s)", created.Fingerprint,
			ssh.FingerprintSHA256(pub), ssh.FingerprintLegacyMD5(pub))
	}
	got := try(e.d.GetKeyPair(ctx, name)).must(e.t, "GetKeyPair")
	if got.Name != name || got.Fingerprint != created.Fingerprint || got.PrivateKey != "" {
		e.t.Errorf("GetKeyPair = {%q %q private key %d bytes}, want {%q %q no private key}",
			got.Name, got.Fingerprint, len(got.PrivateKey), name, created.Fingerprint)
	}
	_, err = e.d.CreateKeyPair(ctx, name)
	expectKind(e.t, "CreateKeyPair of an existing name", err, "", compute.ErrAlreadyExists, compute.ErrConflict)

	// Import: the fingerprint must be the imported key's.
	imported := e.name("key")
	k, err := e.d.ImportKeyPair(ctx, imported, testPublicKey)
	if err != nil {
		e.t.Fatalf("ImportKeyPair: %v", err)
	}
	e.cleanupKeyPair(imported)
	if k.Name != imported || k.PrivateKey != "" ||
		(k.Fingerprint != testKeySHA256 && !strings.EqualFold(strings.TrimPrefix(k.Fingerprint, "MD5:"), testKeyMD5)) {
		e.t.Errorf("ImportKeyPair = {%q %q private key %d bytes}, want {%q %s or %s, no private key}",
			k.Name, k.Fingerprint, len(k.PrivateKey), imported, testKeySHA256, testKeyMD5)
	}
	if k.PublicKey != "" {
		want, _, _, _, _ := ssh.ParseAuthorizedKey([]byte(testPublicKey))
		if !samePublicKey(k.PublicKey, want) {
			e.t.Errorf("ImportKeyPair: PublicKey %q is not the imported key", k.PublicKey)
		}
	}
	_, err = e.d.ImportKeyPair(ctx, imported, testPublicKey)
	expectKind(e.t, "ImportKeyPair of an existing name", err, "", compute.ErrAlreadyExists, compute.ErrConflict)
	garbage := e.name("key")
	if _, err = e.d.ImportKeyPair(ctx, garbage, "ssh-rsa not-base64!"); err == nil {
		e.cleanupKeyPair(garbage)
	}
	expectKind(e.t, "ImportKeyPair of a malformed key", err, "", compute.ErrInvalidArgument)
	_, err = e.d.CreateKeyPair(ctx, "")
	expectKind(e.t, "CreateKeyPair without a name", err, "", compute.ErrInvalidArgument)

	listed := try(e.d.ListKeyPairs(ctx)).must(e.t, "ListKeyPairs")
	for _, n := range []string{name, imported} {
		k := find(listed, keyPairName, n)
		switch {
		case k == nil:
			e.t.Errorf("key pair %q is not listed", n)
		case k.PrivateKey != "":
			e.t.Errorf("ListKeyPairs returned the private key of %q", n)
		}
	}

	for _, n := range []string{name, imported} {
		if err := e.d.DeleteKeyPair(ctx, n); err != nil {
			e.t.Errorf("DeleteKeyPair %q: %v", n, err)
		}
		_, err := e.d.GetKeyPair(ctx, n)
		expectKind(e.t, "GetKeyPair after DeleteKeyPair", err, n, compute.ErrNotFound)
		expectKind(e.t, "DeleteKeyPair again", e.d.DeleteKeyPair(ctx, n), n, compute.ErrNotFound)
	}
	if find(try(e.d.ListKeyPairs(ctx)).must(e.t, "ListKeyPairs"), keyPairName, name) != nil {
		e.t.Errorf("deleted key pair %q is still listed", name)
	}
}
