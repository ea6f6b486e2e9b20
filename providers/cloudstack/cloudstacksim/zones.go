package cloudstacksim

import "net/netip"

// zone is an availability zone. Each zone has one simulated host VMs run on.
type zone struct {
	base
	name                   string
	description            string
	networkType            string // Advanced or Basic
	securityGroupsEnabled  bool
	localStorageEnabled    bool
	dns1, dns2, internalDN string
	guestCIDR              string
	hostID, hostName       string
	publicPool             netip.Prefix // the zone's public IP pool
	nextPublic             int
	freePublic             []int
}

// zoneView is the zone response object.
type zoneView struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	Description           string         `json:"description,omitempty"`
	DNS1                  string         `json:"dns1,omitempty"`
	DNS2                  string         `json:"dns2,omitempty"`
	InternalDNS1          string         `json:"internaldns1,omitempty"`
	GuestCIDRAddress      string         `json:"guestcidraddress,omitempty"`
	NetworkType           string         `json:"networktype"`
	SecurityGroupsEnabled bool           `json:"securitygroupsenabled"`
	AllocationState       string         `json:"allocationstate"`
	ZoneToken             string         `json:"zonetoken,omitempty"`
	DHCPProvider          string         `json:"dhcpprovider"`
	LocalStorageEnabled   bool           `json:"localstorageenabled"`
	Type                  string         `json:"type"`
	Tags                  []resourceTagV `json:"tags"`
	HasAnnotations        bool           `json:"hasannotations"`
}

func (c *call) viewZone(z *zone) any {
	v := zoneView{ID: z.id, Name: z.name, Description: z.description, DNS1: z.dns1, DNS2: z.dns2,
		NetworkType: z.networkType, SecurityGroupsEnabled: z.securityGroupsEnabled, AllocationState: "Enabled",
		DHCPProvider: "VirtualRouter", LocalStorageEnabled: z.localStorageEnabled, Type: "Core",
		Tags: c.tagViews(z.id)}
	if c.caller.isRootAdmin() {
		v.InternalDNS1, v.GuestCIDRAddress, v.ZoneToken = z.internalDN, z.guestCIDR, z.id[:8]
	}
	return v
}

func init() {
	register(cmdDef{Name: "listZones", ReadOnly: true, IDKind: kindZone, Handler: listZones, ItemKey: "zone"})
}

func listZones(c *call) (reply, error) {
	id, _ := refAs[*zone](c, "id")
	ids := refsAs[*zone](c, "ids")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	netType, hasNetType := c.str("networktype")
	keep := func(z *zone) bool {
		switch {
		case id != nil && z != id,
			c.has("ids") && !contains(ids, z),
			hasName && z.name != name,
			hasKeyword && !keywordMatch(keyword, z.name, z.description),
			hasNetType && !equalFold(z.networkType, netType),
			!c.matchTags(z.id):
			return false
		}
		return true
	}
	return listItems(c, "zone", c.st.zones.list, keep, func(z *zone) any { return c.viewZone(z) }), nil
}
