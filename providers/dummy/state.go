package dummy

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// stateVersion is the version of the document ExSaveState writes; ExLoadState
// refuses any other.
const stateVersion = 1

// savedState is the document ExSaveState writes: everything a user created
// or changed, and the counters that number new resources. Queued failures
// (ExFailNext), the call count of Options.ThrottleEvery and the options
// themselves are not part of it.
type savedState struct {
	Version   int                `json:"version"`
	Nodes     []savedNode        `json:"nodes"`
	NextNode  int                `json:"next_node"`
	Images    []*compute.Image   `json:"images"`
	Builtin   []string           `json:"builtin_images"`
	NextImage int                `json:"next_image"`
	Volumes   []savedVolume      `json:"volumes"`
	NextVol   int                `json:"next_volume"`
	Snapshots []savedSnapshot    `json:"snapshots"`
	NextSnap  int                `json:"next_snapshot"`
	KeyPairs  []*compute.KeyPair `json:"key_pairs"`
	Idem      []savedIdem        `json:"idempotency_keys,omitempty"`
}

// savedNode is a nodeRecord: the node and the transition it is going
// through (Due is absolute, so a delay runs on between two processes).
type savedNode struct {
	Node     *compute.Node   `json:"node"`
	Next     types.NodeState `json:"next,omitempty"`
	Due      time.Time       `json:"due,omitzero"`
	UserData []byte          `json:"user_data,omitempty"`
}

type savedVolume struct {
	Volume   *compute.Volume `json:"volume"`
	Location string          `json:"location"`
}

type savedSnapshot struct {
	Snapshot *compute.VolumeSnapshot `json:"snapshot"`
	Location string                  `json:"location"`
}

type savedIdem struct {
	Key      string `json:"key"`
	NodeID   string `json:"node_id"`
	Name     string `json:"name"`
	Image    string `json:"image"`
	Size     string `json:"size"`
	Location string `json:"location"`
}

// ExSaveState writes the driver's state as JSON to w: its nodes (with any
// transition in progress), images, volumes, snapshots, key pairs (public
// parts only: private keys are never kept) and the counters that number new
// ones, for ExLoadState to restore in another process. This is how
// `goclouds --provider dummy` keeps its cloud between invocations. Not
// portable.
func (d *Driver) ExSaveState(w io.Writer) error {
	d.mu.Lock()
	s := savedState{
		Version: stateVersion, NextNode: d.nextNode, NextImage: d.nextImage,
		NextVol: d.nextVol, NextSnap: d.nextSnap,
	}
	for _, id := range sortedIDs(d.nodes) {
		r := d.nodes[id]
		s.Nodes = append(s.Nodes, savedNode{Node: r.node.Clone(), Next: r.next, Due: r.due, UserData: r.userData})
	}
	for _, img := range d.images {
		s.Images = append(s.Images, img.Clone())
		if d.builtin[img.ID] {
			s.Builtin = append(s.Builtin, img.ID)
		}
	}
	for _, id := range sortedIDs(d.volumes) {
		v := d.volumes[id]
		s.Volumes = append(s.Volumes, savedVolume{Volume: v.vol.Clone(), Location: v.location})
	}
	for _, id := range sortedIDs(d.snapshots) {
		v := d.snapshots[id]
		s.Snapshots = append(s.Snapshots, savedSnapshot{Snapshot: v.snap.Clone(), Location: v.location})
	}
	for _, name := range sortedIDs(d.keyPairs) {
		s.KeyPairs = append(s.KeyPairs, d.keyPairs[name].Clone())
	}
	for _, k := range sortedIDs(d.idem) {
		op := d.idem[k]
		s.Idem = append(s.Idem, savedIdem{Key: k, NodeID: op.nodeID, Name: op.asked.name,
			Image: op.asked.image, Size: op.asked.size, Location: op.asked.location})
	}
	d.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&s)
}

