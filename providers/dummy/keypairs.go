package dummy

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// KeyPairOptions chooses the key ExCreateKeyPair generates.
type KeyPairOptions struct {
	// Type is the key type; "" means the driver's Options.KeyType.
	Type KeyType
	// Bits is the RSA key size; 0 means the driver's Options.RSABits.
	Bits int
}

// ListKeyPairs implements [compute.KeyPairManager.ListKeyPairs], sorted by
// name. Private keys are never kept, so never listed.
func (d *Driver) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "ListKeyPairs"); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(d.keyPairs))
	out := make([]*compute.KeyPair, len(names))
	for i, n := range names {
		out[i] = d.keyPairs[n].Clone()
	}
	return out, nil
}

// GetKeyPair implements [compute.KeyPairManager.GetKeyPair].
func (d *Driver) GetKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	const op = "GetKeyPair"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	k, ok := d.keyPairs[name]
	if !ok {
		return nil, compute.Errorf(types.ProviderDummy, op, name, compute.ErrNotFound, "no key pair named %q", name)
	}
	return k.Clone(), nil
}

// CreateKeyPair implements [compute.KeyPairManager.CreateKeyPair]: it
// generates a key of Options.KeyType and returns it with its PEM private
// key, which the driver does not keep. Fingerprint is OpenSSH's SHA256 form
// ("SHA256:..."); Extra holds "fingerprint_md5" (the colon-separated MD5
// form CloudStack reports) and "key_type".
func (d *Driver) CreateKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	return d.ExCreateKeyPair(ctx, name, nil)
}

// ExCreateKeyPair is CreateKeyPair with a choice of key type and size. Not
// portable.
func (d *Driver) ExCreateKeyPair(ctx context.Context, name string, opts *KeyPairOptions) (*compute.KeyPair, error) {
	const op = "CreateKeyPair"
	d.mu.Lock()
	err := d.enter(ctx, op)
	if err == nil {
		err = d.checkNewKeyPair(op, name)
	}
	kt, bits := d.opts.KeyType, d.opts.RSABits
	d.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if opts != nil && opts.Type != "" {
		kt = opts.Type
	}
	if opts != nil && opts.Bits != 0 {
		bits = opts.Bits
	}
	if err := checkKeyParams(kt, bits); err != nil {
		return nil, invalid(op, name, "%v", err)
	}
	// Generate without holding the lock: RSA takes a while.
	priv, pemKey, err := generateKey(kt, bits, name)
	if err != nil {
		return nil, compute.NewError(types.ProviderDummy, op, name, compute.ErrInternal, err)
	}
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		return nil, compute.NewError(types.ProviderDummy, op, name, compute.ErrInternal, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.checkNewKeyPair(op, name); err != nil {
		return nil, err
	}
	k := newKeyPair(name, pub, name)
	d.keyPairs[name] = k
	c := k.Clone()
	c.PrivateKey = string(pemKey)
	return c, nil
}

// ImportKeyPair implements [compute.KeyPairManager.ImportKeyPair]. publicKey
// must hold exactly one OpenSSH public key (authorized_keys form; options
// before the key are dropped, the comment kept).
func (d *Driver) ImportKeyPair(ctx context.Context, name, publicKey string) (*compute.KeyPair, error) {
	const op = "ImportKeyPair"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	if err := d.checkNewKeyPair(op, name); err != nil {
		return nil, err
	}
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey([]byte(publicKey))
	if err != nil {
		return nil, invalid(op, name, "public key: %v", err)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, invalid(op, name, "public key: want exactly one key")
	}
	k := newKeyPair(name, pub, comment)
	d.keyPairs[name] = k
	return k.Clone(), nil
}

// DeleteKeyPair implements [compute.KeyPairManager.DeleteKeyPair].
func (d *Driver) DeleteKeyPair(ctx context.Context, name string) error {
	const op = "DeleteKeyPair"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return err
	}
	if _, ok := d.keyPairs[name]; !ok {
		return compute.Errorf(types.ProviderDummy, op, name, compute.ErrNotFound, "no key pair named %q", name)
	}
	delete(d.keyPairs, name)
	return nil
}

func (d *Driver) checkNewKeyPair(op, name string) error {
	if strings.TrimSpace(name) == "" {
		return invalid(op, "", "a key pair name is required")
	}
	if _, dup := d.keyPairs[name]; dup {
		return compute.Errorf(types.ProviderDummy, op, name, compute.ErrAlreadyExists,
			"a key pair named %q exists already", name)
	}
	return nil
}

func newKeyPair(name string, pub ssh.PublicKey, comment string) *compute.KeyPair {
	text := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	if comment != "" {
		text += " " + comment
	}
	return &compute.KeyPair{
		ID:          name,
		Name:        name,
		Provider:    types.ProviderDummy,
		Fingerprint: ssh.FingerprintSHA256(pub),
		PublicKey:   text,
		Extra: map[string]any{
			"fingerprint_md5": ssh.FingerprintLegacyMD5(pub),
			"key_type":        pub.Type(),
		},
	}
}

// checkKeyParams validates a key type and RSA size.
func checkKeyParams(kt KeyType, bits int) error {
	switch kt {
	case KeyTypeEd25519:
		return nil
	case KeyTypeRSA:
		if bits < MinRSABits || bits > maxRSABits {
			return fmt.Errorf("RSA key size %d: want %d to %d bits", bits, MinRSABits, maxRSABits)
		}
		return nil
	}
	return fmt.Errorf("key type %q: want %q or %q", kt, KeyTypeEd25519, KeyTypeRSA)
}

// generateKey makes a private key of type kt (checked by checkKeyParams) and
// its PEM encoding.
func generateKey(kt KeyType, bits int, comment string) (crypto.Signer, []byte, error) {
	switch kt {
	case KeyTypeEd25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		block, err := ssh.MarshalPrivateKey(priv, comment)
		if err != nil {
			return nil, nil, err
		}
		return priv, pem.EncodeToMemory(block), nil
	case KeyTypeRSA:
		priv, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, nil, err
		}
		block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)}
		return priv, pem.EncodeToMemory(block), nil
	}
	return nil, nil, fmt.Errorf("key type %q: want %q or %q", kt, KeyTypeEd25519, KeyTypeRSA)
}
