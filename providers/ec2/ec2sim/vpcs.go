package ec2sim

import (
	"fmt"
	"net/netip"
)

// vpc is a virtual private cloud.
type vpc struct {
	id, cidr  string
	isDefault bool
}

// subnet is a subnet of a VPC in one zone.
type subnet struct {
	id, vpcID, az, azID, cidr string
	isDefault, mapPublic      bool
	used                      int // addresses handed out
}

// prefix returns the subnet's CIDR (validated when it was created).
func (sn *subnet) prefix() netip.Prefix { return netip.MustParsePrefix(sn.cidr) }

// size is the number of usable addresses: EC2 reserves 5 of each subnet.
func (sn *subnet) size() int { return 1<<(32-sn.prefix().Bits()) - 5 }

// nextIP hands out the subnet's next private address.
func (sn *subnet) nextIP() (string, error) {
	if sn.used >= sn.size() {
		return "", errorf("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", sn.id)
	}
	a := sn.prefix().Masked().Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n += uint32(4 + sn.used)
	sn.used++
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}).String(), nil
}

func init() {
	register(map[string]handler{
		"CreateVpc": createVpc, "DescribeVpcs": describeVpcs, "DeleteVpc": deleteVpc,
		"CreateSubnet": createSubnet, "DescribeSubnets": describeSubnets, "DeleteSubnet": deleteSubnet,
	})
}

func (v *vpc) out(st *state) M {
	return M{"VpcId": v.id, "CidrBlock": v.cidr, "State": "available", "OwnerId": AccountID, "IsDefault": v.isDefault,
		"InstanceTenancy": "default", "DhcpOptionsId": "dopt-0a1b2c3d4e5f60718", "Tags": st.tagList(v.id),
		"CidrBlockAssociationSet": []M{{"AssociationId": "vpc-cidr-assoc-" + v.id[4:], "CidrBlock": v.cidr,
			"CidrBlockState": M{"State": "associated"}}}}
}

func (v *vpc) fields(name string) ([]string, bool) {
	switch name {
	case "vpc-id":
		return []string{v.id}, true
	case "cidr", "cidr-block", "cidr-block-association.cidr-block":
		return []string{v.cidr}, true
	case "is-default":
		return []string{fmt.Sprint(v.isDefault)}, true
	case "state":
		return []string{"available"}, true
	case "owner-id":
		return []string{AccountID}, true
	}
	return nil, false
}

func createVpc(c *call) (M, error) {
	cidr := c.in.str("CidrBlock")
	p, err := netip.ParsePrefix(cidr)
	if cidr == "" {
		return nil, missingParameter("CidrBlock")
	}
	if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", cidr)
	}
	v := &vpc{id: c.st.newID("vpc", c.now), cidr: p.Masked().String()}
	c.st.vpcs[v.id] = v
	c.st.setTags(v.id, c.in.tagSpecs("vpc"))
	c.st.addDefaultGroup(v.id, c.now)
	return M{"Vpc": v.out(c.st)}, nil
}

