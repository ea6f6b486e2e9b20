package compute

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // the MD5 fingerprint format CloudStack and OpenStack show
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// ParseSSHPublicKey parses a public key in OpenSSH authorized_keys form
// ("ssh-ed25519 AAAA... comment") and returns its wire-format blob. The
// error says what is wrong; it does not match any kind (callers wrap it).
func ParseSSHPublicKey(publicKey string) ([]byte, error) {
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(publicKey)))
	if err != nil {
		return nil, errors.New(`not an OpenSSH public key (want "<type> <base64> [comment]", as in ~/.ssh/id_ed25519.pub)`)
	}
	return pk.Marshal(), nil
}

// SSHFingerprintMD5 returns the MD5 fingerprint of an OpenSSH public key as
// colon-separated lower-case hex ("aa:bb:..."), the form CloudStack and
// OpenStack report and `ssh-keygen -E md5 -l` prints (without "MD5:").
func SSHFingerprintMD5(publicKey string) (string, error) {
	blob, err := ParseSSHPublicKey(publicKey)
	if err != nil {
		return "", err
	}
	sum := md5.Sum(blob) //nolint:gosec // a fingerprint format, not a security check
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex.EncodeToString([]byte{c}))
	}
	return b.String(), nil
}

// SSHFingerprintSHA256 returns OpenSSH's SHA256 fingerprint of a public key
// ("SHA256:..."), as `ssh-keygen -l` prints it.
func SSHFingerprintSHA256(publicKey string) (string, error) {
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(publicKey)))
	if err != nil {
		_, err = ParseSSHPublicKey(publicKey)
		return "", err
	}
	return ssh.FingerprintSHA256(pk), nil
}

// SameSSHKey reports whether two OpenSSH public keys are the same key,
// whatever their comments and spacing; unparsable keys are never the same.
func SameSSHKey(a, b string) bool {
	ba, err := ParseSSHPublicKey(a)
	if err != nil {
		return false
	}
	bb, err := ParseSSHPublicKey(b)
	return err == nil && bytes.Equal(ba, bb)
}

// SSHKeyPairName is the name drivers register a public key under when no
// registered key pair holds it: "goclouds-" and the first 16 hex digits of
// the SHA-256 of the key's blob, the same for the same key everywhere.
func SSHKeyPairName(publicKey string) (string, error) {
	blob, err := ParseSSHPublicKey(publicKey)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(blob)
	return "goclouds-" + hex.EncodeToString(sum[:8]), nil
}

// EnsureSSHKeyPair returns a key pair of km that holds publicKey, for a
// create's NodeAuth.SSHKey: a registered key pair with the same key (by
// public key when the provider reports it, else by MD5 fingerprint) is
// reused whatever its name; otherwise the key is imported as
// SSHKeyPairName(publicKey) and created reports true. A concurrent import
// of the same key is not an error. The key pair stays registered after the
// node is gone; delete it with DeleteKeyPair. Errors are km's, or
// ErrInvalidArgument for a key that does not parse.
func EnsureSSHKeyPair(ctx context.Context, km KeyPairManager, publicKey string) (kp *KeyPair, created bool, err error) {
	fp, err := SSHFingerprintMD5(publicKey)
	if err != nil {
		return nil, false, fmt.Errorf("%w: Auth.SSHKey: %v", ErrInvalidArgument, err)
	}
	find := func() (*KeyPair, error) {
		pairs, err := km.ListKeyPairs(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range pairs {
			if k.holds(publicKey, fp) {
				return k, nil
			}
		}
		return nil, nil
	}
	if kp, err := find(); err != nil || kp != nil {
		return kp, false, err
	}
	name, _ := SSHKeyPairName(publicKey)
	kp, err = km.ImportKeyPair(ctx, name, publicKey)
	if err == nil {
		return kp, true, nil
	}
	if errors.Is(err, ErrAlreadyExists) {
		// Imported meanwhile by a concurrent create, or the name is taken.
		if again, ferr := find(); ferr == nil && again != nil {
			return again, false, nil
		}
	}
	return nil, false, err
}

// HoldsSSHKey reports whether k holds publicKey (an OpenSSH authorized_keys
// line): by public key when the provider reports it, else by MD5
// fingerprint, as EnsureSSHKeyPair finds a key pair to reuse.
func (k *KeyPair) HoldsSSHKey(publicKey string) bool {
	fp, err := SSHFingerprintMD5(publicKey)
	return err == nil && k.holds(publicKey, fp)
}

// holds is HoldsSSHKey given publicKey's MD5 fingerprint.
func (k *KeyPair) holds(publicKey, fp string) bool {
	return k.PublicKey != "" && SameSSHKey(k.PublicKey, publicKey) ||
		k.PublicKey == "" && strings.EqualFold(k.Fingerprint, fp)
}
