package cloudstack

import "time"

// PublicIP is a CloudStack public IP address (listPublicIpAddresses,
// associateIpAddress). VirtualMachineID is set when static NAT maps it to a
// virtual machine.
// Each field holds the response field named in its json tag.
type PublicIP struct {
	ID                        string    `json:"id"`
	IPAddress                 string    `json:"ipaddress"`
	State                     string    `json:"state,omitempty"`
	ZoneID                    string    `json:"zoneid,omitempty"`
	ZoneName                  string    `json:"zonename,omitempty"`
	AssociatedNetworkID       string    `json:"associatednetworkid,omitempty"`
	AssociatedNetworkName     string    `json:"associatednetworkname,omitempty"`
	NetworkID                 string    `json:"networkid,omitempty"`
	IsSourceNAT               bool      `json:"issourcenat"`
	IsStaticNAT               bool      `json:"isstaticnat"`
	IsSystem                  bool      `json:"issystem,omitempty"`
	IsPortable                bool      `json:"isportable,omitempty"`
	ForVirtualNetwork         bool      `json:"forvirtualnetwork,omitempty"`
	VirtualMachineID          string    `json:"virtualmachineid,omitempty"`
	VirtualMachineName        string    `json:"virtualmachinename,omitempty"`
	VirtualMachineDisplayName string    `json:"virtualmachinedisplayname,omitempty"`
	VMIPAddress               string    `json:"vmipaddress,omitempty"`
	VPCID                     string    `json:"vpcid,omitempty"`
	VlanID                    string    `json:"vlanid,omitempty"`
	Purpose                   string    `json:"purpose,omitempty"`
	Allocated                 time.Time `json:"allocated,omitzero"`
	Tags                      []Tag     `json:"tags,omitempty"`
	HasAnnotations            bool      `json:"hasannotations,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// PortForwardingRule is a CloudStack port forwarding rule
// (listPortForwardingRules). Ports are strings, as in the API.
// Each field holds the response field named in its json tag.
type PortForwardingRule struct {
	ID                        string         `json:"id"`
	IPAddressID               string         `json:"ipaddressid,omitempty"`
	IPAddress                 string         `json:"ipaddress,omitempty"`
	Protocol                  string         `json:"protocol,omitempty"`
	PublicPort                string         `json:"publicport,omitempty"`
	PublicEndPort             string         `json:"publicendport,omitempty"`
	PrivatePort               string         `json:"privateport,omitempty"`
	PrivateEndPort            string         `json:"privateendport,omitempty"`
	VirtualMachineID          string         `json:"virtualmachineid,omitempty"`
	VirtualMachineName        string         `json:"virtualmachinename,omitempty"`
	VirtualMachineDisplayName string         `json:"virtualmachinedisplayname,omitempty"`
	VMGuestIP                 string         `json:"vmguestip,omitempty"`
	CIDRList                  string         `json:"cidrlist,omitempty"`
	State                     string         `json:"state,omitempty"`
	NetworkID                 string         `json:"networkid,omitempty"`
	ForDisplay                bool           `json:"fordisplay,omitempty"`
	Tags                      []Tag          `json:"tags,omitempty"`
	HasAnnotations            bool           `json:"hasannotations,omitempty"`
	Extra                     map[string]any `json:"extra,omitempty"`
}
