package ec2

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
)

// ExCreateTags sets the tags on every resource (instances, volumes, VPCs,
// subnets...), replacing the values of keys they already have.
func (d *Driver) ExCreateTags(ctx context.Context, resourceIDs []string, tags map[string]string) error {
	id := strings.Join(resourceIDs, ",")
	if len(resourceIDs) == 0 || len(tags) == 0 {
		return compute.NewError(provider, "ExCreateTags", id, compute.ErrInvalidArgument,
			errors.New("resource ids and tags must not be empty"))
	}
	_, err := d.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: resourceIDs, Tags: ec2Tags(tags)})
	return wrap("ExCreateTags", id, err)
}

// ExDeleteTags removes the tag keys from every resource, whatever their
// values. An empty keys is ErrInvalidArgument (EC2 would delete every
// tag).
func (d *Driver) ExDeleteTags(ctx context.Context, resourceIDs []string, keys []string) error {
	id := strings.Join(resourceIDs, ",")
	if len(resourceIDs) == 0 || len(keys) == 0 {
		return compute.NewError(provider, "ExDeleteTags", id, compute.ErrInvalidArgument,
			errors.New("resource ids and tag keys must not be empty"))
	}
	tags := make([]ec2types.Tag, 0, len(keys))
	for _, k := range keys {
		tags = append(tags, ec2types.Tag{Key: aws.String(k)})
	}
	_, err := d.client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: resourceIDs, Tags: tags})
	return wrap("ExDeleteTags", id, err)
}

// ExListTags returns the resource's tags (DescribeTags filtered on the
// resource id, every page); a resource without tags, or that does not
// exist, has none.
func (d *Driver) ExListTags(ctx context.Context, resourceID string) (map[string]string, error) {
	tags := map[string]string{}
	p := ec2.NewDescribeTagsPaginator(d.client, &ec2.DescribeTagsInput{
		Filters: []ec2types.Filter{filter("resource-id", resourceID)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ExListTags", resourceID, err)
		}
		for _, t := range page.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return tags, nil
}
