"""Drives ec2sim with boto3: argv = endpoint access_key secret_key region."""
import base64
import sys

import boto3
import botocore.exceptions

endpoint, key, secret, region = sys.argv[1:5]


def client(secret_key=secret):
    return boto3.client("ec2", endpoint_url=endpoint, aws_access_key_id=key,
                        aws_secret_access_key=secret_key, region_name=region,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


def expect_error(code, fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, "want %s, got %s" % (code, got)
        return e
    raise AssertionError("want %s, got success" % code)


import botocore.config  # noqa: E402

ec2 = client()
regions = [r["RegionName"] for r in ec2.describe_regions()["Regions"]]
assert region in regions, regions
zones = ec2.describe_availability_zones()["AvailabilityZones"]
assert zones[0]["ZoneName"].startswith(region), zones
images = ec2.describe_images(Owners=["amazon"])["Images"]
assert images and all(i["ImageOwnerAlias"] == "amazon" for i in images), images
al2023 = [i for i in images if i["Name"].startswith("al2023") and i["Architecture"] == "x86_64"][0]
types = ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"]
assert types[0]["VCpuInfo"]["DefaultVCpus"] == 2 and types[0]["MemoryInfo"]["SizeInMiB"] == 1024, types

kp = ec2.create_key_pair(KeyName="boto-key")
assert kp["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----"), kp["KeyMaterial"][:40]
assert len(kp["KeyFingerprint"].split(":")) == 20, kp["KeyFingerprint"]
expect_error("InvalidKeyPair.Duplicate", ec2.create_key_pair, KeyName="boto-key")

res = ec2.run_instances(ImageId=al2023["ImageId"], InstanceType="t3.micro", MinCount=3, MaxCount=3,
                        KeyName="boto-key", UserData="#!/bin/sh\necho boto\n", ClientToken="boto-token",
                        TagSpecifications=[{"ResourceType": "instance",
                                            "Tags": [{"Key": "Name", "Value": "boto"}]}])
ids = [i["InstanceId"] for i in res["Instances"]]
assert len(ids) == 3 and res["Instances"][0]["State"]["Name"] == "pending"
again = ec2.run_instances(ImageId=al2023["ImageId"], InstanceType="t3.micro", MinCount=3, MaxCount=3,
                          KeyName="boto-key", UserData="#!/bin/sh\necho boto\n", ClientToken="boto-token",
                          TagSpecifications=[{"ResourceType": "instance",
                                              "Tags": [{"Key": "Name", "Value": "boto"}]}])
assert again["ReservationId"] == res["ReservationId"]
ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1})
ud = ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="userData")["UserData"]["Value"]
assert base64.b64decode(ud) == b"#!/bin/sh\necho boto\n", ud

paginator = ec2.get_paginator("describe_instances")
seen = []
for page in paginator.paginate(Filters=[{"Name": "tag:Name", "Values": ["boto"]},
                                        {"Name": "instance-state-name", "Values": ["running"]}],
                               PaginationConfig={"PageSize": 5}):
    for r in page["Reservations"]:
        seen += [i["InstanceId"] for i in r["Instances"]]
assert sorted(seen) == sorted(ids), seen
assert ec2.describe_instances(Filters=[{"Name": "tag-key", "Values": ["Name"]},
                                       {"Name": "availability-zone", "Values": [zones[0]["ZoneName"]]}])["Reservations"]

ec2.stop_instances(InstanceIds=[ids[0]])
ec2.get_waiter("instance_stopped").wait(InstanceIds=[ids[0]], WaiterConfig={"Delay": 1})
ec2.start_instances(InstanceIds=[ids[0]])
ec2.get_waiter("instance_running").wait(InstanceIds=[ids[0]], WaiterConfig={"Delay": 1})
ec2.reboot_instances(InstanceIds=[ids[0]])

az = res["Instances"][0]["Placement"]["AvailabilityZone"]
vol = ec2.create_volume(AvailabilityZone=az, Size=5, VolumeType="gp3")
ec2.get_waiter("volume_available").wait(VolumeIds=[vol["VolumeId"]], WaiterConfig={"Delay": 1})
ec2.attach_volume(VolumeId=vol["VolumeId"], InstanceId=ids[0], Device="/dev/sdf")
ec2.get_waiter("volume_in_use").wait(VolumeIds=[vol["VolumeId"]], WaiterConfig={"Delay": 1})
expect_error("VolumeInUse", ec2.delete_volume, VolumeId=vol["VolumeId"])
snap = ec2.create_snapshot(VolumeId=vol["VolumeId"], Description="boto snap")
ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snap["SnapshotId"]], WaiterConfig={"Delay": 1})
ec2.detach_volume(VolumeId=vol["VolumeId"])
ec2.get_waiter("volume_available").wait(VolumeIds=[vol["VolumeId"]], WaiterConfig={"Delay": 1})
ec2.delete_volume(VolumeId=vol["VolumeId"])
ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])

sg = ec2.create_security_group(GroupName="boto-sg", Description="boto")["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
perms = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
assert perms[0]["FromPort"] == 443, perms
ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ec2.delete_security_group(GroupId=sg)

eip = ec2.allocate_address(Domain="vpc")
assoc = ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=ids[1])
addr = ec2.describe_addresses(AllocationIds=[eip["AllocationId"]])["Addresses"][0]
assert addr["InstanceId"] == ids[1], addr
ec2.disassociate_address(AssociationId=assoc["AssociationId"])
ec2.release_address(AllocationId=eip["AllocationId"])

ec2.create_tags(Resources=[ids[1]], Tags=[{"Key": "env", "Value": "test"}])
tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [ids[1]]}])["Tags"]
assert {t["Key"] for t in tags} == {"Name", "env"}, tags
ec2.delete_tags(Resources=[ids[1]], Tags=[{"Key": "env"}])

ec2.terminate_instances(InstanceIds=ids)
ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1})

expect_error("InvalidInstanceID.NotFound", ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
expect_error("InvalidInstanceID.Malformed", ec2.stop_instances, InstanceIds=["bogus"])
expect_error("AuthFailure", client("wrong-secret").describe_instances)
expect_error("DryRunOperation", ec2.describe_instances, DryRun=True)
ec2.delete_key_pair(KeyName="boto-key")
print("boto3 flow ok")
