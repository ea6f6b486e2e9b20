package compute

import (
	"context"
	"sync"

	"github.com/goclouds/goclouds/types"
)

// fakeDriver is a Driver whose GetNode and ListNodes answer from scripts
// indexed by call number (the last entry repeats); every other method
// reports ErrNotSupported.
type fakeDriver struct {
	mu    sync.Mutex
	get   []func(id string) (*Node, error)
	list  []func() ([]*Node, error)
	gets  int
	lists int
	// byID, when set, answers GetNode per node id from its own script
	// (indexed by that id's call number; a nil node means not found).
	byID  map[string][]func() (*Node, error)
	calls map[string]int
}

const fakeProvider types.Provider = "fake"

func (f *fakeDriver) Provider() types.Provider { return fakeProvider }

func (f *fakeDriver) GetNode(ctx context.Context, id string) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.byID != nil {
		script, ok := f.byID[id]
		if f.calls == nil {
			f.calls = map[string]int{}
		}
		k := f.calls[id]
		f.calls[id]++
		if !ok {
			return nil, NewError(fakeProvider, "GetNode", id, ErrNotFound, nil)
		}
		n, err := script[min(k, len(script)-1)]()
		if n == nil && err == nil {
			return nil, NewError(fakeProvider, "GetNode", id, ErrNotFound, nil)
		}
		return n, err
	}
	return f.get[min(f.gets-1, len(f.get)-1)](id)
}

func (f *fakeDriver) ListNodes(ctx context.Context) ([]*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	step := f.list[min(f.lists, len(f.list)-1)]
	f.lists++
	f.mu.Unlock()
	return step()
}

func (f *fakeDriver) unsupported(op string) error {
	return NewError(fakeProvider, op, "", ErrNotSupported, nil)
}

func (f *fakeDriver) CreateNode(context.Context, *CreateNodeRequest) (*Node, error) {
	return nil, f.unsupported("CreateNode")
}
func (f *fakeDriver) RebootNode(context.Context, string) error  { return f.unsupported("RebootNode") }
func (f *fakeDriver) StartNode(context.Context, string) error   { return f.unsupported("StartNode") }
func (f *fakeDriver) StopNode(context.Context, string) error    { return f.unsupported("StopNode") }
func (f *fakeDriver) DestroyNode(context.Context, string) error { return f.unsupported("DestroyNode") }
func (f *fakeDriver) ListImages(context.Context, *Location) ([]*Image, error) {
	return nil, f.unsupported("ListImages")
}
func (f *fakeDriver) GetImage(context.Context, string) (*Image, error) {
	return nil, f.unsupported("GetImage")
}
func (f *fakeDriver) ListSizes(context.Context, *Location) ([]*Size, error) {
	return nil, f.unsupported("ListSizes")
}
func (f *fakeDriver) ListLocations(context.Context) ([]*Location, error) {
	return nil, f.unsupported("ListLocations")
}

// node returns a fake node.
func node(id string, state types.NodeState, public ...string) *Node {
	return &Node{ID: id, Name: "n" + id, State: state, PublicIPs: public, PrivateIPs: []string{"10.1.1.1"}, Provider: fakeProvider}
}

// gets returns a GetNode script step answering n or err.
func gets(n *Node, err error) func(string) (*Node, error) {
	return func(string) (*Node, error) { return n.Clone(), err }
}

// is returns a per-id GetNode script step answering n (nil: not found).
func is(n *Node) func() (*Node, error) {
	return func() (*Node, error) { return n.Clone(), nil }
}

// fails returns a per-id GetNode script step failing with kind.
func fails(kind error) func() (*Node, error) {
	return func() (*Node, error) { return nil, NewError(fakeProvider, "GetNode", "", kind, nil) }
}
