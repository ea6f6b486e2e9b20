package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ElasticIP is an Elastic IP address of the account.
type ElasticIP struct {
	// PublicIP is the address.
	PublicIP string
	// AllocationID identifies it ("eipalloc-...").
	AllocationID string
	// AssociationID identifies its association with an instance, or "".
	AssociationID string
	// InstanceID is the instance it is associated with, or "".
	InstanceID string
}

// ExAllocateAddress allocates an Elastic IP address for VPC use.
func (d *Driver) ExAllocateAddress(ctx context.Context) (*ElasticIP, error) {
	out, err := d.client.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	if err != nil {
		return nil, wrap("ExAllocateAddress", "", err)
	}
	return &ElasticIP{PublicIP: aws.ToString(out.PublicIp), AllocationID: aws.ToString(out.AllocationId)}, nil
}

// ExListAddresses returns the account's Elastic IP addresses.
func (d *Driver) ExListAddresses(ctx context.Context) ([]*ElasticIP, error) {
	out, err := d.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		return nil, wrap("ExListAddresses", "", err)
	}
	ips := make([]*ElasticIP, 0, len(out.Addresses))
	for _, a := range out.Addresses {
		ips = append(ips, &ElasticIP{PublicIP: aws.ToString(a.PublicIp), AllocationID: aws.ToString(a.AllocationId),
			AssociationID: aws.ToString(a.AssociationId), InstanceID: aws.ToString(a.InstanceId)})
	}
	return ips, nil
}

// ExAssociateAddress associates the Elastic IP (by allocation id) with the
// instance and returns the association id.
func (d *Driver) ExAssociateAddress(ctx context.Context, allocationID, nodeID string) (string, error) {
	var out *ec2.AssociateAddressOutput
	err := d.consistent(ctx, nodeID, func() (err error) {
		out, err = d.client.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: aws.String(allocationID),
			InstanceId: aws.String(nodeID)})
		return err
	})
	if err != nil {
		return "", wrap("ExAssociateAddress", allocationID, err)
	}
	return aws.ToString(out.AssociationId), nil
}

// ExDisassociateAddress ends an association.
func (d *Driver) ExDisassociateAddress(ctx context.Context, associationID string) error {
	_, err := d.client.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: aws.String(associationID)})
	return wrap("ExDisassociateAddress", associationID, err)
}

// ExReleaseAddress releases the Elastic IP (by allocation id).
func (d *Driver) ExReleaseAddress(ctx context.Context, allocationID string) error {
	_, err := d.client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(allocationID)})
	return wrap("ExReleaseAddress", allocationID, err)
}
