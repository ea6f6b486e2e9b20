package computetest

import (
	"context"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
)

// Harness gives the suite drivers for one backend. RunConformanceTests calls
// the HarnessMaker afresh for every subtest and Close at its end.
type Harness interface {
	// MakeDriver returns a driver for the backend. It may be called more
	// than once; the drivers must share the backend.
	MakeDriver(ctx context.Context) (compute.Driver, error)
	// Fixtures returns ids that are valid on the backend and the suite's
	// timing.
	Fixtures() Fixtures
	// Capabilities declares which optional features the backend supports.
	Capabilities() Capabilities
	// Close releases the harness's resources (servers, temporary files).
	Close()
}

// HarnessMaker makes a Harness for one subtest; t is that subtest.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// Fixtures holds what the suite needs to know about a backend. Only ImageID,
// SizeID and LocationID are required; zero values of the others get the
// defaults documented on each field.
type Fixtures struct {
	// ImageID, SizeID and LocationID name an image, a size and a location
	// CreateNode accepts together. The suite checks that the catalogue lists
	// them.
	ImageID, SizeID, LocationID string
	// MissingID is an id no resource has, used to check ErrNotFound. Choose
	// one of the backend's id shape (for CloudStack a UUID); default
	// DefaultMissingID.
	MissingID string
	// AddressInterface is where WaitUntilRunning looks for a node's address;
	// default compute.AnyIPs, WaitUntilRunning's own default (set
	// compute.PublicIPs for a backend whose nodes must be reachable from the
	// internet).
	AddressInterface compute.AddressInterface
	// MaxUserData is the provider's documented limit on
	// CreateNodeRequest.UserData in bytes: the suite checks that user data
	// of that size is accepted and one byte more refused with
	// ErrInvalidArgument. 0 skips the check.
	MaxUserData int
	// ResizeSizeID is the size the NodeResize subtest gives a node; default
	// the first size listed in the fixture location other than SizeID.
	ResizeSizeID string
	// WaitInterval is the delay between polls of every wait; default 10ms.
	// Keep it small for in-process backends.
	WaitInterval time.Duration
	// WaitTimeout bounds every wait; default 1 minute.
	WaitTimeout time.Duration
	// VolumeSize is the size in GB of the volumes the suite creates;
	// default 1.
	VolumeSize int
	// ParallelCreates is how many nodes the parallel subtest creates at
	// once; default 4.
	ParallelCreates int
	// NamePrefix starts the name of everything the suite creates; default
	// "goclouds-ct". Names are valid host names.
	NamePrefix string
}

// DefaultMissingID is the MissingID used when a harness sets none: a
// well-formed UUID that no backend assigns.
const DefaultMissingID = "00000000-0000-4000-8000-00000000dead"

func (f Fixtures) withDefaults() Fixtures {
	if f.MissingID == "" {
		f.MissingID = DefaultMissingID
	}
	if f.AddressInterface == "" {
		f.AddressInterface = compute.AnyIPs
	}
	if f.WaitInterval <= 0 {
		f.WaitInterval = 10 * time.Millisecond
	}
	if f.WaitTimeout <= 0 {
		f.WaitTimeout = time.Minute
	}
	if f.VolumeSize <= 0 {
		f.VolumeSize = 1
	}
	if f.ParallelCreates <= 0 {
		f.ParallelCreates = 4
	}
	if f.NamePrefix == "" {
		f.NamePrefix = "goclouds-ct"
	}
	return f
}

// Capabilities declares a backend's optional features. They are declared,
// never inferred from ErrNotSupported, so that a feature that breaks cannot
// pass by silently disappearing: a declared capability whose interface the
// driver lacks fails the suite.
type Capabilities struct {
	// StartStop: StartNode and StopNode work.
	StartStop bool
	// Volumes: the driver is a compute.VolumeManager.
	Volumes bool
	// VolumeResize: the driver is a compute.VolumeResizer (needs Volumes).
	VolumeResize bool
	// Snapshots: the driver is a compute.SnapshotManager (needs Volumes).
	Snapshots bool
	// VolumesFromSnapshots: CreateVolume accepts a SnapshotID (needs
	// Snapshots).
	VolumesFromSnapshots bool
	// KeyPairs: the driver is a compute.KeyPairManager.
	KeyPairs bool
	// Images: the driver is a compute.ImageManager.
	Images bool
	// NodeResize: the driver is a compute.NodeResizer.
	NodeResize bool
	// Tags: CreateNodeRequest.Tags show in Node.Tags (GetNode, ListNodes,
	// IterNodes) and IterNodes filters by them.
	Tags bool
	// UserData: the harness is a UserDataReader that reads back the user
	// data a node was created with.
	UserData bool
	// IdempotentCreate: a CreateNode resent with the same IdempotencyKey
	// returns the node of the first instead of starting a second one.
	IdempotentCreate bool
	// SizesWithoutVCPUs: the provider's sizes do not fix a CPU count, so
	// Size.VCPUs may be 0 (otherwise every size must have VCPUs > 0).
	SizesWithoutVCPUs bool
}

// UserDataReader is implemented by harnesses that can read back a node's
// user data (for CloudStack getVirtualMachineUserData, for the dummy
// provider ExUserData), for the UserData capability. d is the driver
// under test, wrapped by the suite: reach the provider's type with
// compute.As.
type UserDataReader interface {
	// ReadUserData returns the user data node id was created with.
	ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error)
}

// ThrottlingHarness is implemented by harnesses whose backend can refuse
// calls for rate (the provider's HTTP 429 or its equivalent). The Throttled
// subtest then checks, on the driver it returns, that every refusal matches
// compute.ErrThrottled (not ErrUnavailable: nothing happened), that a
// refused CreateNode created nothing, and that waits poll through
// refusals. Without it, the subtest only checks the waits against a
// throttling wrapper of the suite's own.
type ThrottlingHarness interface {
	// MakeThrottledDriver returns a driver whose backend refuses at least
	// one call in four for rate, and at most three in four, whatever the
	// driver retries by itself.
	MakeThrottledDriver(ctx context.Context) (compute.Driver, error)
}

// ExTest is a provider-specific test run after the portable ones, typically
// reaching the provider's Ex methods with compute.As. The driver it gets is
// wrapped by the suite (errors and values checked), so compute.As must see
// through compute.Unwrapper.
type ExTest struct {
	// Name names the subtest ("Ex/<Name>").
	Name string
	// Test runs the test.
	Test func(t *testing.T, h Harness, d compute.Driver)
}
