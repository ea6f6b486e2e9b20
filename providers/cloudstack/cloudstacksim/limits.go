package cloudstacksim

import (
	"strconv"
	"strings"
)

// Resource types of resource limits (Resource.ResourceType ordinals).
const (
	resUserVM = iota
	resPublicIP
	resVolume
	resSnapshot
	resTemplate
	resProject
	resNetwork
	resVPC
	resCPU
	resMemory
	resPrimaryStorage
	resSecondaryStorage
	resourceTypeCount
)

// resourceTypeNames are the resourcetypename values, by type.
var resourceTypeNames = [resourceTypeCount]string{
	"user_vm", "public_ip", "volume", "snapshot", "template", "project", "network", "vpc", "cpu", "memory",
	"primary_storage", "secondary_storage",
}

// unlimited returns limits with every type unlimited (-1).
func unlimited() [resourceTypeCount]int64 {
	var l [resourceTypeCount]int64
	for i := range l {
		l[i] = -1
	}
	return l
}

// usage returns how much of resource type rt account a uses.
func (st *state) usage(a *account, rt int) int64 {
	switch rt {
	case resUserVM, resCPU, resMemory:
		return sum(st.vms.list, func(v *vm) int64 {
			switch {
			case v.acct != a || v.gone():
				return 0
			case rt == resCPU:
				return int64(v.cpuNumber)
			case rt == resMemory:
				return int64(v.memory)
			}
			return 1
		})
	case resPublicIP:
		return count(st.publicIPs.list, func(ip *publicIP) bool { return ip.acct == a })
	case resVolume, resPrimaryStorage:
		return sum(st.volumes.list, func(v *volume) int64 {
			switch {
			case v.acct != a || v.state == "Destroy":
				return 0
			case rt == resPrimaryStorage:
				return v.size >> 30
			}
			return 1
		})
	case resSnapshot, resSecondaryStorage:
		return sum(st.snapshots.list, func(s *snapshot) int64 {
			switch {
			case s.acct != a:
				return 0
			case rt == resSecondaryStorage:
				return s.size >> 30
			}
			return 1
		})
	case resTemplate:
		return count(st.templates.list, func(t *template) bool { return t.acct == a })
	case resProject:
		return count(st.projects.list, func(p *project) bool { return p.owner == a })
	case resVPC:
		return count(st.vpcs.list, func(v *vpc) bool { return v.acct == a })
	case resNetwork:
		return count(st.networks.list, func(nw *network) bool { return nw.acct == a && nw.aclType == "Account" })
	}
	return 0
}

// sum adds f over items.
func sum[T any](items []T, f func(T) int64) int64 {
	var n int64
	for _, it := range items {
		n += f(it)
	}
	return n
}

// count counts the items that match.
func count[T any](items []T, match func(T) bool) int64 {
	return sum(items, func(it T) int64 {
		if match(it) {
			return 1
		}
		return 0
	})
}

// checkLimits verifies that adding deltas keeps owner within its limits;
// root admin accounts are not limited.
func (c *call) checkLimits(owner *account, deltas map[int]int64) error {
	if owner.isRootAdmin() {
		return nil
	}
	for rt := 0; rt < resourceTypeCount; rt++ {
		d, ok := deltas[rt]
		max := owner.limits[rt]
		if !ok || max < 0 {
			continue
		}
		if c.st.usage(owner, rt)+d > max {
			return limitExceeded("Maximum number of resources of type '%s' for account name=%s in domain id=%s has been exceeded.",
				resourceTypeNames[rt], owner.name, owner.domain.id)
		}
	}
	return nil
}

// resourceLimitView is the resourcelimit response object.
type resourceLimitView struct {
	ownerFields
	ResourceType     string `json:"resourcetype"`
	ResourceTypeName string `json:"resourcetypename"`
	Max              int64  `json:"max"`
}

func viewLimit(a *account, rt int) any {
	return resourceLimitView{ownerFields: ownerView(a), ResourceType: strconv.Itoa(rt),
		ResourceTypeName: resourceTypeNames[rt], Max: a.limits[rt]}
}

type limitRow struct {
	a  *account
	rt int
}

func init() {
	register(
		cmdDef{Name: "listResourceLimits", ReadOnly: true, Handler: listResourceLimits, ItemKey: "resourcelimit"},
		cmdDef{Name: "updateResourceLimit", Handler: updateResourceLimit, ItemKey: "resourcelimit"},
	)
}

// resourceTypeParam reads resourcetype / resourcetypename (-1 when absent).
func (c *call) resourceTypeParam() (int, error) {
	if name, ok := c.str("resourcetypename"); ok {
		for i, n := range resourceTypeNames {
			if strings.EqualFold(n, name) {
				return i, nil
			}
		}
		return 0, invalidParam("Please specify a valid resource type name.")
	}
	if !c.has("resourcetype") {
		return -1, nil
	}
	rt := int(c.integer("resourcetype", -1))
	if rt < 0 || rt >= resourceTypeCount {
		return 0, invalidParam("Please specify a valid resource type.")
	}
	return rt, nil
}

func listResourceLimits(c *call) (reply, error) {
	sc, err := c.scope(false)
	if err != nil {
		return nil, err
	}
	if c.has("projectid") {
		sc.projects = projectsOnly
	}
	only, err := c.resourceTypeParam()
	if err != nil {
		return nil, err
	}
	var rows []limitRow
	for _, a := range c.st.accounts.list {
		if a.name == "system" || !sc.allows(a) {
			continue
		}
		for rt := 0; rt < resourceTypeCount; rt++ {
			if only < 0 || rt == only {
				rows = append(rows, limitRow{a, rt})
			}
		}
	}
	return listItems(c, "resourcelimit", rows, nil, func(r limitRow) any { return viewLimit(r.a, r.rt) }), nil
}

func updateResourceLimit(c *call) (reply, error) {
	if !c.caller.isRootAdmin() {
		return nil, permissionDenied("Only ROOT admin can update resource limits")
	}
	rt, err := c.resourceTypeParam()
	if err != nil {
		return nil, err
	}
	if rt < 0 {
		return nil, missingParam(c.apiName, "resourcetype")
	}
	target, err := c.owner()
	if err != nil {
		return nil, err
	}
	max := c.integer("max", -1)
	if max < -1 {
		max = -1
	}
	target.limits[rt] = max
	return objReply{"resourcelimit", viewLimit(target, rt)}, nil
}
