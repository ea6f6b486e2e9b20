package computetest

import (
	"context"
	"errors"
	"iter"
	"net/netip"
	"slices"
	"testing"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// checked wraps the driver under test and reports, on the subtest, every
// error that is neither a *compute.Error of a known kind (with the driver's
// provider and an Op) nor a context error, and every malformed value. It
// implements every optional interface by delegating through compute.As;
// the suite calls them only for declared capabilities.
type checked struct {
	t     *testing.T
	inner compute.Driver
}

var (
	_ compute.Driver          = (*checked)(nil)
	_ compute.Unwrapper       = (*checked)(nil)
	_ compute.VolumeManager   = (*checked)(nil)
	_ compute.VolumeResizer   = (*checked)(nil)
	_ compute.SnapshotManager = (*checked)(nil)
	_ compute.KeyPairManager  = (*checked)(nil)
	_ compute.ImageManager    = (*checked)(nil)
	_ compute.NodeResizer     = (*checked)(nil)
	_ compute.NodeStreamer    = (*checked)(nil)
	_ compute.NodeGetter      = (*checked)(nil)
)

// Unwrap implements compute.Unwrapper.
func (c *checked) Unwrap() compute.Driver { return c.inner }

// isContextErr reports whether err is, or wraps, a context error.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// checkErr reports an untyped error.
func (c *checked) checkErr(op string, err error) {
	if err == nil || isContextErr(err) {
		return
	}
	c.t.Helper()
	var ce *compute.Error
	if !errors.As(err, &ce) {
		c.t.Errorf("%s: error %q (%T) is neither a *compute.Error nor a context error", op, err, err)
		return
	}
	if !slices.Contains(compute.Kinds, ce.Kind) {
		c.t.Errorf("%s: error %q has kind %v, not one of compute.Kinds", op, err, ce.Kind)
	}
	if ce.Provider != c.inner.Provider() {
		c.t.Errorf("%s: error %q names provider %q, want %q", op, err, ce.Provider, c.inner.Provider())
	}
	if ce.Op == "" {
		c.t.Errorf("%s: error %q has no Op", op, err)
	}
}

// checkList reports a nil list returned without an error.
func checkList[T any](c *checked, op string, list []*T, err error, check func(string, *T)) {
	c.t.Helper()
	c.checkErr(op, err)
	if err != nil {
		return
	}
	if list == nil {
		c.t.Errorf("%s: nil list without an error; an empty result must be an empty slice", op)
	}
	for _, v := range list {
		check(op, v)
	}
}

func checkOne[T any](c *checked, op string, v *T, err error, check func(string, *T)) {
	c.t.Helper()
	c.checkErr(op, err)
	if err == nil {
		check(op, v)
	}
}

func (c *checked) checkNode(op string, n *compute.Node) {
	c.t.Helper()
	if n == nil {
		c.t.Errorf("%s: nil node without an error", op)
		return
	}
	if n.ID == "" {
		c.t.Errorf("%s: node %q has no ID", op, n.Name)
	}
	if n.Provider != c.inner.Provider() {
		c.t.Errorf("%s: node %q has Provider %q, want %q", op, n.ID, n.Provider, c.inner.Provider())
	}
	if !slices.Contains(types.NodeStates, n.State) {
		c.t.Errorf("%s: node %q has state %q, not a types.NodeState", op, n.ID, n.State)
	}
	if n.PublicIPs == nil || n.PrivateIPs == nil {
		c.t.Errorf("%s: node %q has a nil address list (PublicIPs %v, PrivateIPs %v)", op, n.ID, n.PublicIPs, n.PrivateIPs)
	}
	for k := range n.Tags {
		if k == "" {
			c.t.Errorf("%s: node %q has a tag with an empty key", op, n.ID)
		}
	}
	for _, a := range append(slices.Clone(n.PublicIPs), n.PrivateIPs...) {
		if _, err := netip.ParseAddr(a); err != nil {
			c.t.Errorf("%s: node %q has address %q: %v", op, n.ID, a, err)
		}
	}
	if n.Image != nil {
		c.checkImage(op, n.Image)
	}
	if n.Size != nil {
		c.checkSize(op, n.Size)
	}
}

func (c *checked) checkImage(op string, i *compute.Image) {
	c.t.Helper()
	switch {
	case i == nil:
		c.t.Errorf("%s: nil image without an error", op)
	case i.ID == "":
		c.t.Errorf("%s: image %q has no ID", op, i.Name)
	case i.Provider != c.inner.Provider():
		c.t.Errorf("%s: image %q has Provider %q, want %q", op, i.ID, i.Provider, c.inner.Provider())
	}
}

func (c *checked) checkSize(op string, s *compute.Size) {
	c.t.Helper()
	switch {
	case s == nil:
		c.t.Errorf("%s: nil size without an error", op)
	case s.ID == "":
		c.t.Errorf("%s: size %q has no ID", op, s.Name)
	case s.Provider != c.inner.Provider():
		c.t.Errorf("%s: size %q has Provider %q, want %q", op, s.ID, s.Provider, c.inner.Provider())
	case s.VCPUs < 0 || s.RAM < 0 || s.Disk < 0 || s.Bandwidth < 0 || s.Price < 0:
		c.t.Errorf("%s: size %q has a negative field: %+v", op, s.ID, *s)
	}
}

func (c *checked) checkLocation(op string, l *compute.Location) {
	c.t.Helper()
	switch {
	case l == nil || l.ID == "":
		c.t.Errorf("%s: location without an ID: %+v", op, l)
	case l.Provider != c.inner.Provider():
		c.t.Errorf("%s: location %q has Provider %q, want %q", op, l.ID, l.Provider, c.inner.Provider())
	}
}

func (c *checked) checkVolume(op string, v *compute.Volume) {
	c.t.Helper()
	switch {
	case v == nil:
		c.t.Errorf("%s: nil volume without an error", op)
	case v.ID == "":
		c.t.Errorf("%s: volume %q has no ID", op, v.Name)
	case v.Provider != c.inner.Provider():
		c.t.Errorf("%s: volume %q has Provider %q, want %q", op, v.ID, v.Provider, c.inner.Provider())
	case !slices.Contains(types.VolumeStates, v.State):
		c.t.Errorf("%s: volume %q has state %q, not a types.VolumeState", op, v.ID, v.State)
	}
}

func (c *checked) checkSnapshot(op string, s *compute.VolumeSnapshot) {
	c.t.Helper()
	switch {
	case s == nil:
		c.t.Errorf("%s: nil snapshot without an error", op)
	case s.ID == "":
		c.t.Errorf("%s: snapshot %q has no ID", op, s.Name)
	case s.Provider != c.inner.Provider():
		c.t.Errorf("%s: snapshot %q has Provider %q, want %q", op, s.ID, s.Provider, c.inner.Provider())
	case !slices.Contains(types.SnapshotStates, s.State):
		c.t.Errorf("%s: snapshot %q has state %q, not a types.SnapshotState", op, s.ID, s.State)
	}
}

func (c *checked) checkKeyPair(op string, k *compute.KeyPair) {
	c.t.Helper()
	switch {
	case k == nil || k.Name == "":
		c.t.Errorf("%s: key pair without a name: %v", op, k)
	case k.ID == "":
		c.t.Errorf("%s: key pair %q has no ID", op, k.Name)
	case k.Provider != c.inner.Provider():
		c.t.Errorf("%s: key pair %q has Provider %q, want %q", op, k.Name, k.Provider, c.inner.Provider())
	}
}

// Provider implements compute.Driver.
func (c *checked) Provider() types.Provider { return c.inner.Provider() }

// ListNodes implements compute.Driver.
func (c *checked) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	v, err := c.inner.ListNodes(ctx)
	checkList(c, "ListNodes", v, err, c.checkNode)
	return v, err
}

