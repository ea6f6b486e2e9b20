package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/compute"
)

// ImageFilter selects AMIs for ExListImages. Every field set must match.
type ImageFilter struct {
	// Owners are the owners to list: "self", "amazon", "aws-marketplace"
	// or account ids; empty means the driver's Settings.ImageOwners
	// (DefaultImageOwners). Never every public image.
	Owners []string
	// NamePattern matches the AMI name, with * and ? wildcards
	// ("al2023-ami-*").
	NamePattern string
	// Architecture is "x86_64", "arm64", "i386", ...
	Architecture string
	// ImageIDs lists these AMIs only.
	ImageIDs []string
}

// ListImages returns the available AMIs of the driver's image owners
// (Settings.ImageOwners: by default the account's own and Amazon's), all
// pages of DescribeImages. AMIs are regional: location is ignored.
func (d *Driver) ListImages(ctx context.Context, _ *compute.Location) ([]*compute.Image, error) {
	return d.listImages(ctx, "ListImages", nil)
}

// ExListImages is ListImages with a filter on owners, name pattern,
// architecture or ids (server-side filters of DescribeImages).
func (d *Driver) ExListImages(ctx context.Context, f *ImageFilter) ([]*compute.Image, error) {
	return d.listImages(ctx, "ExListImages", f)
}

func (d *Driver) listImages(ctx context.Context, op string, f *ImageFilter) ([]*compute.Image, error) {
	// No MaxResults: the list is collected whole anyway, and EC2-compatible
	// clouds (and older API models) lack DescribeImages paging.
	in := &ec2.DescribeImagesInput{Owners: d.settings.ImageOwners,
		Filters: []ec2types.Filter{filter("state", "available")}}
	if f != nil {
		if len(f.Owners) > 0 {
			in.Owners = f.Owners
		}
		if f.NamePattern != "" {
			in.Filters = append(in.Filters, filter("name", f.NamePattern))
		}
		if f.Architecture != "" {
			in.Filters = append(in.Filters, filter("architecture", f.Architecture))
		}
		if len(f.ImageIDs) > 0 {
			in.ImageIds = f.ImageIDs
		}
	}
	images := []*compute.Image{}
	p := ec2.NewDescribeImagesPaginator(d.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap(op, "", err)
		}
		for _, img := range page.Images {
			images = append(images, toImage(img))
		}
	}
	return images, nil
}

// GetImage returns the AMI with the given id, whoever owns it; an id that
// is not an AMI's ("ami-...") or that EC2 does not know gives ErrNotFound.
func (d *Driver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(id, "ami-") {
		return nil, compute.Errorf(provider, "GetImage", id, compute.ErrNotFound, "%q is not an AMI id (ami-...)", id)
	}
	out, err := d.client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
	if err != nil {
		return nil, wrap("GetImage", id, err)
	}
	for _, img := range out.Images {
		if aws.ToString(img.ImageId) == id {
			return toImage(img), nil
		}
	}
	return nil, compute.Errorf(provider, "GetImage", id, compute.ErrNotFound, "EC2 has no AMI %s", id)
}

// toImage maps an AMI to an image.
func toImage(img ec2types.Image) *compute.Image {
	out := &compute.Image{ID: aws.ToString(img.ImageId), Name: aws.ToString(img.Name), Provider: provider,
		Extra: map[string]any{}}
	extra := map[string]string{
		"architecture": string(img.Architecture), "owner_id": aws.ToString(img.OwnerId),
		"owner_alias": aws.ToString(img.ImageOwnerAlias), "description": aws.ToString(img.Description),
		"state": string(img.State), "root_device_type": string(img.RootDeviceType),
		"root_device_name": aws.ToString(img.RootDeviceName), "virtualization_type": string(img.VirtualizationType),
		"creation_date": aws.ToString(img.CreationDate), "platform": aws.ToString(img.PlatformDetails),
		"hypervisor": string(img.Hypervisor), "image_type": string(img.ImageType),
	}
	for k, v := range extra {
		if v != "" {
			out.Extra[k] = v
		}
	}
	if img.Public != nil {
		out.Extra["is_public"] = *img.Public
	}
	if tags := tagMap(img.Tags); tags != nil {
		out.Extra["tags"] = tags
	}
	return out
}