func describeVpcs(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&vpc{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "VpcIds", c.st.vpcs, "InvalidVpcID.NotFound", "vpc ID")
	if err != nil {
		return nil, err
	}
	var out []M
	for _, id := range ids {
		v := c.st.vpcs[id]
		if matches(fs, v.fields, c.st.tags[id]) {
			out = append(out, v.out(c.st))
		}
	}
	from, to, next, err := page(len(out), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	return M{"Vpcs": out[from:to], "NextToken": emptyNil(next)}, nil
}

func deleteVpc(c *call) (M, error) {
	id := c.in.str("VpcId")
	if id == "" {
		return nil, missingParameter("VpcId")
	}
	if c.st.vpcs[id] == nil {
		return nil, notFound("InvalidVpcID.NotFound", "vpc ID", id)
	}
	for _, sn := range c.st.subnets {
		if sn.vpcID == id {
			return nil, errorf("DependencyViolation", "The vpc '%s' has dependencies and cannot be deleted.", id)
		}
	}
	for gid, g := range c.st.groups {
		if g.vpcID == id {
			if g.name != "default" {
				return nil, errorf("DependencyViolation", "The vpc '%s' has dependencies and cannot be deleted.", id)
			}
			delete(c.st.groups, gid)
			c.st.forget(gid)
		}
	}
	delete(c.st.vpcs, id)
	c.st.forget(id)
	return M{}, nil
}

func (sn *subnet) out(st *state) M {
	return M{"SubnetId": sn.id, "VpcId": sn.vpcID, "AvailabilityZone": sn.az, "AvailabilityZoneId": sn.azID,
		"CidrBlock": sn.cidr, "State": "available", "DefaultForAz": sn.isDefault, "MapPublicIpOnLaunch": sn.mapPublic,
		"AvailableIpAddressCount": sn.size() - sn.used, "OwnerId": AccountID, "Tags": st.tagList(sn.id),
		"SubnetArn":                   fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", st.region, AccountID, sn.id),
		"AssignIpv6AddressOnCreation": false, "MapCustomerOwnedIpOnLaunch": false}
}

func (sn *subnet) fields(name string) ([]string, bool) {
	switch name {
	case "subnet-id":
		return []string{sn.id}, true
	case "vpc-id":
		return []string{sn.vpcID}, true
	case "availability-zone":
		return []string{sn.az}, true
	case "availability-zone-id":
		return []string{sn.azID}, true
	case "cidr-block", "cidr", "cidrBlock":
		return []string{sn.cidr}, true
	case "default-for-az", "defaultForAz":
		return []string{fmt.Sprint(sn.isDefault)}, true
	case "state":
		return []string{"available"}, true
	case "map-public-ip-on-launch":
		return []string{fmt.Sprint(sn.mapPublic)}, true
	}
	return nil, false
}

func createSubnet(c *call) (M, error) {
	v := c.st.vpcs[c.in.str("VpcId")]
	if v == nil {
		return nil, notFound("InvalidVpcID.NotFound", "vpc ID", c.in.str("VpcId"))
	}
	cidr := c.in.str("CidrBlock")
	p, err := netip.ParsePrefix(cidr)
	if cidr == "" {
		return nil, missingParameter("CidrBlock")
	}
	vp := netip.MustParsePrefix(v.cidr)
	if err != nil || !p.Addr().Is4() || p.Bits() < vp.Bits() || p.Bits() > 28 || !vp.Contains(p.Addr()) {
		return nil, errorf("InvalidSubnet.Range", "The CIDR '%s' is invalid.", cidr)
	}
	p = p.Masked()
	for _, o := range c.st.subnets {
		if o.vpcID == v.id && o.prefix().Overlaps(p) {
			return nil, errorf("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", cidr)
		}
	}
	az := c.in.str("AvailabilityZone")
	n := -1
	for i, l := range zoneLetters(c.st.region) {
		if az == "" && i == 0 || az == c.st.region+l {
			n, az = i, c.st.region+l
		}
	}
	if n < 0 {
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", az, c.st.zoneList())
	}
	sn := &subnet{id: c.st.newID("subnet", c.now), vpcID: v.id, az: az, azID: zoneID(c.st.region, n), cidr: p.String()}
	c.st.subnets[sn.id] = sn
	c.st.setTags(sn.id, c.in.tagSpecs("subnet"))
	return M{"Subnet": sn.out(c.st)}, nil
}

func describeSubnets(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&subnet{}).fields); err != nil {
		return nil, err
	}
	ids, err := pickIDs(c, "SubnetIds", c.st.subnets, "InvalidSubnetID.NotFound", "subnet ID")
	if err != nil {
		return nil, err
	}
	var out []M
	for _, id := range ids {
		sn := c.st.subnets[id]
		if matches(fs, sn.fields, c.st.tags[id]) {
			out = append(out, sn.out(c.st))
		}
	}
	from, to, next, err := page(len(out), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	return M{"Subnets": out[from:to], "NextToken": emptyNil(next)}, nil
}

func deleteSubnet(c *call) (M, error) {
	id := c.in.str("SubnetId")
	if c.st.subnets[id] == nil {
		return nil, notFound("InvalidSubnetID.NotFound", "subnet ID", id)
	}
	for _, e := range c.st.enis {
		if e.subnetID == id {
			return nil, errorf("DependencyViolation", "The subnet '%s' has dependencies and cannot be deleted.", id)
		}
	}
	delete(c.st.subnets, id)
	c.st.forget(id)
	return M{}, nil
}

// zoneList returns the region's zone names, comma separated.
func (st *state) zoneList() string {
	s := ""
	for i, l := range zoneLetters(st.region) {
		if i > 0 {
			s += ", "
		}
		s += st.region + l
	}
	return s
}

// emptyNil maps "" to nil so that the encoder omits the element.
func emptyNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// pickIDs returns the ids a Describe request names in member (each must
// exist, else code), or every id of m in creation order.
func pickIDs[T any](c *call, member string, m map[string]T, code, kind string) ([]string, error) {
	want := c.in.strs(member)
	if len(want) == 0 {
		return sortedIDs(c.st, m), nil
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range want {
		if _, ok := m[id]; !ok {
			return nil, notFound(code, kind, id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
