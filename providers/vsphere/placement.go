package vsphere

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// placement is where a new VM goes.
type placement struct {
	folder    *object.Folder
	pool      types.ManagedObjectReference
	datastore *types.ManagedObjectReference // nil: the template's
}

// chooseDatacenter returns the datacenter a request names (by id or name),
// else Options.Datacenter, else the first by name.
func (d *Driver) chooseDatacenter(dcs []*datacenter, loc *compute.Location, op string) (*datacenter, error) {
	key := d.opts.Datacenter
	if loc != nil && loc.ID != "" {
		key = loc.ID
	}
	if key == "" {
		if len(dcs) == 0 {
			return nil, errorf(op, "", compute.ErrNotFound, "the inventory has no datacenter")
		}
		return dcs[0], nil
	}
	if dc := findDatacenter(dcs, key); dc != nil {
		return dc, nil
	}
	return nil, errorf(op, key, compute.ErrNotFound, "no datacenter %q", key)
}

// place resolves the folder, resource pool and datastore in dc: the
// request's options, else the driver's, else the defaults (root VM folder,
// root resource pool of the first cluster or host by name, the template's
// datastore).
func (d *Driver) place(ctx context.Context, vc *vim25.Client, dc *datacenter, o *CreateNodeOptions) (*placement, error) {
	f := find.NewFinder(vc, false)
	f.SetDatacenter(object.NewDatacenter(vc, dc.ref))
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	p := &placement{folder: object.NewFolder(vc, dc.vmFolder)}
	if path := pick(o.Folder, d.opts.Folder); path != "" {
		folder, err := f.Folder(ctx, path)
		if err != nil {
			return nil, notFound("folder", path, err)
		}
		p.folder = folder
	}
	if path := pick(o.ResourcePool, d.opts.ResourcePool); path != "" {
		pool, err := f.ResourcePool(ctx, path)
		if err != nil {
			return nil, notFound("resource pool", path, err)
		}
		p.pool = pool.Reference()
	} else {
		crs, err := f.ComputeResourceList(ctx, "*")
		if err != nil {
			return nil, notFound("cluster or host", "*", err)
		}
		slices.SortFunc(crs, func(a, b *object.ComputeResource) int { return strings.Compare(a.Name(), b.Name()) })
		pool, err := crs[0].ResourcePool(ctx)
		if err != nil {
			return nil, err
		}
		p.pool = pool.Reference()
	}
	if name := pick(o.Datastore, d.opts.Datastore); name != "" {
		ds, err := f.Datastore(ctx, name)
		if err != nil {
			return nil, notFound("datastore", name, err)
		}
		ref := ds.Reference()
		p.datastore = &ref
	}
	return p, nil
}

// notFound turns a finder's NotFoundError for the named thing into an
// error matching compute.ErrNotFound; other errors pass.
func notFound(what, path string, err error) error {
	var nf *find.NotFoundError
	if errors.As(err, &nf) {
		return kindError{kind: compute.ErrNotFound, err: fmt.Errorf("%s %q: %w", what, path, err)}
	}
	return err
}
