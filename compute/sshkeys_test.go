package compute_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
)

// laptopKey and its fingerprints as `ssh-keygen -l [-E md5]` prints them.
const (
	laptopKey    = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDWlXCdp83ZdwL1OIu8iojU5mog09Y+3y1TOJIzNnJcs me@laptop"
	laptopMD5    = "18:96:05:d5:6c:91:4b:db:a5:37:35:0b:b2:0e:22:b5"
	laptopSHA256 = "SHA256:zn1gCr63VWEpWTfe4WFQq4my+Bup8rtcAjiDs6rOp+o"
)

func TestSSHFingerprints(t *testing.T) {
	md5, err := compute.SSHFingerprintMD5(laptopKey)
	require.NoError(t, err)
	assert.Equal(t, laptopMD5, md5)
	sha, err := compute.SSHFingerprintSHA256("  " + laptopKey + "\n")
	require.NoError(t, err)
	assert.Equal(t, laptopSHA256, sha)
	for _, bad := range []string{"", "ssh-ed25519", "ssh-ed25519 !!!", "hello world"} {
		_, err := compute.SSHFingerprintMD5(bad)
		assert.ErrorContains(t, err, "not an OpenSSH public key", bad)
		_, err = compute.SSHFingerprintSHA256(bad)
		assert.Error(t, err, bad)
	}
	assert.True(t, compute.SameSSHKey(laptopKey, strings.TrimSuffix(laptopKey, " me@laptop")+" other comment"))
	assert.False(t, compute.SameSSHKey(laptopKey, "ssh-ed25519 garbage"))
	name, err := compute.SSHKeyPairName(laptopKey)
	require.NoError(t, err)
	assert.Regexp(t, `^goclouds-[0-9a-f]{16}$`, name)
	other, _ := compute.SSHKeyPairName(strings.TrimSuffix(laptopKey, " me@laptop"))
	assert.Equal(t, name, other, "the comment does not change the name")
}

// countingKeys wraps a KeyPairManager and counts imports.
type countingKeys struct {
	compute.KeyPairManager
	mu      sync.Mutex
	imports int
}

func (c *countingKeys) ImportKeyPair(ctx context.Context, name, pub string) (*compute.KeyPair, error) {
	c.mu.Lock()
	c.imports++
	c.mu.Unlock()
	return c.KeyPairManager.ImportKeyPair(ctx, name, pub)
}

func TestEnsureSSHKeyPair(t *testing.T) {
	ctx := t.Context()
	t.Run("reuses a key imported under another name", func(t *testing.T) {
		d := dummy.New(nil)
		_, err := d.ImportKeyPair(ctx, "laptop", laptopKey)
		require.NoError(t, err)
		km := &countingKeys{KeyPairManager: d}
		kp, created, err := compute.EnsureSSHKeyPair(ctx, km, strings.TrimSuffix(laptopKey, " me@laptop"))
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, "laptop", kp.Name)
		assert.Zero(t, km.imports)
	})
	t.Run("imports once, then reuses, also concurrently", func(t *testing.T) {
		km := &countingKeys{KeyPairManager: dummy.New(nil)}
		var wg sync.WaitGroup
		names := make([]string, 8)
		for i := range names {
			wg.Go(func() {
				kp, _, err := compute.EnsureSSHKeyPair(ctx, km, laptopKey)
				if assert.NoError(t, err) {
					names[i] = kp.Name
				}
			})
		}
		wg.Wait()
		want, _ := compute.SSHKeyPairName(laptopKey)
		for _, n := range names {
			assert.Equal(t, want, n)
		}
		kp, created, err := compute.EnsureSSHKeyPair(ctx, km, laptopKey)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, want, kp.Name)
	})
	t.Run("a bad key is an invalid argument", func(t *testing.T) {
		_, _, err := compute.EnsureSSHKeyPair(ctx, dummy.New(nil), "not a key")
		assert.True(t, errors.Is(err, compute.ErrInvalidArgument))
	})
}
