package ec2sim

import "strings"

// regions are the regions DescribeRegions lists (opt-in-not-required ones).
var regions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

func knownRegion(r string) bool {
	for _, x := range regions {
		if x == r {
			return true
		}
	}
	return false
}

// zoneLetters returns the availability zone suffixes of a region: six in
// us-east-1, three elsewhere.
func zoneLetters(region string) []string {
	if region == "us-east-1" {
		return []string{"a", "b", "c", "d", "e", "f"}
	}
	return []string{"a", "b", "c"}
}

// zoneID returns the zone id of a region's n-th zone, e.g. "use1-az1".
func zoneID(region string, n int) string {
	parts := strings.Split(region, "-")
	id := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		id += p[:1]
	}
	return id + parts[len(parts)-1] + "-az" + string(rune('1'+n))
}

// instanceTypeInfo is one entry of the instance type catalogue.
type instanceTypeInfo struct {
	name       string
	vcpus      int
	memMiB     int64
	arch       string
	burstable  bool
	freeTier   bool
	network    string
	clockGhz   float64
	maxENIs    int
	ipsPerENI  int
	hypervisor string
}

// instanceTypes is a realistic subset of current-generation EBS-only types.
var instanceTypes = []instanceTypeInfo{
	{"t2.micro", 1, 1024, "x86_64", true, true, "Low to Moderate", 2.5, 2, 2, "xen"},
	{"t2.small", 1, 2048, "x86_64", true, false, "Low to Moderate", 2.5, 3, 4, "xen"},
	{"t2.medium", 2, 4096, "x86_64", true, false, "Low to Moderate", 2.3, 3, 6, "xen"},
	{"t3.nano", 2, 512, "x86_64", true, false, "Up to 5 Gigabit", 2.5, 2, 2, "nitro"},
	{"t3.micro", 2, 1024, "x86_64", true, true, "Up to 5 Gigabit", 2.5, 2, 2, "nitro"},
	{"t3.small", 2, 2048, "x86_64", true, false, "Up to 5 Gigabit", 2.5, 3, 4, "nitro"},
	{"t3.medium", 2, 4096, "x86_64", true, false, "Up to 5 Gigabit", 2.5, 3, 6, "nitro"},
	{"t3.large", 2, 8192, "x86_64", true, false, "Up to 5 Gigabit", 2.5, 3, 12, "nitro"},
	{"t4g.micro", 2, 1024, "arm64", true, false, "Up to 5 Gigabit", 2.5, 2, 2, "nitro"},
	{"t4g.small", 2, 2048, "arm64", true, false, "Up to 5 Gigabit", 2.5, 3, 4, "nitro"},
	{"m5.large", 2, 8192, "x86_64", false, false, "Up to 10 Gigabit", 3.1, 3, 10, "nitro"},
	{"m5.xlarge", 4, 16384, "x86_64", false, false, "Up to 10 Gigabit", 3.1, 4, 15, "nitro"},
	{"m5.2xlarge", 8, 32768, "x86_64", false, false, "Up to 10 Gigabit", 3.1, 4, 15, "nitro"},
	{"m6g.large", 2, 8192, "arm64", false, false, "Up to 10 Gigabit", 2.5, 3, 10, "nitro"},
	{"c5.large", 2, 4096, "x86_64", false, false, "Up to 10 Gigabit", 3.4, 3, 10, "nitro"},
	{"c5.xlarge", 4, 8192, "x86_64", false, false, "Up to 10 Gigabit", 3.4, 4, 15, "nitro"},
	{"r5.large", 2, 16384, "x86_64", false, false, "Up to 10 Gigabit", 3.1, 3, 10, "nitro"},
	{"r5.xlarge", 4, 32768, "x86_64", false, false, "Up to 10 Gigabit", 3.1, 4, 15, "nitro"},
}

func findInstanceType(name string) *instanceTypeInfo {
	for i := range instanceTypes {
		if instanceTypes[i].name == name {
			return &instanceTypes[i]
		}
	}
	return nil
}

// seedImage is one public AMI of the catalogue.
type seedImage struct {
	id, name, description, owner, alias, arch, platform, root string
}

// Owner account ids of public images.
const (
	amazonOwner    = "137112412989"
	windowsOwner   = "801119661308"
	canonicalOwner = "099720109477"
	debianOwner    = "136693071363"
)

// seedImages are the public images every account sees: Amazon's own
// (owner alias "amazon") and those of Canonical and Debian (no alias), as in
// EC2.
var seedImages = []seedImage{
	{"ami-0453ec754f44f9a4a", "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1", amazonOwner, "amazon", "x86_64", "", "/dev/xvda"},
	{"ami-0c614dee691cbbf37", "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64", "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1", amazonOwner, "amazon", "arm64", "", "/dev/xvda"},
	{"ami-01816d07b1128cd2d", "amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2", "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241217.0 x86_64 HVM gp2", amazonOwner, "amazon", "x86_64", "", "/dev/xvda"},
	{"ami-05b4ded3ceb71e470", "Windows_Server-2022-English-Full-Base-2024.12.13", "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon", windowsOwner, "amazon", "x86_64", "windows", "/dev/sda1"},
	{"ami-0e2c8caa4b6378d8c", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206", "Canonical, Ubuntu, 24.04, amd64 noble image", canonicalOwner, "", "x86_64", "", "/dev/sda1"},
	{"ami-0a7a4e87939439934", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241206", "Canonical, Ubuntu, 22.04 LTS, arm64 jammy image", canonicalOwner, "", "arm64", "", "/dev/sda1"},
	{"ami-064519b8c76274859", "debian-12-amd64-20241201-1949", "Debian 12 (20241201-1949)", debianOwner, "", "x86_64", "", "/dev/xvda"},
}

// defaultInstanceType is the type RunInstances uses without InstanceType
// (EC2's m1.small is a previous generation the catalogue does not have).
const defaultInstanceType = "t2.micro"
