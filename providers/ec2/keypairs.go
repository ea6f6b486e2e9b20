package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// toKeyPair maps an EC2 key pair. Fingerprint is OpenSSH's SHA256
// fingerprint of the public key when EC2 gives the key (as
// `ssh-keygen -l` prints it), so that it compares across providers; EC2's
// own fingerprint (MD5 of the DER public key for an imported RSA key,
// SHA-1 of the private key for a created one, base64 SHA-256 for ed25519)
// is Extra["ec2_fingerprint"], and Fingerprint when the public key is not
// known.
func toKeyPair(name, id, ec2Fingerprint, publicKey string) *compute.KeyPair {
	k := &compute.KeyPair{ID: id, Name: name, Fingerprint: ec2Fingerprint, PublicKey: strings.TrimSpace(publicKey),
		Provider: provider, Extra: map[string]any{"ec2_fingerprint": ec2Fingerprint}}
	if k.PublicKey != "" {
		if fp, err := compute.SSHFingerprintSHA256(k.PublicKey); err == nil {
			k.Fingerprint = fp
		}
	}
	return k
}

func fromInfo(kp ec2types.KeyPairInfo) *compute.KeyPair {
	k := toKeyPair(aws.ToString(kp.KeyName), aws.ToString(kp.KeyPairId), aws.ToString(kp.KeyFingerprint), aws.ToString(kp.PublicKey))
	k.Extra["key_type"] = string(kp.KeyType)
	return k
}

// ListKeyPairs returns every key pair, with its public key
// (DescribeKeyPairs IncludePublicKey).
func (d *Driver) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	out, err := d.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{IncludePublicKey: aws.Bool(true)})
	if err != nil {
		return nil, wrap("ListKeyPairs", "", err)
	}
	pairs := make([]*compute.KeyPair, 0, len(out.KeyPairs))
	for _, kp := range out.KeyPairs {
		pairs = append(pairs, fromInfo(kp))
	}
	return pairs, nil
}

// GetKeyPair returns the named key pair or ErrNotFound.
func (d *Driver) GetKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	return d.getKeyPair(ctx, "GetKeyPair", name)
}

func (d *Driver) getKeyPair(ctx context.Context, op, name string) (*compute.KeyPair, error) {
	if name == "" {
		return nil, compute.Errorf(provider, op, name, compute.ErrInvalidArgument, "a key pair name is required")
	}
	out, err := d.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{name}, IncludePublicKey: aws.Bool(true)})
	if err != nil {
		return nil, wrap(op, name, err)
	}
	for _, kp := range out.KeyPairs {
		if aws.ToString(kp.KeyName) == name {
			return fromInfo(kp), nil
		}
	}
	return nil, compute.Errorf(provider, op, name, compute.ErrNotFound, "EC2 has no key pair %q", name)
}

// CreateKeyPair makes EC2 generate an RSA key pair (CreateKeyPair); the
// result holds the private key (PEM), which EC2 does not keep.
func (d *Driver) CreateKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	if strings.TrimSpace(name) == "" {
		return nil, compute.Errorf(provider, "CreateKeyPair", "", compute.ErrInvalidArgument, "a key pair name is required")
	}
	out, err := d.client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String(name)})
	if err != nil {
		return nil, wrap("CreateKeyPair", name, err)
	}
	pub := ""
	if signer, err := ssh.ParsePrivateKey([]byte(aws.ToString(out.KeyMaterial))); err == nil {
		pub = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	}
	k := toKeyPair(aws.ToString(out.KeyName), aws.ToString(out.KeyPairId), aws.ToString(out.KeyFingerprint), pub)
	k.PrivateKey = aws.ToString(out.KeyMaterial)
	return k, nil
}

// ImportKeyPair registers an OpenSSH public key (ImportKeyPair; RSA and
// ed25519 keys). A key that does not parse gives ErrInvalidArgument before
// any call.
func (d *Driver) ImportKeyPair(ctx context.Context, name, publicKey string) (*compute.KeyPair, error) {
	const op = "ImportKeyPair"
	if strings.TrimSpace(name) == "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "a key pair name is required")
	}
	if _, err := compute.ParseSSHPublicKey(publicKey); err != nil {
		return nil, compute.NewError(provider, op, name, compute.ErrInvalidArgument, err)
	}
	out, err := d.client.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String(name),
		PublicKeyMaterial: []byte(strings.TrimSpace(publicKey))})
	if err != nil {
		return nil, wrap(op, name, err)
	}
	return toKeyPair(aws.ToString(out.KeyName), aws.ToString(out.KeyPairId), aws.ToString(out.KeyFingerprint), publicKey), nil
}

// DeleteKeyPair deletes the named key pair. EC2 accepts deleting a key
// pair that does not exist; the driver looks first and answers
// ErrNotFound.
func (d *Driver) DeleteKeyPair(ctx context.Context, name string) error {
	if _, err := d.getKeyPair(ctx, "DeleteKeyPair", name); err != nil {
		return err
	}
	_, err := d.client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String(name)})
	return wrap("DeleteKeyPair", name, err)
}
