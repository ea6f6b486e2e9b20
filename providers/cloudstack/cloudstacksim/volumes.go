package cloudstacksim

import (
	"fmt"
	"strings"
	"time"
)

// volume is a ROOT or DATADISK volume.
type volume struct {
	base
	owned
	name         string
	typ          string // ROOT or DATADISK
	state        string // Allocated, Ready, Destroy
	size         int64  // bytes
	zone         *zone
	diskOffering *diskOffering
	vm           *vm
	deviceID     int
	attached     time.Time
}

// volumeView is the volume response object.
type volumeView struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ZoneID           string `json:"zoneid"`
	ZoneName         string `json:"zonename"`
	Type             string `json:"type"`
	DeviceID         *int   `json:"deviceid,omitempty"`
	VirtualMachineID string `json:"virtualmachineid,omitempty"`
	VMName           string `json:"vmname,omitempty"`
	VMDisplayName    string `json:"vmdisplayname,omitempty"`
	VMState          string `json:"vmstate,omitempty"`
	ProvisioningType string `json:"provisioningtype"`
	Size             int64  `json:"size"`
	Created          string `json:"created"`
	State            string `json:"state"`
	Attached         string `json:"attached,omitempty"`
	ownerFields
	StorageType             string         `json:"storagetype"`
	Hypervisor              string         `json:"hypervisor"`
	DiskOfferingID          string         `json:"diskofferingid,omitempty"`
	DiskOfferingName        string         `json:"diskofferingname,omitempty"`
	DiskOfferingDisplayText string         `json:"diskofferingdisplaytext,omitempty"`
	ServiceOfferingID       string         `json:"serviceofferingid,omitempty"`
	ServiceOfferingName     string         `json:"serviceofferingname,omitempty"`
	ServiceOfferingDisplay  string         `json:"serviceofferingdisplaytext,omitempty"`
	TemplateID              string         `json:"templateid,omitempty"`
	Storage                 string         `json:"storage,omitempty"`
	Destroyed               bool           `json:"destroyed"`
	IsExtractable           bool           `json:"isextractable"`
	Tags                    []resourceTagV `json:"tags"`
	DisplayVolume           bool           `json:"displayvolume"`
	QuiesceVM               bool           `json:"quiescevm"`
	SupportsStorageSnapshot bool           `json:"supportsstoragesnapshot"`
	PhysicalSize            int64          `json:"physicalsize,omitempty"`
	VirtualSize             int64          `json:"virtualsize,omitempty"`
	HasAnnotations          bool           `json:"hasannotations"`
	JobID                   string         `json:"jobid,omitempty"`
	JobStatus               *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewVolume(v *volume) any {
	r := volumeView{ID: v.id, Name: v.name, ZoneID: v.zone.id, ZoneName: v.zone.name, Type: v.typ,
		ProvisioningType: "thin", Size: v.size, Created: fmtDate(v.created), State: v.state,
		ownerFields: ownerView(v.acct), StorageType: "shared", Hypervisor: "KVM", Destroyed: v.state == "Destroy",
		Tags: c.tagViews(v.id), DisplayVolume: true, VirtualSize: v.size}
	if v.state == "Ready" {
		r.PhysicalSize = v.size / 8
	}
	if v.vm != nil {
		d := v.deviceID
		r.DeviceID, r.VirtualMachineID, r.VMName, r.VMDisplayName, r.VMState = &d, v.vm.id, v.vm.name, v.vm.displayName, v.vm.state
		r.Attached = fmtDate(v.attached)
		if v.typ == "ROOT" {
			r.ServiceOfferingID, r.ServiceOfferingName, r.ServiceOfferingDisplay = v.vm.offering.id, v.vm.offering.name, v.vm.offering.displayText
			if v.vm.template != nil {
				r.TemplateID = v.vm.template.id
			}
		}
	}
	if v.state != "Allocated" {
		r.Storage = "sim-primary-" + v.zone.name
	}
	if o := v.diskOffering; o != nil {
		r.DiskOfferingID, r.DiskOfferingName, r.DiskOfferingDisplayText = o.id, o.name, o.displayText
	}
	r.JobID, r.JobStatus = pendingJob(&v.base)
	return r
}

