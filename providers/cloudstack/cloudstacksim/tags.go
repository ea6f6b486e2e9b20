package cloudstacksim

import (
	"sort"
	"strings"
)

// resourceTag is a key/value tag on a resource.
type resourceTag struct {
	owned
	key, value   string
	resourceType string
	resourceID   string
	customer     string
}

// resourceTagV is the tag response object.
type resourceTagV struct {
	Key          string `json:"key"`
	Value        string `json:"value"`
	ResourceType string `json:"resourcetype"`
	ResourceID   string `json:"resourceid"`
	ownerFields
	Customer string `json:"customer,omitempty"`
}

// taggable maps the resource types createTags accepts (canonical spelling)
// to the entity kind holding them. Family files add types with
// registerTaggable.
var taggable = map[string]string{}

// registerTaggable makes resourceType taggable; its ids are of kind.
func registerTaggable(resourceType, kind string) { taggable[resourceType] = kind }

func init() {
	for t, k := range map[string]string{
		"UserVm": kindVM, "Template": kindTemplate, "Volume": kindVolume, "Snapshot": kindSnapshot,
		"Network": kindNetwork, "PortForwardingRule": kindPFRule, "FirewallRule": kindFirewallRule,
		"SecurityGroup": kindSecurityGroup, "PublicIpAddress": kindPublicIP, "Project": kindProject,
		"Zone": kindZone, "ServiceOffering": kindServiceOffering, "DiskOffering": kindDiskOffering,
		"AffinityGroup": kindAffinityGroup,
	} {
		registerTaggable(t, k)
	}
	register(
		cmdDef{Name: "createTags", Handler: createTags, InstanceType: "None", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.tag.CreateTagsCmd"},
		cmdDef{Name: "deleteTags", Handler: deleteTags, InstanceType: "None", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.tag.DeleteTagsCmd"},
		cmdDef{Name: "listTags", ReadOnly: true, Handler: listTags, ItemKey: "tag"},
	)
}

// canonicalResourceType returns the canonical spelling of a resource type
// (matched case-insensitively).
func canonicalResourceType(t string) (string, bool) {
	for name := range taggable {
		if strings.EqualFold(name, t) {
			return name, true
		}
	}
	return "", false
}

// ownerOf returns the account owning e, if e is owned.
func ownerOf(e entity) *account {
	if o, ok := e.(interface{ owner() *account }); ok {
		return o.owner()
	}
	return nil
}

// tagViews returns the tags of a resource.
func (c *call) tagViews(id string) []resourceTagV {
	tags := c.st.tags[id]
	out := make([]resourceTagV, 0, len(tags))
	for _, t := range tags {
		out = append(out, viewTag(t))
	}
	return out
}

func viewTag(t *resourceTag) resourceTagV {
	return resourceTagV{Key: t.key, Value: t.value, ResourceType: t.resourceType, ResourceID: t.resourceID,
		ownerFields: ownerView(t.acct), Customer: t.customer}
}

// matchTags reports whether resource id carries every tag of the request's
// tags[i].key / tags[i].value filter (true without a filter).
func (c *call) matchTags(id string) bool {
	filter := c.maps["tags"]
	if len(filter) == 0 {
		return true
	}
	have := c.st.tags[id]
	for _, f := range filter {
		key, value := f["key"], f["value"]
		found := false
		for _, t := range have {
			if t.key == key && (value == "" || t.value == value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// tagTargets resolves createTags/deleteTags targets: the resource type and
// every resource, which the caller must be allowed to touch.
func (c *call) tagTargets() (string, []entity, error) {
	rt, ok := canonicalResourceType(c.str0("resourcetype"))
	if !ok {
		return "", nil, invalidParam("Invalid resource type %s", c.str0("resourcetype"))
	}
	lookup := kindLookups[taggable[rt]]
	var out []entity
	for _, id := range c.list("resourceids") {
		var e entity
		if lookup != nil {
			e, _ = lookup(c.st, id)
		}
		if e == nil {
			return "", nil, invalidParam("Unable to find resource by id %s and type %s", id, rt)
		}
		if err := c.checkAccess(ownerOf(e), rt+" "+id); err != nil {
			return "", nil, err
		}
		out = append(out, e)
	}
	return rt, out, nil
}

func createTags(c *call) (reply, error) {
	rt, targets, err := c.tagTargets()
	if err != nil {
		return nil, err
	}
	pairs := c.mapList("tags")
	customer := c.str0("customer")
	return &asyncReply{run: func() (reply, error) {
		for _, e := range targets {
			id := e.meta().id
			for _, p := range pairs {
				for _, t := range c.st.tags[id] {
					if t.key == p["key"] {
						return nil, invalidParam("tag %s already on %s with id %s", p["key"], rt, id)
					}
				}
			}
		}
		for _, e := range targets {
			id := e.meta().id
			o := ownerOf(e)
			if o == nil {
				o = c.caller
			}
			for _, p := range pairs {
				c.st.tags[id] = append(c.st.tags[id], &resourceTag{owned: owned{acct: o}, key: p["key"], value: p["value"],
					resourceType: rt, resourceID: id, customer: customer})
			}
		}
		return successReply{}, nil
	}}, nil
}

func deleteTags(c *call) (reply, error) {
	_, targets, err := c.tagTargets()
	if err != nil {
		return nil, err
	}
	pairs := c.mapList("tags")
	return &asyncReply{run: func() (reply, error) {
		for _, e := range targets {
			id := e.meta().id
			var keep []*resourceTag
			for _, t := range c.st.tags[id] {
				if !tagSelected(t, pairs) {
					keep = append(keep, t)
				}
			}
			if len(keep) == 0 {
				delete(c.st.tags, id)
			} else {
				c.st.tags[id] = keep
			}
		}
		return successReply{}, nil
	}}, nil
}

// tagSelected reports whether deleteTags' tags filter selects t (every tag
// when the filter is empty).
func tagSelected(t *resourceTag, pairs []map[string]string) bool {
	if len(pairs) == 0 {
		return true
	}
	for _, p := range pairs {
		if p["key"] == t.key && (p["value"] == "" || p["value"] == t.value) {
			return true
		}
	}
	return false
}

func listTags(c *call) (reply, error) {
	sc, err := c.scope(false)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(c.st.tags))
	for id := range c.st.tags {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var all []*resourceTag
	for _, id := range ids {
		all = append(all, c.st.tags[id]...)
	}
	rt, hasRT := c.str("resourcetype")
	rid, hasRID := c.str("resourceid")
	key, hasKey := c.str("key")
	value, hasValue := c.str("value")
	customer, hasCustomer := c.str("customer")
	keyword, hasKeyword := c.str("keyword")
	keep := func(t *resourceTag) bool {
		switch {
		case !sc.allows(t.acct),
			hasRT && !strings.EqualFold(t.resourceType, rt),
			hasRID && t.resourceID != rid,
			hasKey && t.key != key,
			hasValue && t.value != value,
			hasCustomer && t.customer != customer,
			hasKeyword && !keywordMatch(keyword, t.key, t.value):
			return false
		}
		return true
	}
	return listItems(c, "tag", all, keep, func(t *resourceTag) any { return viewTag(t) }), nil
}
