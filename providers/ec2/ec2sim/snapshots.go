package ec2sim

import (
	"fmt"
	"time"
)

// snapshot is an EBS snapshot.
type snapshot struct {
	id, volumeID, description, state string
	size                             int
	started, until                   time.Time
}

func init() {
	register(map[string]handler{"CreateSnapshot": createSnapshot, "DescribeSnapshots": describeSnapshots,
		"DeleteSnapshot": deleteSnapshot})
}

// advance completes a pending snapshot; it reports whether it is done.
func (sn *snapshot) advance(now time.Time) bool {
	if sn.state == "pending" && !now.Before(sn.until) {
		sn.state = "completed"
	}
	return sn.state != "pending"
}

func (sn *snapshot) out(st *state) M {
	progress := "100%"
	if sn.state == "pending" {
		progress = "0%"
	}
	return M{"SnapshotId": sn.id, "VolumeId": sn.volumeID, "State": sn.state, "StartTime": sn.started,
		"Progress": progress, "OwnerId": AccountID, "Description": sn.description, "VolumeSize": sn.size,
		"Encrypted": false, "StorageTier": "standard", "Tags": st.tagList(sn.id)}
}

func (sn *snapshot) fields(name string) ([]string, bool) {
	switch name {
	case "snapshot-id":
		return []string{sn.id}, true
	case "volume-id":
		return []string{sn.volumeID}, true
	case "status":
		return []string{sn.state}, true
	case "owner-id":
		return []string{AccountID}, true
	case "description":
		return []string{sn.description}, true
	case "volume-size":
		return []string{fmt.Sprint(sn.size)}, true
	case "progress":
		return []string{"100%"}, true
	}
	return nil, false
}

func createSnapshot(c *call) (M, error) {
	v, err := c.volume(c.in.str("VolumeId"))
	if err != nil {
		return nil, err
	}
	if v.state == "creating" {
		return nil, errorf(CodeIncorrectState, "Volume '%s' is in the 'creating' state.", v.id)
	}
	sn := &snapshot{id: c.st.newID("snap", c.now), volumeID: v.id, description: c.in.str("Description"), size: v.size,
		state: "pending", started: c.now, until: c.now.Add(c.s.TransitionDelay())}
	c.st.snapshots[sn.id] = sn
	c.st.moving[sn.id] = true
	c.st.setTags(sn.id, c.in.tagSpecs("snapshot"))
	return sn.out(c.st), nil
}

func describeSnapshots(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&snapshot{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "SnapshotIds", c.st.snapshots, "InvalidSnapshot.NotFound", "snapshot")
	if err != nil {
		return nil, err
	}
	owners := c.in.strs("OwnerIds")
	var list []M
	for _, id := range ids {
		sn := c.st.snapshots[id]
		if len(owners) > 0 && !contains(owners, "self") && !contains(owners, AccountID) {
			continue
		}
		if matches(fs, sn.fields, c.st.tags[id]) {
			list = append(list, sn.out(c.st))
		}
	}
	from, to, next, err := page(len(list), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	return M{"Snapshots": list[from:to], "NextToken": emptyNil(next)}, nil
}

func deleteSnapshot(c *call) (M, error) {
	id := c.in.str("SnapshotId")
	if c.st.snapshots[id] == nil {
		return nil, notFound("InvalidSnapshot.NotFound", "snapshot", id)
	}
	for _, img := range c.st.images {
		if img.snapshotID == id {
			return nil, errorf("InvalidSnapshot.InUse", "The snapshot %s is currently in use by %s", id, img.id)
		}
	}
	delete(c.st.snapshots, id)
	c.st.forget(id)
	return M{}, nil
}
