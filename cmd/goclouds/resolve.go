package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// pick returns the item whose id is ref or, failing that, the only one whose
// name is ref. No match gives an error matching compute.ErrNotFound; several
// items with that name give a usage error listing their ids.
func pick[T any](kind, ref string, items []T, id, name func(T) string) (T, error) {
	var zero T
	for _, it := range items {
		if id(it) == ref {
			return it, nil
		}
	}
	var found []T
	for _, it := range items {
		if name(it) == ref {
			found = append(found, it)
		}
	}
	switch len(found) {
	case 0:
		return zero, fmt.Errorf("no %s has the id or name %q: %w", kind, ref, compute.ErrNotFound)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, it := range found {
		ids[i] = id(it)
	}
	return zero, usageErrorf("%d %ss are named %q (ids %s): give an id", len(found), kind, ref, strings.Join(ids, ", "))
}

// lookupMissed reports whether a get by id failed because ref is not an id
// (not found, or malformed as an id), so a lookup by name may find it.
func lookupMissed(err error) bool {
	return errors.Is(err, compute.ErrNotFound) || errors.Is(err, compute.ErrInvalidArgument)
}

// resolveNode finds a node by id or, failing that, by its unique name.
func resolveNode(ctx context.Context, d compute.Driver, ref string) (*compute.Node, error) {
	n, err := d.GetNode(ctx, ref)
	if err == nil || !lookupMissed(err) {
		return n, err
	}
	nodes, lerr := d.ListNodes(ctx)
	if lerr != nil {
		return nil, lerr
	}
	n, perr := pick("node", ref, nodes, func(n *compute.Node) string { return n.ID }, func(n *compute.Node) string { return n.Name })
	if errors.Is(perr, compute.ErrNotFound) {
		return nil, err // the driver's own not-found error names the id
	}
	return n, perr
}

// resolveImage finds an image by id or, failing that, by its unique name.
func resolveImage(ctx context.Context, d compute.Driver, ref string, loc *compute.Location) (*compute.Image, error) {
	img, err := d.GetImage(ctx, ref)
	if err == nil || !lookupMissed(err) {
		return img, err
	}
	images, lerr := d.ListImages(ctx, loc)
	if lerr != nil {
		return nil, lerr
	}
	img, perr := pick("image", ref, images, func(i *compute.Image) string { return i.ID }, func(i *compute.Image) string { return i.Name })
	if errors.Is(perr, compute.ErrNotFound) {
		return nil, err
	}
	return img, perr
}

// resolveSize finds a size by id or unique name.
func resolveSize(ctx context.Context, d compute.Driver, ref string, loc *compute.Location) (*compute.Size, error) {
	sizes, err := d.ListSizes(ctx, loc)
	if err != nil {
		return nil, err
	}
	return pick("size", ref, sizes, func(s *compute.Size) string { return s.ID }, func(s *compute.Size) string { return s.Name })
}

// resolveLocation finds a location by id or unique name; "" gives nil (the
// provider's choice).
func resolveLocation(ctx context.Context, d compute.Driver, ref string) (*compute.Location, error) {
	if ref == "" {
		return nil, nil
	}
	locs, err := d.ListLocations(ctx)
	if err != nil {
		return nil, err
	}
	return pick("location", ref, locs, func(l *compute.Location) string { return l.ID }, func(l *compute.Location) string { return l.Name })
}

// resolveVolume finds a volume by id or unique name.
func resolveVolume(ctx context.Context, d compute.Driver, ref string) (*compute.Volume, error) {
	vols, err := compute.ListVolumes(ctx, d)
	if err != nil {
		return nil, err
	}
	return pick("volume", ref, vols, func(v *compute.Volume) string { return v.ID }, func(v *compute.Volume) string { return v.Name })
}