func init() {
	volDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindVolume, Handler: h, InstanceType: "Volume", ItemKey: "volume"}
	}
	create := volDef("createVolume", createVolume)
	create.Create = true
	list := volDef("listVolumes", listVolumes)
	list.ReadOnly = true
	del := volDef("deleteVolume", deleteVolume)
	del.ItemKey = "(success)"
	register(create, list, del,
		volDef("attachVolume", attachVolume),
		volDef("detachVolume", detachVolume),
		volDef("resizeVolume", resizeVolume),
	)
}

// newVolume creates a volume; attached to vm (at deviceID) when vm is set.
func (st *state) newVolume(owner *account, name, typ string, size int64, z *zone, off *diskOffering, v *vm, deviceID int) *volume {
	vol := &volume{base: st.newBase(), owned: owned{acct: owner}, name: name, typ: typ, state: "Allocated",
		size: size, zone: z, diskOffering: off, vm: v, deviceID: deviceID}
	if v != nil {
		vol.attached = vol.created
		v.vols = append(v.vols, vol)
	}
	st.volumes.insert(vol)
	return vol
}

// detach detaches vol from its VM.
func detach(vol *volume) {
	if vol.vm != nil {
		vol.vm.vols = removeFrom(vol.vm.vols, vol)
	}
	vol.vm, vol.deviceID = nil, 0
}

// markVolumesReady makes the volumes of a started VM Ready.
func (st *state) markVolumesReady(v *vm) {
	for _, vol := range v.vols {
		if vol.state == "Allocated" {
			vol.state = "Ready"
		}
	}
}

// rootVolume returns the VM's ROOT volume.
func (st *state) rootVolume(v *vm) *volume {
	for _, vol := range v.vols {
		if vol.typ == "ROOT" {
			return vol
		}
	}
	return nil
}

// replaceRootVolume gives a restored VM a new ROOT volume.
func (st *state) replaceRootVolume(v *vm) {
	old := st.rootVolume(v)
	size := templateSizeGB(v.template) << 30
	if old != nil {
		if old.size > size {
			size = old.size
		}
		st.removeVolume(old)
	}
	vol := st.newVolume(v.acct, fmt.Sprintf("ROOT-%d", v.seq), "ROOT", size, v.zone, nil, v, 0)
	if v.state == vmRunning || old != nil && old.state == "Ready" {
		vol.state = "Ready"
	}
}

func (c *call) targetVolume() (*volume, error) { return target[*volume](c, "id", "Volume") }

func listVolumes(c *call) (reply, error) {
	id, _ := refAs[*volume](c, "id")
	sc, err := c.scope(id != nil || c.has("ids"))
	if err != nil {
		return nil, err
	}
	ids := refsAs[*volume](c, "ids")
	vmRef, _ := refAs[*vm](c, "virtualmachineid")
	z, _ := refAs[*zone](c, "zoneid")
	off, _ := refAs[*diskOffering](c, "diskofferingid")
	name, hasName := c.str("name")
	typ, hasType := c.str("type")
	state, hasState := c.str("state")
	keyword, hasKeyword := c.str("keyword")
	keep := func(v *volume) bool {
		switch {
		case !sc.allows(v.acct),
			id != nil && v != id,
			c.has("ids") && !contains(ids, v),
			vmRef != nil && v.vm != vmRef,
			z != nil && v.zone != z,
			off != nil && v.diskOffering != off,
			hasName && v.name != name,
			hasType && !strings.EqualFold(v.typ, typ),
			hasState && !strings.EqualFold(v.state, state),
			hasKeyword && !keywordMatch(keyword, v.name),
			!c.matchTags(v.id):
			return false
		}
		return true
	}
	return listItems(c, "volume", c.st.volumes.list, keep, c.viewVolume), nil
}