// ListSizes returns the instance types (DescribeInstanceTypes, every
// page): VCPUs, RAM in MB (MiB as EC2 gives it), Disk the instance store
// in GB (0 for EBS-only types). EC2's API has no prices: Price is 0. A
// location restricts the list to the types offered in that zone
// (DescribeInstanceTypeOfferings).
func (d *Driver) ListSizes(ctx context.Context, location *compute.Location) ([]*compute.Size, error) {
	in := &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(100)}
	var offered map[string]bool
	if location != nil && location.ID != "" {
		var err error
		offered, err = d.offeredTypes(ctx, location.ID)
		switch {
		case errorCode(err) == "UnsupportedOperation" || errorCode(err) == "InvalidAction":
			offered = nil // an EC2-compatible cloud without offerings: every type
		case err != nil:
			return nil, wrap("ListSizes", location.ID, err)
		}
	}
	sizes := []*compute.Size{}
	p := ec2.NewDescribeInstanceTypesPaginator(d.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap("ListSizes", "", err)
		}
		for _, it := range page.InstanceTypes {
			if offered == nil || offered[string(it.InstanceType)] {
				sizes = append(sizes, toSize(it))
			}
		}
	}
	return sizes, nil
}

// offeredTypes returns the instance types offered in zone; the error is
// the SDK's.
func (d *Driver) offeredTypes(ctx context.Context, zone string) (map[string]bool, error) {
	out := map[string]bool{}
	p := ec2.NewDescribeInstanceTypeOfferingsPaginator(d.client, &ec2.DescribeInstanceTypeOfferingsInput{
		LocationType: ec2types.LocationTypeAvailabilityZone, Filters: []ec2types.Filter{filter("location", zone)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.InstanceTypeOfferings {
			out[string(o.InstanceType)] = true
		}
	}
	return out, nil
}

// toSize maps an instance type to a size.
func toSize(it ec2types.InstanceTypeInfo) *compute.Size {
	s := &compute.Size{ID: string(it.InstanceType), Name: string(it.InstanceType), Provider: provider,
		Extra: map[string]any{}}
	if it.VCpuInfo != nil {
		s.VCPUs = int(aws.ToInt32(it.VCpuInfo.DefaultVCpus))
	}
	if it.MemoryInfo != nil {
		s.RAM = int(aws.ToInt64(it.MemoryInfo.SizeInMiB))
	}
	if it.InstanceStorageInfo != nil {
		s.Disk = int(aws.ToInt64(it.InstanceStorageInfo.TotalSizeInGB))
	}
	if it.NetworkInfo != nil && aws.ToString(it.NetworkInfo.NetworkPerformance) != "" {
		s.Extra["network_performance"] = aws.ToString(it.NetworkInfo.NetworkPerformance)
	}
	if it.ProcessorInfo != nil {
		archs := make([]string, 0, len(it.ProcessorInfo.SupportedArchitectures))
		for _, a := range it.ProcessorInfo.SupportedArchitectures {
			archs = append(archs, string(a))
		}
		s.Extra["architectures"] = archs
	}
	s.Extra["ebs_only"] = it.InstanceStorageInfo == nil
	if it.CurrentGeneration != nil {
		s.Extra["current_generation"] = *it.CurrentGeneration
	}
	return s
}

// ListLocations returns the region's availability zones
// (DescribeAvailabilityZones): ID and Name are the zone name
// ("us-east-1a"); EC2 gives no country.
func (d *Driver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	out, err := d.client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, wrap("ListLocations", "", err)
	}
	locs := make([]*compute.Location, 0, len(out.AvailabilityZones))
	for _, z := range out.AvailabilityZones {
		name := aws.ToString(z.ZoneName)
		locs = append(locs, &compute.Location{ID: name, Name: name, Provider: provider, Extra: map[string]any{
			"zone_id": aws.ToString(z.ZoneId), "region": aws.ToString(z.RegionName), "state": string(z.State),
			"zone_type": aws.ToString(z.ZoneType)}})
	}
	return locs, nil
}
