package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// pick returns the item whose id is ref or, failing that, the only one whose
// name is ref. No match gives an error matching compute.ErrNotFound that
// suggests the closest names; several items with that name give a usage
// error listing their ids.
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
		names := make([]string, 0, len(items))
		for _, it := range items {
			if n := name(it); n != "" {
				names = append(names, n)
			}
		}
		return zero, &notFoundError{msg: fmt.Sprintf("no %s has the id or name %q%s", kind, ref, didYouMean(closest(ref, names, 3)))}
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
	return pick("node", ref, nodes, func(n *compute.Node) string { return n.ID }, func(n *compute.Node) string { return n.Name })
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
	return pick("image", ref, images, func(i *compute.Image) string { return i.ID }, func(i *compute.Image) string { return i.Name })
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

// resolveKeyPair finds a key pair by name.
func resolveKeyPair(ctx context.Context, d compute.Driver, ref string) (*compute.KeyPair, error) {
	kp, err := compute.GetKeyPair(ctx, d, ref)
	if err == nil || !lookupMissed(err) {
		return kp, err
	}
	kps, lerr := compute.ListKeyPairs(ctx, d)
	if lerr != nil {
		return nil, lerr
	}
	return pick("key pair", ref, kps, func(k *compute.KeyPair) string { return k.Name }, func(k *compute.KeyPair) string { return k.Name })
}

// notFoundError is the CLI's own "no such resource" message; it matches
// compute.ErrNotFound (exit code 3) without repeating it in its text.
type notFoundError struct{ msg string }

// Error returns the message, with the closest names.
func (e *notFoundError) Error() string { return e.msg }

// Is reports whether target is compute.ErrNotFound.
func (e *notFoundError) Is(target error) bool { return target == compute.ErrNotFound }
