package cloudstack

import "time"

// Volume is a CloudStack volume (listVolumes, createVolume, ...). Size is in
// bytes, as the server sends it; the compute API converts to GB.
// Each field holds the response field named in its json tag.
type Volume struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Type              string    `json:"type,omitempty"`
	State             string    `json:"state,omitempty"`
	Size              int64     `json:"size,omitempty"`
	VirtualSize       int64     `json:"virtualsize,omitempty"`
	PhysicalSize      int64     `json:"physicalsize,omitempty"`
	VirtualMachineID  string    `json:"virtualmachineid,omitempty"`
	VMName            string    `json:"vmname,omitempty"`
	VMDisplayName     string    `json:"vmdisplayname,omitempty"`
	VMState           string    `json:"vmstate,omitempty"`
	DeviceID          *int64    `json:"deviceid,omitempty"`
	ZoneID            string    `json:"zoneid,omitempty"`
	ZoneName          string    `json:"zonename,omitempty"`
	DiskOfferingID    string    `json:"diskofferingid,omitempty"`
	DiskOfferingName  string    `json:"diskofferingname,omitempty"`
	ServiceOfferingID string    `json:"serviceofferingid,omitempty"`
	TemplateID        string    `json:"templateid,omitempty"`
	SnapshotID        string    `json:"snapshotid,omitempty"`
	Storage           string    `json:"storage,omitempty"`
	StorageID         string    `json:"storageid,omitempty"`
	StorageType       string    `json:"storagetype,omitempty"`
	ProvisioningType  string    `json:"provisioningtype,omitempty"`
	Hypervisor        string    `json:"hypervisor,omitempty"`
	Destroyed         bool      `json:"destroyed"`
	IsExtractable     bool      `json:"isextractable,omitempty"`
	DisplayVolume     bool      `json:"displayvolume,omitempty"`
	Created           time.Time `json:"created,omitzero"`
	Attached          time.Time `json:"attached,omitzero"`
	Tags              []Tag     `json:"tags,omitempty"`
	JobID             string    `json:"jobid,omitempty"`
	JobStatus         int       `json:"jobstatus,omitempty"`
	HasAnnotations    bool      `json:"hasannotations,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// Snapshot is a CloudStack volume snapshot (listSnapshots, createSnapshot).
// Sizes are in bytes.
// Each field holds the response field named in its json tag.
type Snapshot struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	VolumeID       string    `json:"volumeid,omitempty"`
	VolumeName     string    `json:"volumename,omitempty"`
	VolumeType     string    `json:"volumetype,omitempty"`
	SnapshotType   string    `json:"snapshottype,omitempty"`
	IntervalType   string    `json:"intervaltype,omitempty"`
	State          string    `json:"state,omitempty"`
	ZoneID         string    `json:"zoneid,omitempty"`
	PhysicalSize   int64     `json:"physicalsize,omitempty"`
	VirtualSize    int64     `json:"virtualsize,omitempty"`
	OSTypeID       string    `json:"ostypeid,omitempty"`
	Revertable     bool      `json:"revertable,omitempty"`
	LocationType   string    `json:"locationtype,omitempty"`
	Created        time.Time `json:"created,omitzero"`
	Tags           []Tag     `json:"tags,omitempty"`
	HasAnnotations bool      `json:"hasannotations,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// SSHKeyPair is a CloudStack SSH key pair (listSSHKeyPairs,
// createSSHKeyPair, registerSSHKeyPair). PrivateKey is only sent by
// createSSHKeyPair; it is a secret.
// Each field holds the response field named in its json tag.
type SSHKeyPair struct {
	ID             string `json:"id,omitempty"`
	Name           string `json:"name"`
	Fingerprint    string `json:"fingerprint"`
	PrivateKey     string `json:"privatekey,omitempty"`
	HasAnnotations bool   `json:"hasannotations,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}
