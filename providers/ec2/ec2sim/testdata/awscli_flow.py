"""Drives ec2sim with awscli: argv = endpoint.

Every command goes through awscli's own entry point, awscli.clidriver (what
the aws script runs): argument and shorthand parsing, --query, text output
and error reporting are awscli's. A new driver runs each command, as a new
process would, but in this one interpreter: starting `aws` costs 2-4 s per
command, which made a flow of twenty commands the slowest test of the
package. The environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION, ...) points awscli at the simulator; the Go test also
runs the aws program itself once for a success and once for an error.
"""
import contextlib
import io
import os
import sys

import awscli.clidriver

endpoint = sys.argv[1]


def run(*args):
    """Runs `aws --endpoint-url ENDPOINT --output text ARGS`: (rc, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = awscli.clidriver.create_clidriver().main(
            ["--endpoint-url", endpoint, "--output", "text"] + list(args))
    return rc, out.getvalue().strip(), err.getvalue()


def aws(*args):
    """Runs an aws command that must succeed; returns its output."""
    rc, out, err = run(*args)
    assert rc == 0, "aws %s: exit %d: %s" % (" ".join(args), rc, err)
    return out


def expect(code, *args):
    """Runs an aws command that must fail with EC2 error code."""
    rc, out, err = run(*args)
    assert rc != 0, "aws %s: want %s, got success: %s" % (" ".join(args), code, out)
    assert "(%s)" % code in err, "aws %s: want %s, got: %s" % (" ".join(args), code, err)


region = os.environ["AWS_DEFAULT_REGION"]
assert region in aws("ec2", "describe-regions", "--query", "Regions[].RegionName").split()
assert aws("ec2", "describe-availability-zones", "--query", "AvailabilityZones[0].ZoneName") == region + "a"
img = aws("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=al2023-ami-*",
          "Name=architecture,Values=x86_64", "--query", "Images[0].ImageId")
assert img.startswith("ami-"), img
assert aws("ec2", "describe-instance-types", "--instance-types", "t3.micro",
           "--query", "InstanceTypes[0].[VCpuInfo.DefaultVCpus,MemoryInfo.SizeInMiB]").split() == ["2", "1024"]
assert ":" in aws("ec2", "create-key-pair", "--key-name", "cli-key", "--query", "KeyFingerprint")
expect("InvalidKeyPair.Duplicate", "ec2", "create-key-pair", "--key-name", "cli-key")

ids = aws("ec2", "run-instances", "--image-id", img, "--instance-type", "t3.micro", "--count", "6",
          "--key-name", "cli-key", "--user-data", "echo cli",
          "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=cli}]",
          "--query", "Instances[].InstanceId").split()
assert len(ids) == 6, ids
iid = ids[0]
# The simulator runs with no transition delay: each state change is
# complete by the next call, so no waiter has to sleep.
# Two pages (DescribeInstances takes 5 to 1000); text output applies the
# query to each page.
seen = aws("ec2", "describe-instances", "--filters", "Name=tag:Name,Values=cli",
           "Name=instance-state-name,Values=running", "--page-size", "5",
           "--query", "Reservations[].Instances[].InstanceId").split()
assert sorted(seen) == sorted(ids), seen
assert aws("ec2", "describe-instance-attribute", "--instance-id", iid, "--attribute", "userData",
           "--query", "UserData.Value") == "ZWNobyBjbGk="  # base64 of "echo cli"
assert aws("ec2", "stop-instances", "--instance-ids", iid,
           "--query", "StoppingInstances[0].CurrentState.Name") == "stopping"
assert aws("ec2", "start-instances", "--instance-ids", iid,
           "--query", "StartingInstances[0].PreviousState.Name") == "stopped"
aws("ec2", "reboot-instances", "--instance-ids", iid)
az = aws("ec2", "describe-instances", "--instance-ids", iid,
         "--query", "Reservations[0].Instances[0].Placement.AvailabilityZone")

vol = aws("ec2", "create-volume", "--availability-zone", az, "--size", "4", "--query", "VolumeId")
assert aws("ec2", "attach-volume", "--volume-id", vol, "--instance-id", iid, "--device", "/dev/sdg",
           "--query", "State") == "attaching"
snap = aws("ec2", "create-snapshot", "--volume-id", vol, "--description", "cli snap", "--query", "SnapshotId")
assert aws("ec2", "describe-snapshots", "--snapshot-ids", snap, "--query", "Snapshots[0].State") == "completed"
expect("VolumeInUse", "ec2", "delete-volume", "--volume-id", vol)
assert aws("ec2", "detach-volume", "--volume-id", vol, "--query", "State") == "detaching"
aws("ec2", "delete-volume", "--volume-id", vol)
aws("ec2", "delete-snapshot", "--snapshot-id", snap)

sg = aws("ec2", "create-security-group", "--group-name", "cli-sg", "--description", "cli", "--query", "GroupId")
aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "22",
    "--cidr", "10.0.0.0/8")
expect("InvalidPermission.Duplicate", "ec2", "authorize-security-group-ingress", "--group-id", sg,
       "--protocol", "tcp", "--port", "22", "--cidr", "10.0.0.0/8")
assert aws("ec2", "describe-security-groups", "--group-ids", sg,
           "--query", "SecurityGroups[0].IpPermissions[0].[FromPort,IpRanges[0].CidrIp]").split() == ["22", "10.0.0.0/8"]
aws("ec2", "revoke-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "22",
    "--cidr", "10.0.0.0/8")
aws("ec2", "delete-security-group", "--group-id", sg)

alloc = aws("ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId")
assoc = aws("ec2", "associate-address", "--allocation-id", alloc, "--instance-id", ids[1], "--query", "AssociationId")
assert aws("ec2", "describe-addresses", "--allocation-ids", alloc, "--query", "Addresses[0].InstanceId") == ids[1]
aws("ec2", "disassociate-address", "--association-id", assoc)
aws("ec2", "release-address", "--allocation-id", alloc)

assert aws("ec2", "terminate-instances", "--instance-ids", *ids,
           "--query", "TerminatingInstances[].CurrentState.Name").split() == ["shutting-down"] * 6
expect("InvalidInstanceID.NotFound", "ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0")
aws("ec2", "delete-key-pair", "--key-name", "cli-key")
os.environ["AWS_SECRET_ACCESS_KEY"] = "wrong"
expect("AuthFailure", "ec2", "describe-instances")
print("awscli flow ok")
