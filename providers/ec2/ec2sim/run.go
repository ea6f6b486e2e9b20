package ec2sim

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

func init() {
	register(map[string]handler{"RunInstances": runInstances, "DescribeInstances": describeInstances})
}

// launchSpec is what launch needs to create one instance.
type launchSpec struct {
	image                         *image
	instType, keyName, userData   string
	clientToken, shutdownBehavior string
	subnet                        *subnet
	groups                        []string
	reservation                   *reservation
	index                         int
	tags                          map[string]string
	volumeTags                    map[string]string
	disableAPITermination         bool
}

// launch creates one pending instance with its network interface and root
// volume.
func (st *state) launch(sp launchSpec, now time.Time, delay time.Duration) *instance {
	ip, _ := sp.subnet.nextIP() // capacity was checked by the caller
	in := &instance{id: st.newID("i", now), reservationID: sp.reservation.id, imageID: sp.image.id, instType: sp.instType,
		keyName: sp.keyName, clientToken: sp.clientToken, userData: sp.userData, az: sp.subnet.az, subnetID: sp.subnet.id,
		vpcID: sp.subnet.vpcID, privateIP: ip, arch: sp.image.arch, rootDevice: sp.image.rootDevice, platform: sp.image.platform,
		groups: sp.groups, launchTime: now.Truncate(time.Second), attachTime: now, launchIndex: sp.index,
		shutdownBehavior: or(sp.shutdownBehavior, "stop"), disableAPITermination: sp.disableAPITermination}
	if sp.subnet.mapPublic {
		in.publicIP = st.nextPublicIP()
	}
	e := &eni{id: st.newID("eni", now), subnetID: sp.subnet.id, vpcID: sp.subnet.vpcID, az: sp.subnet.az, privateIP: ip,
		mac:        fmt.Sprintf("0e:%02x:%02x:%02x:%02x:%02x", byte(st.seq>>32), byte(st.seq>>24), byte(st.seq>>16), byte(st.seq>>8), byte(st.seq)),
		instanceID: in.id, groups: sp.groups}
	e.attachID = "eni-attach-" + e.id[4:]
	st.enis[e.id] = e
	in.eniID = e.id
	root := &volume{id: st.newID("vol", now), az: in.az, size: sp.image.size, volType: "gp3", iops: 3000, throughput: 125,
		snapshotID: sp.image.snapshotID, state: "in-use", created: now, deleteOnTermination: true,
		attach: &attachment{instanceID: in.id, device: in.rootDevice, state: "attached", time: now}}
	st.volumes[root.id] = root
	st.setTags(root.id, sp.volumeTags)
	in.rootVolume = root.id
	st.instances[in.id] = in
	st.setTags(in.id, sp.tags)
	sp.reservation.instances = append(sp.reservation.instances, in.id)
	st.transition(in, now, "pending", "running", delay)
	return in
}

// liveInstances counts instances that are not terminated.
func (st *state) liveInstances() int {
	n := 0
	for _, in := range st.instances {
		if in.state != "terminated" && in.state != "shutting-down" {
			n++
		}
	}
	return n
}

// reservationOut is a Reservation value with the instances of res.
func (st *state) reservationOut(res *reservation, ins []*instance) M {
	list := make([]M, 0, len(ins))
	attached := st.volumesAttached(ins)
	for _, in := range ins {
		list = append(list, in.outWith(st, attached))
	}
	return M{"ReservationId": res.id, "OwnerId": AccountID, "Groups": []M{}, "Instances": list}
}

