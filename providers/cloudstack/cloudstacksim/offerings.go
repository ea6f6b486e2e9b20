package cloudstacksim

import "strings"

// serviceOffering is a compute offering (VM size).
type serviceOffering struct {
	base
	name, displayText string
	cpuNumber         int
	cpuSpeed          int // MHz
	memory            int // MB
	system            bool
	offerHA           bool
	storageType       string
	rootDiskSize      int64 // GB, 0 = template size
}

// serviceOfferingView is the serviceoffering response object.
type serviceOfferingView struct {
	ID                     string `json:"id"`
	Name                   string `json:"name"`
	DisplayText            string `json:"displaytext"`
	CPUNumber              int    `json:"cpunumber"`
	CPUSpeed               int    `json:"cpuspeed"`
	Memory                 int    `json:"memory"`
	Created                string `json:"created"`
	StorageType            string `json:"storagetype"`
	ProvisioningType       string `json:"provisioningtype"`
	OfferHA                bool   `json:"offerha"`
	LimitCPUUse            bool   `json:"limitcpuuse"`
	IsVolatile             bool   `json:"isvolatile"`
	IsSystem               bool   `json:"issystem"`
	SystemVMType           string `json:"systemvmtype,omitempty"`
	DefaultUse             bool   `json:"defaultuse"`
	IsCustomized           bool   `json:"iscustomized"`
	RootDiskSize           int64  `json:"rootdisksize,omitempty"`
	DynamicScalingEnabled  bool   `json:"dynamicscalingenabled"`
	DiskOfferingStrictness bool   `json:"diskofferingstrictness"`
	CacheMode              string `json:"cacheMode"`
	HasAnnotations         bool   `json:"hasannotations"`
}

func viewServiceOffering(o *serviceOffering) any {
	v := serviceOfferingView{ID: o.id, Name: o.name, DisplayText: o.displayText, CPUNumber: o.cpuNumber,
		CPUSpeed: o.cpuSpeed, Memory: o.memory, Created: fmtDate(o.created), StorageType: o.storageType,
		ProvisioningType: "thin", OfferHA: o.offerHA, IsSystem: o.system,
		RootDiskSize: o.rootDiskSize, DynamicScalingEnabled: true, CacheMode: "none"}
	if o.system {
		v.SystemVMType, v.DefaultUse = "domainrouter", true
	}
	return v
}

// diskOffering is a disk offering; customized ones take a size.
type diskOffering struct {
	base
	name, displayText string
	diskSize          int64 // GB; 0 when customized
	customized        bool
	storageType       string
}

// diskOfferingView is the diskoffering response object.
type diskOfferingView struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	DisplayText        string `json:"displaytext"`
	DiskSize           int64  `json:"disksize"`
	Created            string `json:"created"`
	IsCustomized       bool   `json:"iscustomized"`
	StorageType        string `json:"storagetype"`
	ProvisioningType   string `json:"provisioningtype"`
	DisplayOffering    bool   `json:"displayoffering"`
	CacheMode          string `json:"cacheMode"`
	Encrypt            bool   `json:"encrypt"`
	DiskSizeStrictness bool   `json:"disksizestrictness"`
	HasAnnotations     bool   `json:"hasannotations"`
}

func viewDiskOffering(o *diskOffering) any {
	return diskOfferingView{ID: o.id, Name: o.name, DisplayText: o.displayText, DiskSize: o.diskSize,
		Created: fmtDate(o.created), IsCustomized: o.customized, StorageType: o.storageType,
		ProvisioningType: "thin", DisplayOffering: true, CacheMode: "none"}
}

// networkOffering is a network offering.
type networkOffering struct {
	base
	name, displayText string
	guestIPType       string // Shared, Isolated, L2
	services          []string
	forVPC            bool
	isDefault         bool
	specifyVLAN       bool
	specifyIPRanges   bool
	sysOffering       *serviceOffering
}

type providerV struct {
	Name string `json:"name"`
}

type serviceV struct {
	Name     string      `json:"name"`
	Provider []providerV `json:"provider"`
}

