#!/usr/bin/env bash
# Drives ec2sim with awscli. The environment (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION) and $1 (the endpoint) point it
# at the simulator.
set -euo pipefail
ep="$1"
aws() { command "$AWS" --endpoint-url "$ep" --output text "$@"; }
aws ec2 describe-regions --query 'Regions[].RegionName' | grep -q us-east-1
aws ec2 describe-availability-zones --query 'AvailabilityZones[0].ZoneName' | grep -q us-east-1a
img=$(aws ec2 describe-images --owners amazon --filters Name=name,Values='al2023-ami-*' Name=architecture,Values=x86_64 --query 'Images[0].ImageId')
[[ $img == ami-* ]]
aws ec2 describe-instance-types --instance-types t3.micro --query 'InstanceTypes[0].VCpuInfo.DefaultVCpus' | grep -qx 2
aws ec2 create-key-pair --key-name cli-key --query KeyFingerprint | grep -q ':'
ids=$(aws ec2 run-instances --image-id "$img" --instance-type t3.micro --count 2 --key-name cli-key \
  --user-data 'echo cli' --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=cli}]' \
  --query 'Instances[].InstanceId')
id=${ids%%[[:space:]]*}
# Every aws call costs about 2 s of CLI start-up, so this flow is shorter
# than boto3_flow.py (which covers snapshots, security groups and Elastic
# IPs); the simulator runs with no transition delay, so each state change
# is complete by the next call and no waiter has to sleep.
n=$(aws ec2 describe-instances --filters Name=tag:Name,Values=cli Name=instance-state-name,Values=running \
  --page-size 5 --query 'length(Reservations[].Instances[])')
[[ $n == 2 ]]
aws ec2 stop-instances --instance-ids "$id" --query 'StoppingInstances[0].CurrentState.Name' | grep -qx stopping
aws ec2 start-instances --instance-ids "$id" --query 'StartingInstances[0].PreviousState.Name' | grep -qx stopped
aws ec2 reboot-instances --instance-ids "$id"
az=$(aws ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].Placement.AvailabilityZone')
vol=$(aws ec2 create-volume --availability-zone "$az" --size 4 --query VolumeId)
aws ec2 attach-volume --volume-id "$vol" --instance-id "$id" --device /dev/sdg --query State | grep -qx attaching
aws ec2 detach-volume --volume-id "$vol" --query State | grep -qx detaching
aws ec2 delete-volume --volume-id "$vol"
aws ec2 terminate-instances --instance-ids $ids --query 'TerminatingInstances[0].CurrentState.Name' | grep -qx shutting-down
# Error cases: the code must be EC2's.
expect() {
  local code="$1"; shift
  if out=$("$@" 2>&1); then echo "want $code, got success" >&2; exit 1; fi
  grep -q "($code)" <<<"$out" || { echo "want $code, got: $out" >&2; exit 1; }
}
expect InvalidInstanceID.NotFound aws ec2 describe-instances --instance-ids i-0123456789abcdef0
expect InvalidKeyPair.Duplicate aws ec2 create-key-pair --key-name cli-key
AWS_SECRET_ACCESS_KEY=wrong expect AuthFailure aws ec2 describe-instances
echo "awscli flow ok"
