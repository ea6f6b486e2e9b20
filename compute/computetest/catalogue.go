package computetest

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

func testProvider(e *env) {
	p := e.d.Provider()
	if p == "" {
		e.t.Fatal("Provider() is empty")
	}
	if p != p.Normalize() {
		e.t.Errorf("Provider() = %q, want the normalized (lower-case, trimmed) form %q", p, p.Normalize())
	}
}

// catalogue lists twice and checks the list is non-empty, its ids are
// non-empty, unique and the same both times, and it holds want.
func catalogue[T any](e *env, op string, list func(context.Context) ([]*T, error), id func(*T) string, want string) []*T {
	e.t.Helper()
	first := try(list(e.ctx())).must(e.t, op)
	second := try(list(e.ctx())).must(e.t, op+" (again)")
	if len(first) == 0 {
		e.t.Fatalf("%s returned nothing", op)
	}
	ids := func(l []*T) map[string]bool {
		m := map[string]bool{}
		for _, v := range l {
			if id(v) == "" {
				e.t.Errorf("%s: an entry has no id: %+v", op, *v)
			}
			if m[id(v)] {
				e.t.Errorf("%s: id %q appears twice", op, id(v))
			}
			m[id(v)] = true
		}
		return m
	}
	a, b := ids(first), ids(second)
	if !maps.Equal(a, b) {
		e.t.Errorf("%s: ids differ between two calls: %v then %v", op, slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)))
	}
	if !a[want] {
		e.t.Errorf("%s: fixture id %q is not listed (ids: %s)", op, want, strings.Join(slices.Sorted(maps.Keys(a)), ", "))
	}
	return first
}

// fixtureLocation returns the fixture location as ListLocations gives it.
func (e *env) fixtureLocation() *compute.Location {
	e.t.Helper()
	locs := try(e.d.ListLocations(e.ctx())).must(e.t, "ListLocations")
	l := find(locs, func(l *compute.Location) string { return l.ID }, e.f.LocationID)
	if l == nil {
		e.t.Fatalf("fixture location %q is not listed", e.f.LocationID)
	}
	return l
}

func testListLocations(e *env) {
	locs := catalogue(e, "ListLocations", e.d.ListLocations, func(l *compute.Location) string { return l.ID }, e.f.LocationID)
	for _, l := range locs {
		if l.Name == "" {
			e.t.Errorf("location %q has no name", l.ID)
		}
	}
}

func testListImages(e *env) {
	imageID := func(i *compute.Image) string { return i.ID }
	catalogue(e, "ListImages", func(ctx context.Context) ([]*compute.Image, error) {
		return e.d.ListImages(ctx, nil)
	}, imageID, e.f.ImageID)
	loc := e.fixtureLocation()
	catalogue(e, "ListImages(location)", func(ctx context.Context) ([]*compute.Image, error) {
		return e.d.ListImages(ctx, loc)
	}, imageID, e.f.ImageID)
}

func testListSizes(e *env) {
	sizeID := func(s *compute.Size) string { return s.ID }
	sizes := catalogue(e, "ListSizes", func(ctx context.Context) ([]*compute.Size, error) {
		return e.d.ListSizes(ctx, nil)
	}, sizeID, e.f.SizeID)
	if s := find(sizes, sizeID, e.f.SizeID); s != nil && s.RAM <= 0 {
		e.t.Errorf("fixture size %q has RAM %d MB", s.ID, s.RAM)
	}
	if !e.caps.SizesWithoutVCPUs {
		for _, s := range sizes {
			if s.VCPUs <= 0 {
				e.t.Errorf("size %q (%s) has no VCPUs (%d); declare SizesWithoutVCPUs if the provider's sizes fix none", s.ID, s.Name, s.VCPUs)
			}
		}
	}
	loc := e.fixtureLocation()
	catalogue(e, "ListSizes(location)", func(ctx context.Context) ([]*compute.Size, error) {
		return e.d.ListSizes(ctx, loc)
	}, sizeID, e.f.SizeID)
}

func testGetImage(e *env) {
	listed := find(try(e.d.ListImages(e.ctx(), nil)).must(e.t, "ListImages"),
		func(i *compute.Image) string { return i.ID }, e.f.ImageID)
	if listed == nil {
		e.t.Fatalf("fixture image %q is not listed", e.f.ImageID)
	}
	got := try(e.d.GetImage(e.ctx(), e.f.ImageID)).must(e.t, "GetImage")
	if got.ID != listed.ID || got.Name != listed.Name || got.UUID() != listed.UUID() {
		e.t.Errorf("GetImage(%q) = {%q %q %s}, ListImages has {%q %q %s}",
			e.f.ImageID, got.ID, got.Name, got.UUID(), listed.ID, listed.Name, listed.UUID())
	}
}
