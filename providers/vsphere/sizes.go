package vsphere

import (
	"context"

	"github.com/goclouds/goclouds/compute"
)

// catalogue builds the size list from the profiles (DefaultSizes when
// none).
func catalogue(profiles []Size) []*compute.Size {
	if len(profiles) == 0 {
		profiles = DefaultSizes
	}
	out := make([]*compute.Size, 0, len(profiles))
	for _, p := range profiles {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		out = append(out, &compute.Size{ID: p.ID, Name: name, VCPUs: p.VCPUs, RAM: p.RAM, Provider: provider})
	}
	return out
}

// ListSizes returns the size catalogue (Options.Sizes or DefaultSizes); it
// is the same in every location. It makes no call to the server.
func (d *Driver) ListSizes(ctx context.Context, _ *compute.Location) ([]*compute.Size, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]*compute.Size, len(d.sizes))
	for i, s := range d.sizes {
		out[i] = s.Clone()
	}
	return out, nil
}

// size returns the catalogue entry with the id, or nil.
func (d *Driver) size(id string) *compute.Size {
	for _, s := range d.sizes {
		if s.ID == id {
			return s.Clone()
		}
	}
	return nil
}

// sizeOf returns the catalogue entry with the CPU and memory, or nil when
// the VM matches none.
func (d *Driver) sizeOf(cpus, memoryMB int) *compute.Size {
	for _, s := range d.sizes {
		if s.VCPUs == cpus && s.RAM == memoryMB {
			return s.Clone()
		}
	}
	return nil
}
