package ec2sim_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

func TestSDKInstanceLifecycle(t *testing.T) {
	sim, url := newSim(t, nil)
	c := sdkClient(url, sim.AccessKey(), sim.SecretKey())
	ctx := ctx(t)

	zones, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(zones.AvailabilityZones) != 6 || *zones.AvailabilityZones[0].ZoneName != "us-east-1a" {
		t.Fatalf("zones: %+v", zones.AvailabilityZones)
	}
	imgs, err := c.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"self", "amazon"},
		Filters: []types.Filter{{Name: aws.String("architecture"), Values: []string{"x86_64"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs.Images) != 3 {
		t.Fatalf("amazon x86_64 images: %d", len(imgs.Images))
	}
	for _, img := range imgs.Images {
		if aws.ToString(img.ImageOwnerAlias) != "amazon" || img.Architecture != types.ArchitectureValuesX8664 {
			t.Errorf("image %s: alias %v arch %s", *img.ImageId, img.ImageOwnerAlias, img.Architecture)
		}
	}
	_, err = c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("k1")})
	if err != nil {
		t.Fatal(err)
	}
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi\n"))
	run := &ec2.RunInstancesInput{ImageId: imgs.Images[0].ImageId, InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2), KeyName: aws.String("k1"), UserData: aws.String(ud),
		ClientToken: aws.String("token-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}}
	res, err := c.RunInstances(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Instances) != 2 || res.Instances[0].State.Name != types.InstanceStateNamePending {
		t.Fatalf("run: %+v", res.Instances)
	}
	again, err := c.RunInstances(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if *again.ReservationId != *res.ReservationId || *again.Instances[0].InstanceId != *res.Instances[0].InstanceId {
		t.Fatalf("same client token gave reservation %s, want %s", *again.ReservationId, *res.ReservationId)
	}
	id := *res.Instances[0].InstanceId
	desc, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("tag:Name"), Values: []string{"web"}},
		{Name: aws.String("instance-state-name"), Values: []string{"running"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := countInstances(desc); n != 2 {
		t.Fatalf("running web instances: %d", n)
	}
	inst := desc.Reservations[0].Instances[0]
	if aws.ToString(inst.KeyName) != "k1" || aws.ToString(inst.PublicIpAddress) == "" || aws.ToString(inst.SubnetId) == "" {
		t.Errorf("instance: key %v ip %v subnet %v", inst.KeyName, inst.PublicIpAddress, inst.SubnetId)
	}
	attr, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: types.InstanceAttributeNameUserData})
	if err != nil || aws.ToString(attr.UserData.Value) != ud {
		t.Fatalf("user data %v: %v", attr, err)
	}
	stop, err := c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	if err != nil || stop.StoppingInstances[0].CurrentState.Name != types.InstanceStateNameStopping {
		t.Fatalf("stop: %v %v", stop, err)
	}
	if _, err := c.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id,
		InstanceType: &types.AttributeValue{Value: aws.String("t3.small")}}); err != nil {
		t.Fatal(err)
	}
	if err := ec2.NewInstanceStoppedWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil || got.Reservations[0].Instances[0].InstanceType != types.InstanceTypeT3Small {
		t.Fatalf("resized: %v", err)
	}
	if _, err := c.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.GetConsoleOutput(ctx, &ec2.GetConsoleOutputInput{InstanceId: &id})
	if err != nil || aws.ToString(out.Output) == "" {
		t.Fatalf("console: %v", err)
	}
	term, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	if err != nil || term.TerminatingInstances[0].CurrentState.Name != types.InstanceStateNameShuttingDown {
		t.Fatalf("terminate: %v", err)
	}
	if err := ec2.NewInstanceTerminatedWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	if apiCode(err) != "InvalidInstanceID.NotFound" {
		t.Fatalf("unknown instance: %v", err)
	}
	_, err = c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("k1")})
	if apiCode(err) != "InvalidKeyPair.Duplicate" {
		t.Fatalf("duplicate key: %v", err)
	}
}

func countInstances(out *ec2.DescribeInstancesOutput) int {
	n := 0
	for _, r := range out.Reservations {
		n += len(r.Instances)
	}
	return n
}

