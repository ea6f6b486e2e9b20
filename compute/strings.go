package compute

import (
	"fmt"
	"slices"
	"strings"
)

// The String methods print what Libcloud's repr shows for the same
// entity, so that fmt.Println(nodes) is readable. They never print secrets
// (a key pair's private key, a node's Extra).

// String describes the node as Libcloud's repr does.
func (n *Node) String() string {
	if n == nil {
		return "<Node: nil>"
	}
	return fmt.Sprintf("<Node: uuid=%s, name=%s, state=%s, public_ips=%s, private_ips=%s, provider=%s>",
		n.UUID(), n.Name, n.State, pyList(n.PublicIPs), pyList(n.PrivateIPs), n.Provider)
}

// GoString is as String, so %#v cannot print Extra either (where a
// provider may keep a generated password).
func (n *Node) GoString() string { return n.String() }

// String describes the image as Libcloud's repr does.
func (i *Image) String() string {
	if i == nil {
		return "<NodeImage: nil>"
	}
	return fmt.Sprintf("<NodeImage: id=%s, name=%s, driver=%s>", i.ID, i.Name, i.Provider)
}

// String describes the size as Libcloud's repr does, with its VCPUs.
func (s *Size) String() string {
	if s == nil {
		return "<NodeSize: nil>"
	}
	return fmt.Sprintf("<NodeSize: id=%s, name=%s, vcpus=%d ram=%d disk=%d bandwidth=%d price=%g driver=%s>",
		s.ID, s.Name, s.VCPUs, s.RAM, s.Disk, s.Bandwidth, s.Price, s.Provider)
}

// String describes the location as Libcloud's repr does.
func (l *Location) String() string {
	if l == nil {
		return "<NodeLocation: nil>"
	}
	return fmt.Sprintf("<NodeLocation: id=%s, name=%s, country=%s, driver=%s>", l.ID, l.Name, l.Country, l.Provider)
}

// String describes the volume as Libcloud's repr does, with its name and
// state.
func (v *Volume) String() string {
	if v == nil {
		return "<StorageVolume nil>"
	}
	return fmt.Sprintf("<StorageVolume id=%s name=%s size=%d state=%s driver=%s>", v.ID, v.Name, v.Size, v.State, v.Provider)
}

// String describes the snapshot as Libcloud's repr does.
func (s *VolumeSnapshot) String() string {
	if s == nil {
		return "<VolumeSnapshot nil>"
	}
	return fmt.Sprintf("<VolumeSnapshot %q id=%s size=%d driver=%s state=%s>", s.Name, s.ID, s.Size, s.Provider, s.State)
}

// String describes the key pair as Libcloud's repr does; the private key
// is never printed.
func (k *KeyPair) String() string {
	if k == nil {
		return "<KeyPair nil>"
	}
	return fmt.Sprintf("<KeyPair name=%s fingerprint=%s driver=%s>", k.Name, k.Fingerprint, k.Provider)
}

// GoString is as String, so %#v cannot print the private key either.
func (k *KeyPair) GoString() string { return k.String() }

// pyList renders addresses as Python prints a list of strings.
func pyList(s []string) string {
	q := slices.Clone(s)
	for i, v := range q {
		q[i] = "'" + v + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
