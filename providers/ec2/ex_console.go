package ec2

import (
	"context"
	"encoding/base64"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/compute"
)

// ExGetConsoleOutput returns the instance's console output, decoded
// (GetConsoleOutput; EC2 keeps the last 64 KB).
func (d *Driver) ExGetConsoleOutput(ctx context.Context, nodeID string) (string, error) {
	var out *ec2.GetConsoleOutputOutput
	err := d.consistent(ctx, nodeID, func() (err error) {
		out, err = d.client.GetConsoleOutput(ctx, &ec2.GetConsoleOutputInput{InstanceId: aws.String(nodeID)})
		return err
	})
	if err != nil {
		return "", wrap("ExGetConsoleOutput", nodeID, err)
	}
	text, err := decodeBase64(aws.ToString(out.Output))
	if err != nil {
		return "", compute.NewError(provider, "ExGetConsoleOutput", nodeID, compute.ErrInternal, err)
	}
	return text, nil
}

// decodeBase64 decodes EC2's base64 text fields.
func decodeBase64(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err
}