// GetNode implements compute.Driver.
func (c *checked) GetNode(ctx context.Context, id string) (*compute.Node, error) {
	v, err := c.inner.GetNode(ctx, id)
	checkOne(c, "GetNode", v, err, c.checkNode)
	return v, err
}

// CreateNode implements compute.Driver.
func (c *checked) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	v, err := c.inner.CreateNode(ctx, req)
	checkOne(c, "CreateNode", v, err, c.checkNode)
	return v, err
}

// RebootNode implements compute.Driver.
func (c *checked) RebootNode(ctx context.Context, id string) error {
	err := c.inner.RebootNode(ctx, id)
	c.checkErr("RebootNode", err)
	return err
}

// StartNode implements compute.Driver.
func (c *checked) StartNode(ctx context.Context, id string) error {
	err := c.inner.StartNode(ctx, id)
	c.checkErr("StartNode", err)
	return err
}

// StopNode implements compute.Driver.
func (c *checked) StopNode(ctx context.Context, id string) error {
	err := c.inner.StopNode(ctx, id)
	c.checkErr("StopNode", err)
	return err
}

// DestroyNode implements compute.Driver.
func (c *checked) DestroyNode(ctx context.Context, id string) error {
	err := c.inner.DestroyNode(ctx, id)
	c.checkErr("DestroyNode", err)
	return err
}

