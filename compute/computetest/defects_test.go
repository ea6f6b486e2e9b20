package computetest_test

import (
	"context"
	"iter"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// The drivers below each break one rule of the portable API; the suite must
// fail each of them (TestRunConformanceTests_FailsBrokenDrivers).

// noVCPUs lists sizes without a CPU count.
type noVCPUs struct{ *dummy.Driver }

func (d *noVCPUs) ListSizes(ctx context.Context, loc *compute.Location) ([]*compute.Size, error) {
	sizes, err := d.Driver.ListSizes(ctx, loc)
	for _, s := range sizes {
		s.VCPUs = 0
	}
	return sizes, err
}

// withRequest passes a changed copy of the request to the dummy driver.
func withRequest(ctx context.Context, d *dummy.Driver, req *compute.CreateNodeRequest,
	change func(*compute.CreateNodeRequest)) (*compute.Node, error) {
	if req != nil {
		r := *req
		change(&r)
		req = &r
	}
	return d.CreateNode(ctx, req)
}

// dropsTags forgets the tags asked for.
type dropsTags struct{ *dummy.Driver }

func (d *dropsTags) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	return withRequest(ctx, d.Driver, req, func(r *compute.CreateNodeRequest) { r.Tags = nil })
}

// dropsUserData forgets the user data.
type dropsUserData struct{ *dummy.Driver }

func (d *dropsUserData) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	return withRequest(ctx, d.Driver, req, func(r *compute.CreateNodeRequest) { r.UserData = nil })
}

// acceptsHugeUserData silently truncates user data over the limit.
type acceptsHugeUserData struct{ *dummy.Driver }

func (d *acceptsHugeUserData) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	return withRequest(ctx, d.Driver, req, func(r *compute.CreateNodeRequest) {
		if len(r.UserData) > dummy.MaxUserData {
			r.UserData = r.UserData[:dummy.MaxUserData]
		}
	})
}

// notIdempotent ignores the IdempotencyKey.
type notIdempotent struct{ *dummy.Driver }

func (d *notIdempotent) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	return withRequest(ctx, d.Driver, req, func(r *compute.CreateNodeRequest) { r.IdempotencyKey = "" })
}

// iterIgnoresFilter streams every node whatever the filter.
type iterIgnoresFilter struct{ *dummy.Driver }

func (d *iterIgnoresFilter) IterNodes(ctx context.Context, _ *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return d.Driver.IterNodes(ctx, nil)
}

// iterSkipsLast loses the last node of the stream (an off-by-one in paging).
type iterSkipsLast struct{ *dummy.Driver }

func (d *iterSkipsLast) IterNodes(ctx context.Context, f *compute.NodeFilter) iter.Seq2[*compute.Node, error] {
	return func(yield func(*compute.Node, error) bool) {
		var held *compute.Node
		for n, err := range d.Driver.IterNodes(ctx, f) {
			if err != nil {
				yield(nil, err)
				return
			}
			if held != nil && !yield(held, nil) {
				return
			}
			held = n
		}
	}
}

// getNodesTooMany returns every node from GetNodes.
type getNodesTooMany struct{ *dummy.Driver }

func (d *getNodesTooMany) GetNodes(ctx context.Context, _ []string) ([]*compute.Node, error) {
	return d.Driver.ListNodes(ctx)
}

// throttledAsUnavailable reports a refusal for rate as ErrUnavailable.
type throttledAsUnavailable struct{ *dummy.Driver }

func (d *throttledAsUnavailable) ListNodes(ctx context.Context) ([]*compute.Node, error) {
	n, err := d.Driver.ListNodes(ctx)
	if err != nil && !isCtxErr(err) {
		return nil, compute.Errorf(types.ProviderDummy, "ListNodes", "", compute.ErrUnavailable, "try later")
	}
	return n, err
}

// registersKeyTwice imports the SSH key of every create under a new name.
type registersKeyTwice struct{ *dummy.Driver }

func (d *registersKeyTwice) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	if req != nil && req.Auth.SSHKey != "" {
		if _, err := d.Driver.ImportKeyPair(ctx, "again-"+req.Name, req.Auth.SSHKey); err != nil {
			return nil, err
		}
	}
	return d.Driver.CreateNode(ctx, req)
}

// resizeDoesNothing answers ResizeNode without resizing.
type resizeDoesNothing struct{ *dummy.Driver }

func (d *resizeDoesNothing) ResizeNode(ctx context.Context, id string, _ *compute.Size) (*compute.Node, error) {
	return d.Driver.GetNode(ctx, id)
}

// locationWithoutProvider lists locations without their provider.
type locationWithoutProvider struct{ *dummy.Driver }

func (d *locationWithoutProvider) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	locs, err := d.Driver.ListLocations(ctx)
	for _, l := range locs {
		l.Provider = ""
	}
	return locs, err
}

// keyPairWithoutID lists key pairs without their id.
type keyPairWithoutID struct{ *dummy.Driver }

func (d *keyPairWithoutID) ListKeyPairs(ctx context.Context) ([]*compute.KeyPair, error) {
	pairs, err := d.Driver.ListKeyPairs(ctx)
	for _, k := range pairs {
		k.ID = ""
	}
	return pairs, err
}

// passwordInName shows the password of a create in the node's name.
type passwordInName struct{ *dummy.Driver }

func (d *passwordInName) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	n, err := d.Driver.CreateNode(ctx, req)
	if err == nil && req.Auth.Password != "" {
		n.Name += " (password " + req.Auth.Password + ")"
	}
	return n, err
}
