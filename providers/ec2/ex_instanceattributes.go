package ec2

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
)

// attributeValue picks the value of one attribute out of a
// DescribeInstanceAttribute answer, as text.
type attributeValue func(out *ec2.DescribeInstanceAttributeOutput) string

func attrString(v *ec2types.AttributeValue) string {
	if v == nil {
		return ""
	}
	return aws.ToString(v.Value)
}

func attrBool(v *ec2types.AttributeBooleanValue) string {
	if v == nil {
		return ""
	}
	return strconv.FormatBool(aws.ToBool(v.Value))
}

// describableAttributes are the attributes ExDescribeInstanceAttribute
// answers, by EC2's name.
var describableAttributes = map[string]attributeValue{
	"instanceType": func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.InstanceType) },
	"userData":     func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.UserData) },
	"disableApiTermination": func(o *ec2.DescribeInstanceAttributeOutput) string {
		return attrBool(o.DisableApiTermination)
	},
	"instanceInitiatedShutdownBehavior": func(o *ec2.DescribeInstanceAttributeOutput) string {
		return attrString(o.InstanceInitiatedShutdownBehavior)
	},
	"rootDeviceName":  func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.RootDeviceName) },
	"sourceDestCheck": func(o *ec2.DescribeInstanceAttributeOutput) string { return attrBool(o.SourceDestCheck) },
	"ebsOptimized":    func(o *ec2.DescribeInstanceAttributeOutput) string { return attrBool(o.EbsOptimized) },
	"enaSupport":      func(o *ec2.DescribeInstanceAttributeOutput) string { return attrBool(o.EnaSupport) },
	"disableApiStop":  func(o *ec2.DescribeInstanceAttributeOutput) string { return attrBool(o.DisableApiStop) },
	"kernel":          func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.KernelId) },
	"ramdisk":         func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.RamdiskId) },
	"sriovNetSupport": func(o *ec2.DescribeInstanceAttributeOutput) string { return attrString(o.SriovNetSupport) },
}

// ExDescribeInstanceAttribute returns one attribute of the instance as
// text, by EC2's name: "instanceType", "userData" (decoded),
// "disableApiTermination" and the other booleans ("true"/"false"),
// "instanceInitiatedShutdownBehavior", "rootDeviceName", "kernel",
// "ramdisk", "sriovNetSupport". Any other name is ErrInvalidArgument.
func (d *Driver) ExDescribeInstanceAttribute(ctx context.Context, nodeID, attr string) (string, error) {
	pick, ok := describableAttributes[attr]
	if !ok {
		return "", compute.NewError(provider, "ExDescribeInstanceAttribute", nodeID, compute.ErrInvalidArgument,
			fmt.Errorf("unsupported instance attribute %q", attr))
	}
	var out *ec2.DescribeInstanceAttributeOutput
	err := d.consistent(ctx, nodeID, func() (err error) {
		out, err = d.client.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{
			InstanceId: aws.String(nodeID), Attribute: ec2types.InstanceAttributeName(attr)})
		return err
	})
	if err != nil {
		return "", wrap("ExDescribeInstanceAttribute", nodeID, err)
	}
	v := pick(out)
	if attr == "userData" {
		if v, err = decodeBase64(v); err != nil {
			return "", compute.NewError(provider, "ExDescribeInstanceAttribute", nodeID, compute.ErrInternal, err)
		}
	}
	return v, nil
}

// ExModifyInstanceAttribute sets one attribute of the instance, by EC2's
// name: "instanceType" (the instance must be stopped; ResizeNode does it
// for a running one), "disableApiTermination" ("true"/"false"),
// "instanceInitiatedShutdownBehavior" ("stop"/"terminate") or
// "sourceDestCheck" ("true"/"false"). Any other name, or a boolean that
// does not parse, is ErrInvalidArgument.
func (d *Driver) ExModifyInstanceAttribute(ctx context.Context, nodeID, attr, value string) error {
	in := &ec2.ModifyInstanceAttributeInput{InstanceId: aws.String(nodeID)}
	invalid := func(err error) error {
		return compute.NewError(provider, "ExModifyInstanceAttribute", nodeID, compute.ErrInvalidArgument, err)
	}
	boolValue := func() (*ec2types.AttributeBooleanValue, error) {
		b, err := strconv.ParseBool(value)
		if err != nil {
			return nil, invalid(fmt.Errorf("attribute %s takes true or false, not %q", attr, value))
		}
		return &ec2types.AttributeBooleanValue{Value: aws.Bool(b)}, nil
	}
	var err error
	switch attr {
	case "instanceType":
		in.InstanceType = &ec2types.AttributeValue{Value: aws.String(value)}
	case "instanceInitiatedShutdownBehavior":
		in.InstanceInitiatedShutdownBehavior = &ec2types.AttributeValue{Value: aws.String(value)}
	case "disableApiTermination":
		in.DisableApiTermination, err = boolValue()
	case "sourceDestCheck":
		in.SourceDestCheck, err = boolValue()
	default:
		err = invalid(fmt.Errorf("unsupported instance attribute %q", attr))
	}
	if err != nil {
		return err
	}
	err = d.consistent(ctx, nodeID, func() error {
		_, err := d.client.ModifyInstanceAttribute(ctx, in)
		return err
	})
	return wrap("ExModifyInstanceAttribute", nodeID, err)
}
