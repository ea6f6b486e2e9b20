package ec2

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
)

// CreateNodeOptions are EC2's own create settings, given as
// CreateNodeRequest.ProviderOptions.
type CreateNodeOptions struct {
	// KeyName is an existing key pair to install; it cannot be combined
	// with Auth.SSHKey.
	KeyName string `mapstructure:"key_name"`
	// IAMInstanceProfile is an instance profile's name or ARN.
	IAMInstanceProfile string `mapstructure:"iam_instance_profile"`
	// PrivateIPAddress is the primary private address in the subnet.
	PrivateIPAddress string `mapstructure:"private_ip_address"`
}

// maxClientToken is the length limit of EC2's ClientToken.
const maxClientToken = 64

// clientToken returns the ClientToken of a create: the idempotency key
// itself when it fits EC2's 64 ASCII characters, else a digest of it (the
// same key always gives the same token), or a fresh random token.
func clientToken(key string) string {
	if key == "" {
		return "goclouds-" + rand.Text()
	}
	ascii := true
	for _, r := range key {
		if r < 0x21 || r > 0x7e {
			ascii = false
		}
	}
	if ascii && len(key) <= maxClientToken {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "goclouds-" + hex.EncodeToString(sum[:])[:maxClientToken-len("goclouds-")]
}

// CreateNode runs one instance (RunInstances, MinCount = MaxCount = 1):
// Image is the AMI, Size the instance type, Location the availability
// zone, Name and Tags become the instance's tags (TagSpecifications),
// UserData is sent base64-encoded (at most MaxUserData bytes, checked
// before sending), Networks[0] is the subnet, SecurityGroups are group ids
// (sg-...) or names (resolved to ids in the subnet's VPC when a subnet is
// given, else sent as names for the default VPC), Auth.SSHKey installs a
// key pair holding the key (compute.EnsureSSHKeyPair: reused whatever its
// name, else imported and left registered). Passwords are not supported
// (ErrNotSupported): EC2 logs in with key pairs.
//
// Every create sends a ClientToken, IdempotencyKey or a fresh random one,
// so that the SDK's retries of a lost answer can never start a second
// instance; a resend with the same IdempotencyKey returns the same
// instance. When the outcome is unknown (ErrUnavailable) the error says
// which IdempotencyKey to resend with.
func (d *Driver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	const op = "CreateNode"
	if err := req.Validate(provider, op, MaxUserData); err != nil {
		return nil, err
	}
	opts, err := compute.ProviderOptionsOf[CreateNodeOptions](provider, op, req.ProviderOptions)
	if err != nil {
		return nil, err
	}
	if req.Auth.Password != "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrNotSupported,
			"EC2 instances take no password at launch: give Auth.SSHKey (a key pair), or set one from user data")
	}
	if req.Auth.SSHKey != "" && opts.KeyName != "" {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "give Auth.SSHKey or CreateNodeOptions.KeyName, not both")
	}
	if req.Auth.SSHKey != "" {
		if _, err := compute.ParseSSHPublicKey(req.Auth.SSHKey); err != nil {
			return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument, "Auth.SSHKey: %v", err)
		}
	}
	token := clientToken(req.IdempotencyKey)
	in := &ec2.RunInstancesInput{
		ImageId:      aws.String(req.Image.ID),
		InstanceType: ec2types.InstanceType(req.Size.ID),
		MinCount:     aws.Int32(1),
		MaxCount:     aws.Int32(1),
		ClientToken:  aws.String(token),
	}
	tags := map[string]string{"Name": req.Name}
	maps.Copy(tags, req.Tags)
	tags["Name"] = req.Name
	in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: ec2Tags(tags)}}
	if len(req.UserData) > 0 {
		in.UserData = aws.String(base64.StdEncoding.EncodeToString(req.UserData))
	}
	if req.Location != nil && req.Location.ID != "" {
		in.Placement = &ec2types.Placement{AvailabilityZone: aws.String(req.Location.ID)}
	}
	if len(req.Networks) > 1 {
		return nil, compute.Errorf(provider, op, "", compute.ErrInvalidArgument,
			"EC2 launches into one subnet (Networks[0]); attach more network interfaces after the launch")
	}
	if len(req.Networks) == 1 {
		in.SubnetId = aws.String(req.Networks[0])
	}
	if err := d.setSecurityGroups(ctx, in, req.SecurityGroups); err != nil {
		return nil, err
	}
	if opts.IAMInstanceProfile != "" {
		p := &ec2types.IamInstanceProfileSpecification{Name: aws.String(opts.IAMInstanceProfile)}
		if strings.HasPrefix(opts.IAMInstanceProfile, "arn:") {
			p = &ec2types.IamInstanceProfileSpecification{Arn: aws.String(opts.IAMInstanceProfile)}
		}
		in.IamInstanceProfile = p
	}
	if opts.PrivateIPAddress != "" {
		in.PrivateIpAddress = aws.String(opts.PrivateIPAddress)
	}
	if opts.KeyName != "" {
		in.KeyName = aws.String(opts.KeyName)
	}
	if req.Auth.SSHKey != "" {
		kp, _, err := compute.EnsureSSHKeyPair(ctx, d, req.Auth.SSHKey)
		if err != nil {
			return nil, wrap(op, "", err)
		}
		in.KeyName = aws.String(kp.Name)
	}
	out, err := d.client.RunInstances(ctx, in)
	if err != nil {
		err = wrap(op, "", err)
		if compute.KindOf(err) == compute.ErrUnavailable {
			err = compute.NewError(provider, op, "", compute.ErrUnavailable, fmt.Errorf(
				"%w (the instance may have been started: resend with IdempotencyKey %q to get it without starting another)", err, token))
		}
		return nil, err
	}
	if len(out.Instances) == 0 {
		return nil, compute.Errorf(provider, op, "", compute.ErrInternal, "RunInstances answered no instance")
	}
	n := toNode(out.Instances[0])
	d.recent.add(n.ID, d.settings.ConsistencyTimeout)
	// RunInstances may answer before the tags show: report what was asked.
	n.Name = req.Name
	if n.Tags == nil {
		n.Tags = map[string]string{}
	}
	maps.Copy(n.Tags, tags)
	return n, nil
}

