package compute

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wrapper is a driver decorator, as a logging or metrics layer would be.
type wrapper struct{ Driver }

func (w wrapper) Unwrap() Driver { return w.Driver }

// keyStore is a fake driver with a KeyPairManager.
type keyStore struct {
	fakeDriver
	imported map[string]string
}

func (k *keyStore) ListKeyPairs(context.Context) ([]*KeyPair, error) { return []*KeyPair{}, nil }
func (k *keyStore) GetKeyPair(_ context.Context, n string) (*KeyPair, error) {
	return &KeyPair{Name: n}, nil
}
func (k *keyStore) CreateKeyPair(_ context.Context, n string) (*KeyPair, error) {
	return &KeyPair{Name: n}, nil
}
func (k *keyStore) ImportKeyPair(_ context.Context, n, pub string) (*KeyPair, error) {
	k.imported[n] = pub
	return &KeyPair{Name: n, PublicKey: pub}, nil
}
func (k *keyStore) DeleteKeyPair(context.Context, string) error { return nil }

func TestCapabilities_NotSupported(t *testing.T) {
	ctx := t.Context()
	var d Driver = &fakeDriver{}
	calls := map[string]func() error{
		"ListVolumes":           func() error { _, err := ListVolumes(ctx, d); return err },
		"CreateVolume":          func() error { _, err := CreateVolume(ctx, d, &CreateVolumeRequest{}); return err },
		"AttachVolume":          func() error { return AttachVolume(ctx, d, "v", "n", "") },
		"DetachVolume":          func() error { return DetachVolume(ctx, d, "v") },
		"DestroyVolume":         func() error { return DestroyVolume(ctx, d, "v") },
		"ResizeVolume":          func() error { _, err := ResizeVolume(ctx, d, "v", 2); return err },
		"ListVolumeSnapshots":   func() error { _, err := ListVolumeSnapshots(ctx, d, ""); return err },
		"CreateVolumeSnapshot":  func() error { _, err := CreateVolumeSnapshot(ctx, d, "v", ""); return err },
		"DestroyVolumeSnapshot": func() error { return DestroyVolumeSnapshot(ctx, d, "s") },
		"ListKeyPairs":          func() error { _, err := ListKeyPairs(ctx, d); return err },
		"GetKeyPair":            func() error { _, err := GetKeyPair(ctx, d, "k"); return err },
		"CreateKeyPair":         func() error { _, err := CreateKeyPair(ctx, d, "k"); return err },
		"ImportKeyPair":         func() error { _, err := ImportKeyPair(ctx, d, "k", "ssh-ed25519 AAAA"); return err },
		"ImportKeyPairFromFile": func() error { _, err := ImportKeyPairFromFile(ctx, d, "k", "/nonexistent"); return err },
		"DeleteKeyPair":         func() error { return DeleteKeyPair(ctx, d, "k") },
		"CreateImage":           func() error { _, err := CreateImage(ctx, d, "n", "i", ""); return err },
		"DeleteImage":           func() error { return DeleteImage(ctx, d, "i") },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, ErrNotSupported)
			var ce *Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, fakeProvider, ce.Provider)
			assert.Contains(t, err.Error(), "does not implement")
		})
	}
	d = nil
	for name, call := range calls {
		assert.ErrorIs(t, call(), ErrInvalidArgument, "%s with a nil driver", name)
	}
}

func TestCapabilities_ThroughWrappers(t *testing.T) {
	ctx := t.Context()
	ks := &keyStore{imported: map[string]string{}}
	d := wrapper{wrapper{ks}}
	k, err := CreateKeyPair(ctx, d, "k")
	require.NoError(t, err)
	assert.Equal(t, "k", k.Name)

	home := t.TempDir()
	t.Setenv("HOME", home)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".ssh"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".ssh", "id.pub"), []byte("ssh-ed25519 AAAA me@host\n\n"), 0o600))
	_, err = ImportKeyPairFromFile(ctx, d, "fromfile", "~/.ssh/id.pub")
	require.NoError(t, err)
	assert.Equal(t, "ssh-ed25519 AAAA me@host", ks.imported["fromfile"])

	_, err = ImportKeyPairFromFile(ctx, d, "missing", filepath.Join(home, "nope.pub"))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestAs(t *testing.T) {
	ks := &keyStore{}
	var d Driver = wrapper{wrapper{ks}}
	got, ok := As[*keyStore](d)
	assert.True(t, ok)
	assert.Same(t, ks, got)
	m, ok := As[KeyPairManager](d)
	assert.True(t, ok)
	assert.Same(t, ks, m)
	w, ok := As[wrapper](d)
	assert.True(t, ok, "the outermost match wins")
	assert.IsType(t, wrapper{}, w.Driver)
	_, ok = As[VolumeManager](d)
	assert.False(t, ok)
	_, ok = As[*fakeDriver](wrapper{nil})
	assert.False(t, ok)
	_, ok = As[*fakeDriver](nil)
	assert.False(t, ok)
}
