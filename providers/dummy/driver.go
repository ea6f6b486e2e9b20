package dummy

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// Driver is the in-memory compute driver. It implements [compute.Driver] and
// every optional interface. It is safe for concurrent use; every value it
// returns is a copy.
type Driver struct {
	opts Options

	mu        sync.Mutex
	nodes     map[string]*nodeRecord
	nextNode  int
	images    []*compute.Image
	builtin   map[string]bool // ids of Libcloud's images, which cannot be deleted
	nextImage int
	sizes     []*compute.Size
	locations []*compute.Location
	volumes   map[string]*volumeRecord
	nextVol   int
	snapshots map[string]*snapshotRecord
	nextSnap  int
	keyPairs  map[string]*compute.KeyPair
	failures  map[string][]error
	calls     int                     // calls entered, for Options.ThrottleEvery
	idem      map[string]idempotentOp // creates by IdempotencyKey
}

// Interface checks.
var (
	_ compute.Driver          = (*Driver)(nil)
	_ compute.VolumeManager   = (*Driver)(nil)
	_ compute.VolumeResizer   = (*Driver)(nil)
	_ compute.SnapshotManager = (*Driver)(nil)
	_ compute.KeyPairManager  = (*Driver)(nil)
	_ compute.ImageManager    = (*Driver)(nil)
	_ compute.NodeResizer     = (*Driver)(nil)
	_ compute.NodeStreamer    = (*Driver)(nil)
	_ compute.NodeGetter      = (*Driver)(nil)
)

// New returns a driver holding Libcloud's catalogue and opts.Nodes running
// nodes. A nil opts gives the defaults. New does not validate opts (Factory
// does): a bad KeyType or RSABits shows up as an ErrInvalidArgument from
// CreateKeyPair.
func New(opts *Options) *Driver {
	o := opts.withDefaults()
	d := &Driver{
		opts:      o,
		nodes:     make(map[string]*nodeRecord),
		nextNode:  1,
		images:    builtinImages(),
		builtin:   make(map[string]bool),
		sizes:     builtinSizes(),
		locations: builtinLocations(),
		volumes:   make(map[string]*volumeRecord),
		nextVol:   1,
		snapshots: make(map[string]*snapshotRecord),
		nextSnap:  1,
		keyPairs:  make(map[string]*compute.KeyPair),
		failures:  make(map[string][]error),
		idem:      make(map[string]idempotentOp),
	}
	for _, img := range d.images {
		d.builtin[img.ID] = true
	}
	d.nextImage = len(d.images) + 1
	now := o.Now()
	for range o.Nodes {
		id := d.newNodeID()
		d.nodes[id] = &nodeRecord{node: d.newNode(id, "dummy-"+id, d.images[0], d.sizes[0], d.locations[0], now, nil)}
	}
	return d
}

// Provider implements [compute.Driver.Provider]; it returns
// types.ProviderDummy.
func (d *Driver) Provider() types.Provider { return types.ProviderDummy }

// ExFailNext makes the next call of the driver method named op (such as
// "CreateNode" or "ListVolumes") fail with a *compute.Error of the given
// kind, without any other effect. Calls queue up: two ExFailNext for the same
// op fail its next two calls. It lets users test their error handling.
// Not portable.
func (d *Driver) ExFailNext(op string, kind error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.failures[op] = append(d.failures[op], kind)
}

// enter starts every operation, with d.mu held: it passes a done context's
// error through unchanged, refuses every Options.ThrottleEvery-th call
// with ErrThrottled and consumes a failure queued by ExFailNext.
func (d *Driver) enter(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.calls++
	if n := d.opts.ThrottleEvery; n > 0 && d.calls%n == 0 {
		return compute.NewError(types.ProviderDummy, op, "", compute.ErrThrottled,
			fmt.Errorf("refused for rate: every %d calls (Options.ThrottleEvery); nothing was done, send it again", n))
	}
	if q := d.failures[op]; len(q) > 0 {
		kind := q[0]
		if len(q) == 1 {
			delete(d.failures, op)
		} else {
			d.failures[op] = q[1:]
		}
		return compute.NewError(types.ProviderDummy, op, "", kind, fmt.Errorf("failure injected by ExFailNext(%q)", op))
	}
	return nil
}

func (d *Driver) newNodeID() string {
	id := strconv.Itoa(d.nextNode)
	d.nextNode++
	return id
}

func notFound(op, what, id string) error {
	return compute.Errorf(types.ProviderDummy, op, id, compute.ErrNotFound, "no %s with id %q", what, id)
}

func invalid(op, id, format string, args ...any) error {
	return compute.Errorf(types.ProviderDummy, op, id, compute.ErrInvalidArgument, format, args...)
}

func conflict(op, id, format string, args ...any) error {
	return compute.Errorf(types.ProviderDummy, op, id, compute.ErrConflict, format, args...)
}