func runInstances(c *call) (M, error) {
	st := c.st
	minCount, maxCount := c.in.int("MinCount", 0), c.in.int("MaxCount", 0)
	token := c.in.str("ClientToken")
	fingerprint := requestFingerprint(c.in)
	if token != "" {
		if rid, ok := st.tokens[token]; ok {
			res := st.reservations[rid]
			if res.request != fingerprint {
				return nil, errorf(CodeIdempotentParameterMismatch, "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
			}
			var ins []*instance
			for _, id := range res.instances {
				if in := st.instances[id]; in != nil {
					ins = append(ins, in)
				}
			}
			return st.reservationOut(res, ins), nil
		}
		if len(token) > 64 {
			return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter clientToken is invalid. The client token must be 64 ASCII characters or less.", token)
		}
	}
	if minCount < 1 || maxCount < 1 {
		return nil, errorf(CodeInvalidParameterValue, "Value (%d) for parameter minCount is invalid. Expected a positive integer.", minCount)
	}
	if minCount > maxCount {
		return nil, errorf(CodeInvalidParameterValue, "Value (%d) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (%d).", maxCount, minCount)
	}
	imageID := c.in.str("ImageId")
	if imageID == "" {
		return nil, missingParameter("ImageId")
	}
	if !validID(imageID, "ami") {
		return nil, errorf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", imageID)
	}
	img := st.images[imageID]
	if img == nil {
		return nil, errorf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", imageID)
	}
	typ := or(c.in.str("InstanceType"), defaultInstanceType)
	it := findInstanceType(typ)
	if it == nil {
		return nil, errorf(CodeInvalidParameterValue, "Invalid value '%s' for InstanceType.", typ)
	}
	if it.arch != img.arch {
		return nil, errorf(CodeInvalidParameterValue, "The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.", it.arch, img.arch)
	}
	if k := c.in.str("KeyName"); k != "" && st.keyPairs[k] == nil {
		return nil, errorf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", k)
	}
	if ud := c.in.str("UserData"); ud != "" {
		if err := decodeUserData(ud); err != nil {
			return nil, err
		}
	}
	sn, err := c.launchSubnet()
	if err != nil {
		return nil, err
	}
	groups, err := c.launchGroups(sn.vpcID)
	if err != nil {
		return nil, err
	}
	tags, volTags := c.in.tagSpecs("instance"), c.in.tagSpecs("volume")
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	count := maxCount
	if lim := c.s.instanceLimit; lim > 0 {
		room := lim - st.liveInstances()
		if room < minCount {
			return nil, errorf(CodeInstanceLimitExceeded, "You have requested more instances (%d) than your current instance limit of %d allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.", minCount, lim)
		}
		count = min(count, room)
	}
	if free := sn.size() - sn.used; free < minCount {
		return nil, errorf("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", sn.id)
	} else if free < count {
		count = free
	}
	res := &reservation{id: st.newID("r", c.now), token: token, request: fingerprint}
	st.reservations[res.id] = res
	if token != "" {
		st.tokens[token] = res.id
	}
	disable, _ := c.in.boolean("DisableApiTermination")
	ins := make([]*instance, 0, count)
	for i := 0; i < count; i++ {
		ins = append(ins, st.launch(launchSpec{image: img, instType: typ, keyName: c.in.str("KeyName"),
			userData: c.in.str("UserData"), clientToken: token, shutdownBehavior: c.in.str("InstanceInitiatedShutdownBehavior"),
			subnet: sn, groups: groups, reservation: res, index: i, tags: tags, volumeTags: volTags,
			disableAPITermination: disable}, c.now, c.s.TransitionDelay()))
	}
	return st.reservationOut(res, ins), nil
}

// launchSubnet returns the subnet of a RunInstances request: SubnetId, or
// the default subnet of Placement.AvailabilityZone (or of the first zone).
func (c *call) launchSubnet() (*subnet, error) {
	if id := c.in.str("SubnetId"); id != "" {
		sn := c.st.subnets[id]
		if sn == nil {
			return nil, notFound("InvalidSubnetID.NotFound", "subnet ID", id)
		}
		return sn, nil
	}
	az := c.in.sub("Placement").str("AvailabilityZone")
	sn := c.st.defaultSubnet(az)
	if sn == nil {
		return nil, errorf(CodeInvalidParameterValue, "Invalid availability zone: [%s]", az)
	}
	return sn, nil
}

// launchGroups returns the security group ids of a RunInstances request
// (SecurityGroupIds or SecurityGroups names), or the VPC's default group.
func (c *call) launchGroups(vpcID string) ([]string, error) {
	var out []string
	for _, id := range c.in.strs("SecurityGroupIds") {
		g := c.st.groups[id]
		if g == nil {
			return nil, notFound("InvalidGroup.NotFound", "security group", id)
		}
		if g.vpcID != vpcID {
			return nil, errorf("InvalidParameter", "Security group %s and subnet belong to different networks.", id)
		}
		out = append(out, id)
	}
	for _, name := range c.in.strs("SecurityGroups") {
		g := c.st.groupByName(vpcID, name)
		if g == nil {
			return nil, errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", name, vpcID)
		}
		out = append(out, g.id)
	}
	if len(out) == 0 {
		out = []string{c.st.defaultGroupID(vpcID)}
	}
	return out, nil
}

// requestFingerprint summarises the parameters that make two RunInstances
// calls "the same request" for ClientToken idempotency.
func requestFingerprint(in input) string {
	keys := make([]string, 0, len(in))
	for k := range in {
		if k != "DryRun" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, in[k])
	}
	return b.String()
}

func describeInstances(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&instance{}).fields); err != nil {
		return nil, err
	}
	ids := c.in.strs("InstanceIds")
	if len(ids) > 0 && c.in.has("MaxResults") {
		return nil, errorf(CodeInvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	var list []*instance
	if len(ids) > 0 {
		ins, err := c.instances(ids)
		if err != nil {
			return nil, err
		}
		list = ins
	} else {
		for _, id := range sortedIDs(c.st, c.st.instances) {
			list = append(list, c.st.instances[id])
		}
	}
	var sel []*instance
	for _, in := range list {
		if matches(fs, in.fields, c.st.tags[in.id]) {
			sel = append(sel, in)
		}
	}
	from, to, next, err := page(len(sel), c.in, 5, 1000)
	if err != nil {
		return nil, err
	}
	// Group the page's instances by reservation, in order of first appearance.
	var order []string
	byRes := map[string][]*instance{}
	for _, in := range sel[from:to] {
		if byRes[in.reservationID] == nil {
			order = append(order, in.reservationID)
		}
		byRes[in.reservationID] = append(byRes[in.reservationID], in)
	}
	out := make([]M, 0, len(order))
	for _, rid := range order {
		res := c.st.reservations[rid]
		if res == nil {
			res = &reservation{id: rid}
		}
		out = append(out, c.st.reservationOut(res, byRes[rid]))
	}
	return M{"Reservations": out, "NextToken": emptyNil(next)}, nil
}