// ListImages implements compute.Driver.
func (c *checked) ListImages(ctx context.Context, location *compute.Location) ([]*compute.Image, error) {
	v, err := c.inner.ListImages(ctx, location)
	checkList(c, "ListImages", v, err, c.checkImage)
	return v, err
}

// GetImage implements compute.Driver.
func (c *checked) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	v, err := c.inner.GetImage(ctx, id)
	checkOne(c, "GetImage", v, err, c.checkImage)
	return v, err
}

// ListSizes implements compute.Driver.
func (c *checked) ListSizes(ctx context.Context, location *compute.Location) ([]*compute.Size, error) {
	v, err := c.inner.ListSizes(ctx, location)
	checkList(c, "ListSizes", v, err, c.checkSize)
	return v, err
}

// ListLocations implements compute.Driver.
func (c *checked) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	v, err := c.inner.ListLocations(ctx)
	checkList(c, "ListLocations", v, err, c.checkLocation)
	return v, err
}

// capability returns the inner driver's T; the suite only asks for declared
// capabilities, whose presence the Capabilities subtest verifies.
func capability[T any](c *checked, op string) (T, error) {
	t, ok := compute.As[T](c.inner)
	if !ok {
		c.t.Errorf("%s: the driver does not implement the interface of a declared capability", op)
		var zero T
		return zero, compute.NewError(c.inner.Provider(), op, "", compute.ErrNotSupported, nil)
	}
	return t, nil
}

// ListVolumes implements compute.VolumeManager.
func (c *checked) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	m, err := capability[compute.VolumeManager](c, "ListVolumes")
	if err != nil {
		return nil, err
	}
	v, err := m.ListVolumes(ctx)
	checkList(c, "ListVolumes", v, err, c.checkVolume)
	return v, err
}

// CreateVolume implements compute.VolumeManager.
func (c *checked) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	m, err := capability[compute.VolumeManager](c, "CreateVolume")
	if err != nil {
		return nil, err
	}
	v, err := m.CreateVolume(ctx, req)
	checkOne(c, "CreateVolume", v, err, c.checkVolume)
	return v, err
}

// AttachVolume implements compute.VolumeManager.
func (c *checked) AttachVolume(ctx context.Context, volumeID, nodeID, device string) error {
	m, err := capability[compute.VolumeManager](c, "AttachVolume")
	if err != nil {
		return err
	}
	err = m.AttachVolume(ctx, volumeID, nodeID, device)
	c.checkErr("AttachVolume", err)
	return err
}

