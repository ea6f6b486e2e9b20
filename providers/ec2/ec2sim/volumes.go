package ec2sim

import (
	"fmt"
	"regexp"
	"time"
)

// volume is an EBS volume.
type volume struct {
	id, az, volType, snapshotID string
	size, iops, throughput      int
	state, next                 string
	until, created              time.Time
	encrypted                   bool
	deleteOnTermination         bool
	attach                      *attachment
}

// attachment is a volume's attachment to an instance.
type attachment struct {
	instanceID, device, state, next string
	time, until                     time.Time
}

func init() {
	register(map[string]handler{"CreateVolume": createVolume, "DescribeVolumes": describeVolumes,
		"AttachVolume": attachVolume, "DetachVolume": detachVolume, "DeleteVolume": deleteVolume})
}

// advance completes the volume's pending transition (creating → available,
// attaching → attached, detaching → detached); it reports whether none is left.
func (v *volume) advance(st *state, now time.Time) bool {
	if v.next != "" && !now.Before(v.until) {
		v.state, v.next = v.next, ""
	}
	if a := v.attach; a != nil && a.next != "" && !now.Before(a.until) {
		a.state, a.next = a.next, ""
		if a.state == "detached" {
			v.attach, v.state = nil, "available"
		}
	}
	return v.next == "" && (v.attach == nil || v.attach.next == "")
}

func (v *volume) attachmentOut() M {
	a := v.attach
	return M{"VolumeId": v.id, "InstanceId": a.instanceID, "Device": a.device, "State": a.state, "AttachTime": a.time,
		"DeleteOnTermination": v.deleteOnTermination}
}

func (v *volume) out(st *state) M {
	m := M{"VolumeId": v.id, "Size": v.size, "AvailabilityZone": v.az, "State": v.state, "CreateTime": v.created,
		"VolumeType": v.volType, "Encrypted": v.encrypted, "MultiAttachEnabled": false, "Attachments": []M{},
		"SnapshotId": v.snapshotID, "Tags": st.tagList(v.id)}
	if v.iops > 0 {
		m["Iops"] = v.iops
	}
	if v.throughput > 0 {
		m["Throughput"] = v.throughput
	}
	if v.attach != nil {
		m["Attachments"] = []M{v.attachmentOut()}
	}
	return m
}

func (v *volume) fields(name string) ([]string, bool) {
	switch name {
	case "volume-id":
		return []string{v.id}, true
	case "status":
		return []string{v.state}, true
	case "availability-zone":
		return []string{v.az}, true
	case "size":
		return []string{fmt.Sprint(v.size)}, true
	case "volume-type":
		return []string{v.volType}, true
	case "snapshot-id":
		return []string{v.snapshotID}, true
	case "encrypted":
		return []string{fmt.Sprint(v.encrypted)}, true
	case "attachment.instance-id":
		if v.attach != nil {
			return []string{v.attach.instanceID}, true
		}
		return nil, true
	case "attachment.device":
		if v.attach != nil {
			return []string{v.attach.device}, true
		}
		return nil, true
	case "attachment.status":
		if v.attach != nil {
			return []string{v.attach.state}, true
		}
		return nil, true
	}
	return nil, false
}

// volume returns the volume id names.
func (c *call) volume(id string) (*volume, error) {
	if !validID(id, "vol") {
		return nil, errorf("InvalidVolumeID.Malformed", "Invalid id: \"%s\" (expecting \"vol-...\")", id)
	}
	v := c.st.volumes[id]
	if v == nil {
		return nil, notFound("InvalidVolume.NotFound", "volume", id)
	}
	return v, nil
}

func createVolume(c *call) (M, error) {
	az := c.in.str("AvailabilityZone")
	if c.st.defaultSubnet(az) == nil {
		return nil, errorf("InvalidParameterValue", "Invalid availability zone: [%s]", az)
	}
	typ := or(c.in.str("VolumeType"), "gp2")
	limits := map[string][2]int{"gp2": {1, 16384}, "gp3": {1, 16384}, "io1": {4, 16384}, "io2": {4, 65536},
		"st1": {125, 16384}, "sc1": {125, 16384}, "standard": {1, 1024}}
	lim, ok := limits[typ]
	if !ok {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter volumeType is invalid. Valid volume types are standard, io1, io2, gp2, gp3, sc1 and st1.", typ)
	}
	size := c.in.int("Size", 0)
	snapID := c.in.str("SnapshotId")
	if snapID != "" {
		sn := c.st.snapshots[snapID]
		if sn == nil {
			return nil, notFound("InvalidSnapshot.NotFound", "snapshot", snapID)
		}
		if size == 0 {
			size = sn.size
		}
		if size < sn.size {
			return nil, errorf(CodeInvalidParameterValue, "Volume of %dGiB is too small; minimum is %dGiB.", size, sn.size)
		}
	} else if !c.in.has("Size") {
		return nil, errorf(CodeMissingParameter, "The request must contain the parameter size or snapshotId")
	}
	if size < lim[0] || size > lim[1] {
		return nil, errorf(CodeInvalidParameterValue, "Volume of size %dGiB is out of the range %d to %d for volume type %s.", size, lim[0], lim[1], typ)
	}
	if (typ == "io1" || typ == "io2") && !c.in.has("Iops") {
		return nil, missingParameter("iops")
	}
	enc, _ := c.in.boolean("Encrypted")
	v := &volume{id: c.st.newID("vol", c.now), az: az, volType: typ, snapshotID: snapID, size: size, encrypted: enc,
		iops: c.in.int("Iops", 0), created: c.now}
	switch typ {
	case "gp2":
		v.iops = max(100, min(16000, 3*size))
	case "gp3":
		v.iops, v.throughput = c.in.int("Iops", 3000), c.in.int("Throughput", 125)
	}
	v.state, v.next, v.until = "creating", "available", c.now.Add(c.s.TransitionDelay())
	c.st.moving[v.id] = true
	c.st.volumes[v.id] = v
	c.st.setTags(v.id, c.in.tagSpecs("volume"))
	return v.out(c.st), nil
}