func createVolume(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	off, _ := refAs[*diskOffering](c, "diskofferingid")
	snap, _ := refAs[*snapshot](c, "snapshotid")
	z, _ := refAs[*zone](c, "zoneid")
	target, _ := refAs[*vm](c, "virtualmachineid")
	if off == nil && snap == nil {
		return nil, invalidParam("Either disk Offering Id or snapshot Id must be passed whilst creating volume")
	}
	var size int64
	switch {
	case snap != nil:
		if err := c.checkAccess(snap.acct, "Snapshot "+snap.id); err != nil {
			return nil, err
		}
		if snap.state != "BackedUp" {
			return nil, invalidParam("Snapshot id=%s is not in BackedUp state yet and can't be used for volume creation", snap.id)
		}
		size, z = snap.size, snap.zone
	case off.customized:
		gb := c.integer("size", 0)
		if gb <= 0 {
			return nil, invalidParam("This disk offering requires a custom size specified")
		}
		if gb > maxCustomDiskGB {
			return nil, invalidParam("Volume size: %d GB is out of allowed range. Max: %d Min: 1", gb, maxCustomDiskGB)
		}
		size = gb << 30
	default:
		size = off.diskSize << 30
	}
	if z == nil {
		return nil, invalidParam("Please specify a valid zone.")
	}
	if target != nil {
		if err := c.checkAccess(target.acct, "VM instance "+target.id); err != nil {
			return nil, err
		}
	}
	if err := c.checkLimits(owner, map[int]int64{resVolume: 1, resPrimaryStorage: size >> 30}); err != nil {
		return nil, err
	}
	name := c.str0("name")
	vol := c.st.newVolume(owner, name, "DATADISK", size, z, off, nil, 0)
	if name == "" {
		vol.name = fmt.Sprintf("DATA-%d", vol.seq)
	}
	return &asyncReply{id: vol.id, instance: vol, run: func() (reply, error) {
		if snap != nil {
			vol.state = "Ready"
		}
		if target != nil {
			if err := c.st.attach(vol, target, -1, c.st.now()); err != nil {
				return nil, err
			}
		}
		return objReply{"volume", c.viewVolume(vol)}, nil
	}, fail: func() { c.st.volumes.remove(vol.id) }}, nil
}

// maxDataDisks is the data-disk limit of a KVM VM.
const maxDataDisks = 6

// attach attaches vol to v at deviceID (-1: the next free one).
func (st *state) attach(vol *volume, v *vm, deviceID int, now time.Time) error {
	switch {
	case vol.typ == "ROOT":
		return invalidParam("Can't attach a root volume; please specify a data volume")
	case vol.vm != nil:
		return invalidParam("Volume %s is already attached to VM %s", vol.name, vol.vm.name)
	case v.state != vmRunning && v.state != vmStopped:
		return invalidParam("Please specify a VM that is either running or stopped.")
	case vol.zone != v.zone:
		return invalidParam("Please specify a VM that is in the same zone as the volume.")
	case vol.acct != v.acct:
		return invalidParam("Entity owner of volume %s and vm %s must be the same", vol.id, v.id)
	case vol.state == "Destroy":
		return invalidParam("Volume %s is destroyed and can't be attached", vol.name)
	}
	used := map[int]bool{}
	count := 0
	for _, x := range v.vols {
		used[x.deviceID] = true
		if x.typ == "DATADISK" {
			count++
		}
	}
	if count >= maxDataDisks {
		return invalidParam("The specified VM already has the maximum number of data disks (%d) attached. Please specify another VM.", maxDataDisks)
	}
	if deviceID >= 0 {
		if deviceID == 0 || used[deviceID] {
			return invalidParam("Device %d is used in vm %s", deviceID, v.name)
		}
	} else {
		for deviceID = 1; used[deviceID] || deviceID == 3; deviceID++ {
			// device 3 is reserved for the CD-ROM
		}
	}
	vol.vm, vol.deviceID, vol.attached = v, deviceID, now
	v.vols = append(v.vols, vol)
	if v.state == vmRunning || vol.state == "Allocated" && v.state == vmRunning {
		vol.state = "Ready"
	}
	return nil
}

