package cloudstacksim

// Affinity group types (listAffinityGroupTypes).
var affinityGroupTypes = []string{"host anti-affinity", "host affinity"}

// affinityGroup is an affinity or anti-affinity group.
type affinityGroup struct {
	base
	owned
	name, description, typ string
}

// affinityGroupView is the affinitygroup response object.
type affinityGroupView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type"`
	ownerFields
	VirtualMachineIDs []string `json:"virtualmachineIds"`
}

func (c *call) viewAffinityGroup(ag *affinityGroup) any {
	v := affinityGroupView{ID: ag.id, Name: ag.name, Description: ag.description, Type: ag.typ,
		ownerFields: ownerView(ag.acct), VirtualMachineIDs: []string{}}
	for _, x := range c.st.vms.list {
		if contains(x.affinityGroups, ag) {
			v.VirtualMachineIDs = append(v.VirtualMachineIDs, x.id)
		}
	}
	return v
}

func init() {
	agDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindAffinityGroup, Handler: h, InstanceType: "AffinityGroup", ItemKey: "affinitygroup"}
	}
	create := agDef("createAffinityGroup", createAffinityGroup)
	create.Create = true
	list := agDef("listAffinityGroups", listAffinityGroups)
	list.ReadOnly = true
	del := agDef("deleteAffinityGroup", deleteAffinityGroup)
	del.ItemKey = "(success)"
	types := agDef("listAffinityGroupTypes", listAffinityGroupTypes)
	types.ReadOnly, types.ItemKey = true, "affinityGroupType"
	update := agDef("updateVMAffinityGroup", updateVMAffinityGroup)
	update.IDKind, update.ResponseName, update.InstanceType, update.ItemKey = kindVM, "updatevirtualmachineresponse", "VirtualMachine", "virtualmachine"
	register(create, list, del, types, update)
}

// findAffinityGroup returns owner's group named name.
func (st *state) findAffinityGroup(owner *account, name string) *affinityGroup {
	for _, ag := range st.affinityGroups.list {
		if ag.acct == owner && ag.name == name {
			return ag
		}
	}
	return nil
}

func createAffinityGroup(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	typ, name := c.str0("type"), c.str0("name")
	if !contains(affinityGroupTypes, typ) {
		return nil, invalidParam("Unable to create affinity group, invalid affinity group type %s", typ)
	}
	if c.st.findAffinityGroup(owner, name) != nil {
		return nil, invalidParam("Unable to create affinity group, a group with name %s already exists.", name)
	}
	ag := &affinityGroup{base: c.st.newBase(), owned: owned{acct: owner}, name: name, description: c.str0("description"), typ: typ}
	c.st.affinityGroups.insert(ag)
	return &asyncReply{id: ag.id, instance: ag, run: func() (reply, error) {
		return objReply{"affinitygroup", c.viewAffinityGroup(ag)}, nil
	}, fail: func() { c.st.affinityGroups.remove(ag.id) }}, nil
}

func listAffinityGroups(c *call) (reply, error) {
	lf, err := newListFilter[*affinityGroup](c)
	if err != nil {
		return nil, err
	}
	name, hasName := c.str("name")
	typ, hasType := c.str("type")
	keyword, hasKeyword := c.str("keyword")
	v, _ := refAs[*vm](c, "virtualmachineid")
	keep := func(ag *affinityGroup) bool {
		switch {
		case lf.drops(ag, ag.acct),
			hasName && ag.name != name,
			hasType && ag.typ != typ,
			hasKeyword && !keywordMatch(keyword, ag.name, ag.description),
			v != nil && !contains(v.affinityGroups, ag):
			return false
		}
		return true
	}
	return listItems(c, "affinitygroup", c.st.affinityGroups.list, keep, c.viewAffinityGroup), nil
}

func listAffinityGroupTypes(c *call) (reply, error) {
	type agType struct {
		Type string `json:"type"`
	}
	return listItems(c, "affinityGroupType", affinityGroupTypes, nil, func(t string) any { return agType{t} }), nil
}

func deleteAffinityGroup(c *call) (reply, error) {
	ag, ok := refAs[*affinityGroup](c, "id")
	if !ok {
		name, hasName := c.str("name")
		if !hasName {
			return nil, invalidParam("Either the affinity group id or the affinity group name must be specified")
		}
		owner, err := c.owner()
		if err != nil {
			return nil, err
		}
		if ag = c.st.findAffinityGroup(owner, name); ag == nil {
			return nil, invalidParam("Unable to find affinity group by name %s", name)
		}
	}
	if err := c.checkAccess(ag.acct, "AffinityGroup "+ag.id); err != nil {
		return nil, err
	}
	return &asyncReply{instance: ag, run: func() (reply, error) {
		for _, v := range c.st.vms.list {
			if contains(v.affinityGroups, ag) {
				return nil, resourceInUse("Cannot delete affinity group %s as it is in use by virtual machine %s", ag.name, v.name)
			}
		}
		c.st.affinityGroups.remove(ag.id)
		return successReply{}, nil
	}}, nil
}

func updateVMAffinityGroup(c *call) (reply, error) {
	v, err := c.targetVM("id")
	if err != nil {
		return nil, err
	}
	p := &deployPlan{owner: v.acct, zone: v.zone}
	if err := c.planGroups(p); err != nil {
		return nil, err
	}
	return &asyncReply{instance: v, run: func() (reply, error) {
		if v.state != vmStopped {
			return nil, invalidParam("Unable to update affinity groups of the virtual machine %s in state %s. Make sure the virtual machine is stopped", v.name, v.state)
		}
		v.affinityGroups = p.ags
		v.lastUpdated = c.st.now()
		return c.vmObject(v, false), nil
	}}, nil
}
