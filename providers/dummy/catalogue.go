package dummy

import (
	"context"
	"slices"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// The catalogue is Libcloud's DummyNodeDriver's, value for value, with
// VCPUs (Libcloud's dummy sizes have none): 1, 1, 2 and 4, as a cloud's
// general-purpose sizes of that memory would have.

func builtinImages() []*compute.Image {
	return []*compute.Image{
		{ID: "1", Name: "Ubuntu 9.10", Provider: types.ProviderDummy},
		{ID: "2", Name: "Ubuntu 9.04", Provider: types.ProviderDummy},
		{ID: "3", Name: "Slackware 4", Provider: types.ProviderDummy},
	}
}

func builtinSizes() []*compute.Size {
	return []*compute.Size{
		{ID: "1", Name: "Small", VCPUs: 1, RAM: 128, Disk: 4, Bandwidth: 500, Price: 4, Provider: types.ProviderDummy},
		{ID: "2", Name: "Medium", VCPUs: 1, RAM: 512, Disk: 16, Bandwidth: 1500, Price: 8, Provider: types.ProviderDummy},
		{ID: "3", Name: "Big", VCPUs: 2, RAM: 4096, Disk: 32, Bandwidth: 2500, Price: 32, Provider: types.ProviderDummy},
		{ID: "4", Name: "XXL Big", VCPUs: 4, RAM: 8192, Disk: 128, Bandwidth: 7500, Price: 64, Provider: types.ProviderDummy},
	}
}

func builtinLocations() []*compute.Location {
	return []*compute.Location{
		{ID: "1", Name: "Paul's Room", Country: "US", Provider: types.ProviderDummy},
		{ID: "2", Name: "London Loft", Country: "GB", Provider: types.ProviderDummy},
		{ID: "3", Name: "Island Datacenter", Country: "FJ", Provider: types.ProviderDummy},
	}
}

// ListImages implements [compute.Driver.ListImages]: Libcloud's three images
// followed by those made with CreateImage. Every image is usable in every
// location; an unknown location gives ErrInvalidArgument.
func (d *Driver) ListImages(ctx context.Context, location *compute.Location) ([]*compute.Image, error) {
	return listIn(ctx, d, "ListImages", location, &d.images, (*compute.Image).Clone)
}

// GetImage implements [compute.Driver.GetImage].
func (d *Driver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	const op = "GetImage"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	img := d.findImage(id)
	if img == nil {
		return nil, notFound(op, "image", id)
	}
	return img.Clone(), nil
}

// ListSizes implements [compute.Driver.ListSizes]: Libcloud's four sizes,
// offered in every location; an unknown location gives ErrInvalidArgument.
func (d *Driver) ListSizes(ctx context.Context, location *compute.Location) ([]*compute.Size, error) {
	return listIn(ctx, d, "ListSizes", location, &d.sizes, (*compute.Size).Clone)
}

// listIn lists copies of *items (read under d.mu: CreateImage appends to
// d.images) after checking location, as ListImages and ListSizes.
func listIn[T any](ctx context.Context, d *Driver, op string, location *compute.Location,
	items *[]*T, clone func(*T) *T) ([]*T, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, op); err != nil {
		return nil, err
	}
	if _, err := d.lookupLocation(op, location, false); err != nil {
		return nil, err
	}
	return cloneAll(*items, clone), nil
}

// ListLocations implements [compute.Driver.ListLocations]: Libcloud's three
// locations.
func (d *Driver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.enter(ctx, "ListLocations"); err != nil {
		return nil, err
	}
	return cloneAll(d.locations, (*compute.Location).Clone), nil
}

func (d *Driver) findImage(id string) *compute.Image {
	i := slices.IndexFunc(d.images, func(img *compute.Image) bool { return img.ID == id })
	if i < 0 {
		return nil
	}
	return d.images[i]
}

// lookupLocation resolves a location named in a request. nil gives the
// first location when defaultFirst, else nil; an unknown id gives
// ErrInvalidArgument.
func (d *Driver) lookupLocation(op string, l *compute.Location, defaultFirst bool) (*compute.Location, error) {
	if l == nil {
		if defaultFirst {
			return d.locations[0], nil
		}
		return nil, nil
	}
	for _, loc := range d.locations {
		if loc.ID == l.ID {
			return loc, nil
		}
	}
	return nil, invalid(op, "", "unknown location %q", l.ID)
}

func cloneAll[T any](in []*T, clone func(*T) *T) []*T {
	out := make([]*T, len(in))
	for i, v := range in {
		out[i] = clone(v)
	}
	return out
}