// networkOfferingView is the networkoffering response object.
type networkOfferingView struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	DisplayText         string     `json:"displaytext"`
	TrafficType         string     `json:"traffictype"`
	IsDefault           bool       `json:"isdefault"`
	SpecifyVLAN         bool       `json:"specifyvlan"`
	ConserveMode        bool       `json:"conservemode"`
	SpecifyIPRanges     bool       `json:"specifyipranges"`
	Availability        string     `json:"availability"`
	NetworkRate         int        `json:"networkrate"`
	State               string     `json:"state"`
	GuestIPType         string     `json:"guestiptype"`
	ServiceOfferingID   string     `json:"serviceofferingid,omitempty"`
	Service             []serviceV `json:"service"`
	ForVPC              bool       `json:"forvpc"`
	IsPersistent        bool       `json:"ispersistent"`
	EgressDefaultPolicy bool       `json:"egressdefaultpolicy"`
	SupportsPublicAcces bool       `json:"supportspublicaccess"`
	Created             string     `json:"created"`
	HasAnnotations      bool       `json:"hasannotations"`
}

func viewNetworkOffering(o *networkOffering) any {
	v := networkOfferingView{ID: o.id, Name: o.name, DisplayText: o.displayText, TrafficType: "Guest",
		IsDefault: o.isDefault, SpecifyVLAN: o.specifyVLAN, ConserveMode: true, SpecifyIPRanges: o.specifyIPRanges,
		Availability: "Optional", NetworkRate: 200, State: "Enabled", GuestIPType: o.guestIPType,
		Service: servicesView(o.services), ForVPC: o.forVPC, Created: fmtDate(o.created)}
	if o.sysOffering != nil {
		v.ServiceOfferingID = o.sysOffering.id
	}
	return v
}

// servicesView renders network services, all provided by the virtual router
// (security groups by the SecurityGroupProvider).
func servicesView(names []string) []serviceV {
	out := make([]serviceV, 0, len(names))
	for _, n := range names {
		p := "VirtualRouter"
		if n == "SecurityGroup" {
			p = "SecurityGroupProvider"
		}
		out = append(out, serviceV{Name: n, Provider: []providerV{{Name: p}}})
	}
	return out
}

func init() {
	register(
		cmdDef{Name: "listServiceOfferings", ReadOnly: true, IDKind: kindServiceOffering, Handler: listServiceOfferings, ItemKey: "serviceoffering"},
		cmdDef{Name: "listDiskOfferings", ReadOnly: true, IDKind: kindDiskOffering, Handler: listDiskOfferings, ItemKey: "diskoffering"},
		cmdDef{Name: "listNetworkOfferings", ReadOnly: true, IDKind: kindNetworkOffering, Handler: listNetworkOfferings, ItemKey: "networkoffering"},
	)
}

func listServiceOfferings(c *call) (reply, error) {
	id, _ := refAs[*serviceOffering](c, "id")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	system := c.boolean("issystem", false)
	vm, _ := refAs[*vm](c, "virtualmachineid")
	if vm != nil {
		if err := c.checkAccess(vm.acct, "VM "+vm.id); err != nil {
			return nil, err
		}
	}
	keep := func(o *serviceOffering) bool {
		switch {
		case id != nil && o != id,
			hasName && o.name != name,
			hasKeyword && !keywordMatch(keyword, o.name, o.displayText),
			o.system != system,
			vm != nil && o == vm.offering:
			return false
		}
		return true
	}
	return listItems(c, "serviceoffering", c.st.serviceOfferings.list, keep, viewServiceOffering), nil
}

func listDiskOfferings(c *call) (reply, error) {
	id, _ := refAs[*diskOffering](c, "id")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	keep := func(o *diskOffering) bool {
		switch {
		case id != nil && o != id,
			hasName && o.name != name,
			hasKeyword && !keywordMatch(keyword, o.name, o.displayText):
			return false
		}
		return true
	}
	return listItems(c, "diskoffering", c.st.diskOfferings.list, keep, viewDiskOffering), nil
}

func listNetworkOfferings(c *call) (reply, error) {
	id, _ := refAs[*networkOffering](c, "id")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	guest, hasGuest := c.str("guestiptype")
	state, hasState := c.str("state")
	keep := func(o *networkOffering) bool {
		switch {
		case id != nil && o != id,
			hasName && o.name != name,
			hasKeyword && !keywordMatch(keyword, o.name, o.displayText),
			hasGuest && !strings.EqualFold(o.guestIPType, guest),
			hasState && !strings.EqualFold(state, "Enabled"),
			c.has("forvpc") && o.forVPC != c.boolean("forvpc", false),
			c.has("isdefault") && o.isDefault != c.boolean("isdefault", false):
			return false
		}
		return true
	}
	return listItems(c, "networkoffering", c.st.networkOfferings.list, keep, viewNetworkOffering), nil
}
