package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// NetworkInterface is an elastic network interface.
type NetworkInterface struct {
	// ID identifies it ("eni-...").
	ID string
	// SubnetID and VPCID are where it lives.
	SubnetID, VPCID string
	// Zone is its availability zone.
	Zone string
	// Status is EC2's status ("available", "in-use").
	Status string
	// PrivateIP is its primary private IPv4 address.
	PrivateIP string
	// PublicIP is the public address associated with it, or "".
	PublicIP string
	// MAC is its MAC address.
	MAC string
	// InstanceID is the instance it is attached to, or "".
	InstanceID string
	// SecurityGroupIDs are its security groups.
	SecurityGroupIDs []string
	// Tags are its tags.
	Tags map[string]string
}

func toNetworkInterface(n ec2types.NetworkInterface) *NetworkInterface {
	ni := &NetworkInterface{ID: aws.ToString(n.NetworkInterfaceId), SubnetID: aws.ToString(n.SubnetId),
		VPCID: aws.ToString(n.VpcId), Zone: aws.ToString(n.AvailabilityZone), Status: string(n.Status),
		PrivateIP: aws.ToString(n.PrivateIpAddress), MAC: aws.ToString(n.MacAddress),
		SecurityGroupIDs: []string{}, Tags: tagMap(n.TagSet)}
	if n.Association != nil {
		ni.PublicIP = aws.ToString(n.Association.PublicIp)
	}
	if n.Attachment != nil {
		ni.InstanceID = aws.ToString(n.Attachment.InstanceId)
	}
	for _, g := range n.Groups {
		ni.SecurityGroupIDs = append(ni.SecurityGroupIDs, aws.ToString(g.GroupId))
	}
	return ni
}

// ExListNetworkInterfaces returns the region's network interfaces
// (DescribeNetworkInterfaces, every page).
func (d *Driver) ExListNetworkInterfaces(ctx context.Context) ([]*NetworkInterface, error) {
	nis := []*NetworkInterface{}
	p := ec2.NewDescribeNetworkInterfacesPaginator(d.client, &ec2.DescribeNetworkInterfacesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ExListNetworkInterfaces", "", err)
		}
		for _, n := range page.NetworkInterfaces {
			nis = append(nis, toNetworkInterface(n))
		}
	}
	return nis, nil
}