// DetachVolume implements compute.VolumeManager.
func (c *checked) DetachVolume(ctx context.Context, volumeID string) error {
	m, err := capability[compute.VolumeManager](c, "DetachVolume")
	if err != nil {
		return err
	}
	err = m.DetachVolume(ctx, volumeID)
	c.checkErr("DetachVolume", err)
	return err
}

// DestroyVolume implements compute.VolumeManager.
func (c *checked) DestroyVolume(ctx context.Context, volumeID string) error {
	m, err := capability[compute.VolumeManager](c, "DestroyVolume")
	if err != nil {
		return err
	}
	err = m.DestroyVolume(ctx, volumeID)
	c.checkErr("DestroyVolume", err)
	return err
}

// ResizeVolume implements compute.VolumeResizer.
func (c *checked) ResizeVolume(ctx context.Context, volumeID string, sizeGB int) (*compute.Volume, error) {
	m, err := capability[compute.VolumeResizer](c, "ResizeVolume")
	if err != nil {
		return nil, err
	}
	v, err := m.ResizeVolume(ctx, volumeID, sizeGB)
	checkOne(c, "ResizeVolume", v, err, c.checkVolume)
	return v, err
}

// ListVolumeSnapshots implements compute.SnapshotManager.
func (c *checked) ListVolumeSnapshots(ctx context.Context, volumeID string) ([]*compute.VolumeSnapshot, error) {
	m, err := capability[compute.SnapshotManager](c, "ListVolumeSnapshots")
	if err != nil {
		return nil, err
	}
	v, err := m.ListVolumeSnapshots(ctx, volumeID)
	checkList(c, "ListVolumeSnapshots", v, err, c.checkSnapshot)
	return v, err
}

// CreateVolumeSnapshot implements compute.SnapshotManager.
func (c *checked) CreateVolumeSnapshot(ctx context.Context, volumeID, name string) (*compute.VolumeSnapshot, error) {
	m, err := capability[compute.SnapshotManager](c, "CreateVolumeSnapshot")
	if err != nil {
		return nil, err
	}
	v, err := m.CreateVolumeSnapshot(ctx, volumeID, name)
	checkOne(c, "CreateVolumeSnapshot", v, err, c.checkSnapshot)
	return v, err
}

// DestroyVolumeSnapshot implements compute.SnapshotManager.
func (c *checked) DestroyVolumeSnapshot(ctx context.Context, snapshotID string) error {
	m, err := capability[compute.SnapshotManager](c, "DestroyVolumeSnapshot")
	if err != nil {
		return err
	}
	err = m.DestroyVolumeSnapshot(ctx, snapshotID)
	c.checkErr("DestroyVolumeSnapshot", err)
	return err
}

// ListKeyPairs implements compute.KeyPairManager.
func (c *checked) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	m, err := capability[compute.KeyPairManager](c, "ListKeyPairs")
	if err != nil {
		return nil, err
	}
	v, err := m.ListKeyPairs(ctx)
	checkList(c, "ListKeyPairs", v, err, c.checkKeyPair)
	return v, err
}

// GetKeyPair implements compute.KeyPairManager.
func (c *checked) GetKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	m, err := capability[compute.KeyPairManager](c, "GetKeyPair")
	if err != nil {
		return nil, err
	}
	v, err := m.GetKeyPair(ctx, name)
	checkOne(c, "GetKeyPair", v, err, c.checkKeyPair)
	return v, err
}

// CreateKeyPair implements compute.KeyPairManager.
func (c *checked) CreateKeyPair(ctx context.Context, name string) (*compute.KeyPair, error) {
	m, err := capability[compute.KeyPairManager](c, "CreateKeyPair")
	if err != nil {
		return nil, err
	}
	v, err := m.CreateKeyPair(ctx, name)
	checkOne(c, "CreateKeyPair", v, err, c.checkKeyPair)
	return v, err
}

