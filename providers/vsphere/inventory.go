package vsphere

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// datacenter is a datacenter as the driver uses it.
type datacenter struct {
	ref      types.ManagedObjectReference
	name     string
	vmFolder types.ManagedObjectReference
	dsFolder types.ManagedObjectReference
}

// vmProps are the properties the driver reads of every VM.
var vmProps = []string{
	"name", "config.instanceUuid", "config.uuid", "config.template", "config.hardware.numCPU",
	"config.hardware.memoryMB", "config.createDate", "config.annotation", "runtime.powerState",
	"guest.ipAddress", "guest.net", "guest.toolsRunningStatus", "customValue",
}

// vmInfo is what the driver knows of a VM or template.
type vmInfo struct {
	ref          types.ManagedObjectReference
	dc           *datacenter
	name         string
	instanceUUID string
	biosUUID     string
	template     bool
	cpus         int
	memoryMB     int
	created      time.Time
	annotation   string
	power        types.VirtualMachinePowerState
	ipAddress    string
	guestIPs     []string
	toolsRunning bool
	custom       map[int32]string
}

// folderTraversal walks folders (and vApps) down to their VMs, for a
// single RetrievePropertiesEx from a folder.
var folderTraversal = []types.BaseSelectionSpec{
	&types.TraversalSpec{
		SelectionSpec: types.SelectionSpec{Name: "folder"}, Type: "Folder", Path: "childEntity",
		SelectSet: []types.BaseSelectionSpec{&types.SelectionSpec{Name: "folder"}, &types.SelectionSpec{Name: "vapp"}},
	},
	&types.TraversalSpec{
		SelectionSpec: types.SelectionSpec{Name: "vapp"}, Type: "VirtualApp", Path: "vm",
	},
}

// retrieve collects the properties of the objects of kind reachable from
// root through folders.
func retrieve(ctx context.Context, vc *vim25.Client, root types.ManagedObjectReference, kind string, props []string) ([]types.ObjectContent, error) {
	req := types.RetrieveProperties{SpecSet: []types.PropertyFilterSpec{{
		ObjectSet: []types.ObjectSpec{{Obj: root, Skip: types.NewBool(true), SelectSet: folderTraversal}},
		PropSet:   []types.PropertySpec{{Type: kind, PathSet: props}},
	}}}
	res, err := property.DefaultCollector(vc).RetrieveProperties(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Returnval, nil
}

// datacenters lists the datacenters, sorted by name.
func datacenters(ctx context.Context, vc *vim25.Client) ([]*datacenter, error) {
	objs, err := retrieve(ctx, vc, vc.ServiceContent.RootFolder, "Datacenter", []string{"name", "vmFolder", "datastoreFolder"})
	if err != nil {
		return nil, err
	}
	out := make([]*datacenter, 0, len(objs))
	for _, o := range objs {
		dc := &datacenter{ref: o.Obj}
		for _, p := range o.PropSet {
			switch p.Name {
			case "name":
				dc.name, _ = p.Val.(string)
			case "vmFolder":
				dc.vmFolder, _ = p.Val.(types.ManagedObjectReference)
			case "datastoreFolder":
				dc.dsFolder, _ = p.Val.(types.ManagedObjectReference)
			}
		}
		out = append(out, dc)
	}
	slices.SortFunc(out, func(a, b *datacenter) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// findDatacenter returns the datacenter whose managed object id or name is
// key, or nil.
func findDatacenter(dcs []*datacenter, key string) *datacenter {
	for _, dc := range dcs {
		if dc.ref.Value == key {
			return dc
		}
	}
	for _, dc := range dcs {
		if dc.name == key {
			return dc
		}
	}
	return nil
}

// listVMs returns the VMs and templates of the datacenter.
func listVMs(ctx context.Context, vc *vim25.Client, dc *datacenter) ([]*vmInfo, error) {
	objs, err := retrieve(ctx, vc, dc.vmFolder, "VirtualMachine", vmProps)
	if err != nil {
		return nil, err
	}
	out := make([]*vmInfo, 0, len(objs))
	for i := range objs {
		if v := decodeVM(&objs[i], dc); v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// getVM returns the VM or template whose instance UUID is id, looking in
// each datacenter; nil when there is none.
func getVM(ctx context.Context, vc *vim25.Client, dcs []*datacenter, id string) (*vmInfo, error) {
	if !looksLikeUUID(id) {
		return nil, nil // the server would answer InvalidArgument
	}
	for _, dc := range dcs {
		ref, err := findByInstanceUUID(ctx, vc, dc, id)
		if err != nil {
			return nil, err
		}
		if ref == nil {
			continue
		}
		var objs []types.ObjectContent
		objs, err = retrieveOne(ctx, vc, *ref, vmProps)
		if err != nil {
			return nil, err
		}
		if len(objs) == 0 {
			return nil, nil
		}
		return decodeVM(&objs[0], dc), nil
	}
	return nil, nil
}

// retrieveOne collects properties of one object.
func retrieveOne(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference, props []string) ([]types.ObjectContent, error) {
	var objs []types.ObjectContent
	err := property.DefaultCollector(vc).Retrieve(ctx, []types.ManagedObjectReference{ref}, props, &objs)
	return objs, err
}

// looksLikeUUID reports whether s has a UUID's shape (36 characters, hex
// digits and dashes).
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", c):
			return false
		}
	}
	return true
}

// decodeVM reads a VM's properties; nil for one still being created (no
// config yet).
func decodeVM(o *types.ObjectContent, dc *datacenter) *vmInfo {
	v := &vmInfo{ref: o.Obj, dc: dc}
	for _, p := range o.PropSet {
		switch p.Name {
		case "name":
			v.name, _ = p.Val.(string)
		case "config.instanceUuid":
			v.instanceUUID, _ = p.Val.(string)
		case "config.uuid":
			v.biosUUID, _ = p.Val.(string)
		case "config.template":
			v.template, _ = p.Val.(bool)
		case "config.hardware.numCPU":
			n, _ := p.Val.(int32)
			v.cpus = int(n)
		case "config.hardware.memoryMB":
			n, _ := p.Val.(int32)
			v.memoryMB = int(n)
		case "config.createDate":
			if t, ok := p.Val.(time.Time); ok {
				v.created = t
			}
		case "config.annotation":
			v.annotation, _ = p.Val.(string)
		case "runtime.powerState":
			v.power, _ = p.Val.(types.VirtualMachinePowerState)
		case "guest.ipAddress":
			v.ipAddress, _ = p.Val.(string)
		case "guest.net":
			if nics, ok := p.Val.(types.ArrayOfGuestNicInfo); ok {
				for _, nic := range nics.GuestNicInfo {
					v.guestIPs = append(v.guestIPs, nic.IpAddress...)
				}
			}
		case "guest.toolsRunningStatus":
			s, _ := p.Val.(string)
			v.toolsRunning = s == string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)
		case "customValue":
			if cv, ok := p.Val.(types.ArrayOfCustomFieldValue); ok {
				for _, b := range cv.CustomFieldValue {
					if s, ok := b.(*types.CustomFieldStringValue); ok {
						if v.custom == nil {
							v.custom = map[int32]string{}
						}
						v.custom[s.Key] = s.Value
					}
				}
			}
		}
	}
	if v.instanceUUID == "" {
		return nil
	}
	return v
}
