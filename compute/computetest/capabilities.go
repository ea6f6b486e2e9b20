package computetest

import (
	"context"
	"errors"

	"github.com/goclouds/goclouds/compute"
)

// testCapabilities checks the declared capabilities against the driver: a
// declared one must be implemented (through any wrappers; for UserData, by
// the harness, a UserDataReader); an undeclared one
// the driver lacks must make the portable helper fail with ErrNotSupported;
// dependent capabilities need their base.
func testCapabilities(e *env) {
	raw, ctx := e.d.inner, e.ctx()
	_, hasVolumes := compute.As[compute.VolumeManager](raw)
	_, hasResize := compute.As[compute.VolumeResizer](raw)
	_, hasSnapshots := compute.As[compute.SnapshotManager](raw)
	_, hasKeyPairs := compute.As[compute.KeyPairManager](raw)
	_, hasImages := compute.As[compute.ImageManager](raw)
	_, hasResizer := compute.As[compute.NodeResizer](raw)
	_, reader := e.h.(UserDataReader)
	caps := []struct {
		name          string
		declared, has bool
		needs         string // a capability this one needs, or ""
		needsOK       bool   // whether that one is declared
		helper        func(context.Context) error
	}{
		{"Volumes", e.caps.Volumes, hasVolumes, "", true, func(ctx context.Context) error {
			_, err := compute.ListVolumes(ctx, raw)
			return err
		}},
		{"VolumeResize", e.caps.VolumeResize, hasResize, "Volumes", e.caps.Volumes, func(ctx context.Context) error {
			_, err := compute.ResizeVolume(ctx, raw, e.f.MissingID, 1)
			return err
		}},
		{"Snapshots", e.caps.Snapshots, hasSnapshots, "Volumes", e.caps.Volumes, func(ctx context.Context) error {
			_, err := compute.ListVolumeSnapshots(ctx, raw, "")
			return err
		}},
		{"VolumesFromSnapshots", e.caps.VolumesFromSnapshots, hasSnapshots && hasVolumes, "Snapshots", e.caps.Snapshots, nil},
		{"KeyPairs", e.caps.KeyPairs, hasKeyPairs, "", true, func(ctx context.Context) error {
			_, err := compute.ListKeyPairs(ctx, raw)
			return err
		}},
		{"Images", e.caps.Images, hasImages, "", true, func(ctx context.Context) error {
			return compute.DeleteImage(ctx, raw, e.f.MissingID)
		}},
		{"NodeResize", e.caps.NodeResize, hasResizer, "", true, func(ctx context.Context) error {
			_, err := compute.ResizeNode(ctx, raw, e.f.MissingID, &compute.Size{ID: e.f.SizeID})
			return err
		}},
		{"UserData", e.caps.UserData, reader, "", true, nil},
	}
	for _, c := range caps {
		switch {
		case c.declared && !c.has:
			e.t.Errorf("capability %s is declared but the driver (%T) does not implement its interface", c.name, raw)
		case c.declared && !c.needsOK:
			e.t.Errorf("capability %s is declared without %s", c.name, c.needs)
		case !c.declared && c.has:
			e.t.Logf("the driver implements the interface of %s but the harness does not declare it: not tested", c.name)
		case !c.declared && c.helper != nil:
			if err := c.helper(ctx); !errors.Is(err, compute.ErrNotSupported) {
				e.t.Errorf("capability %s: the portable helper returned %v, want an error matching ErrNotSupported", c.name, err)
			}
		}
	}
}