// ImportKeyPair implements compute.KeyPairManager.
func (c *checked) ImportKeyPair(ctx context.Context, name, publicKey string) (*compute.KeyPair, error) {
	m, err := capability[compute.KeyPairManager](c, "ImportKeyPair")
	if err != nil {
		return nil, err
	}
	v, err := m.ImportKeyPair(ctx, name, publicKey)
	checkOne(c, "ImportKeyPair", v, err, c.checkKeyPair)
	return v, err
}

// DeleteKeyPair implements compute.KeyPairManager.
func (c *checked) DeleteKeyPair(ctx context.Context, name string) error {
	m, err := capability[compute.KeyPairManager](c, "DeleteKeyPair")
	if err != nil {
		return err
	}
	err = m.DeleteKeyPair(ctx, name)
	c.checkErr("DeleteKeyPair", err)
	return err
}

// CreateImage implements compute.ImageManager.
func (c *checked) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	m, err := capability[compute.ImageManager](c, "CreateImage")
	if err != nil {
		return nil, err
	}
	v, err := m.CreateImage(ctx, nodeID, name, description)
	checkOne(c, "CreateImage", v, err, c.checkImage)
	return v, err
}

// DeleteImage implements compute.ImageManager.
func (c *checked) DeleteImage(ctx context.Context, imageID string) error {
	m, err := capability[compute.ImageManager](c, "DeleteImage")
	if err != nil {
		return err
	}
	err = m.DeleteImage(ctx, imageID)
	c.checkErr("DeleteImage", err)
	return err
}

// ResizeNode implements compute.NodeResizer.
func (c *checked) ResizeNode(ctx context.Context, id string, size *compute.Size) (*compute.Node, error) {
	m, err := capability[compute.NodeResizer](c, "ResizeNode")
	if err != nil {
		return nil, err
	}
	v, err := m.ResizeNode(ctx, id, size)
	checkOne(c, "ResizeNode", v, err, c.checkNode)
	return v, err
}

// baseDriver hides every optional interface of the driver it holds.
type baseDriver struct{ compute.Driver }

// IterNodes implements compute.NodeStreamer: the driver's own, or
// compute.IterNodes's fallback to ListNodes when it has none.
func (c *checked) IterNodes(ctx context.Context, filter *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	seq := compute.IterNodes(ctx, baseDriver{c}, filter)
	if s, ok := compute.As[compute.NodeStreamer](c.inner); ok {
		seq = s.IterNodes(ctx, filter)
	}
	return func(yield func(*compute.Node, error) bool) {
		for n, err := range seq {
			if err != nil {
				c.checkErr("IterNodes", err)
			} else {
				c.checkNode("IterNodes", n)
			}
			if !yield(n, err) {
				return
			}
		}
	}
}

// GetNodes implements compute.NodeGetter: the driver's own (checked to
// return only nodes asked for, each once), or one GetNode per id when it
// has none.
func (c *checked) GetNodes(ctx context.Context, ids []string) ([]*compute.Node, error) {
	g, ok := compute.As[compute.NodeGetter](c.inner)
	if !ok {
		out := make([]*compute.Node, 0, len(ids))
		for _, id := range ids {
			n, err := c.GetNode(ctx, id)
			switch {
			case err == nil:
				out = append(out, n)
			case !errors.Is(err, compute.ErrNotFound):
				return nil, err
			}
		}
		return out, nil
	}
	v, err := g.GetNodes(ctx, ids)
	checkList(c, "GetNodes", v, err, c.checkNode)
	seen := map[string]bool{}
	for _, n := range v {
		if n == nil {
			continue
		}
		if !slices.Contains(ids, n.ID) {
			c.t.Errorf("GetNodes(%v) returned node %q, not asked for", ids, n.ID)
		}
		if seen[n.ID] {
			c.t.Errorf("GetNodes(%v) returned node %q twice", ids, n.ID)
		}
		seen[n.ID] = true
	}
	return v, err
}
