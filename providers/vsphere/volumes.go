package vsphere

import (
	"context"
	"slices"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vslm"

	"github.com/goclouds/goclouds/compute"
	gtypes "github.com/goclouds/goclouds/types"
)

// Volumes are first class disks (FCDs, vSphere 6.5 and later: virtual
// disks with an identity of their own, managed by the
// VStorageObjectManager). A volume's ID is the disk's id (a UUID); its
// node is the VM listed as its consumer.

// fcd is a first class disk and the datastore holding it.
type fcd struct {
	obj *types.VStorageObject
	ds  types.ManagedObjectReference
	dc  *datacenter
}

// datastoresOf returns the datastores of the datacenter, sorted by name.
func datastoresOf(ctx context.Context, vc *vim25.Client, dc *datacenter) ([]types.ObjectContent, error) {
	objs, err := retrieve(ctx, vc, dc.dsFolder, "Datastore", []string{"name"})
	if err != nil {
		return nil, err
	}
	name := func(o types.ObjectContent) string {
		if len(o.PropSet) > 0 {
			s, _ := o.PropSet[0].Val.(string)
			return s
		}
		return ""
	}
	slices.SortFunc(objs, func(a, b types.ObjectContent) int { return strings.Compare(name(a), name(b)) })
	return objs, nil
}

// listFCDs returns every first class disk of every datacenter.
func listFCDs(ctx context.Context, vc *vim25.Client) ([]*fcd, error) {
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, err
	}
	m := vslm.NewObjectManager(vc)
	out := []*fcd{}
	for _, dc := range dcs {
		dss, err := datastoresOf(ctx, vc, dc)
		if err != nil {
			return nil, err
		}
		for _, ds := range dss {
			ids, err := m.List(ctx, ds.Obj)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				obj, err := m.Retrieve(ctx, ds.Obj, id.Id)
				if _, gone := faultOf(err).(*types.NotFound); gone {
					continue // deleted meanwhile
				}
				if err != nil {
					return nil, err
				}
				out = append(out, &fcd{obj: obj, ds: ds.Obj, dc: dc})
			}
		}
	}
	return out, nil
}

// lookupFCD returns the disk with the id, or an ErrNotFound error.
func (d *Driver) lookupFCD(ctx context.Context, op, id string) (*vim25.Client, *fcd, error) {
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, nil, err
	}
	all, err := listFCDs(ctx, vc)
	if err != nil {
		return nil, nil, d.wrap(ctx, op, id, err)
	}
	for _, f := range all {
		if f.obj.Config.Id.Id == id {
			return vc, f, nil
		}
	}
	return nil, nil, errorf(op, id, compute.ErrNotFound, "no volume (first class disk) %q", id)
}

// consumers maps BIOS and instance UUIDs of VMs to their instance UUID and
// reference, for the consumers of disks.
func consumers(ctx context.Context, vc *vim25.Client) (map[string]*vmInfo, error) {
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, err
	}
	out := map[string]*vmInfo{}
	for _, dc := range dcs {
		vms, err := listVMs(ctx, vc, dc)
		if err != nil {
			return nil, err
		}
		for _, v := range vms {
			out[v.instanceUUID] = v
			if v.biosUUID != "" {
				out[v.biosUUID] = v
			}
		}
	}
	return out, nil
}

// consumer returns the VM the disk is attached to, or nil.
func consumer(f *fcd, vms map[string]*vmInfo) *vmInfo {
	for _, c := range f.obj.Config.ConsumerId {
		if v := vms[c.Id]; v != nil {
			return v
		}
	}
	return nil
}

// toVolume maps a disk to a volume.
func toVolume(f *fcd, vm *vmInfo) *compute.Volume {
	v := &compute.Volume{
		ID: f.obj.Config.Id.Id, Name: f.obj.Config.Name, Size: int(f.obj.Config.CapacityInMB / 1024),
		State: gtypes.VolumeStateAvailable, Provider: provider,
		Extra: map[string]any{"datastore": f.ds.Value, "capacity_mb": f.obj.Config.CapacityInMB, "datacenter": f.dc.name},
	}
	if vm != nil {
		v.State, v.NodeID = gtypes.VolumeStateInUse, vm.instanceUUID
	}
	return v
}

// ListVolumes returns the first class disks of every datastore.
func (d *Driver) ListVolumes(ctx context.Context) ([]*compute.Volume, error) {
	const op = "ListVolumes"
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, err
	}
	all, err := listFCDs(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	var vms map[string]*vmInfo
	out := make([]*compute.Volume, 0, len(all))
	for _, f := range all {
		if len(f.obj.Config.ConsumerId) > 0 && vms == nil {
			if vms, err = consumers(ctx, vc); err != nil {
				return nil, d.wrap(ctx, op, "", err)
			}
		}
		out = append(out, toVolume(f, consumer(f, vms)))
	}
	return out, nil
}

