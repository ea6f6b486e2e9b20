package ec2sim

// address is an Elastic IP address.
type address struct {
	allocID, publicIP, assocID, instanceID, eniID, privateIP string
}

func init() {
	register(map[string]handler{"AllocateAddress": allocateAddress, "AssociateAddress": associateAddress,
		"DisassociateAddress": disassociateAddress, "ReleaseAddress": releaseAddress, "DescribeAddresses": describeAddresses})
}

// addressOf returns the Elastic IP associated with an instance, or nil.
func (st *state) addressOf(instanceID string) *address {
	for _, a := range st.addresses {
		if a.instanceID == instanceID && instanceID != "" {
			return a
		}
	}
	return nil
}

func (a *address) disassociate() {
	a.assocID, a.instanceID, a.eniID, a.privateIP = "", "", "", ""
}

func (a *address) out(st *state) M {
	m := M{"AllocationId": a.allocID, "PublicIp": a.publicIP, "Domain": "vpc", "PublicIpv4Pool": "amazon",
		"NetworkBorderGroup": st.region, "Tags": st.tagList(a.allocID)}
	if a.assocID != "" {
		m["AssociationId"], m["InstanceId"], m["NetworkInterfaceId"] = a.assocID, a.instanceID, a.eniID
		m["NetworkInterfaceOwnerId"], m["PrivateIpAddress"] = AccountID, a.privateIP
	}
	return m
}

func (a *address) fields(name string) ([]string, bool) {
	switch name {
	case "allocation-id":
		return []string{a.allocID}, true
	case "public-ip":
		return []string{a.publicIP}, true
	case "association-id":
		return []string{a.assocID}, true
	case "instance-id":
		return []string{a.instanceID}, true
	case "network-interface-id":
		return []string{a.eniID}, true
	case "private-ip-address":
		return []string{a.privateIP}, true
	case "domain":
		return []string{"vpc"}, true
	}
	return nil, false
}

func allocateAddress(c *call) (M, error) {
	if d := c.in.str("Domain"); d != "" && d != "vpc" {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter domain is invalid. EC2-Classic is retired: use vpc.", d)
	}
	a := &address{allocID: c.st.newID("eipalloc", c.now), publicIP: c.st.nextPublicIP()}
	c.st.addresses[a.allocID] = a
	c.st.setTags(a.allocID, c.in.tagSpecs("elastic-ip"))
	return M{"AllocationId": a.allocID, "PublicIp": a.publicIP, "Domain": "vpc", "PublicIpv4Pool": "amazon",
		"NetworkBorderGroup": c.st.region}, nil
}

// findAddress returns the address a request names by AllocationId or PublicIp.
func (c *call) findAddress() (*address, error) {
	if id := c.in.str("AllocationId"); id != "" {
		a := c.st.addresses[id]
		if a == nil {
			return nil, errorf("InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist", id)
		}
		return a, nil
	}
	ip := c.in.str("PublicIp")
	for _, a := range c.st.addresses {
		if a.publicIP == ip {
			return a, nil
		}
	}
	if ip == "" {
		return nil, missingParameter("AllocationId")
	}
	return nil, errorf(CodeAuthFailure, "The address '%s' does not belong to you.", ip)
}

func associateAddress(c *call) (M, error) {
	a, err := c.findAddress()
	if err != nil {
		return nil, err
	}
	var in *instance
	var e *eni
	if id := c.in.str("InstanceId"); id != "" {
		if in, err = c.instance(id); err != nil {
			return nil, err
		}
		if in.state != "running" && in.state != "stopped" && in.state != "pending" {
			return nil, incorrectState(in, "associated with an address")
		}
		e = c.st.enis[in.eniID]
	} else if id := c.in.str("NetworkInterfaceId"); id != "" {
		if e = c.st.enis[id]; e == nil {
			return nil, notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface ID", id)
		}
		in = c.st.instances[e.instanceID]
	} else {
		return nil, missingParameter("InstanceId")
	}
	if allow, _ := c.in.boolean("AllowReassociation"); a.assocID != "" && !allow && a.instanceID != "" && (in == nil || a.instanceID != in.id) {
		return nil, errorf("Resource.AlreadyAssociated", "resource %s is already associated with associate-id %s", a.allocID, a.assocID)
	}
	if a.instanceID != "" {
		if old := c.st.instances[a.instanceID]; old != nil {
			old.publicIP = ""
		}
	}
	if in != nil {
		if prev := c.st.addressOf(in.id); prev != nil && prev != a {
			prev.disassociate()
		}
		in.publicIP = a.publicIP
		a.instanceID = in.id
	}
	a.assocID = "eipassoc-" + a.allocID[len("eipalloc-"):]
	if e != nil {
		a.eniID, a.privateIP = e.id, e.privateIP
	}
	return M{"AssociationId": a.assocID}, nil
}

func disassociateAddress(c *call) (M, error) {
	var a *address
	if id := c.in.str("AssociationId"); id != "" {
		for _, x := range c.st.addresses {
			if x.assocID == id {
				a = x
			}
		}
		if a == nil {
			return nil, errorf("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", id)
		}
	} else {
		var err error
		if a, err = c.findAddress(); err != nil {
			return nil, err
		}
	}
	if in := c.st.instances[a.instanceID]; in != nil {
		in.publicIP = ""
		if in.state == "running" || in.state == "pending" {
			if sn := c.st.subnets[in.subnetID]; sn != nil && sn.mapPublic {
				in.publicIP = c.st.nextPublicIP()
			}
		}
	}
	a.disassociate()
	return M{}, nil
}

func releaseAddress(c *call) (M, error) {
	a, err := c.findAddress()
	if err != nil {
		return nil, err
	}
	if a.assocID != "" {
		return nil, errorf("InvalidIPAddress.InUse", "Address %s is in use.", a.publicIP)
	}
	delete(c.st.addresses, a.allocID)
	c.st.forget(a.allocID)
	return M{}, nil
}

func describeAddresses(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&address{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "AllocationIds", c.st.addresses, "InvalidAllocationID.NotFound", "allocation ID")
	if err != nil {
		return nil, err
	}
	ips := c.in.strs("PublicIps")
	for _, ip := range ips {
		found := false
		for _, a := range c.st.addresses {
			found = found || a.publicIP == ip
		}
		if !found {
			return nil, errorf("InvalidAddress.NotFound", "Address '%s' not found.", ip)
		}
	}
	var out []M
	for _, id := range ids {
		a := c.st.addresses[id]
		if len(ips) > 0 && !contains(ips, a.publicIP) {
			continue
		}
		if matches(fs, a.fields, c.st.tags[id]) {
			out = append(out, a.out(c.st))
		}
	}
	return M{"Addresses": out}, nil
}
