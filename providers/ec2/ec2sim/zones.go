package ec2sim

import (
	"fmt"
	"strings"
)

func init() {
	register(map[string]handler{
		"DescribeRegions": describeRegions, "DescribeAvailabilityZones": describeZones,
		"DescribeInstanceTypes": describeInstanceTypes,
	})
}

func describeRegions(c *call) (M, error) {
	fs := c.in.filters()
	probe := func(r string) fields {
		return func(name string) ([]string, bool) {
			switch name {
			case "region-name":
				return []string{r}, true
			case "endpoint":
				return []string{"ec2." + r + ".amazonaws.com"}, true
			case "opt-in-status":
				return []string{"opt-in-not-required"}, true
			}
			return nil, false
		}
	}
	if err := checkFilters(fs, probe("")); err != nil {
		return nil, err
	}
	names := c.in.strs("RegionNames")
	for _, n := range names {
		if !knownRegion(n) {
			return nil, errorf("InvalidParameterValue", "Invalid region: %s", n)
		}
	}
	var out []M
	for _, r := range regions {
		if (len(names) == 0 || contains(names, r)) && matches(fs, probe(r), nil) {
			out = append(out, M{"RegionName": r, "Endpoint": "ec2." + r + ".amazonaws.com", "OptInStatus": "opt-in-not-required"})
		}
	}
	return M{"Regions": out}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func describeZones(c *call) (M, error) {
	region := c.st.region
	type zone struct{ name, id string }
	probe := func(z zone) fields {
		return func(name string) ([]string, bool) {
			switch name {
			case "zone-name":
				return []string{z.name}, true
			case "zone-id":
				return []string{z.id}, true
			case "region-name", "group-name", "network-border-group":
				return []string{region}, true
			case "state":
				return []string{"available"}, true
			case "zone-type":
				return []string{"availability-zone"}, true
			case "opt-in-status":
				return []string{"opt-in-not-required"}, true
			}
			return nil, false
		}
	}
	fs := c.in.filters()
	if err := checkFilters(fs, probe(zone{})); err != nil {
		return nil, err
	}
	names, ids := c.in.strs("ZoneNames"), c.in.strs("ZoneIds")
	var out []M
	found := map[string]bool{}
	for i, l := range zoneLetters(region) {
		z := zone{region + l, zoneID(region, i)}
		if len(names)+len(ids) > 0 && !contains(names, z.name) && !contains(ids, z.id) {
			continue
		}
		found[z.name], found[z.id] = true, true
		if matches(fs, probe(z), nil) {
			out = append(out, M{"ZoneName": z.name, "ZoneId": z.id, "State": "available", "RegionName": region,
				"GroupName": region, "NetworkBorderGroup": region, "OptInStatus": "opt-in-not-required",
				"ZoneType": "availability-zone", "Messages": []M{}})
		}
	}
	for _, n := range append(names, ids...) {
		if !found[n] {
			return nil, errorf("InvalidParameterValue", "Invalid availability zone: [%s]", n)
		}
	}
	return M{"AvailabilityZones": out}, nil
}

func (t *instanceTypeInfo) fields(name string) ([]string, bool) {
	switch name {
	case "instance-type":
		return []string{t.name}, true
	case "vcpu-info.default-vcpus":
		return []string{fmt.Sprint(t.vcpus)}, true
	case "memory-info.size-in-mib":
		return []string{fmt.Sprint(t.memMiB)}, true
	case "processor-info.supported-architecture":
		return []string{t.arch}, true
	case "burstable-performance-supported":
		return []string{fmt.Sprint(t.burstable)}, true
	case "free-tier-eligible":
		return []string{fmt.Sprint(t.freeTier)}, true
	case "current-generation":
		return []string{fmt.Sprint(!strings.HasPrefix(t.name, "t2."))}, true
	case "hypervisor":
		return []string{t.hypervisor}, true
	}
	return nil, false
}

func (t *instanceTypeInfo) out() M {
	cores := t.vcpus / 2
	threads := 2
	if t.vcpus == 1 || t.arch == "arm64" {
		cores, threads = t.vcpus, 1
	}
	boot := []string{"legacy-bios", "uefi"}
	if t.arch == "arm64" {
		boot = []string{"uefi"}
	}
	return M{"InstanceType": t.name, "CurrentGeneration": !strings.HasPrefix(t.name, "t2."), "FreeTierEligible": t.freeTier,
		"SupportedUsageClasses": []string{"on-demand", "spot"}, "SupportedRootDeviceTypes": []string{"ebs"},
		"SupportedVirtualizationTypes": []string{"hvm"}, "BareMetal": false, "Hypervisor": t.hypervisor,
		"ProcessorInfo":            M{"SupportedArchitectures": []string{t.arch}, "SustainedClockSpeedInGhz": t.clockGhz},
		"VCpuInfo":                 M{"DefaultVCpus": t.vcpus, "DefaultCores": cores, "DefaultThreadsPerCore": threads},
		"MemoryInfo":               M{"SizeInMiB": t.memMiB},
		"InstanceStorageSupported": false,
		"EbsInfo":                  M{"EbsOptimizedSupport": "default", "EncryptionSupport": "supported", "NvmeSupport": nvme(t)},
		"NetworkInfo": M{"NetworkPerformance": t.network, "MaximumNetworkInterfaces": t.maxENIs, "MaximumNetworkCards": 1,
			"DefaultNetworkCardIndex": 0, "Ipv4AddressesPerInterface": t.ipsPerENI, "Ipv6AddressesPerInterface": t.ipsPerENI,
			"Ipv6Supported": true, "EnaSupport": ena(t), "EfaSupported": false},
		"PlacementGroupInfo":            M{"SupportedStrategies": []string{"partition", "spread"}},
		"HibernationSupported":          t.arch == "x86_64",
		"BurstablePerformanceSupported": t.burstable, "DedicatedHostsSupported": !t.burstable, "AutoRecoverySupported": true,
		"SupportedBootModes": boot}
}

func nvme(t *instanceTypeInfo) string {
	if t.hypervisor == "nitro" {
		return "required"
	}
	return "unsupported"
}

func ena(t *instanceTypeInfo) string {
	if t.hypervisor == "nitro" {
		return "required"
	}
	return "unsupported"
}

func describeInstanceTypes(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&instanceTypeInfo{}).fields); err != nil {
		return nil, err
	}
	names := c.in.strs("InstanceTypes")
	for _, n := range names {
		if findInstanceType(n) == nil {
			return nil, errorf("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", n)
		}
	}
	var list []M
	for i := range instanceTypes {
		t := &instanceTypes[i]
		if (len(names) == 0 || contains(names, t.name)) && matches(fs, t.fields, nil) {
			list = append(list, t.out())
		}
	}
	from, to, next, err := page(len(list), c.in, 5, 100)
	if err != nil {
		return nil, err
	}
	return M{"InstanceTypes": list[from:to], "NextToken": emptyNil(next)}, nil
}