func TestSDKPaging(t *testing.T) {
	sim, url := newSim(t, &ec2sim.Options{Instances: 23})
	c := sdkClient(url, sim.AccessKey(), sim.SecretKey())
	ctx := ctx(t)
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	seen, pages := map[string]bool{}, 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				seen[*in.InstanceId] = true
			}
		}
	}
	if len(seen) != 23 || pages != 5 {
		t.Fatalf("%d instances in %d pages", len(seen), pages)
	}
	tp := ec2.NewDescribeInstanceTypesPaginator(c, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(5)})
	types := 0
	for tp.HasMorePages() {
		page, err := tp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.InstanceTypes {
			if *it.VCpuInfo.DefaultVCpus < 1 || *it.MemoryInfo.SizeInMiB < 512 {
				t.Errorf("%s: %v vCPUs %v MiB", it.InstanceType, *it.VCpuInfo.DefaultVCpus, *it.MemoryInfo.SizeInMiB)
			}
			types++
		}
	}
	if types < 10 {
		t.Fatalf("%d instance types", types)
	}
}

func TestSDKVolumesAddressesGroups(t *testing.T) {
	sim, url := newSim(t, &ec2sim.Options{Instances: 1})
	c := sdkClient(url, sim.AccessKey(), sim.SecretKey())
	ctx := ctx(t)
	insts, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	if err != nil {
		t.Fatal(err)
	}
	in := insts.Reservations[0].Instances[0]
	vol, err := c.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: in.Placement.AvailabilityZone, Size: aws.Int32(10)})
	if err != nil || vol.State != types.VolumeStateCreating {
		t.Fatalf("create volume: %v", err)
	}
	if err := ec2.NewVolumeAvailableWaiter(c).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{*vol.VolumeId}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	att, err := c.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: vol.VolumeId, InstanceId: in.InstanceId, Device: aws.String("/dev/sdf")})
	if err != nil || att.State != types.VolumeAttachmentStateAttaching {
		t.Fatalf("attach: %v", err)
	}
	if err := ec2.NewVolumeInUseWaiter(c).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{*vol.VolumeId}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	// The instance lists its root volume, then the attached one.
	insts, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*in.InstanceId}})
	if err != nil {
		t.Fatal(err)
	}
	bdm := insts.Reservations[0].Instances[0].BlockDeviceMappings
	if len(bdm) != 2 || *bdm[0].Ebs.VolumeId != *in.BlockDeviceMappings[0].Ebs.VolumeId || !*bdm[0].Ebs.DeleteOnTermination ||
		*bdm[1].Ebs.VolumeId != *vol.VolumeId || *bdm[1].DeviceName != "/dev/sdf" || *bdm[1].Ebs.DeleteOnTermination {
		t.Fatalf("block device mappings: %+v", bdm)
	}
	_, err = c.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: vol.VolumeId})
	if apiCode(err) != "VolumeInUse" {
		t.Fatalf("delete attached volume: %v", err)
	}
	snap, err := c.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{VolumeId: vol.VolumeId})
	if err != nil {
		t.Fatal(err)
	}
	if err := ec2.NewSnapshotCompletedWaiter(c).Wait(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{*snap.SnapshotId}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: vol.VolumeId}); err != nil {
		t.Fatal(err)
	}
	if err := ec2.NewVolumeAvailableWaiter(c).Wait(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{*vol.VolumeId}}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: vol.VolumeId}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{*vol.VolumeId}})
	if apiCode(err) != "InvalidVolume.NotFound" {
		t.Fatalf("deleted volume: %v", err)
	}

	eip, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
	if err != nil {
		t.Fatal(err)
	}
	assoc, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip.AllocationId, InstanceId: in.InstanceId})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*in.InstanceId}})
	if ip := aws.ToString(got.Reservations[0].Instances[0].PublicIpAddress); ip != *eip.PublicIp {
		t.Fatalf("public ip %s, want the Elastic IP %s", ip, *eip.PublicIp)
	}
	_, err = c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip.AllocationId})
	if apiCode(err) != "InvalidIPAddress.InUse" {
		t.Fatalf("release associated: %v", err)
	}
	if _, err := c.DisassociateAddress(ctx, &ec2.DisassociateAddressInput{AssociationId: assoc.AssociationId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: eip.AllocationId}); err != nil {
		t.Fatal(err)
	}

	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web servers")})
	if err != nil {
		t.Fatal(err)
	}
	perm := []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}}}}
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: perm}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: perm})
	if apiCode(err) != "InvalidPermission.Duplicate" {
		t.Fatalf("duplicate rule: %v", err)
	}
	groups, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{*sg.GroupId}})
	if err != nil || len(groups.SecurityGroups[0].IpPermissions) != 1 || *groups.SecurityGroups[0].IpPermissions[0].FromPort != 22 {
		t.Fatalf("group rules: %v", err)
	}
	if _, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: perm}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: sg.GroupId}); err != nil {
		t.Fatal(err)
	}
	enis, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	if err != nil || len(enis.NetworkInterfaces) != 1 || *enis.NetworkInterfaces[0].Attachment.InstanceId != *in.InstanceId {
		t.Fatalf("network interfaces: %v", err)
	}
}
