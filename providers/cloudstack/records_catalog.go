package cloudstack

import "time"

// Zone is a CloudStack zone (listZones).
// Each field holds the response field named in its json tag.
type Zone struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	Description           string         `json:"description,omitempty"`
	DisplayText           string         `json:"displaytext,omitempty"`
	NetworkType           string         `json:"networktype,omitempty"`
	SecurityGroupsEnabled bool           `json:"securitygroupsenabled"`
	AllocationState       string         `json:"allocationstate,omitempty"`
	LocalStorageEnabled   bool           `json:"localstorageenabled,omitempty"`
	DNS1                  string         `json:"dns1,omitempty"`
	DNS2                  string         `json:"dns2,omitempty"`
	InternalDNS1          string         `json:"internaldns1,omitempty"`
	InternalDNS2          string         `json:"internaldns2,omitempty"`
	IP6DNS1               string         `json:"ip6dns1,omitempty"`
	IP6DNS2               string         `json:"ip6dns2,omitempty"`
	GuestCIDRAddress      string         `json:"guestcidraddress,omitempty"`
	DomainID              string         `json:"domainid,omitempty"`
	DomainName            string         `json:"domainname,omitempty"`
	Type                  string         `json:"type,omitempty"`
	Tags                  []Tag          `json:"tags,omitempty"`
	HasAnnotations        bool           `json:"hasannotations,omitempty"`
	Extra                 map[string]any `json:"extra,omitempty"`
}

// Template is a CloudStack template (listTemplates). A template available in
// several zones is listed once per zone with the same id.
// Each field holds the response field named in its json tag.
type Template struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	DisplayText           string            `json:"displaytext,omitempty"`
	ZoneID                string            `json:"zoneid,omitempty"`
	ZoneName              string            `json:"zonename,omitempty"`
	OSTypeID              string            `json:"ostypeid,omitempty"`
	OSTypeName            string            `json:"ostypename,omitempty"`
	IsReady               bool              `json:"isready"`
	Status                string            `json:"status,omitempty"`
	IsPublic              bool              `json:"ispublic"`
	IsFeatured            bool              `json:"isfeatured"`
	IsExtractable         bool              `json:"isextractable,omitempty"`
	IsDynamicallyScalable bool              `json:"isdynamicallyscalable,omitempty"`
	CrossZones            bool              `json:"crossZones"`
	PasswordEnabled       bool              `json:"passwordenabled"`
	SSHKeyEnabled         bool              `json:"sshkeyenabled,omitempty"`
	Bootable              bool              `json:"bootable,omitempty"`
	Format                string            `json:"format,omitempty"`
	Hypervisor            string            `json:"hypervisor,omitempty"`
	Size                  int64             `json:"size,omitempty"`
	PhysicalSize          int64             `json:"physicalsize,omitempty"`
	TemplateType          string            `json:"templatetype,omitempty"`
	TemplateTag           string            `json:"templatetag,omitempty"`
	Bits                  int               `json:"bits,omitempty"`
	Checksum              string            `json:"checksum,omitempty"`
	SourceTemplateID      string            `json:"sourcetemplateid,omitempty"`
	Created               time.Time         `json:"created,omitzero"`
	Details               map[string]string `json:"details,omitempty"`
	Tags                  []Tag             `json:"tags,omitempty"`
	HasAnnotations        bool              `json:"hasannotations,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// ServiceOffering is a CloudStack service offering (listServiceOfferings):
// a node size.
// Each field holds the response field named in its json tag.
type ServiceOffering struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	DisplayText           string         `json:"displaytext,omitempty"`
	CPUNumber             int            `json:"cpunumber,omitempty"`
	CPUSpeed              int            `json:"cpuspeed,omitempty"`
	Memory                int            `json:"memory,omitempty"`
	IsCustomized          bool           `json:"iscustomized"`
	IsSystem              bool           `json:"issystem,omitempty"`
	IsVolatile            bool           `json:"isvolatile,omitempty"`
	OfferHA               bool           `json:"offerha"`
	LimitCPUUse           bool           `json:"limitcpuuse,omitempty"`
	DynamicScalingEnabled bool           `json:"dynamicscalingenabled,omitempty"`
	StorageType           string         `json:"storagetype,omitempty"`
	ProvisioningType      string         `json:"provisioningtype,omitempty"`
	NetworkRate           int            `json:"networkrate,omitempty"`
	HostTags              string         `json:"hosttags,omitempty"`
	StorageTags           string         `json:"storagetags,omitempty"`
	RootDiskSize          int64          `json:"rootdisksize,omitempty"`
	DiskOfferingID        string         `json:"diskofferingid,omitempty"`
	ZoneID                string         `json:"zoneid,omitempty"`
	Zone                  string         `json:"zone,omitempty"`
	DomainID              string         `json:"domainid,omitempty"`
	Domain                string         `json:"domain,omitempty"`
	Created               time.Time      `json:"created,omitzero"`
	HasAnnotations        bool           `json:"hasannotations,omitempty"`
	Extra                 map[string]any `json:"extra,omitempty"`
}

// DiskOffering is a CloudStack disk offering (listDiskOfferings). DiskSize
// is in GB; a customized offering takes the size at volume creation.
// Each field holds the response field named in its json tag.
type DiskOffering struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	DisplayText      string         `json:"displaytext,omitempty"`
	DiskSize         int64          `json:"disksize"`
	IsCustomized     bool           `json:"iscustomized"`
	IsCustomizedIOPS bool           `json:"iscustomizediops,omitempty"`
	StorageType      string         `json:"storagetype,omitempty"`
	ProvisioningType string         `json:"provisioningtype,omitempty"`
	Tags             string         `json:"tags,omitempty"`
	DisplayOffering  bool           `json:"displayoffering,omitempty"`
	ZoneID           string         `json:"zoneid,omitempty"`
	Zone             string         `json:"zone,omitempty"`
	DomainID         string         `json:"domainid,omitempty"`
	Domain           string         `json:"domain,omitempty"`
	Created          time.Time      `json:"created,omitzero"`
	HasAnnotations   bool           `json:"hasannotations,omitempty"`
	Extra            map[string]any `json:"extra,omitempty"`
}
