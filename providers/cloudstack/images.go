package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// CreateImage implements compute.ImageManager.CreateImage: a template of the
// node's root volume (createTemplate). A stopped VM's volume becomes the
// template directly; for a running VM the driver snapshots the root volume
// (createSnapshot), makes the template from the snapshot and deletes the
// snapshot. The template keeps the VM's OS type and is password-enabled
// when the VM was.
func (d *Driver) CreateImage(ctx context.Context, nodeID, name, description string) (*compute.Image, error) {
	const op = "CreateImage"
	if strings.TrimSpace(name) == "" {
		return nil, d.errorf(op, nodeID, compute.ErrInvalidArgument, "a name is required")
	}
	vm, err := d.getVM(ctx, op, nodeID, "", false)
	if err != nil {
		return nil, err
	}
	vols, err := listAll[Volume](ctx, d, op, "listVolumes",
		url.Values{"virtualmachineid": {vm.ID}, "type": {"ROOT"}, "listall": {"true"}}, "volume")
	if err != nil {
		return nil, d.withID(err, nodeID)
	}
	var root *Volume
	for i := range vols {
		if strings.EqualFold(vols[i].Type, "ROOT") && vols[i].VirtualMachineID == vm.ID {
			root = &vols[i]
			break
		}
	}
	if root == nil {
		return nil, d.errorf(op, nodeID, compute.ErrConflict, "virtual machine %q has no root volume", nodeID)
	}
	if description == "" {
		description = name
	}
	osType := vm.GuestOSID
	if osType == "" {
		osType = vm.OSTypeID
	}
	p := url.Values{"name": {name}, "displaytext": {description}}
	if osType != "" {
		p.Set("ostypeid", osType)
	}
	if vm.PasswordEnabled {
		p.Set("passwordenabled", "true")
	}
	if vm.ProjectID != "" {
		p.Set("projectid", vm.ProjectID)
	}
	var snapshotID string
	if strings.EqualFold(vm.State, "Stopped") {
		p.Set("volumeid", root.ID)
	} else {
		var s Snapshot
		if err := d.callAsync(ctx, op, "createSnapshot", url.Values{"volumeid": {root.ID}}, "snapshot", &s); err != nil {
			return nil, d.withID(err, nodeID)
		}
		snapshotID = s.ID
		p.Set("snapshotid", s.ID)
	}
	var t Template
	err = d.callAsync(ctx, op, "createTemplate", p, "template", &t)
	if snapshotID != "" {
		// The template is a copy: the intermediate snapshot is not needed.
		if derr := d.callAsync(context.WithoutCancel(ctx), op, "deleteSnapshot", url.Values{"id": {snapshotID}}, "", nil); derr != nil && d.logger != nil {
			d.logger.Warn("cloudstack: CreateImage could not delete its intermediate snapshot",
				"snapshot", snapshotID, "error", derr.Error())
		}
	}
	if err != nil {
		return nil, d.withID(err, nodeID)
	}
	if t.Name == "" {
		t.Name = name
	}
	return d.toImage(&t), nil
}

// DeleteImage implements compute.ImageManager.DeleteImage (deleteTemplate in
// every zone, waiting for the job).
func (d *Driver) DeleteImage(ctx context.Context, imageID string) error {
	const op = "DeleteImage"
	if strings.TrimSpace(imageID) == "" {
		return d.errorf(op, imageID, compute.ErrInvalidArgument, "empty image id")
	}
	return d.callAsync(ctx, op, "deleteTemplate", url.Values{"id": {imageID}}, "", nil)
}