// ec2Tags returns a map as EC2 tags, sorted by key.
func ec2Tags(m map[string]string) []ec2types.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]ec2types.Tag, 0, len(m))
	for _, k := range keys {
		out = append(out, ec2types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// setSecurityGroups puts the request's groups into in: ids (sg-...) as
// SecurityGroupIds; names as SecurityGroups without a subnet (the default
// VPC, as EC2 allows), or resolved to ids in the subnet's VPC.
func (d *Driver) setSecurityGroups(ctx context.Context, in *ec2.RunInstancesInput, groups []string) error {
	var names []string
	for _, g := range groups {
		if strings.HasPrefix(g, "sg-") {
			in.SecurityGroupIds = append(in.SecurityGroupIds, g)
		} else {
			names = append(names, g)
		}
	}
	if len(names) == 0 {
		return nil
	}
	if in.SubnetId == nil {
		in.SecurityGroups = names
		return nil
	}
	subnets, err := d.client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{*in.SubnetId}})
	if err != nil {
		return wrap("CreateNode", *in.SubnetId, err)
	}
	if len(subnets.Subnets) == 0 {
		return compute.Errorf(provider, "CreateNode", *in.SubnetId, compute.ErrNotFound, "no subnet %s", *in.SubnetId)
	}
	vpc := aws.ToString(subnets.Subnets[0].VpcId)
	found, err := d.client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{
		Filters: []ec2types.Filter{filter("vpc-id", vpc), filter("group-name", names...)}})
	if err != nil {
		return wrap("CreateNode", "", err)
	}
	byName := map[string]string{}
	for _, g := range found.SecurityGroups {
		byName[aws.ToString(g.GroupName)] = aws.ToString(g.GroupId)
	}
	for _, n := range names {
		id, ok := byName[n]
		if !ok {
			return compute.Errorf(provider, "CreateNode", n, compute.ErrNotFound, "no security group named %q in %s", n, vpc)
		}
		in.SecurityGroupIds = append(in.SecurityGroupIds, id)
	}
	return nil
}