func describeVolumes(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&volume{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "VolumeIds", c.st.volumes, "InvalidVolume.NotFound", "volume")
	if err != nil {
		return nil, err
	}
	var list []M
	for _, id := range ids {
		v := c.st.volumes[id]
		if matches(fs, v.fields, c.st.tags[id]) {
			list = append(list, v.out(c.st))
		}
	}
	from, to, next, err := page(len(list), c.in, 5, 500)
	if err != nil {
		return nil, err
	}
	return M{"Volumes": list[from:to], "NextToken": emptyNil(next)}, nil
}

// deviceName matches the device names EC2 accepts for EBS volumes on Linux
// (/dev/sd[b-z], /dev/xvd[b-z], with an optional partition digit).
var deviceName = regexp.MustCompile(`^(/dev/(sd|xvd)[a-z][0-9]{0,2}|xvd[a-z]{1,2})$`)

func attachVolume(c *call) (M, error) {
	v, err := c.volume(c.in.str("VolumeId"))
	if err != nil {
		return nil, err
	}
	in, err := c.instance(c.in.str("InstanceId"))
	if err != nil {
		return nil, err
	}
	dev := c.in.str("Device")
	if !deviceName.MatchString(dev) {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter device is invalid. %s is not a valid EBS device name.", dev, dev)
	}
	if v.attach != nil || v.state != "available" {
		return nil, errorf("VolumeInUse", "%s is already attached to an instance", v.id)
	}
	if in.state != "running" && in.state != "stopped" {
		return nil, incorrectState(in, "attached to")
	}
	if v.az != in.az {
		return nil, errorf(CodeInvalidParameterValue, "The volume '%s' is not in the same availability zone as instance '%s'", v.id, in.id)
	}
	for _, o := range c.st.volumes {
		if o.attach != nil && o.attach.instanceID == in.id && o.attach.device == dev {
			return nil, errorf("InvalidParameterValue", "Invalid value '%s' for unixDevice. Attachment point %s is already in use", dev, dev)
		}
	}
	v.state = "in-use"
	v.attach = &attachment{instanceID: in.id, device: dev, state: "attaching", next: "attached", time: c.now,
		until: c.now.Add(c.s.TransitionDelay())}
	c.st.moving[v.id] = true
	return v.attachmentOut(), nil
}

func detachVolume(c *call) (M, error) {
	v, err := c.volume(c.in.str("VolumeId"))
	if err != nil {
		return nil, err
	}
	if v.attach == nil || v.attach.state == "detaching" {
		return nil, errorf(CodeIncorrectState, "Volume '%s' is in the 'available' state.", v.id)
	}
	if id := c.in.str("InstanceId"); id != "" && id != v.attach.instanceID {
		return nil, errorf("InvalidAttachment.NotFound", "Volume '%s' is not attached to instance '%s'", v.id, id)
	}
	if in := c.st.instances[v.attach.instanceID]; in != nil && in.rootVolume == v.id && in.state != "stopped" {
		return nil, errorf("OperationNotPermitted", "Unable to detach root volume '%s' from instance '%s'", v.id, in.id)
	}
	v.attach.state, v.attach.next, v.attach.until = "detaching", "detached", c.now.Add(c.s.TransitionDelay())
	c.st.moving[v.id] = true
	return v.attachmentOut(), nil
}

func deleteVolume(c *call) (M, error) {
	v, err := c.volume(c.in.str("VolumeId"))
	if err != nil {
		return nil, err
	}
	if v.attach != nil || v.state != "available" {
		return nil, errorf("VolumeInUse", "Volume %s is currently attached to %s", v.id, attachedTo(v))
	}
	delete(c.st.volumes, v.id)
	c.st.forget(v.id)
	return M{}, nil
}

func attachedTo(v *volume) string {
	if v.attach == nil {
		return "nothing"
	}
	return v.attach.instanceID
}
