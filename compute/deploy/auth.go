package deploy

import (
	"errors"
	"fmt"
	"os"

	"github.com/goclouds/goclouds/compute"
	"golang.org/x/crypto/ssh"
)

// loadSigners reads and parses every private key the options name. Errors
// name the file (or the key's index), never the key material.
func loadSigners(o *Options) ([]ssh.Signer, error) {
	signers := append([]ssh.Signer(nil), o.Signers...)
	for _, path := range o.PrivateKeyFiles {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, invalid(fmt.Errorf("private key file: %w", err))
		}
		s, err := ParsePrivateKey(pem, o.PrivateKeyPassphrase)
		if err != nil {
			return nil, invalid(fmt.Errorf("private key file %s: %w", path, err))
		}
		signers = append(signers, s)
	}
	for i, pem := range o.PrivateKeys {
		s, err := ParsePrivateKey(pem, o.PrivateKeyPassphrase)
		if err != nil {
			return nil, invalid(fmt.Errorf("private key #%d: %w", i+1, err))
		}
		signers = append(signers, s)
	}
	return signers, nil
}

// ParsePrivateKey parses a PEM or OpenSSH private key, decrypting it with
// passphrase when it is encrypted. Its errors never quote the key.
func ParsePrivateKey(pem, passphrase []byte) (ssh.Signer, error) {
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		return s, nil
	case !errors.As(err, &missing):
		return nil, fmt.Errorf("not a valid private key (%s)", keyErrorReason(err))
	case len(passphrase) == 0:
		return nil, errors.New("the key is encrypted and no passphrase was given")
	}
	s, err = ssh.ParsePrivateKeyWithPassphrase(pem, passphrase)
	if err != nil {
		return nil, fmt.Errorf("cannot decrypt the key: wrong passphrase or damaged key (%s)", keyErrorReason(err))
	}
	return s, nil
}

// keyErrorReason keeps only a short, key-free reason from a parse error.
func keyErrorReason(err error) string {
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}

// AuthorizedKey returns the public half of s in authorized_keys form,
// without the trailing newline: what to put into CreateNodeRequest.Auth or
// an SSHKeyDeployment.
func AuthorizedKey(s ssh.Signer) string {
	b := ssh.MarshalAuthorizedKey(s.PublicKey())
	return string(b[:len(b)-1])
}

// loginPassword returns the password to log in with: the option, else the
// one the request asked for, else the one the provider generated.
func loginPassword(o *config, req *compute.CreateNodeRequest, n *compute.Node) string {
	if o.Password != "" {
		return o.Password
	}
	if req != nil && req.Auth.Password != "" {
		return req.Auth.Password
	}
	if n != nil {
		if p, ok := n.Extra["password"].(string); ok {
			return p
		}
	}
	return ""
}

// authMethods returns the ways to log in: public keys first, then the
// password, offered both as "password" and as "keyboard-interactive" (which
// many servers use for passwords).
func authMethods(signers []ssh.Signer, password string) []ssh.AuthMethod {
	var m []ssh.AuthMethod
	if len(signers) > 0 {
		m = append(m, ssh.PublicKeys(signers...))
	}
	if password != "" {
		m = append(m, ssh.Password(password), ssh.KeyboardInteractive(
			func(_, _ string, questions []string, echos []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range questions {
					if !echos[i] {
						answers[i] = password
					}
				}
				return answers, nil
			}))
	}
	return m
}
