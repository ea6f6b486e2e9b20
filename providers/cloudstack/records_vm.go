package cloudstack

import "time"

// Owner holds the ownership fields most CloudStack objects carry. It is
// embedded in the record types.
// Each field holds the response field named in its json tag.
type Owner struct {
	Account   string `json:"account,omitempty"`
	DomainID  string `json:"domainid,omitempty"`
	Domain    string `json:"domain,omitempty"`
	ProjectID string `json:"projectid,omitempty"`
	Project   string `json:"project,omitempty"`
}

// Tag is a resource tag.
// Each field holds the response field named in its json tag.
type Tag struct {
	Key          string `json:"key"`
	Value        string `json:"value"`
	ResourceType string `json:"resourcetype,omitempty"`
	ResourceID   string `json:"resourceid,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// VirtualMachine is a CloudStack virtualmachine object (listVirtualMachines,
// deployVirtualMachine, ...). Fields the server sends that are not modelled
// here are kept in Extra with their JSON types.
// Each field holds the response field named in its json tag.
type VirtualMachine struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	DisplayName           string            `json:"displayname,omitempty"`
	State                 string            `json:"state"`
	Created               time.Time         `json:"created,omitzero"`
	LastUpdated           time.Time         `json:"lastupdated,omitzero"`
	UserID                string            `json:"userid,omitempty"`
	UserName              string            `json:"username,omitempty"`
	ZoneID                string            `json:"zoneid,omitempty"`
	ZoneName              string            `json:"zonename,omitempty"`
	TemplateID            string            `json:"templateid,omitempty"`
	TemplateName          string            `json:"templatename,omitempty"`
	TemplateDisplayText   string            `json:"templatedisplaytext,omitempty"`
	IsoID                 string            `json:"isoid,omitempty"`
	IsoName               string            `json:"isoname,omitempty"`
	IsoDisplayText        string            `json:"isodisplaytext,omitempty"`
	ServiceOfferingID     string            `json:"serviceofferingid,omitempty"`
	ServiceOfferingName   string            `json:"serviceofferingname,omitempty"`
	CPUNumber             int               `json:"cpunumber,omitempty"`
	CPUSpeed              int               `json:"cpuspeed,omitempty"`
	Memory                int               `json:"memory,omitempty"`
	DiskOfferingID        string            `json:"diskofferingid,omitempty"`
	DiskOfferingName      string            `json:"diskofferingname,omitempty"`
	HostID                string            `json:"hostid,omitempty"`
	HostName              string            `json:"hostname,omitempty"`
	Hypervisor            string            `json:"hypervisor,omitempty"`
	InstanceName          string            `json:"instancename,omitempty"`
	GuestOSID             string            `json:"guestosid,omitempty"`
	OSTypeID              string            `json:"ostypeid,omitempty"`
	OSDisplayName         string            `json:"osdisplayname,omitempty"`
	PasswordEnabled       bool              `json:"passwordenabled"`
	Password              string            `json:"password,omitempty"`
	KeyPair               string            `json:"keypair,omitempty"`
	KeyPairs              string            `json:"keypairs,omitempty"`
	PublicIP              string            `json:"publicip,omitempty"`
	PublicIPID            string            `json:"publicipid,omitempty"`
	ForVirtualNetwork     bool              `json:"forvirtualnetwork,omitempty"`
	HAEnable              bool              `json:"haenable"`
	DisplayVM             bool              `json:"displayvm,omitempty"`
	IsDynamicallyScalable bool              `json:"isdynamicallyscalable,omitempty"`
	RootDeviceID          int               `json:"rootdeviceid"`
	RootDeviceType        string            `json:"rootdevicetype,omitempty"`
	BootMode              string            `json:"bootmode,omitempty"`
	BootType              string            `json:"boottype,omitempty"`
	Group                 string            `json:"group,omitempty"`
	GroupID               string            `json:"groupid,omitempty"`
	UserData              string            `json:"userdata,omitempty"`
	UserDataID            string            `json:"userdataid,omitempty"`
	ServiceState          string            `json:"servicestate,omitempty"`
	CPUUsed               string            `json:"cpuused,omitempty"`
	NetworkKbsRead        int64             `json:"networkkbsread,omitempty"`
	NetworkKbsWrite       int64             `json:"networkkbswrite,omitempty"`
	DiskKbsRead           int64             `json:"diskkbsread,omitempty"`
	DiskKbsWrite          int64             `json:"diskkbswrite,omitempty"`
	DiskIORead            int64             `json:"diskioread,omitempty"`
	DiskIOWrite           int64             `json:"diskiowrite,omitempty"`
	MemoryKbs             int64             `json:"memorykbs,omitempty"`
	MemoryIntFreeKbs      int64             `json:"memoryintfreekbs,omitempty"`
	MemoryTargetKbs       int64             `json:"memorytargetkbs,omitempty"`
	ReceivedBytes         int64             `json:"receivedbytes,omitempty"`
	SentBytes             int64             `json:"sentbytes,omitempty"`
	NICs                  []NIC             `json:"nic,omitempty"`
	SecurityGroups        []SecurityGroup   `json:"securitygroup,omitempty"`
	AffinityGroups        []AffinityGroup   `json:"affinitygroup,omitempty"`
	Tags                  []Tag             `json:"tags,omitempty"`
	Details               map[string]string `json:"details,omitempty"`
	HasAnnotations        bool              `json:"hasannotations,omitempty"`
	JobID                 string            `json:"jobid,omitempty"`
	JobStatus             int               `json:"jobstatus,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// NIC is a virtual machine's network interface.
// Each field holds the response field named in its json tag.
type NIC struct {
	ID               string         `json:"id"`
	NetworkID        string         `json:"networkid,omitempty"`
	NetworkName      string         `json:"networkname,omitempty"`
	VirtualMachineID string         `json:"virtualmachineid,omitempty"`
	IPAddress        string         `json:"ipaddress,omitempty"`
	Netmask          string         `json:"netmask,omitempty"`
	Gateway          string         `json:"gateway,omitempty"`
	IP6Address       string         `json:"ip6address,omitempty"`
	IP6Gateway       string         `json:"ip6gateway,omitempty"`
	IP6CIDR          string         `json:"ip6cidr,omitempty"`
	MACAddress       string         `json:"macaddress,omitempty"`
	IsDefault        bool           `json:"isdefault"`
	Type             string         `json:"type,omitempty"`
	TrafficType      string         `json:"traffictype,omitempty"`
	BroadcastURI     string         `json:"broadcasturi,omitempty"`
	IsolationURI     string         `json:"isolationuri,omitempty"`
	DeviceID         string         `json:"deviceid,omitempty"`
	VlanID           int            `json:"vlanid,omitempty"`
	MTU              int            `json:"mtu,omitempty"`
	VPCID            string         `json:"vpcid,omitempty"`
	VPCName          string         `json:"vpcname,omitempty"`
	SecondaryIPs     []SecondaryIP  `json:"secondaryip,omitempty"`
	ExtraDHCPOptions []DHCPOption   `json:"extradhcpoption,omitempty"`
	Extra            map[string]any `json:"extra,omitempty"`
}

// SecondaryIP is an extra address of a NIC.
// Each field holds the response field named in its json tag.
type SecondaryIP struct {
	ID        string         `json:"id"`
	IPAddress string         `json:"ipaddress"`
	Extra     map[string]any `json:"extra,omitempty"`
}

// DHCPOption is an extra DHCP option of a NIC.
// Each field holds the response field named in its json tag.
type DHCPOption struct {
	Code  int            `json:"extradhcpoptioncode"`
	Name  string         `json:"extradhcpoptionname,omitempty"`
	Value string         `json:"extradhcpoptionvalue,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

// SecurityGroup is a CloudStack security group, as listed in a virtual
// machine or by listSecurityGroups.
// Each field holds the response field named in its json tag.
type SecurityGroup struct {
	ID                  string              `json:"id"`
	Name                string              `json:"name"`
	Description         string              `json:"description,omitempty"`
	IngressRules        []SecurityGroupRule `json:"ingressrule,omitempty"`
	EgressRules         []SecurityGroupRule `json:"egressrule,omitempty"`
	VirtualMachineCount int                 `json:"virtualmachinecount,omitempty"`
	VirtualMachineIDs   []string            `json:"virtualmachineids,omitempty"`
	Tags                []Tag               `json:"tags,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// SecurityGroupRule is an ingress or egress rule of a security group.
// Each field holds the response field named in its json tag.
type SecurityGroupRule struct {
	RuleID            string         `json:"ruleid"`
	Protocol          string         `json:"protocol,omitempty"`
	StartPort         int            `json:"startport,omitempty"`
	EndPort           int            `json:"endport,omitempty"`
	CIDR              string         `json:"cidr,omitempty"`
	ICMPType          int            `json:"icmptype,omitempty"`
	ICMPCode          int            `json:"icmpcode,omitempty"`
	SecurityGroupName string         `json:"securitygroupname,omitempty"`
	Account           string         `json:"account,omitempty"`
	Tags              []Tag          `json:"tags,omitempty"`
	Extra             map[string]any `json:"extra,omitempty"`
}

// AffinityGroup is an affinity group as listed in a virtual machine.
// Each field holds the response field named in its json tag.
type AffinityGroup struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}
