package cloudstacksim

import "strings"

// snapshot is a volume snapshot.
type snapshot struct {
	base
	owned
	name       string
	volume     *volume // nil once the volume is gone
	volumeID   string
	volumeName string
	volumeType string
	zone       *zone
	size       int64
	state      string // Creating, BackedUp
}

// snapshotView is the snapshot response object.
type snapshotView struct {
	ID string `json:"id"`
	ownerFields
	SnapshotType string         `json:"snapshottype"`
	VolumeID     string         `json:"volumeid"`
	VolumeName   string         `json:"volumename"`
	VolumeType   string         `json:"volumetype"`
	Created      string         `json:"created"`
	Name         string         `json:"name"`
	IntervalType string         `json:"intervaltype"`
	State        string         `json:"state"`
	PhysicalSize int64          `json:"physicalsize"`
	VirtualSize  int64          `json:"virtualsize"`
	ZoneID       string         `json:"zoneid"`
	ZoneName     string         `json:"zonename"`
	Revertable   bool           `json:"revertable"`
	LocationType string         `json:"locationtype"`
	Tags         []resourceTagV `json:"tags"`
	JobID        string         `json:"jobid,omitempty"`
	JobStatus    *int           `json:"jobstatus,omitempty"`
}

func (c *call) viewSnapshot(s *snapshot) any {
	v := snapshotView{ID: s.id, ownerFields: ownerView(s.acct), SnapshotType: "MANUAL", VolumeID: s.volumeID,
		VolumeName: s.volumeName, VolumeType: s.volumeType, Created: fmtDate(s.created), Name: s.name,
		IntervalType: "MANUAL", State: s.state, PhysicalSize: s.size / 8, VirtualSize: s.size, ZoneID: s.zone.id,
		ZoneName: s.zone.name, Revertable: s.volume != nil, LocationType: "PRIMARY", Tags: c.tagViews(s.id)}
	v.JobID, v.JobStatus = pendingJob(&s.base)
	return v
}

func init() {
	snapDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindSnapshot, Handler: h, InstanceType: "Snapshot", ItemKey: "snapshot"}
	}
	create := snapDef("createSnapshot", createSnapshot)
	create.Create = true
	list := snapDef("listSnapshots", listSnapshots)
	list.ReadOnly = true
	del := snapDef("deleteSnapshot", deleteSnapshot)
	del.ItemKey = "(success)"
	register(create, list, del, snapDef("revertSnapshot", revertSnapshot))
}

func (c *call) targetSnapshot() (*snapshot, error) { return target[*snapshot](c, "id", "Snapshot") }

func createSnapshot(c *call) (reply, error) {
	vol, _ := refAs[*volume](c, "volumeid")
	if err := c.checkAccess(vol.acct, "Volume "+vol.id); err != nil {
		return nil, err
	}
	if vol.state != "Ready" {
		return nil, invalidParam("VolumeId: %s is not in Ready state but %s. Cannot take snapshot.", vol.id, vol.state)
	}
	if err := c.checkLimits(vol.acct, map[int]int64{resSnapshot: 1}); err != nil {
		return nil, err
	}
	name := c.str0("name")
	if name == "" {
		prefix := "detached"
		if vol.vm != nil {
			prefix = vol.vm.instanceName
		}
		name = prefix + "_" + vol.name + "_" + c.now.UTC().Format("20060102150405")
	}
	s := &snapshot{base: c.st.newBase(), owned: owned{acct: vol.acct}, name: name, volume: vol, volumeID: vol.id,
		volumeName: vol.name, volumeType: vol.typ, zone: vol.zone, size: vol.size, state: "Creating"}
	c.st.snapshots.insert(s)
	for _, t := range c.mapList("tags") {
		c.st.tags[s.id] = append(c.st.tags[s.id], &resourceTag{owned: owned{acct: s.acct}, key: t["key"], value: t["value"],
			resourceType: "Snapshot", resourceID: s.id})
	}
	return &asyncReply{id: s.id, instance: s, run: func() (reply, error) {
		s.state = "BackedUp"
		return objReply{"snapshot", c.viewSnapshot(s)}, nil
	}, fail: func() { s.state = "Error" }}, nil
}

func listSnapshots(c *call) (reply, error) {
	id, _ := refAs[*snapshot](c, "id")
	sc, err := c.scope(id != nil || c.has("ids"))
	if err != nil {
		return nil, err
	}
	ids := refsAs[*snapshot](c, "ids")
	vol, _ := refAs[*volume](c, "volumeid")
	z, _ := refAs[*zone](c, "zoneid")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	typ, hasType := c.str("snapshottype")
	interval, hasInterval := c.str("intervaltype")
	keep := func(s *snapshot) bool {
		switch {
		case !sc.allows(s.acct),
			id != nil && s != id,
			c.has("ids") && !contains(ids, s),
			vol != nil && s.volumeID != vol.id,
			z != nil && s.zone != z,
			hasName && s.name != name,
			hasKeyword && !keywordMatch(keyword, s.name),
			hasType && !strings.EqualFold(typ, "MANUAL"),
			hasInterval && !strings.EqualFold(interval, "MANUAL"),
			!c.matchTags(s.id):
			return false
		}
		return true
	}
	return listItems(c, "snapshot", c.st.snapshots.list, keep, c.viewSnapshot), nil
}

func deleteSnapshot(c *call) (reply, error) {
	s, err := c.targetSnapshot()
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: s, run: func() (reply, error) {
		if s.state == "Creating" {
			return nil, invalidParam("Can't delete snapshot %s with state %s", s.id, s.state)
		}
		drop(c.st, &c.st.snapshots, s.id)
		return successReply{}, nil
	}}, nil
}

func revertSnapshot(c *call) (reply, error) {
	s, err := c.targetSnapshot()
	if err != nil {
		return nil, err
	}
	return &asyncReply{instance: s, run: func() (reply, error) {
		vol := s.volume
		if vol == nil {
			return nil, invalidParam("Unable to find the volume of snapshot %s", s.id)
		}
		if vol.vm != nil && vol.vm.state != vmStopped {
			return nil, invalidParam("The VM the specified disk is attached to is not in the right state to revert snapshot")
		}
		vol.size = s.size
		return objReply{"snapshot", c.viewSnapshot(s)}, nil
	}}, nil
}

// forgetVolume detaches snapshots from a deleted volume.
func (st *state) forgetVolume(vol *volume) {
	for _, s := range st.snapshots.list {
		if s.volume == vol {
			s.volume = nil
		}
	}
}
