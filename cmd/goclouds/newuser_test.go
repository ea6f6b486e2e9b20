package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// writePublicKey writes a new OpenSSH public key file and returns its path.
func writePublicKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sshPub, err := ssh.NewPublicKey(pub)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "id_ed25519.pub")
	require.NoError(t, os.WriteFile(path, ssh.MarshalAuthorizedKey(sshPub), 0o644))
	return path
}

// TestKeyFromCreateThenImport: nodes create --ssh-key-file says which key
// pair it registered; importing the same key under another name then names
// that pair (CloudStack refuses a key twice).
func TestKeyFromCreateThenImport(t *testing.T) {
	_, environ := simEnv(t, nil)
	key := writePublicKey(t)
	r := runEnv(t, environ, append(simArgs, "nodes", "create", "k1", "--image", "tiny Linux", "--size", "tinyOffering", "--ssh-key-file", key)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^goclouds: note: node k1 gets the key of .*id_ed25519.pub through key pair "goclouds-[0-9a-f]{16}"\n$`, r.stderr)

	r = runEnv(t, environ, append(simArgs, "keypairs", "import", "laptop", "--public-key-file", key)...)
	assert.Equal(t, exitFailure, r.code)
	assert.Regexp(t, `this key is already registered as key pair "goclouds-[0-9a-f]{16}" \(use that name, or delete it first`, r.stderr)
}

// TestKeyPairReusedByCreate: a key imported by name is the one a later
// create with the same key file uses.
func TestKeyPairReusedByCreate(t *testing.T) {
	_, environ := simEnv(t, nil)
	key := writePublicKey(t)
	simOK(t, environ, "keypairs", "import", "laptop", "--public-key-file", key)
	r := runEnv(t, environ, append(simArgs, "nodes", "create", "k1", "--image", "tiny Linux", "--size", "tinyOffering", "--ssh-key-file", key)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, `through key pair "laptop"`)
}

// TestMissingKeyFiles: a key file that is not there is a usage error that
// names it, before anything is sent.
func TestMissingKeyFiles(t *testing.T) {
	_, environ := simEnv(t, nil)
	missing := filepath.Join(t.TempDir(), "id_ed25519.pub")
	for _, args := range [][]string{
		{"nodes", "create", "k1", "--image", "tiny Linux", "--size", "tinyOffering", "--ssh-key-file", missing},
		{"keypairs", "import", "laptop", "--public-key-file", missing},
	} {
		stderr := simFails(t, environ, exitUsage, args...)
		assert.Contains(t, stderr, missing)
	}
}

// TestDestroyedNodeKeepsName: CloudStack keeps a destroyed node's name
// until it is expunged; creating another node with it says so.
func TestDestroyedNodeKeepsName(t *testing.T) {
	_, environ := simEnv(t, nil)
	create := []string{"nodes", "create", "web1", "--image", "tiny Linux", "--size", "tinyOffering"}
	simOK(t, environ, create...)
	stderr := simFails(t, environ, exitFailure, create...)
	assert.NotContains(t, stderr, takenNameHint, "web1 is listed: no hint")
	simOK(t, environ, "nodes", "destroy", "web1")
	stderr = simFails(t, environ, exitFailure, create...)
	assert.Contains(t, stderr, "already exists")
	assert.Contains(t, stderr, takenNameHint)
}
