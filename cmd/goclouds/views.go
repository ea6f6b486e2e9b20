package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// The table and CSV columns of each resource. JSON and YAML print the
// compute structs whole, with their documented json field names.

var nodeColumns = []column[*compute.Node]{
	col("ID", func(n *compute.Node) string { return n.ID }),
	col("NAME", func(n *compute.Node) string { return n.Name }),
	col("STATE", func(n *compute.Node) string { return string(n.State) }),
	col("PUBLIC_IPS", func(n *compute.Node) string { return strings.Join(n.PublicIPs, ",") }),
	col("PRIVATE_IPS", func(n *compute.Node) string { return strings.Join(n.PrivateIPs, ",") }),
	col("IMAGE", func(n *compute.Node) string {
		if n.Image == nil {
			return ""
		}
		return nameOrID(n.Image.Name, n.Image.ID)
	}),
	col("SIZE", func(n *compute.Node) string {
		if n.Size == nil {
			return ""
		}
		return nameOrID(n.Size.Name, n.Size.ID)
	}),
	col("LOCATION", func(n *compute.Node) string {
		if n.Location == nil {
			return ""
		}
		return nameOrID(n.Location.Name, n.Location.ID)
	}),
}

var imageColumns = []column[*compute.Image]{
	col("ID", func(i *compute.Image) string { return i.ID }),
	col("NAME", func(i *compute.Image) string { return i.Name }),
}

var sizeColumns = []column[*compute.Size]{
	col("ID", func(s *compute.Size) string { return s.ID }),
	col("NAME", func(s *compute.Size) string { return s.Name }),
	col("VCPUS", func(s *compute.Size) string { return strconv.Itoa(s.VCPUs) }),
	col("RAM", func(s *compute.Size) string { return strconv.Itoa(s.RAM) }),
	col("DISK", func(s *compute.Size) string { return strconv.Itoa(s.Disk) }),
	col("BANDWIDTH", func(s *compute.Size) string { return strconv.Itoa(s.Bandwidth) }),
	col("PRICE", func(s *compute.Size) string { return strconv.FormatFloat(s.Price, 'f', -1, 64) }),
}

var locationColumns = []column[*compute.Location]{
	col("ID", func(l *compute.Location) string { return l.ID }),
	col("NAME", func(l *compute.Location) string { return l.Name }),
	col("COUNTRY", func(l *compute.Location) string { return l.Country }),
}

var volumeColumns = []column[*compute.Volume]{
	col("ID", func(v *compute.Volume) string { return v.ID }),
	col("NAME", func(v *compute.Volume) string { return v.Name }),
	col("SIZE", func(v *compute.Volume) string { return strconv.Itoa(v.Size) }),
	col("STATE", func(v *compute.Volume) string { return string(v.State) }),
	col("NODE_ID", func(v *compute.Volume) string { return v.NodeID }),
}

var snapshotColumns = []column[*compute.VolumeSnapshot]{
	col("ID", func(s *compute.VolumeSnapshot) string { return s.ID }),
	col("NAME", func(s *compute.VolumeSnapshot) string { return s.Name }),
	col("VOLUME_ID", func(s *compute.VolumeSnapshot) string { return s.VolumeID }),
	col("SIZE", func(s *compute.VolumeSnapshot) string { return strconv.Itoa(s.Size) }),
	col("STATE", func(s *compute.VolumeSnapshot) string { return string(s.State) }),
	col("CREATED_AT", func(s *compute.VolumeSnapshot) string { return formatTime(s.CreatedAt) }),
}

var keyPairColumns = []column[*compute.KeyPair]{
	col("NAME", func(k *compute.KeyPair) string { return k.Name }),
	col("FINGERPRINT", func(k *compute.KeyPair) string { return k.Fingerprint }),
}

// providerRow is one line of `providers list`.
type providerRow struct {
	// Name is the provider's name, the value of --provider.
	Name types.Provider `json:"name"`
	// Needs lists the settings the provider requires.
	Needs []string `json:"needs"`
}

var providerColumns = []column[providerRow]{
	col("NAME", func(p providerRow) string { return string(p.Name) }),
	col("NEEDS", func(p providerRow) string { return strings.Join(p.Needs, ",") }),
}

// actionResult is what commands print after an action that returns no
// resource (reboot, start, stop, destroy, attach, detach, delete).
type actionResult struct {
	// Kind is the resource kind: node, volume, snapshot, keypair.
	Kind string `json:"kind"`
	// ID is the resource's id (a key pair's name).
	ID string `json:"id"`
	// Action is what was done, in the past tense: "stopped", "destroyed";
	// "failed" when it failed.
	Action string `json:"action"`
	// Error is why the action failed, or "".
	Error string `json:"error,omitempty"`
}

var actionColumns = []column[actionResult]{
	col("KIND", func(a actionResult) string { return a.Kind }),
	col("ID", func(a actionResult) string { return a.ID }),
	col("ACTION", func(a actionResult) string { return a.Action }),
}

// nameOrID prefers a resource's name, falling back to its id.
func nameOrID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// formatTime prints a time in RFC 3339, UTC; "" when zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// withoutPrivateKeys returns copies of the key pairs with the private key
// removed: it is never printed with the key pair.
func withoutPrivateKeys(kps []*compute.KeyPair) []*compute.KeyPair {
	out := make([]*compute.KeyPair, len(kps))
	for i, k := range kps {
		c := k.Clone()
		c.PrivateKey = ""
		out[i] = c
	}
	return out
}