// ExLoadState replaces the driver's nodes, images, volumes, snapshots and
// key pairs with those ExSaveState wrote to r. A document that is not one
// (bad JSON, another version, a record without an id) gives an error
// matching compute.ErrInvalidArgument and leaves the driver as it was.
// Numbers in Extra come back as int when whole, lists of strings as
// []string, as the driver made them. Not portable.
func (d *Driver) ExLoadState(r io.Reader) error {
	const op = "ExLoadState"
	var s savedState
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return compute.NewError(types.ProviderDummy, op, "", compute.ErrInvalidArgument, fmt.Errorf("not a dummy state document: %w", err))
	}
	if s.Version != stateVersion {
		return invalid(op, "", "state version %d: this driver reads version %d", s.Version, stateVersion)
	}
	nodes := make(map[string]*nodeRecord, len(s.Nodes))
	for _, n := range s.Nodes {
		if n.Node == nil || n.Node.ID == "" {
			return invalid(op, "", "a saved node has no id")
		}
		fixExtra(n.Node.Extra)
		nodes[n.Node.ID] = &nodeRecord{node: n.Node, next: n.Next, due: n.Due, userData: n.UserData}
	}
	volumes := make(map[string]*volumeRecord, len(s.Volumes))
	for _, v := range s.Volumes {
		if v.Volume == nil || v.Volume.ID == "" {
			return invalid(op, "", "a saved volume has no id")
		}
		fixExtra(v.Volume.Extra)
		volumes[v.Volume.ID] = &volumeRecord{vol: v.Volume, location: v.Location}
	}
	snaps := make(map[string]*snapshotRecord, len(s.Snapshots))
	for _, v := range s.Snapshots {
		if v.Snapshot == nil || v.Snapshot.ID == "" {
			return invalid(op, "", "a saved snapshot has no id")
		}
		fixExtra(v.Snapshot.Extra)
		snaps[v.Snapshot.ID] = &snapshotRecord{snap: v.Snapshot, location: v.Location}
	}
	keys := make(map[string]*compute.KeyPair, len(s.KeyPairs))
	for _, k := range s.KeyPairs {
		if k == nil || k.Name == "" {
			return invalid(op, "", "a saved key pair has no name")
		}
		fixExtra(k.Extra)
		keys[k.Name] = k
	}
	for _, img := range s.Images {
		if img == nil || img.ID == "" {
			return invalid(op, "", "a saved image has no id")
		}
		fixExtra(img.Extra)
	}
	idem := make(map[string]idempotentOp, len(s.Idem))
	for _, i := range s.Idem {
		idem[i.Key] = idempotentOp{nodeID: i.NodeID, asked: createAsk{name: i.Name, image: i.Image, size: i.Size, location: i.Location}}
	}
	builtin := make(map[string]bool, len(s.Builtin))
	for _, id := range s.Builtin {
		builtin[id] = true
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	d.nodes, d.nextNode = nodes, max(s.NextNode, 1)
	d.images, d.builtin, d.nextImage = s.Images, builtin, max(s.NextImage, 1)
	d.volumes, d.nextVol = volumes, max(s.NextVol, 1)
	d.snapshots, d.nextSnap = snaps, max(s.NextSnap, 1)
	d.keyPairs, d.idem = keys, idem
	return nil
}

// fixExtra gives back to the values of an Extra map decoded from JSON the
// types the driver stores: whole numbers as int, lists of strings as
// []string.
func fixExtra(x map[string]any) {
	for k, v := range x {
		switch v := v.(type) {
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
				x[k] = int(v)
			}
		case []any:
			ss := make([]string, 0, len(v))
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					break
				}
				ss = append(ss, s)
			}
			if len(ss) == len(v) {
				x[k] = ss
			}
		}
	}
}

// sortedIDs returns m's keys ordered by the number in them, then by text,
// so that the document is stable.
func sortedIDs[V any](m map[string]V) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(idNumber(a), idNumber(b)), strings.Compare(a, b))
	})
}
