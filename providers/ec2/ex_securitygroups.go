package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// SecurityGroupRule is one TCP/UDP/ICMP permission of a security group,
// as Libcloud's ex_authorize_security_group_ingress takes it.
type SecurityGroupRule struct {
	// Protocol is "tcp", "udp", "icmp" or "-1" (all).
	Protocol string
	// FromPort and ToPort bound the port range (ICMP type and code).
	FromPort, ToPort int32
	// CIDRs are the IPv4 ranges allowed ("0.0.0.0/0").
	CIDRs []string
}

func (r SecurityGroupRule) permission() ec2types.IpPermission {
	p := ec2types.IpPermission{IpProtocol: aws.String(r.Protocol), FromPort: aws.Int32(r.FromPort), ToPort: aws.Int32(r.ToPort)}
	for _, c := range r.CIDRs {
		p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(c)})
	}
	return p
}

// ExCreateSecurityGroup creates a security group in vpcID ("" for the
// default VPC) and returns its id.
func (d *Driver) ExCreateSecurityGroup(ctx context.Context, name, description, vpcID string) (string, error) {
	in := &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(description)}
	if vpcID != "" {
		in.VpcId = aws.String(vpcID)
	}
	out, err := d.client.CreateSecurityGroup(ctx, in)
	if err != nil {
		return "", wrap("ExCreateSecurityGroup", name, err)
	}
	return aws.ToString(out.GroupId), nil
}

// ExDeleteSecurityGroup deletes the security group with the given id.
func (d *Driver) ExDeleteSecurityGroup(ctx context.Context, groupID string) error {
	_, err := d.client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(groupID)})
	return wrap("ExDeleteSecurityGroup", groupID, err)
}

// ExAuthorizeSecurityGroupIngress allows inbound traffic.
func (d *Driver) ExAuthorizeSecurityGroupIngress(ctx context.Context, groupID string, rule SecurityGroupRule) error {
	_, err := d.client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(groupID), IpPermissions: []ec2types.IpPermission{rule.permission()}})
	return wrap("ExAuthorizeSecurityGroupIngress", groupID, err)
}

// ExRevokeSecurityGroupIngress removes an inbound permission.
func (d *Driver) ExRevokeSecurityGroupIngress(ctx context.Context, groupID string, rule SecurityGroupRule) error {
	_, err := d.client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(groupID), IpPermissions: []ec2types.IpPermission{rule.permission()}})
	return wrap("ExRevokeSecurityGroupIngress", groupID, err)
}

// ExAuthorizeSecurityGroupEgress allows outbound traffic.
func (d *Driver) ExAuthorizeSecurityGroupEgress(ctx context.Context, groupID string, rule SecurityGroupRule) error {
	_, err := d.client.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{
		GroupId: aws.String(groupID), IpPermissions: []ec2types.IpPermission{rule.permission()}})
	return wrap("ExAuthorizeSecurityGroupEgress", groupID, err)
}

// ExRevokeSecurityGroupEgress removes an outbound permission.
func (d *Driver) ExRevokeSecurityGroupEgress(ctx context.Context, groupID string, rule SecurityGroupRule) error {
	_, err := d.client.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{
		GroupId: aws.String(groupID), IpPermissions: []ec2types.IpPermission{rule.permission()}})
	return wrap("ExRevokeSecurityGroupEgress", groupID, err)
}
