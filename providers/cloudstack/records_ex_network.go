package cloudstack

import (
	"fmt"
	"time"
)

// NetworkService is a network service of a network, network offering, VPC
// or VPC offering ("Dhcp", "SourceNat", "NetworkACL", ...), with the
// providers that offer it and its capabilities.
type NetworkService struct {
	Name         string              `json:"name"`
	Providers    []ServiceProvider   `json:"provider,omitempty"`
	Capabilities []ServiceCapability `json:"capability,omitempty"`
	Extra        map[string]any      `json:"extra,omitempty"`
}

// ServiceProvider is the provider of a network service ("VirtualRouter",
// "VpcVirtualRouter", ...).
type ServiceProvider struct {
	Name  string         `json:"name"`
	Extra map[string]any `json:"extra,omitempty"`
}

// ServiceCapability is a capability of a network service.
type ServiceCapability struct {
	Name                       string         `json:"name"`
	Value                      string         `json:"value,omitempty"`
	CanChooseServiceCapability bool           `json:"canchooseservicecapability,omitempty"`
	Extra                      map[string]any `json:"extra,omitempty"`
}

// Network is a CloudStack guest network (listNetworks, createNetwork); a
// network with a VPCID is a tier of that VPC.
type Network struct {
	ID                          string           `json:"id"`
	Name                        string           `json:"name"`
	DisplayText                 string           `json:"displaytext,omitempty"`
	State                       string           `json:"state,omitempty"`
	Type                        string           `json:"type,omitempty"`
	TrafficType                 string           `json:"traffictype,omitempty"`
	BroadcastDomainType         string           `json:"broadcastdomaintype,omitempty"`
	BroadcastURI                string           `json:"broadcasturi,omitempty"`
	VLAN                        string           `json:"vlan,omitempty"`
	ZoneID                      string           `json:"zoneid,omitempty"`
	ZoneName                    string           `json:"zonename,omitempty"`
	CIDR                        string           `json:"cidr,omitempty"`
	NetworkCIDR                 string           `json:"networkcidr,omitempty"`
	Gateway                     string           `json:"gateway,omitempty"`
	Netmask                     string           `json:"netmask,omitempty"`
	IP6Gateway                  string           `json:"ip6gateway,omitempty"`
	IP6CIDR                     string           `json:"ip6cidr,omitempty"`
	DNS1                        string           `json:"dns1,omitempty"`
	DNS2                        string           `json:"dns2,omitempty"`
	NetworkDomain               string           `json:"networkdomain,omitempty"`
	NetworkOfferingID           string           `json:"networkofferingid,omitempty"`
	NetworkOfferingName         string           `json:"networkofferingname,omitempty"`
	NetworkOfferingDisplayText  string           `json:"networkofferingdisplaytext,omitempty"`
	NetworkOfferingConserveMode bool             `json:"networkofferingconservemode,omitempty"`
	NetworkOfferingAvailability string           `json:"networkofferingavailability,omitempty"`
	PhysicalNetworkID           string           `json:"physicalnetworkid,omitempty"`
	ACLType                     string           `json:"acltype,omitempty"`
	SubdomainAccess             bool             `json:"subdomainaccess,omitempty"`
	VPCID                       string           `json:"vpcid,omitempty"`
	VPCName                     string           `json:"vpcname,omitempty"`
	ACLID                       string           `json:"aclid,omitempty"`
	ACLName                     string           `json:"aclname,omitempty"`
	IsSystem                    bool             `json:"issystem"`
	IsDefault                   bool             `json:"isdefault,omitempty"`
	IsPersistent                bool             `json:"ispersistent,omitempty"`
	CanUseForDeploy             bool             `json:"canusefordeploy"`
	RestartRequired             bool             `json:"restartrequired"`
	SpecifyIPRanges             bool             `json:"specifyipranges,omitempty"`
	DisplayNetwork              bool             `json:"displaynetwork,omitempty"`
	RedundantRouter             bool             `json:"redundantrouter,omitempty"`
	Related                     string           `json:"related,omitempty"`
	Created                     time.Time        `json:"created,omitzero"`
	Services                    []NetworkService `json:"service,omitempty"`
	Tags                        []Tag            `json:"tags,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// NetworkOffering is a CloudStack network offering (listNetworkOfferings).
// GuestIPType is "Isolated", "Shared" or "L2"; ForVPC offerings make VPC
// tiers. Tags is the offering's tag string (host or storage tags), not
// resource tags.
type NetworkOffering struct {
	ID                  string           `json:"id"`
	Name                string           `json:"name"`
	DisplayText         string           `json:"displaytext,omitempty"`
	GuestIPType         string           `json:"guestiptype,omitempty"`
	TrafficType         string           `json:"traffictype,omitempty"`
	State               string           `json:"state,omitempty"`
	Availability        string           `json:"availability,omitempty"`
	IsDefault           bool             `json:"isdefault"`
	ForVPC              bool             `json:"forvpc"`
	SpecifyVLAN         bool             `json:"specifyvlan"`
	SpecifyIPRanges     bool             `json:"specifyipranges"`
	ConserveMode        bool             `json:"conservemode"`
	IsPersistent        bool             `json:"ispersistent"`
	EgressDefaultPolicy bool             `json:"egressdefaultpolicy"`
	NetworkRate         int              `json:"networkrate,omitempty"`
	ServiceOfferingID   string           `json:"serviceofferingid,omitempty"`
	Tags                string           `json:"tags,omitempty"`
	ZoneID              string           `json:"zoneid,omitempty"`
	DomainID            string           `json:"domainid,omitempty"`
	Created             time.Time        `json:"created,omitzero"`
	Services            []NetworkService `json:"service,omitempty"`
	Extra               map[string]any   `json:"extra,omitempty"`
}

// VPCOffering is a CloudStack VPC offering (listVPCOfferings).
type VPCOffering struct {
	ID                     string           `json:"id"`
	Name                   string           `json:"name"`
	DisplayText            string           `json:"displaytext,omitempty"`
	State                  string           `json:"state,omitempty"`
	IsDefault              bool             `json:"isdefault"`
	DistributedVPCRouter   bool             `json:"distributedvpcrouter,omitempty"`
	SupportsRegionLevelVPC bool             `json:"supportsregionLevelvpc,omitempty"`
	ZoneID                 string           `json:"zoneid,omitempty"`
	DomainID               string           `json:"domainid,omitempty"`
	Created                time.Time        `json:"created,omitzero"`
	Services               []NetworkService `json:"service,omitempty"`
	Extra                  map[string]any   `json:"extra,omitempty"`
}

// VPC is a CloudStack Virtual Private Cloud (listVPCs, createVPC): a CIDR
// whose tiers are networks with its VPCID, behind one virtual router.
type VPC struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name"`
	DisplayText          string           `json:"displaytext,omitempty"`
	State                string           `json:"state,omitempty"`
	CIDR                 string           `json:"cidr,omitempty"`
	ZoneID               string           `json:"zoneid,omitempty"`
	ZoneName             string           `json:"zonename,omitempty"`
	VPCOfferingID        string           `json:"vpcofferingid,omitempty"`
	VPCOfferingName      string           `json:"vpcofferingname,omitempty"`
	NetworkDomain        string           `json:"networkdomain,omitempty"`
	DNS1                 string           `json:"dns1,omitempty"`
	DNS2                 string           `json:"dns2,omitempty"`
	RestartRequired      bool             `json:"restartrequired"`
	RedundantVPCRouter   bool             `json:"redundantvpcrouter,omitempty"`
	DistributedVPCRouter bool             `json:"distributedvpcrouter,omitempty"`
	RegionLevelVPC       bool             `json:"regionlevelvpc,omitempty"`
	ForDisplay           bool             `json:"fordisplay,omitempty"`
	Created              time.Time        `json:"created,omitzero"`
	Networks             []Network        `json:"network,omitempty"`
	Services             []NetworkService `json:"service,omitempty"`
	Tags                 []Tag            `json:"tags,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// Router is a CloudStack virtual router (listRouters): the system VM that
// serves an isolated network or a VPC. PublicIP is its source NAT address.
type Router struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	State               string    `json:"state,omitempty"`
	Role                string    `json:"role,omitempty"`
	ZoneID              string    `json:"zoneid,omitempty"`
	ZoneName            string    `json:"zonename,omitempty"`
	VPCID               string    `json:"vpcid,omitempty"`
	VPCName             string    `json:"vpcname,omitempty"`
	PublicIP            string    `json:"publicip,omitempty"`
	PublicMACAddress    string    `json:"publicmacaddress,omitempty"`
	PublicNetmask       string    `json:"publicnetmask,omitempty"`
	PublicNetworkID     string    `json:"publicnetworkid,omitempty"`
	GuestIPAddress      string    `json:"guestipaddress,omitempty"`
	GuestMACAddress     string    `json:"guestmacaddress,omitempty"`
	GuestNetmask        string    `json:"guestnetmask,omitempty"`
	GuestNetworkID      string    `json:"guestnetworkid,omitempty"`
	GuestNetworkName    string    `json:"guestnetworkname,omitempty"`
	LinkLocalIP         string    `json:"linklocalip,omitempty"`
	Gateway             string    `json:"gateway,omitempty"`
	DNS1                string    `json:"dns1,omitempty"`
	DNS2                string    `json:"dns2,omitempty"`
	NetworkDomain       string    `json:"networkdomain,omitempty"`
	TemplateID          string    `json:"templateid,omitempty"`
	TemplateName        string    `json:"templatename,omitempty"`
	ServiceOfferingID   string    `json:"serviceofferingid,omitempty"`
	ServiceOfferingName string    `json:"serviceofferingname,omitempty"`
	HostID              string    `json:"hostid,omitempty"`
	HostName            string    `json:"hostname,omitempty"`
	Hypervisor          string    `json:"hypervisor,omitempty"`
	PodID               string    `json:"podid,omitempty"`
	Version             string    `json:"version,omitempty"`
	IsRedundantRouter   bool      `json:"isredundantrouter"`
	RedundantState      string    `json:"redundantstate,omitempty"`
	RequiresUpgrade     bool      `json:"requiresupgrade"`
	Created             time.Time `json:"created,omitzero"`
	NICs                []NIC     `json:"nic,omitempty"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// NetworkACLList is a CloudStack network ACL list (listNetworkACLLists,
// createNetworkACLList): the rules a VPC tier applies. The built-in lists
// "default_allow" and "default_deny" have no VPCID.
type NetworkACLList struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	VPCID       string         `json:"vpcid,omitempty"`
	VPCName     string         `json:"vpcname,omitempty"`
	ForDisplay  bool           `json:"fordisplay,omitempty"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// NetworkACL is a rule of a network ACL list (listNetworkACLs,
// createNetworkACL). Ports are strings, as in the API; Number orders the
// rules of a list; Action is "Allow" or "Deny"; TrafficType "Ingress" or
// "Egress".
type NetworkACL struct {
	ID          string         `json:"id"`
	ACLID       string         `json:"aclid,omitempty"`
	ACLName     string         `json:"aclname,omitempty"`
	Number      int            `json:"number,omitempty"`
	Protocol    string         `json:"protocol,omitempty"`
	StartPort   string         `json:"startport,omitempty"`
	EndPort     string         `json:"endport,omitempty"`
	ICMPType    int            `json:"icmptype,omitempty"`
	ICMPCode    int            `json:"icmpcode,omitempty"`
	CIDRList    string         `json:"cidrlist,omitempty"`
	Action      string         `json:"action,omitempty"`
	TrafficType string         `json:"traffictype,omitempty"`
	State       string         `json:"state,omitempty"`
	Reason      string         `json:"reason,omitempty"`
	ForDisplay  bool           `json:"fordisplay,omitempty"`
	Tags        []Tag          `json:"tags,omitempty"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// VPNGateway is a site-to-site VPN gateway of a VPC (listVpnGateways,
// createVpnGateway); PublicIP is the VPC's source NAT address.
type VPNGateway struct {
	ID         string    `json:"id"`
	PublicIP   string    `json:"publicip,omitempty"`
	VPCID      string    `json:"vpcid,omitempty"`
	VPCName    string    `json:"vpcname,omitempty"`
	ForDisplay bool      `json:"fordisplay,omitempty"`
	Removed    time.Time `json:"removed,omitzero"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// VPNCustomerGateway is the remote end of a site-to-site VPN
// (listVpnCustomerGateways, createVpnCustomerGateway). IPsecPSK is the
// pre-shared key as the server returns it: a secret, never logged by the
// driver. Lifetimes are in seconds.
type VPNCustomerGateway struct {
	ID               string    `json:"id"`
	Name             string    `json:"name,omitempty"`
	Gateway          string    `json:"gateway,omitempty"`
	IPAddress        string    `json:"ipaddress,omitempty"`
	CIDRList         string    `json:"cidrlist,omitempty"`
	IKEPolicy        string    `json:"ikepolicy,omitempty"`
	ESPPolicy        string    `json:"esppolicy,omitempty"`
	IKELifetime      int64     `json:"ikelifetime,omitempty"`
	ESPLifetime      int64     `json:"esplifetime,omitempty"`
	IKEVersion       string    `json:"ikeversion,omitempty"`
	IPsecPSK         string    `json:"ipsecpsk,omitempty"`
	DPD              bool      `json:"dpd"`
	ForceEncap       bool      `json:"forceencap"`
	SplitConnections bool      `json:"splitconnections"`
	Removed          time.Time `json:"removed,omitzero"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// VPNConnection is a site-to-site VPN connection between a VPN gateway and
// a customer gateway (listVpnConnections, createVpnConnection). State is
// "Pending", "Connecting", "Connected", "Disconnected" or "Error"; the
// policy fields repeat the customer gateway's.
type VPNConnection struct {
	ID                string    `json:"id"`
	State             string    `json:"state,omitempty"`
	Passive           bool      `json:"passive"`
	VPNGatewayID      string    `json:"s2svpngatewayid,omitempty"`
	CustomerGatewayID string    `json:"s2scustomergatewayid,omitempty"`
	PublicIP          string    `json:"publicip,omitempty"`
	Gateway           string    `json:"gateway,omitempty"`
	CIDRList          string    `json:"cidrlist,omitempty"`
	IKEPolicy         string    `json:"ikepolicy,omitempty"`
	ESPPolicy         string    `json:"esppolicy,omitempty"`
	IKELifetime       int64     `json:"ikelifetime,omitempty"`
	ESPLifetime       int64     `json:"esplifetime,omitempty"`
	IKEVersion        string    `json:"ikeversion,omitempty"`
	IPsecPSK          string    `json:"ipsecpsk,omitempty"`
	DPD               bool      `json:"dpd"`
	ForceEncap        bool      `json:"forceencap"`
	SplitConnections  bool      `json:"splitconnections"`
	ForDisplay        bool      `json:"fordisplay,omitempty"`
	Created           time.Time `json:"created,omitzero"`
	Removed           time.Time `json:"removed,omitzero"`
	Owner
	Extra map[string]any `json:"extra,omitempty"`
}

// String renders the gateway with the pre-shared key redacted.
func (g VPNCustomerGateway) String() string {
	type plain VPNCustomerGateway
	g.IPsecPSK = redactPSK(g.IPsecPSK)
	return fmt.Sprintf("%+v", plain(g))
}

// GoString is String, so that %#v does not print the pre-shared key.
func (g VPNCustomerGateway) GoString() string { return g.String() }

// String renders the connection with the pre-shared key redacted.
func (c VPNConnection) String() string {
	type plain VPNConnection
	c.IPsecPSK = redactPSK(c.IPsecPSK)
	return fmt.Sprintf("%+v", plain(c))
}

// GoString is String, so that %#v does not print the pre-shared key.
func (c VPNConnection) GoString() string { return c.String() }

// redactPSK hides a pre-shared key, keeping whether there was one.
func redactPSK(psk string) string {
	if psk == "" {
		return ""
	}
	return "REDACTED"
}