// CreateVolume creates a thin first class disk of req.Size GB on the
// datastore Options.Datastore, else the first datastore by name of the
// location's datacenter (default as CreateNode's). Volumes from snapshots
// are not supported.
func (d *Driver) CreateVolume(ctx context.Context, req *compute.CreateVolumeRequest) (*compute.Volume, error) {
	const op = "CreateVolume"
	switch {
	case req == nil:
		return nil, errorf(op, "", compute.ErrInvalidArgument, "the request is nil")
	case strings.TrimSpace(req.Name) == "":
		return nil, errorf(op, "", compute.ErrInvalidArgument, "a name is required")
	case req.SnapshotID != "":
		return nil, errorf(op, req.SnapshotID, compute.ErrNotSupported, "volumes from snapshots are not supported")
	case req.Size <= 0:
		return nil, errorf(op, "", compute.ErrInvalidArgument, "size %d GB: a size > 0 is required", req.Size)
	}
	vc, err := d.client(ctx, op)
	if err != nil {
		return nil, err
	}
	dcs, err := datacenters(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	dc, err := d.chooseDatacenter(dcs, req.Location, op)
	if err != nil {
		return nil, err
	}
	dss, err := datastoresOf(ctx, vc, dc)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	var ds *types.ManagedObjectReference
	for i, o := range dss {
		name, _ := o.PropSet[0].Val.(string)
		if d.opts.Datastore == "" || d.opts.Datastore == name || d.opts.Datastore == o.Obj.Value {
			ds = &dss[i].Obj
			break
		}
	}
	if ds == nil {
		return nil, errorf(op, d.opts.Datastore, compute.ErrNotFound, "no datastore %q in datacenter %s", d.opts.Datastore, dc.name)
	}
	t, err := vslm.NewObjectManager(vc).CreateDisk(ctx, types.VslmCreateSpec{
		Name: req.Name, CapacityInMB: int64(req.Size) * 1024,
		BackingSpec: &types.VslmCreateSpecDiskFileBackingSpec{
			VslmCreateSpecBackingSpec: types.VslmCreateSpecBackingSpec{Datastore: *ds},
			ProvisioningType:          string(types.BaseConfigInfoDiskFileBackingInfoProvisioningTypeThin),
		},
	})
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	info, err := d.await(ctx, vc, t.Reference(), op, req.Name, func(ctx context.Context, result types.AnyType) {
		if obj, ok := result.(types.VStorageObject); ok {
			if t, err := vslm.NewObjectManager(vc).Delete(ctx, *ds, obj.Config.Id.Id); err == nil {
				_ = t.Wait(ctx)
			}
		}
	})
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	obj, ok := info.Result.(types.VStorageObject)
	if !ok {
		return nil, errorf(op, "", compute.ErrInternal, "the create task returned %T, not a disk", info.Result)
	}
	return toVolume(&fcd{obj: &obj, ds: *ds, dc: dc}, nil), nil
}

// AttachVolume attaches the disk to the VM (AttachDisk); device is not
// used (vSphere picks the controller and unit). An attached disk gives
// compute.ErrConflict.
func (d *Driver) AttachVolume(ctx context.Context, volumeID, nodeID, _ string) error {
	const op = "AttachVolume"
	vc, f, err := d.lookupFCD(ctx, op, volumeID)
	if err != nil {
		return err
	}
	if len(f.obj.Config.ConsumerId) > 0 {
		return errorf(op, volumeID, compute.ErrConflict, "volume %q is attached already", volumeID)
	}
	_, v, err := d.lookupVM(ctx, op, nodeID, false)
	if err != nil {
		return err
	}
	res, err := methods.AttachDisk_Task(ctx, vc, &types.AttachDisk_Task{
		This: v.ref, DiskId: types.ID{Id: volumeID}, Datastore: f.ds,
	})
	if err != nil {
		return d.wrap(ctx, op, volumeID, err)
	}
	return d.finishTask(ctx, vc, object.NewTask(vc, res.Returnval), nil, op, volumeID)
}

// DetachVolume detaches the disk from its VM (DetachDisk). A detached disk
// gives compute.ErrConflict.
func (d *Driver) DetachVolume(ctx context.Context, volumeID string) error {
	const op = "DetachVolume"
	vc, f, err := d.lookupFCD(ctx, op, volumeID)
	if err != nil {
		return err
	}
	if len(f.obj.Config.ConsumerId) == 0 {
		return errorf(op, volumeID, compute.ErrConflict, "volume %q is not attached", volumeID)
	}
	vms, err := consumers(ctx, vc)
	if err != nil {
		return d.wrap(ctx, op, volumeID, err)
	}
	vm := consumer(f, vms)
	if vm == nil {
		return errorf(op, volumeID, compute.ErrNotFound, "the VM volume %q is attached to is gone", volumeID)
	}
	res, err := methods.DetachDisk_Task(ctx, vc, &types.DetachDisk_Task{This: vm.ref, DiskId: types.ID{Id: volumeID}})
	if err != nil {
		return d.wrap(ctx, op, volumeID, err)
	}
	return d.finishTask(ctx, vc, object.NewTask(vc, res.Returnval), nil, op, volumeID)
}

// DestroyVolume deletes the disk. An attached disk gives
// compute.ErrConflict.
func (d *Driver) DestroyVolume(ctx context.Context, volumeID string) error {
	const op = "DestroyVolume"
	vc, f, err := d.lookupFCD(ctx, op, volumeID)
	if err != nil {
		return err
	}
	if len(f.obj.Config.ConsumerId) > 0 {
		return errorf(op, volumeID, compute.ErrConflict, "volume %q is attached; detach it first", volumeID)
	}
	t, err := vslm.NewObjectManager(vc).Delete(ctx, f.ds, volumeID)
	return d.finishTask(ctx, vc, t, err, op, volumeID)
}
