package compute

import (
	"crypto/sha1"
	"encoding/hex"
	"maps"
	"slices"
	"time"

	"github.com/goclouds/goclouds/types"
)

// Node is a virtual machine as a provider reports it. Values are plain data:
// they hold no reference to the driver that returned them, and drivers return
// copies, so callers may modify them freely.
type Node struct {
	// ID is the provider's identifier for the node.
	ID string `json:"id"`
	// Name is the node's name.
	Name string `json:"name"`
	// State is the node's provider-neutral state.
	State types.NodeState `json:"state"`
	// PublicIPs holds the node's public addresses (IPv4 and IPv6), never nil.
	PublicIPs []string `json:"public_ips"`
	// PrivateIPs holds the node's private addresses (IPv4 and IPv6), never nil.
	PrivateIPs []string `json:"private_ips"`
	// Size is the node's size, when the provider reports it.
	Size *Size `json:"size,omitempty"`
	// Image is the image the node was created from, when known.
	Image *Image `json:"image,omitempty"`
	// Location is where the node runs, when known.
	Location *Location `json:"location,omitempty"`
	// CreatedAt is the node's creation time; zero when unknown.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Provider is the provider that returned the node; it enters UUID.
	Provider types.Provider `json:"provider"`
	// Tags are the node's key/value labels (CloudStack resource tags, EC2
	// tags, OpenStack metadata); nil when the provider reports none.
	Tags map[string]string `json:"tags,omitempty"`
	// Extra holds provider-specific fields, keyed by the provider's names.
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", the value
// Libcloud's get_uuid computes for the same node.
func (n *Node) UUID() string { return uuidOf(n.ID, n.Provider) }

// Clone returns a deep copy of n (Extra is copied one level deep).
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.PublicIPs = cloneStrings(n.PublicIPs)
	c.PrivateIPs = cloneStrings(n.PrivateIPs)
	c.Size = n.Size.Clone()
	c.Image = n.Image.Clone()
	c.Location = n.Location.Clone()
	c.Tags = maps.Clone(n.Tags)
	c.Extra = maps.Clone(n.Extra)
	return &c
}

