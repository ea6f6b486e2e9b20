package ec2sim

// eni is an elastic network interface (the simulator makes one per
// instance, its primary interface).
type eni struct {
	id, subnetID, vpcID, az, privateIP, mac, instanceID, attachID string
	groups                                                        []string
}

func init() {
	register(map[string]handler{"DescribeNetworkInterfaces": describeNetworkInterfaces})
}

func (e *eni) fields(name string) ([]string, bool) {
	switch name {
	case "network-interface-id":
		return []string{e.id}, true
	case "subnet-id":
		return []string{e.subnetID}, true
	case "vpc-id":
		return []string{e.vpcID}, true
	case "availability-zone":
		return []string{e.az}, true
	case "private-ip-address", "addresses.private-ip-address":
		return []string{e.privateIP}, true
	case "mac-address":
		return []string{e.mac}, true
	case "attachment.instance-id":
		return []string{e.instanceID}, true
	case "group-id":
		return e.groups, true
	case "status":
		return []string{"in-use"}, true
	case "owner-id":
		return []string{AccountID}, true
	}
	return nil, false
}

func (e *eni) out(st *state) M {
	groups := make([]M, 0, len(e.groups))
	for _, g := range e.groups {
		if sg := st.groups[g]; sg != nil {
			groups = append(groups, M{"GroupId": g, "GroupName": sg.name})
		}
	}
	m := M{"NetworkInterfaceId": e.id, "SubnetId": e.subnetID, "VpcId": e.vpcID, "AvailabilityZone": e.az,
		"Description": "", "OwnerId": AccountID, "RequesterManaged": false, "Status": "in-use", "MacAddress": e.mac,
		"PrivateIpAddress": e.privateIP, "PrivateDnsName": privateDNS(e.privateIP), "SourceDestCheck": true,
		"Groups": groups, "InterfaceType": "interface", "TagSet": st.tagList(e.id)}
	pip := M{"PrivateIpAddress": e.privateIP, "PrivateDnsName": privateDNS(e.privateIP), "Primary": true}
	if in := st.instances[e.instanceID]; in != nil {
		m["Attachment"] = M{"AttachmentId": e.attachID, "InstanceId": in.id, "InstanceOwnerId": AccountID,
			"DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached", "AttachTime": in.attachTime, "DeleteOnTermination": true}
		if in.publicIP != "" {
			assoc := M{"PublicIp": in.publicIP, "PublicDnsName": publicDNS(in.publicIP), "IpOwnerId": "amazon"}
			if a := st.addressOf(in.id); a != nil {
				assoc["IpOwnerId"], assoc["AllocationId"], assoc["AssociationId"] = AccountID, a.allocID, a.assocID
			}
			m["Association"], pip["Association"] = assoc, assoc
		}
	}
	m["PrivateIpAddresses"] = []M{pip}
	return m
}

func describeNetworkInterfaces(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&eni{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "NetworkInterfaceIds", c.st.enis, "InvalidNetworkInterfaceID.NotFound", "networkInterface ID")
	if err != nil {
		return nil, err
	}
	var list []M
	for _, id := range ids {
		e := c.st.enis[id]
		if matches(fs, e.fields, c.st.tags[id]) {
			list = append(list, e.out(c.st))
		}
	}
	from, to, next, err := page(len(list), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	return M{"NetworkInterfaces": list[from:to], "NextToken": emptyNil(next)}, nil
}
