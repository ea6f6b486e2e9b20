package cloudstack

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FirewallRule is a CloudStack firewall rule: an ingress rule on a public
// IP address (listFirewallRules, createFirewallRule; TrafficType "Ingress")
// or an egress rule of a guest network (listEgressFirewallRules,
// createEgressFirewallRule; TrafficType "Egress"). Ports are 0 when the rule
// covers every port; ICMPType and ICMPCode are nil unless the protocol is
// ICMP (-1 means any).
type FirewallRule struct {
	ID           string         `json:"id"`
	Protocol     string         `json:"protocol"`
	StartPort    int            `json:"startport,omitempty"`
	EndPort      int            `json:"endport,omitempty"`
	ICMPType     *int           `json:"icmptype,omitempty"`
	ICMPCode     *int           `json:"icmpcode,omitempty"`
	IPAddressID  string         `json:"ipaddressid,omitempty"`
	IPAddress    string         `json:"ipaddress,omitempty"`
	NetworkID    string         `json:"networkid,omitempty"`
	CIDRList     string         `json:"cidrlist,omitempty"`
	DestCIDRList string         `json:"destcidrlist,omitempty"`
	TrafficType  string         `json:"traffictype,omitempty"`
	State        string         `json:"state,omitempty"`
	ForDisplay   bool           `json:"fordisplay,omitempty"`
	Tags         []Tag          `json:"tags,omitempty"`
	Extra        map[string]any `json:"extra,omitempty"`
}

// IPForwardingRule is a CloudStack IP forwarding (static NAT) rule: ports of
// a static NAT address opened to its virtual machine
// (listIpForwardingRules, createIpForwardingRule).
type IPForwardingRule struct {
	ID                        string         `json:"id"`
	Protocol                  string         `json:"protocol"`
	StartPort                 int            `json:"startport,omitempty"`
	EndPort                   int            `json:"endport,omitempty"`
	IPAddressID               string         `json:"ipaddressid,omitempty"`
	IPAddress                 string         `json:"ipaddress,omitempty"`
	VirtualMachineID          string         `json:"virtualmachineid,omitempty"`
	VirtualMachineName        string         `json:"virtualmachinename,omitempty"`
	VirtualMachineDisplayName string         `json:"virtualmachinedisplayname,omitempty"`
	VMGuestIP                 string         `json:"vmguestip,omitempty"`
	CIDRList                  string         `json:"cidrlist,omitempty"`
	State                     string         `json:"state,omitempty"`
	Tags                      []Tag          `json:"tags,omitempty"`
	Extra                     map[string]any `json:"extra,omitempty"`
}

// AffinityGroupType is an affinity group type (listAffinityGroupTypes),
// such as "host anti-affinity".
type AffinityGroupType struct {
	Type  string         `json:"type"`
	Extra map[string]any `json:"extra,omitempty"`
}

// Limit is a CloudStack resource limit or availability: a number, or -1 for
// "Unlimited" (as the server writes it in listProjects).
type Limit int64

// Unlimited is the Limit of a resource without limit.
const Unlimited Limit = -1

// UnmarshalJSON reads a number, a numeric string or "Unlimited".
func (l *Limit) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(bytes.Trim(b, `"`)))
	switch {
	case s == "" || s == "null":
		*l = 0
		return nil
	case strings.EqualFold(s, "unlimited"):
		*l = Unlimited
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("cloudstack: bad limit %q", s)
	}
	*l = Limit(f)
	return nil
}

// Project is a CloudStack project (listProjects), with its resource limits,
// usage (Total) and what is left (Available).
type Project struct {
	ID                        string         `json:"id"`
	Name                      string         `json:"name"`
	DisplayText               string         `json:"displaytext,omitempty"`
	State                     string         `json:"state,omitempty"`
	DomainID                  string         `json:"domainid,omitempty"`
	Domain                    string         `json:"domain,omitempty"`
	ProjectAccountName        string         `json:"projectaccountname,omitempty"`
	Created                   time.Time      `json:"created,omitzero"`
	Tags                      []Tag          `json:"tags,omitempty"`
	VMLimit                   Limit          `json:"vmlimit"`
	VMTotal                   int64          `json:"vmtotal"`
	VMAvailable               Limit          `json:"vmavailable"`
	VMRunning                 int64          `json:"vmrunning,omitempty"`
	VMStopped                 int64          `json:"vmstopped,omitempty"`
	IPLimit                   Limit          `json:"iplimit"`
	IPTotal                   int64          `json:"iptotal"`
	IPAvailable               Limit          `json:"ipavailable"`
	VolumeLimit               Limit          `json:"volumelimit"`
	VolumeTotal               int64          `json:"volumetotal"`
	VolumeAvailable           Limit          `json:"volumeavailable"`
	SnapshotLimit             Limit          `json:"snapshotlimit"`
	SnapshotTotal             int64          `json:"snapshottotal"`
	SnapshotAvailable         Limit          `json:"snapshotavailable"`
	TemplateLimit             Limit          `json:"templatelimit"`
	TemplateTotal             int64          `json:"templatetotal"`
	TemplateAvailable         Limit          `json:"templateavailable"`
	NetworkLimit              Limit          `json:"networklimit"`
	NetworkTotal              int64          `json:"networktotal"`
	NetworkAvailable          Limit          `json:"networkavailable"`
	VPCLimit                  Limit          `json:"vpclimit"`
	VPCTotal                  int64          `json:"vpctotal"`
	VPCAvailable              Limit          `json:"vpcavailable"`
	CPULimit                  Limit          `json:"cpulimit"`
	CPUTotal                  int64          `json:"cputotal"`
	CPUAvailable              Limit          `json:"cpuavailable"`
	MemoryLimit               Limit          `json:"memorylimit"`
	MemoryTotal               int64          `json:"memorytotal"`
	MemoryAvailable           Limit          `json:"memoryavailable"`
	PrimaryStorageLimit       Limit          `json:"primarystoragelimit"`
	PrimaryStorageTotal       int64          `json:"primarystoragetotal"`
	PrimaryStorageAvailable   Limit          `json:"primarystorageavailable"`
	SecondaryStorageLimit     Limit          `json:"secondarystoragelimit"`
	SecondaryStorageTotal     float64        `json:"secondarystoragetotal"`
	SecondaryStorageAvailable Limit          `json:"secondarystorageavailable"`
	Extra                     map[string]any `json:"extra,omitempty"`
}

// ResourceLimit is one row of listResourceLimits: the maximum of a resource
// type for an account or project (-1: unlimited).
type ResourceLimit struct {
	ResourceType     int    `json:"resourcetype"`
	ResourceTypeName string `json:"resourcetypename,omitempty"`
	Max              int64  `json:"max"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// OSType is a guest OS type (listOsTypes).
type OSType struct {
	ID             string         `json:"id"`
	Description    string         `json:"description"`
	Name           string         `json:"name,omitempty"`
	OSCategoryID   string         `json:"oscategoryid,omitempty"`
	OSCategoryName string         `json:"oscategoryname,omitempty"`
	IsUserDefined  bool           `json:"isuserdefined,omitempty"`
	Extra          map[string]any `json:"extra,omitempty"`
}