// Image is a template or disk image nodes can be created from.
type Image struct {
	// ID is the provider's identifier for the image.
	ID string `json:"id"`
	// Name is the image's name.
	Name string `json:"name"`
	// Provider is the provider that returned the image; it enters UUID.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields.
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", as Libcloud.
func (i *Image) UUID() string { return uuidOf(i.ID, i.Provider) }

// Clone returns a copy of i (Extra is copied one level deep).
func (i *Image) Clone() *Image {
	if i == nil {
		return nil
	}
	c := *i
	c.Extra = maps.Clone(i.Extra)
	return &c
}

// Size is a hardware profile (flavour, service offering) for nodes.
type Size struct {
	// ID is the provider's identifier for the size.
	ID string `json:"id"`
	// Name is the size's name.
	Name string `json:"name"`
	// VCPUs is the number of virtual CPUs; 0 when the size does not fix it
	// (a custom offering).
	VCPUs int `json:"vcpus"`
	// RAM is the memory in MB.
	RAM int `json:"ram"`
	// Disk is the root disk in GB; 0 when the size does not fix it.
	Disk int `json:"disk"`
	// Bandwidth is the transfer allowance; 0 means unlimited or unknown.
	Bandwidth int `json:"bandwidth"`
	// Price is the hourly price in USD; 0 when unknown.
	Price float64 `json:"price"`
	// Provider is the provider that returned the size; it enters UUID.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields (cpu speed, ...).
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", as Libcloud.
func (s *Size) UUID() string { return uuidOf(s.ID, s.Provider) }

// Clone returns a copy of s (Extra is copied one level deep).
func (s *Size) Clone() *Size {
	if s == nil {
		return nil
	}
	c := *s
	c.Extra = maps.Clone(s.Extra)
	return &c
}

// Location is a zone, region or data centre.
type Location struct {
	// ID is the provider's identifier for the location.
	ID string `json:"id"`
	// Name is the location's name.
	Name string `json:"name"`
	// Country is the ISO 3166 country code, when known.
	Country string `json:"country"`
	// Provider is the provider that returned the location; it enters UUID.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields.
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", as for the
// other entities.
func (l *Location) UUID() string { return uuidOf(l.ID, l.Provider) }

// Clone returns a copy of l (Extra is copied one level deep).
func (l *Location) Clone() *Location {
	if l == nil {
		return nil
	}
	c := *l
	c.Extra = maps.Clone(l.Extra)
	return &c
}

// Volume is a block storage volume.
type Volume struct {
	// ID is the provider's identifier for the volume.
	ID string `json:"id"`
	// Name is the volume's name.
	Name string `json:"name"`
	// Size is the volume's size in GB.
	Size int `json:"size"`
	// State is the volume's provider-neutral state.
	State types.VolumeState `json:"state"`
	// NodeID is the node the volume is attached to, or "".
	NodeID string `json:"node_id,omitempty"`
	// Provider is the provider that returned the volume; it enters UUID.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields.
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", as Libcloud.
func (v *Volume) UUID() string { return uuidOf(v.ID, v.Provider) }

// Clone returns a copy of v (Extra is copied one level deep).
func (v *Volume) Clone() *Volume {
	if v == nil {
		return nil
	}
	c := *v
	c.Extra = maps.Clone(v.Extra)
	return &c
}

// VolumeSnapshot is a point-in-time copy of a volume.
type VolumeSnapshot struct {
	// ID is the provider's identifier for the snapshot.
	ID string `json:"id"`
	// Name is the snapshot's name.
	Name string `json:"name"`
	// VolumeID is the volume the snapshot was taken of.
	VolumeID string `json:"volume_id"`
	// Size is the snapshot's size in GB; 0 when unknown.
	Size int `json:"size"`
	// State is the snapshot's provider-neutral state.
	State types.SnapshotState `json:"state"`
	// CreatedAt is the creation time; zero when unknown.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Provider is the provider that returned the snapshot; it enters UUID.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields.
	Extra map[string]any `json:"extra,omitempty"`
}

// UUID returns the lower-case hex SHA-1 of "<ID>:<Provider>", as Libcloud.
func (s *VolumeSnapshot) UUID() string { return uuidOf(s.ID, s.Provider) }

// Clone returns a copy of s (Extra is copied one level deep).
func (s *VolumeSnapshot) Clone() *VolumeSnapshot {
	if s == nil {
		return nil
	}
	c := *s
	c.Extra = maps.Clone(s.Extra)
	return &c
}

// KeyPair is an SSH key pair known to the provider.
type KeyPair struct {
	// ID is the provider's identifier for the key pair: the name on
	// providers that identify key pairs by name (CloudStack, OpenStack),
	// the key pair id on EC2 ("key-0123..."). The portable calls take the
	// name.
	ID string `json:"id"`
	// Name is the key pair's name.
	Name string `json:"name"`
	// Fingerprint is the key's fingerprint in the format each provider's
	// docs give: for CloudStack and OpenStack the MD5 of the public key
	// blob as colon-separated hex ("aa:bb:...", as they report it; see
	// SSHFingerprintMD5), for EC2 OpenSSH's SHA256 fingerprint (EC2's own,
	// which differs for created and imported keys, is in
	// Extra["ec2_fingerprint"]). Compare keys with SameSSHKey rather than
	// by fingerprint across providers.
	Fingerprint string `json:"fingerprint"`
	// PublicKey is the public key in OpenSSH authorized_keys form, when known.
	PublicKey string `json:"public_key,omitempty"`
	// PrivateKey is the PEM private key; only set by CreateKeyPair. It is a
	// secret: never log it (String leaves it out).
	PrivateKey string `json:"private_key,omitempty"`
	// Provider is the provider that returned the key pair.
	Provider types.Provider `json:"provider,omitempty"`
	// Extra holds provider-specific fields.
	Extra map[string]any `json:"extra,omitempty"`
}

// Clone returns a copy of k (Extra is copied one level deep).
func (k *KeyPair) Clone() *KeyPair {
	if k == nil {
		return nil
	}
	c := *k
	c.Extra = maps.Clone(k.Extra)
	return &c
}

func uuidOf(id string, p types.Provider) string {
	sum := sha1.Sum([]byte(id + ":" + string(p)))
	return hex.EncodeToString(sum[:])
}

func cloneStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
