package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// VPC is a virtual private cloud of the region.
type VPC struct {
	// ID identifies it ("vpc-...").
	ID string
	// CIDR is its primary IPv4 range ("10.0.0.0/16").
	CIDR string
	// State is EC2's state ("pending", "available").
	State string
	// IsDefault reports whether it is the region's default VPC.
	IsDefault bool
	// Tags are its tags.
	Tags map[string]string
}

// Subnet is a subnet of a VPC in one availability zone.
type Subnet struct {
	// ID identifies it ("subnet-...").
	ID string
	// VPCID is the VPC it belongs to.
	VPCID string
	// CIDR is its IPv4 range.
	CIDR string
	// Zone is its availability zone.
	Zone string
	// State is EC2's state ("pending", "available").
	State string
	// AvailableIPs is how many of its addresses are free.
	AvailableIPs int
	// IsDefault reports whether it is its zone's default subnet.
	IsDefault bool
	// Tags are its tags.
	Tags map[string]string
}

func toVPC(v ec2types.Vpc) *VPC {
	return &VPC{ID: aws.ToString(v.VpcId), CIDR: aws.ToString(v.CidrBlock), State: string(v.State),
		IsDefault: aws.ToBool(v.IsDefault), Tags: tagMap(v.Tags)}
}

func toSubnet(s ec2types.Subnet) *Subnet {
	return &Subnet{ID: aws.ToString(s.SubnetId), VPCID: aws.ToString(s.VpcId), CIDR: aws.ToString(s.CidrBlock),
		Zone: aws.ToString(s.AvailabilityZone), State: string(s.State),
		AvailableIPs: int(aws.ToInt32(s.AvailableIpAddressCount)), IsDefault: aws.ToBool(s.DefaultForAz),
		Tags: tagMap(s.Tags)}
}

// ExListVPCs returns the region's VPCs (DescribeVpcs, every page).
func (d *Driver) ExListVPCs(ctx context.Context) ([]*VPC, error) {
	vpcs := []*VPC{}
	p := ec2.NewDescribeVpcsPaginator(d.client, &ec2.DescribeVpcsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ExListVPCs", "", err)
		}
		for _, v := range page.Vpcs {
			vpcs = append(vpcs, toVPC(v))
		}
	}
	return vpcs, nil
}

// ExCreateVPC creates a VPC with the IPv4 range cidr ("10.0.0.0/16";
// EC2 takes /16 to /28).
func (d *Driver) ExCreateVPC(ctx context.Context, cidr string) (*VPC, error) {
	out, err := d.client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
	if err != nil {
		return nil, wrap("ExCreateVPC", cidr, err)
	}
	return toVPC(*out.Vpc), nil
}

// ExDeleteVPC deletes the VPC; one that still has subnets or security
// groups (other than its default group) is ErrConflict.
func (d *Driver) ExDeleteVPC(ctx context.Context, vpcID string) error {
	_, err := d.client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	return wrap("ExDeleteVPC", vpcID, err)
}

// ExListSubnets returns the region's subnets (DescribeSubnets, every page).
func (d *Driver) ExListSubnets(ctx context.Context) ([]*Subnet, error) {
	subnets := []*Subnet{}
	p := ec2.NewDescribeSubnetsPaginator(d.client, &ec2.DescribeSubnetsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ExListSubnets", "", err)
		}
		for _, s := range page.Subnets {
			subnets = append(subnets, toSubnet(s))
		}
	}
	return subnets, nil
}

// ExCreateSubnet creates a subnet of the VPC with the IPv4 range cidr
// (inside the VPC's) in the availability zone ("" lets EC2 choose).
func (d *Driver) ExCreateSubnet(ctx context.Context, vpcID, cidr, zone string) (*Subnet, error) {
	in := &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr)}
	if zone != "" {
		in.AvailabilityZone = aws.String(zone)
	}
	out, err := d.client.CreateSubnet(ctx, in)
	if err != nil {
		return nil, wrap("ExCreateSubnet", vpcID, err)
	}
	return toSubnet(*out.Subnet), nil
}

// ExDeleteSubnet deletes the subnet; one with network interfaces (of
// instances, even stopped ones) is ErrConflict.
func (d *Driver) ExDeleteSubnet(ctx context.Context, subnetID string) error {
	_, err := d.client.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subnetID)})
	return wrap("ExDeleteSubnet", subnetID, err)
}
