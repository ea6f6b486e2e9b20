package compute

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// capability returns d's implementation of the optional interface T (looking
// through wrappers) or an error matching ErrNotSupported.
func capability[T any](d Driver, op string) (T, error) {
	var zero T
	if d == nil {
		return zero, NewError("", op, "", ErrInvalidArgument, errNilDriver)
	}
	t, ok := As[T](d)
	if !ok {
		return zero, NewError(d.Provider(), op, "", ErrNotSupported,
			fmt.Errorf("the %s driver does not implement %s", d.Provider(), interfaceName[T]()))
	}
	return t, nil
}

func interfaceName[T any]() string {
	return strings.TrimPrefix(fmt.Sprintf("%T", (*T)(nil)), "*compute.")
}

// ListVolumes calls d's VolumeManager, or fails with ErrNotSupported.
func ListVolumes(ctx context.Context, d Driver) ([]*Volume, error) {
	m, err := capability[VolumeManager](d, "ListVolumes")
	if err != nil {
		return nil, err
	}
	return m.ListVolumes(ctx)
}

// CreateVolume calls d's VolumeManager, or fails with ErrNotSupported.
func CreateVolume(ctx context.Context, d Driver, req *CreateVolumeRequest) (*Volume, error) {
	m, err := capability[VolumeManager](d, "CreateVolume")
	if err != nil {
		return nil, err
	}
	return m.CreateVolume(ctx, req)
}

// AttachVolume calls d's VolumeManager, or fails with ErrNotSupported.
func AttachVolume(ctx context.Context, d Driver, volumeID, nodeID, device string) error {
	m, err := capability[VolumeManager](d, "AttachVolume")
	if err != nil {
		return err
	}
	return m.AttachVolume(ctx, volumeID, nodeID, device)
}

// DetachVolume calls d's VolumeManager, or fails with ErrNotSupported.
func DetachVolume(ctx context.Context, d Driver, volumeID string) error {
	m, err := capability[VolumeManager](d, "DetachVolume")
	if err != nil {
		return err
	}
	return m.DetachVolume(ctx, volumeID)
}

// DestroyVolume calls d's VolumeManager, or fails with ErrNotSupported.
func DestroyVolume(ctx context.Context, d Driver, volumeID string) error {
	m, err := capability[VolumeManager](d, "DestroyVolume")
	if err != nil {
		return err
	}
	return m.DestroyVolume(ctx, volumeID)
}

// ResizeVolume calls d's VolumeResizer, or fails with ErrNotSupported.
func ResizeVolume(ctx context.Context, d Driver, volumeID string, sizeGB int) (*Volume, error) {
	m, err := capability[VolumeResizer](d, "ResizeVolume")
	if err != nil {
		return nil, err
	}
	return m.ResizeVolume(ctx, volumeID, sizeGB)
}

// ListVolumeSnapshots calls d's SnapshotManager, or fails with ErrNotSupported.
func ListVolumeSnapshots(ctx context.Context, d Driver, volumeID string) ([]*VolumeSnapshot, error) {
	m, err := capability[SnapshotManager](d, "ListVolumeSnapshots")
	if err != nil {
		return nil, err
	}
	return m.ListVolumeSnapshots(ctx, volumeID)
}

// CreateVolumeSnapshot calls d's SnapshotManager, or fails with ErrNotSupported.
func CreateVolumeSnapshot(ctx context.Context, d Driver, volumeID, name string) (*VolumeSnapshot, error) {
	m, err := capability[SnapshotManager](d, "CreateVolumeSnapshot")
	if err != nil {
		return nil, err
	}
	return m.CreateVolumeSnapshot(ctx, volumeID, name)
}

// DestroyVolumeSnapshot calls d's SnapshotManager, or fails with ErrNotSupported.
func DestroyVolumeSnapshot(ctx context.Context, d Driver, snapshotID string) error {
	m, err := capability[SnapshotManager](d, "DestroyVolumeSnapshot")
	if err != nil {
		return err
	}
	return m.DestroyVolumeSnapshot(ctx, snapshotID)
}

// ListKeyPairs calls d's KeyPairManager, or fails with ErrNotSupported.
func ListKeyPairs(ctx context.Context, d Driver) ([]*KeyPair, error) {
	m, err := capability[KeyPairManager](d, "ListKeyPairs")
	if err != nil {
		return nil, err
	}
	return m.ListKeyPairs(ctx)
}

// GetKeyPair calls d's KeyPairManager, or fails with ErrNotSupported.
func GetKeyPair(ctx context.Context, d Driver, name string) (*KeyPair, error) {
	m, err := capability[KeyPairManager](d, "GetKeyPair")
	if err != nil {
		return nil, err
	}
	return m.GetKeyPair(ctx, name)
}

// CreateKeyPair calls d's KeyPairManager, or fails with ErrNotSupported.
func CreateKeyPair(ctx context.Context, d Driver, name string) (*KeyPair, error) {
	m, err := capability[KeyPairManager](d, "CreateKeyPair")
	if err != nil {
		return nil, err
	}
	return m.CreateKeyPair(ctx, name)
}

// ImportKeyPair calls d's KeyPairManager, or fails with ErrNotSupported.
func ImportKeyPair(ctx context.Context, d Driver, name, publicKey string) (*KeyPair, error) {
	m, err := capability[KeyPairManager](d, "ImportKeyPair")
	if err != nil {
		return nil, err
	}
	return m.ImportKeyPair(ctx, name, publicKey)
}

// ImportKeyPairFromFile reads an OpenSSH public key file (a leading "~/" is
// expanded to the home directory, the content is trimmed) and imports it, as
// Libcloud's import_key_pair_from_file.
func ImportKeyPairFromFile(ctx context.Context, d Driver, name, path string) (*KeyPair, error) {
	m, err := capability[KeyPairManager](d, "ImportKeyPair")
	if err != nil {
		return nil, err
	}
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, herr := os.UserHomeDir()
		if herr != nil {
			return nil, NewError(d.Provider(), "ImportKeyPair", name, ErrInvalidArgument, herr)
		}
		path = filepath.Join(home, rest)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, NewError(d.Provider(), "ImportKeyPair", name, ErrInvalidArgument, err)
	}
	return m.ImportKeyPair(ctx, name, strings.TrimSpace(string(data)))
}

// DeleteKeyPair calls d's KeyPairManager, or fails with ErrNotSupported.
func DeleteKeyPair(ctx context.Context, d Driver, name string) error {
	m, err := capability[KeyPairManager](d, "DeleteKeyPair")
	if err != nil {
		return err
	}
	return m.DeleteKeyPair(ctx, name)
}

// CreateImage calls d's ImageManager, or fails with ErrNotSupported.
func CreateImage(ctx context.Context, d Driver, nodeID, name, description string) (*Image, error) {
	m, err := capability[ImageManager](d, "CreateImage")
	if err != nil {
		return nil, err
	}
	return m.CreateImage(ctx, nodeID, name, description)
}

// DeleteImage calls d's ImageManager, or fails with ErrNotSupported.
func DeleteImage(ctx context.Context, d Driver, imageID string) error {
	m, err := capability[ImageManager](d, "DeleteImage")
	if err != nil {
		return err
	}
	return m.DeleteImage(ctx, imageID)
}

// ResizeNode calls d's NodeResizer, or fails with ErrNotSupported.
func ResizeNode(ctx context.Context, d Driver, id string, size *Size) (*Node, error) {
	m, err := capability[NodeResizer](d, "ResizeNode")
	if err != nil {
		return nil, err
	}
	return m.ResizeNode(ctx, id, size)
}
