package ec2sim

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"
)

// instance is an EC2 instance.
type instance struct {
	id, reservationID, imageID, instType, keyName, clientToken, userData string
	az, subnetID, vpcID, privateIP, publicIP, eniID, arch, rootDevice    string
	rootVolume, platform, shutdownBehavior                               string
	groups                                                               []string
	launchTime, attachTime                                               time.Time
	launchIndex                                                          int
	disableAPITermination                                                bool

	state, next, reason string
	until, terminated   time.Time
}

// reservation is one RunInstances launch.
type reservation struct {
	id, token string
	instances []string
	request   string // fingerprint of the request, for ClientToken reuse checks
}

// stateCodes are the InstanceState codes of each state name.
var stateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

func stateValue(name string) M { return M{"Code": stateCodes[name], "Name": name} }

// validID reports whether id looks like prefix-<8 or 17 hex digits>.
func validID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || (len(rest) != 8 && len(rest) != 17) {
		return false
	}
	for _, r := range rest {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// instance returns the instance id names, or InvalidInstanceID.Malformed / .NotFound.
func (c *call) instance(id string) (*instance, error) {
	if !validID(id, "i") {
		return nil, errorf("InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
	}
	in := c.st.instances[id]
	if in == nil {
		return nil, notFound("InvalidInstanceID.NotFound", "instance ID", id)
	}
	return in, nil
}

// instances returns the instances of ids; unknown ids give one
// InvalidInstanceID.NotFound naming them all, as EC2 does.
func (c *call) instances(ids []string) ([]*instance, error) {
	var out []*instance
	var missing []string
	for _, id := range ids {
		if !validID(id, "i") {
			return nil, errorf("InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
		if in := c.st.instances[id]; in != nil {
			out = append(out, in)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 1 {
		return nil, notFound("InvalidInstanceID.NotFound", "instance ID", missing[0])
	}
	if len(missing) > 1 {
		return nil, errorf("InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(missing, ", "))
	}
	return out, nil
}

// transition moves in to state now and to next after delay.
func (st *state) transition(in *instance, now time.Time, state, next string, delay time.Duration) {
	in.state, in.next, in.until = state, next, now.Add(delay)
	st.moving[in.id] = true
}

// advance completes in's transition if it is due; it reports whether in
// has nothing left to do (terminated instances wait for their TTL).
func (in *instance) advance(st *state, now time.Time, ttl time.Duration) bool {
	if in.next != "" && !now.Before(in.until) {
		in.state, in.next = in.next, ""
		switch in.state {
		case "stopped":
			st.releasePublicIP(in)
		case "terminated":
			in.terminated = in.until
			st.cleanUpTerminated(in)
		}
	}
	if in.state == "terminated" {
		if now.Sub(in.terminated) >= ttl {
			delete(st.instances, in.id)
			st.forget(in.id)
			return true
		}
		return false
	}
	return in.next == ""
}

// releasePublicIP drops a stopped instance's public address unless it is
// an Elastic IP.
func (st *state) releasePublicIP(in *instance) {
	if st.addressOf(in.id) == nil {
		in.publicIP = ""
	}
}

// cleanUpTerminated deletes what dies with an instance: its network
// interface, its delete-on-termination volumes, its Elastic IP association.
func (st *state) cleanUpTerminated(in *instance) {
	in.publicIP = ""
	if a := st.addressOf(in.id); a != nil {
		a.disassociate()
	}
	if e := st.enis[in.eniID]; e != nil {
		delete(st.enis, e.id)
		st.forget(e.id)
	}
	for id, v := range st.volumes {
		if v.attach != nil && v.attach.instanceID == in.id {
			if v.deleteOnTermination {
				delete(st.volumes, id)
				st.forget(id)
			} else {
				v.attach = nil
			}
		}
	}
}

// out is the Instance value of in.
func (in *instance) out(st *state) M {
	return in.outWith(st, st.volumesAttached([]*instance{in}))
}

// outWith is the Instance value of in, given the volumes attached to it
// (and perhaps to others) by instance id, as volumesAttached returns them.
func (in *instance) outWith(st *state, attached map[string][]*volume) M {
	groups := make([]M, 0, len(in.groups))
	for _, g := range in.groups {
		if sg := st.groups[g]; sg != nil {
			groups = append(groups, M{"GroupId": g, "GroupName": sg.name})
		}
	}
	m := M{"InstanceId": in.id, "ImageId": in.imageID, "InstanceType": in.instType, "State": stateValue(in.state),
		"AmiLaunchIndex": in.launchIndex, "LaunchTime": in.launchTime, "Placement": M{"AvailabilityZone": in.az, "GroupName": "", "Tenancy": "default"},
		"Monitoring": M{"State": "disabled"}, "Architecture": in.arch, "RootDeviceType": "ebs", "RootDeviceName": in.rootDevice,
		"VirtualizationType": "hvm", "Hypervisor": "xen", "EbsOptimized": false, "EnaSupport": true, "SourceDestCheck": true,
		"SecurityGroups": groups, "Tags": st.tagList(in.id), "StateTransitionReason": in.reason,
		"ClientToken": in.clientToken, "KeyName": emptyNil(in.keyName), "ProductCodes": []M{},
		"CpuOptions":      M{"CoreCount": 1, "ThreadsPerCore": 2},
		"MetadataOptions": M{"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
		"PlatformDetails": "Linux/UNIX", "UsageOperation": "RunInstances", "BootMode": "uefi-preferred",
		"HibernationOptions": M{"Configured": false}, "EnclaveOptions": M{"Enabled": false}}
	if in.platform != "" {
		m["Platform"], m["PlatformDetails"] = in.platform, "Windows"
	}
	if in.state == "terminated" {
		m["StateReason"] = M{"Code": "Client.UserInitiatedShutdown", "Message": "Client.UserInitiatedShutdown: User initiated shutdown"}
		m["PrivateDnsName"], m["PublicDnsName"] = "", ""
		m["BlockDeviceMappings"], m["NetworkInterfaces"] = []M{}, []M{}
		return m
	}
	m["SubnetId"], m["VpcId"], m["PrivateIpAddress"] = in.subnetID, in.vpcID, in.privateIP
	m["PrivateDnsName"] = privateDNS(in.privateIP)
	m["PublicDnsName"] = ""
	if in.publicIP != "" {
		m["PublicIpAddress"], m["PublicDnsName"] = in.publicIP, publicDNS(in.publicIP)
	}
	var bdm []M
	for _, v := range attached[in.id] {
		bdm = append(bdm, M{"DeviceName": v.attach.device, "Ebs": M{"VolumeId": v.id, "Status": v.attach.state,
			"AttachTime": v.attach.time, "DeleteOnTermination": v.deleteOnTermination}})
	}
	m["BlockDeviceMappings"] = bdm
	if e := st.enis[in.eniID]; e != nil {
		ni := M{"NetworkInterfaceId": e.id, "SubnetId": e.subnetID, "VpcId": e.vpcID, "Description": "",
			"OwnerId": AccountID, "Status": "in-use", "MacAddress": e.mac, "PrivateIpAddress": e.privateIP,
			"PrivateDnsName": privateDNS(e.privateIP), "SourceDestCheck": true, "Groups": groups, "InterfaceType": "interface",
			"Attachment": M{"AttachmentId": e.attachID, "DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached",
				"AttachTime": in.attachTime, "DeleteOnTermination": true}}
		pip := M{"PrivateIpAddress": e.privateIP, "PrivateDnsName": privateDNS(e.privateIP), "Primary": true}
		if in.publicIP != "" {
			owner := "amazon"
			if st.addressOf(in.id) != nil {
				owner = AccountID
			}
			assoc := M{"PublicIp": in.publicIP, "PublicDnsName": publicDNS(in.publicIP), "IpOwnerId": owner}
			ni["Association"], pip["Association"] = assoc, assoc
		}
		ni["PrivateIpAddresses"] = []M{pip}
		m["NetworkInterfaces"] = []M{ni}
	}
	return m
}

// volumesAttached returns the volumes attached to each of ins by instance
// id, each list in creation order: one pass over the volumes for a whole
// answer rather than one sort of them all per instance.
func (st *state) volumesAttached(ins []*instance) map[string][]*volume {
	want := make(map[string]bool, len(ins))
	for _, in := range ins {
		want[in.id] = true
	}
	out := map[string][]*volume{}
	for _, v := range st.volumes {
		if v.attach != nil && want[v.attach.instanceID] {
			out[v.attach.instanceID] = append(out[v.attach.instanceID], v)
		}
	}
	for _, vs := range out {
		sort.Slice(vs, func(a, b int) bool { return st.createdBefore(vs[a].id, vs[b].id) })
	}
	return out
}

func privateDNS(ip string) string {
	if ip == "" {
		return ""
	}
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + ".ec2.internal"
}

func publicDNS(ip string) string {
	return "ec2-" + strings.ReplaceAll(ip, ".", "-") + ".compute-1.amazonaws.com"
}

func (in *instance) fields(name string) ([]string, bool) {
	switch name {
	case "instance-id":
		return []string{in.id}, true
	case "instance-state-name":
		return []string{in.state}, true
	case "instance-state-code":
		return []string{fmt.Sprint(stateCodes[in.state])}, true
	case "instance-type":
		return []string{in.instType}, true
	case "image-id":
		return []string{in.imageID}, true
	case "availability-zone":
		return []string{in.az}, true
	case "key-name":
		return []string{in.keyName}, true
	case "subnet-id":
		return []string{in.subnetID}, true
	case "vpc-id":
		return []string{in.vpcID}, true
	case "private-ip-address":
		return []string{in.privateIP}, true
	case "ip-address":
		return []string{in.publicIP}, true
	case "reservation-id":
		return []string{in.reservationID}, true
	case "client-token":
		return []string{in.clientToken}, true
	case "architecture":
		return []string{in.arch}, true
	case "instance.group-id", "group-id":
		return in.groups, true
	case "launch-index":
		return []string{fmt.Sprint(in.launchIndex)}, true
	case "launch-time":
		return []string{in.launchTime.UTC().Format(timeLayout)}, true
	case "root-device-type":
		return []string{"ebs"}, true
	case "platform":
		return []string{in.platform}, true
	case "owner-id":
		return []string{AccountID}, true
	}
	return nil, false
}

// consoleOutput is what GetConsoleOutput shows of a booted instance.
func (in *instance) consoleOutput() string {
	return fmt.Sprintf("[    0.000000] Linux version 6.1.119-129.201.amzn2023.x86_64\n"+
		"[    1.234567] cloud-init[1234]: Cloud-init v. 22.2.2 running 'init' at %s\n"+
		"ci-info: | eth0 | True | %s | 255.255.240.0 | global |\n"+
		"[   12.345678] cloud-init[1234]: Cloud-init v. 22.2.2 finished. Datasource DataSourceEc2.  Up 12.34 seconds\n",
		in.launchTime.UTC().Format(time.RFC1123), in.privateIP)
}

// decodeUserData validates base64 user data (at most 16 KB decoded).
func decodeUserData(s string) error {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return errorf(CodeInvalidParameterValue, "Invalid BASE64 encoding of user data.")
	}
	if len(raw) > 16*1024 {
		return errorf(CodeInvalidParameterValue, "User data is limited to 16384 bytes")
	}
	return nil
}
