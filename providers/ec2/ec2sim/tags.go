package ec2sim

import (
	"sort"
	"strings"
)

func init() {
	register(map[string]handler{"CreateTags": createTags, "DeleteTags": deleteTags, "DescribeTags": describeTags})
}

// resourceTypes maps id prefixes to the resource types of tag answers.
var resourceTypes = map[string]string{
	"i": "instance", "ami": "image", "vol": "volume", "snap": "snapshot", "sg": "security-group",
	"vpc": "vpc", "subnet": "subnet", "eni": "network-interface", "eipalloc": "elastic-ip", "key": "key-pair",
	"r": "reservation",
}

// resourceType returns the type of a resource id, or "".
func resourceType(id string) string {
	prefix, _, ok := strings.Cut(id, "-")
	if !ok {
		return ""
	}
	return resourceTypes[prefix]
}

// exists reports whether a resource id names an existing resource.
func (st *state) exists(id string) bool {
	switch resourceType(id) {
	case "instance":
		return st.instances[id] != nil
	case "image":
		return st.images[id] != nil
	case "volume":
		return st.volumes[id] != nil
	case "snapshot":
		return st.snapshots[id] != nil
	case "security-group":
		return st.groups[id] != nil
	case "vpc":
		return st.vpcs[id] != nil
	case "subnet":
		return st.subnets[id] != nil
	case "network-interface":
		return st.enis[id] != nil
	case "elastic-ip":
		return st.addresses[id] != nil
	case "key-pair":
		for _, k := range st.keyPairs {
			if k.id == id {
				return true
			}
		}
	}
	return false
}

// tagSpecs returns the tags of the TagSpecifications for resourceType.
func (in input) tagSpecs(resourceType string) map[string]string {
	out := map[string]string{}
	for _, spec := range in.structs("TagSpecifications") {
		if rt := spec.str("ResourceType"); rt != "" && rt != resourceType {
			continue
		}
		for _, t := range spec.structs("Tags") {
			out[t.str("Key")] = t.str("Value")
		}
	}
	return out
}

// checkTags rejects tags EC2 refuses: empty keys and the reserved aws: prefix.
func checkTags(tags map[string]string) error {
	for k, v := range tags {
		if k == "" || len(k) > 128 || len(v) > 256 {
			return errorf("InvalidParameterValue", "Tag key must be 1 to 128 characters and its value at most 256")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return errorf("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	return nil
}

func createTags(c *call) (M, error) {
	tags := map[string]string{}
	for _, t := range c.in.structs("Tags") {
		tags[t.str("Key")] = t.str("Value")
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	ids := c.in.strs("Resources")
	for _, id := range ids {
		if !c.st.exists(id) {
			return nil, notFoundFor(id)
		}
	}
	for _, id := range ids {
		c.st.setTags(id, tags)
	}
	return M{}, nil
}

// notFoundFor returns the NotFound error of a resource id's type.
func notFoundFor(id string) error {
	switch resourceType(id) {
	case "instance":
		return notFound("InvalidInstanceID.NotFound", "instance ID", id)
	case "image":
		return notFound("InvalidAMIID.NotFound", "image id", id)
	case "volume":
		return notFound("InvalidVolume.NotFound", "volume", id)
	case "snapshot":
		return notFound("InvalidSnapshot.NotFound", "snapshot", id)
	case "security-group":
		return notFound("InvalidGroup.NotFound", "security group", id)
	case "vpc":
		return notFound("InvalidVpcID.NotFound", "vpc ID", id)
	case "subnet":
		return notFound("InvalidSubnetID.NotFound", "subnet ID", id)
	case "network-interface":
		return notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface ID", id)
	case "elastic-ip":
		return notFound("InvalidAllocationID.NotFound", "allocation ID", id)
	case "key-pair":
		return notFound("InvalidKeyPair.NotFound", "key pair", id)
	}
	return errorf("InvalidID", "The ID '%s' is not valid", id)
}

func deleteTags(c *call) (M, error) {
	ids := c.in.strs("Resources")
	for _, id := range ids {
		if !c.st.exists(id) {
			return nil, notFoundFor(id)
		}
	}
	del := c.in.structs("Tags")
	for _, id := range ids {
		t := c.st.tags[id]
		if len(del) == 0 {
			delete(c.st.tags, id)
			continue
		}
		for _, d := range del {
			k := d.str("Key")
			if v, ok := t[k]; ok && (!d.has("Value") || d.str("Value") == v) {
				delete(t, k)
			}
		}
	}
	return M{}, nil
}

func describeTags(c *call) (M, error) {
	fs := c.in.filters()
	type row struct{ id, key, value, typ string }
	probe := func(r row) fields {
		return func(name string) ([]string, bool) {
			switch name {
			case "key":
				return []string{r.key}, true
			case "value":
				return []string{r.value}, true
			case "resource-id":
				return []string{r.id}, true
			case "resource-type":
				return []string{r.typ}, true
			}
			return nil, false
		}
	}
	if err := checkFilters(fs, probe(row{})); err != nil {
		return nil, err
	}
	var rows []row
	for id, t := range c.st.tags {
		for k, v := range t {
			r := row{id, k, v, resourceType(id)}
			if matches(fs, probe(r), nil) {
				rows = append(rows, r)
			}
		}
	}
	sort.Slice(rows, func(a, b int) bool {
		if rows[a].id != rows[b].id {
			return rows[a].id < rows[b].id
		}
		return rows[a].key < rows[b].key
	})
	from, to, next, err := page(len(rows), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]M, 0, to-from)
	for _, r := range rows[from:to] {
		out = append(out, M{"ResourceId": r.id, "ResourceType": r.typ, "Key": r.key, "Value": r.value})
	}
	return M{"Tags": out, "NextToken": emptyNil(next)}, nil
}
