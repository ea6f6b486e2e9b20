package vsphere

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// MaxUserData is the most user data CreateNode accepts, in bytes before
// base64: guestinfo values live in the VM's configuration file, which
// should stay small.
const MaxUserData = 64 * 1024

// CreateNodeOptions are the vSphere options of CreateNode, passed as
// compute.CreateNodeRequest.ProviderOptions (a *CreateNodeOptions or a
// CreateNodeOptions). Empty fields take the driver's Options.
type CreateNodeOptions struct {
	// Folder, ResourcePool and Datastore override the driver's placement
	// for this VM (see Options).
	Folder       string `mapstructure:"folder"`
	ResourcePool string `mapstructure:"resource_pool"`
	Datastore    string `mapstructure:"datastore"`
	// Annotation is the VM's notes.
	Annotation string `mapstructure:"annotation"`
	// NoPowerOn leaves the new VM powered off.
	NoPowerOn bool `mapstructure:"no_power_on"`
}

// CreateNode clones the template req.Image (by instance UUID) in the
// datacenter req.Location (default Options.Datacenter, else the first by
// name), gives the clone the CPU and memory of req.Size, sets the tags as
// custom attributes and powers the VM on. User data and an SSH key go to
// cloud-init through guestinfo (guestinfo.userdata and guestinfo.metadata,
// base64). The clone is awaited; when ctx ends first the clone task is
// cancelled, and a VM made anyway, or one whose tagging or power-on failed,
// is destroyed: a failed CreateNode leaves nothing behind. Passwords,
// networks and security groups are not supported (ErrNotSupported).
//
// VM names are unique in a folder: resending a create whose answer was lost
// fails with compute.ErrAlreadyExists rather than making a second VM
// (IdempotencyKey is not used).
func (d *Driver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	if err := req.Validate(provider, op, MaxUserData); err != nil {
		return nil, err
	}
	o, err := compute.ProviderOptionsOf[CreateNodeOptions](provider, op, req.ProviderOptions)
	if err != nil {
		return nil, err
	}
	switch {
	case req.Auth.Password != "":
		return nil, errorf(op, "", compute.ErrNotSupported, "vSphere cannot set a login password; pass an SSH key or user data")
	case len(req.Networks) > 0:
		return nil, errorf(op, "", compute.ErrNotSupported, "choosing networks is not supported yet; the clone keeps the template's")
	case len(req.SecurityGroups) > 0:
		return nil, errorf(op, "", compute.ErrNotSupported, "vSphere has no security groups")
	}
	size := d.size(req.Size.ID)
	if size == nil {
		return nil, errorf(op, req.Size.ID, compute.ErrNotFound, "no size %q in the catalogue", req.Size.ID)
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
	tmpl, err := getVM(ctx, vc, []*datacenter{dc}, req.Image.ID)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	if tmpl == nil || !tmpl.template {
		return nil, errorf(op, req.Image.ID, compute.ErrNotFound, "no template with instance UUID %q in datacenter %s", req.Image.ID, dc.name)
	}
	p, err := d.place(ctx, vc, dc, o)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	spec := types.VirtualMachineCloneSpec{
		Location: types.VirtualMachineRelocateSpec{Pool: &p.pool, Datastore: p.datastore},
	}
	taskRef, err := object.NewVirtualMachine(vc, tmpl.ref).Clone(ctx, p.folder, req.Name, spec)
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	info, err := d.await(ctx, vc, taskRef.Reference(), op, req.Name, func(ctx context.Context, result types.AnyType) {
		if ref, ok := result.(types.ManagedObjectReference); ok {
			d.destroyQuietly(ctx, vc, ref)
		}
	})
	if err != nil {
		return nil, d.wrap(ctx, op, "", err)
	}
	ref, ok := info.Result.(types.ManagedObjectReference)
	if !ok {
		return nil, errorf(op, "", compute.ErrInternal, "the clone task returned %T, not a VM", info.Result)
	}
	config := types.VirtualMachineConfigSpec{
		NumCPUs: int32(size.VCPUs), MemoryMB: int64(size.RAM), Annotation: o.Annotation,
		ExtraConfig: guestInfo(req),
	}
	if err := d.finishCreate(ctx, vc, ref, config, req, o); err != nil {
		cctx, cancel := d.cleanupContext()
		defer cancel()
		d.destroyQuietly(cctx, vc, ref)
		return nil, d.wrap(ctx, op, "", err)
	}
	objs, err := retrieveOne(ctx, vc, ref, vmProps)
	if err != nil || len(objs) == 0 {
		return nil, d.wrap(ctx, op, "", errors.Join(err, errors.New("the new VM cannot be read")))
	}
	v := decodeVM(&objs[0], dc)
	if v == nil {
		return nil, errorf(op, "", compute.ErrUnavailable, "the new VM %s has no configuration yet", ref.Value)
	}
	names, err := fieldNames(ctx, vc)
	if err != nil {
		return nil, d.wrap(ctx, op, v.instanceUUID, err)
	}
	return d.toNode(v, names), nil
}

// finishCreate gives the new VM its CPU, memory, notes and guestinfo (a
// reconfigure of the powered-off clone: vcsim ignores a clone spec's
// configuration, vCenter applies either), tags it and powers it on.
func (d *Driver) finishCreate(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference,
	config types.VirtualMachineConfigSpec, req *compute.CreateNodeRequest, o *CreateNodeOptions) error {
	vm := object.NewVirtualMachine(vc, ref)
	t, err := vm.Reconfigure(ctx, config)
	if err != nil {
		return err
	}
	if _, err := d.await(ctx, vc, t.Reference(), "Reconfigure", req.Name, nil); err != nil {
		return err
	}
	if err := setTags(ctx, vc, ref, req.Tags); err != nil {
		return err
	}
	if o.NoPowerOn {
		return nil
	}
	t, err = vm.PowerOn(ctx)
	if err != nil {
		return err
	}
	_, err = d.await(ctx, vc, t.Reference(), "PowerOn", req.Name, nil)
	return err
}

// guestInfo returns the cloud-init guestinfo keys for the request's user
// data and SSH key (cloud-init's VMware datasource), or nil.
func guestInfo(req *compute.CreateNodeRequest) []types.BaseOptionValue {
	if len(req.UserData) == 0 && req.Auth.SSHKey == "" {
		return nil
	}
	meta := map[string]any{"instance-id": req.Name, "local-hostname": req.Name}
	if req.Auth.SSHKey != "" {
		meta["public-keys"] = []string{req.Auth.SSHKey}
	}
	metaJSON, _ := json.Marshal(meta) // strings only: cannot fail
	opts := []types.BaseOptionValue{
		&types.OptionValue{Key: "guestinfo.metadata", Value: base64.StdEncoding.EncodeToString(metaJSON)},
		&types.OptionValue{Key: "guestinfo.metadata.encoding", Value: "base64"},
	}
	if len(req.UserData) > 0 {
		opts = append(opts,
			&types.OptionValue{Key: "guestinfo.userdata", Value: base64.StdEncoding.EncodeToString(req.UserData)},
			&types.OptionValue{Key: "guestinfo.userdata.encoding", Value: "base64"},
		)
	}
	return opts
}