func attachVolume(c *call) (reply, error) {
	vol, err := c.targetVolume()
	if err != nil {
		return nil, err
	}
	v, err := c.targetVM("virtualmachineid")
	if err != nil {
		return nil, err
	}
	dev := int(c.integer("deviceid", -1))
	return &asyncReply{instance: vol, run: func() (reply, error) {
		if err := c.st.attach(vol, v, dev, c.st.now()); err != nil {
			return nil, err
		}
		return objReply{"volume", c.viewVolume(vol)}, nil
	}}, nil
}

func detachVolume(c *call) (reply, error) {
	vol, _ := refAs[*volume](c, "id")
	if vol == nil {
		v, _ := refAs[*vm](c, "virtualmachineid")
		if v == nil || !c.has("deviceid") {
			return nil, invalidParam("Please provide either a volume id, or a tuple(device id, instance id)")
		}
		dev := int(c.integer("deviceid", -1))
		for _, x := range v.vols {
			if x.deviceID == dev {
				vol = x
			}
		}
		if vol == nil {
			return nil, invalidParam("Unable to find volume with ID: %d on VM %s", dev, v.id)
		}
	}
	if err := c.checkAccess(vol.acct, "Volume "+vol.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: vol, run: func() (reply, error) {
		switch {
		case vol.typ == "ROOT":
			return nil, invalidParam("Please specify a data volume.")
		case vol.vm == nil:
			return nil, invalidParam("Please specify a volume that is attached to a VM.")
		case vol.vm.state != vmRunning && vol.vm.state != vmStopped && vol.vm.state != vmDestroyed:
			return nil, invalidParam("Please specify a VM that is either running or stopped.")
		}
		detach(vol)
		return objReply{"volume", c.viewVolume(vol)}, nil
	}}, nil
}

func resizeVolume(c *call) (reply, error) {
	vol, err := c.targetVolume()
	if err != nil {
		return nil, err
	}
	newOff, _ := refAs[*diskOffering](c, "diskofferingid")
	var size int64 // bytes
	switch {
	case newOff != nil && !newOff.customized:
		size = newOff.diskSize << 30
	case c.has("size"):
		gb := c.integer("size", 0)
		if gb <= 0 || gb > maxCustomDiskGB {
			return nil, invalidParam("Volume size: %d GB is out of allowed range. Max: %d Min: 1", gb, maxCustomDiskGB)
		}
		off := vol.diskOffering
		if newOff != nil {
			off = newOff
		}
		if vol.typ == "DATADISK" && off != nil && !off.customized {
			return nil, invalidParam("To resize a data disk volume it must use a customizable disk offering (or pass a new disk offering)")
		}
		size = gb << 30
	default:
		return nil, invalidParam("No new size or disk offering specified for volume %s", vol.id)
	}
	if size < vol.size && !c.boolean("shrinkok", false) {
		return nil, invalidParam("Going from existing size of %d to size of %d would shrink the volume. Need to sign off by supplying the shrinkok parameter with value of true.", vol.size, size)
	}
	return &asyncReply{instance: vol, run: func() (reply, error) {
		if vol.state == "Destroy" {
			return nil, invalidParam("Volume %s is destroyed", vol.id)
		}
		vol.size = size
		if newOff != nil {
			vol.diskOffering = newOff
		}
		return objReply{"volume", c.viewVolume(vol)}, nil
	}}, nil
}

func deleteVolume(c *call) (reply, error) {
	vol, err := c.targetVolume()
	if err != nil {
		return nil, err
	}
	if vol.vm != nil {
		return nil, invalidParam("Please specify a volume that is not attached to any VM.")
	}
	c.st.removeVolume(vol)
	return successReply{}, nil
}

// removeVolume deletes a volume with its tags; its snapshots remain.
func (st *state) removeVolume(v *volume) {
	detach(v)
	st.volumes.remove(v.id)
	delete(st.tags, v.id)
	st.forgetVolume(v)
}
