package compute

import (
	"context"
	"iter"

	"github.com/goclouds/goclouds/types"
)

// Driver is the provider-neutral compute API. Every provider implements it;
// features not every provider has live in the optional interfaces below
// (VolumeManager, SnapshotManager, KeyPairManager, ImageManager, ...),
// discovered by type assertion or through the portable helper functions.
//
// Every method takes a context first and honours its cancellation. Errors are
// *Error values whose Kind is one of the Err* sentinels, or context errors
// passed through unchanged.
//
// A driver that holds a session on the server (vSphere) also implements
// io.Closer: Close ends the session (logs out) and stops its background
// work. Callers should close a driver that is an io.Closer when done with it:
//
//	if c, ok := d.(io.Closer); ok {
//		defer c.Close()
//	}
type Driver interface {
	// Provider returns the provider's name.
	Provider() types.Provider

	// ListNodes returns every node visible to the credentials, across all
	// pages the provider returns. An empty inventory is an empty slice.
	ListNodes(ctx context.Context) ([]*Node, error)
	// GetNode returns the node with the given id. If none exists, GetNode
	// must return an error matching ErrNotFound that names id.
	GetNode(ctx context.Context, id string) (*Node, error)
	// CreateNode creates a node and returns it as soon as the provider has
	// accepted it; it may still be pending. Use WaitUntilRunning to wait.
	// An unknown image, size or location must give an error matching
	// ErrInvalidArgument or ErrNotFound.
	CreateNode(ctx context.Context, req *CreateNodeRequest) (*Node, error)
	// RebootNode reboots the node with the given id.
	RebootNode(ctx context.Context, id string) error
	// StartNode starts a stopped node.
	StartNode(ctx context.Context, id string) error
	// StopNode stops a running node.
	StopNode(ctx context.Context, id string) error
	// DestroyNode destroys the node. A missing id must give an error
	// matching ErrNotFound that names id.
	DestroyNode(ctx context.Context, id string) error

	// ListImages returns the images nodes can be created from; a non-nil
	// location restricts the list to images usable there.
	ListImages(ctx context.Context, location *Location) ([]*Image, error)
	// GetImage returns the image with the given id, or an error matching
	// ErrNotFound.
	GetImage(ctx context.Context, id string) (*Image, error)
	// ListSizes returns the node sizes; a non-nil location restricts the list
	// to sizes offered there.
	ListSizes(ctx context.Context, location *Location) ([]*Size, error)
	// ListLocations returns the locations nodes can be created in.
	ListLocations(ctx context.Context) ([]*Location, error)
}

// CreateVolumeRequest describes a volume to create.
type CreateVolumeRequest struct {
	// Name is the volume's name. Required.
	Name string
	// Size is the size in GB; required unless SnapshotID is set or the
	// provider's options fix it.
	Size int
	// Location is where to create the volume; nil lets the provider choose.
	Location *Location
	// SnapshotID creates the volume from a snapshot when set.
	SnapshotID string
	// ProviderOptions carries provider-specific options.
	ProviderOptions any
}

// VolumeManager is implemented by drivers that manage block storage volumes.
type VolumeManager interface {
	// ListVolumes returns every volume visible to the credentials.
	ListVolumes(ctx context.Context) ([]*Volume, error)
	// CreateVolume creates a volume.
	CreateVolume(ctx context.Context, req *CreateVolumeRequest) (*Volume, error)
	// AttachVolume attaches a volume to a node; device may be "" to let the
	// provider choose (for CloudStack it is the numeric device id).
	AttachVolume(ctx context.Context, volumeID, nodeID, device string) error
	// DetachVolume detaches a volume from whichever node holds it.
	DetachVolume(ctx context.Context, volumeID string) error
	// DestroyVolume deletes a volume.
	DestroyVolume(ctx context.Context, volumeID string) error
}

// VolumeResizer is implemented by drivers that can grow a volume.
type VolumeResizer interface {
	// ResizeVolume sets the volume's size in GB.
	ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*Volume, error)
}

// SnapshotManager is implemented by drivers that snapshot volumes.
type SnapshotManager interface {
	// ListVolumeSnapshots returns the snapshots of the volume, or of every
	// volume when volumeID is "".
	ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*VolumeSnapshot, error)
	// CreateVolumeSnapshot snapshots a volume; name may be "".
	CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*VolumeSnapshot, error)
	// DestroyVolumeSnapshot deletes a snapshot.
	DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error
}

// KeyPairManager is implemented by drivers that manage SSH key pairs.
type KeyPairManager interface {
	// ListKeyPairs returns every key pair.
	ListKeyPairs(ctx context.Context) ([]*KeyPair, error)
	// GetKeyPair returns the named key pair or an error matching ErrNotFound.
	GetKeyPair(ctx context.Context, name string) (*KeyPair, error)
	// CreateKeyPair creates a key pair; the result carries the private key,
	// which the provider does not keep.
	CreateKeyPair(ctx context.Context, name string) (*KeyPair, error)
	// ImportKeyPair registers an existing public key (OpenSSH form).
	ImportKeyPair(ctx context.Context, name, publicKey string) (*KeyPair, error)
	// DeleteKeyPair deletes the named key pair.
	DeleteKeyPair(ctx context.Context, name string) error
}

// ImageManager is implemented by drivers that create images from nodes.
type ImageManager interface {
	// CreateImage creates an image from a node's root disk.
	CreateImage(ctx context.Context, nodeID, name, description string) (*Image, error)
	// DeleteImage deletes an image.
	DeleteImage(ctx context.Context, imageID string) error
}

// NodeResizer is implemented by drivers that change a node's size
// (CloudStack scaleVirtualMachine or changeServiceForVirtualMachine,
// OpenStack resize and confirm, EC2 ModifyInstanceAttribute, vSphere
// reconfigure). Libcloud's ex_change_node_size.
type NodeResizer interface {
	// ResizeNode gives the node the size and returns the node as it is
	// afterwards. Providers that can only resize a stopped node say so in
	// their docs and answer ErrConflict for a running one.
	ResizeNode(ctx context.Context, id string, size *Size) (*Node, error)
}

// NodeStreamer is implemented by drivers that list nodes a page at a time,
// for inventories too large to hold at once. Use the IterNodes helper,
// which falls back to ListNodes for drivers without it.
type NodeStreamer interface {
	// IterNodes yields the nodes matching filter (nil: all) as the provider
	// pages them, filtering on the server where the provider can and in
	// the driver otherwise, so that it yields exactly the nodes ListNodes
	// would give that match. An error ends the sequence. Stopping the loop
	// early stops fetching.
	IterNodes(ctx context.Context, filter *NodeFilter) iter.Seq2[*Node, error]
}

// NodeGetter is implemented by drivers that look up several nodes in one
// call; WaitUntilRunning uses it instead of one GetNode per node.
type NodeGetter interface {
	// GetNodes returns the nodes with the given ids that exist, in any
	// order; ids that do not exist are left out (no error).
	GetNodes(ctx context.Context, ids []string) ([]*Node, error)
}
