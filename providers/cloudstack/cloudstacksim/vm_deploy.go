package cloudstacksim

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
)

// User data limits: MAX_HTTP_GET_LENGTH (2 x 2048) for GET and
// vm.userdata.max.length (default 32768) for POST, on the base64 text.
const (
	maxUserDataGET  = 4096
	maxUserDataPOST = 32768
)

// hostnamePattern is the RFC 1123 host name rule deployVirtualMachine
// applies to "name".
var hostnamePattern = regexp.MustCompile(`^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)

// deployPlan is the validated content of a deployVirtualMachine request.
type deployPlan struct {
	owner        *account
	zone         *zone
	template     *template
	offering     *serviceOffering
	cpu, speed   int
	memory       int
	name         string
	displayName  string
	group        string
	networks     []*network
	ips          map[*network]string
	keyPairs     []string
	sgs          []*securityGroup
	ags          []*affinityGroup
	userData     string
	details      map[string]string
	rootGB       int64
	dataOffering *diskOffering
	dataGB       int64
	startVM      bool
}

func deployVirtualMachine(c *call) (reply, error) {
	p, err := c.planDeploy()
	if err != nil {
		return nil, err
	}
	v := c.st.createVM(p, c.user)
	if p.startVM {
		v.setState(vmStarting, c.now)
	}
	return &asyncReply{id: v.id, instance: v,
		run: func() (reply, error) {
			if p.startVM && v.state == vmStarting {
				v.setState(vmRunning, c.st.now())
				c.st.markVolumesReady(v)
			}
			return c.vmObject(v, true), nil
		},
		fail: func() { v.setState(vmError, c.st.now()) },
	}, nil
}

// planDeploy validates a deployVirtualMachine request as the create phase of
// DeployVMCmd does; every error is answered synchronously.
func (c *call) planDeploy() (*deployPlan, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	p := &deployPlan{owner: owner, startVM: c.boolean("startvm", true), details: c.vmDetails()}
	p.zone, _ = refAs[*zone](c, "zoneid")
	p.template, _ = refAs[*template](c, "templateid")
	p.offering, _ = refAs[*serviceOffering](c, "serviceofferingid")
	if p.zone == nil || p.template == nil || p.offering == nil {
		return nil, invalidParam("Unable to deploy VM: zone, template and service offering are required")
	}
	if err := c.checkLaunch(p); err != nil {
		return nil, err
	}
	p.cpu, p.speed, p.memory = p.offering.cpuNumber, p.offering.cpuSpeed, p.offering.memory
	if err := c.planName(p); err != nil {
		return nil, err
	}
	if err := c.planUserData(p); err != nil {
		return nil, err
	}
	if err := c.planKeyPairs(p); err != nil {
		return nil, err
	}
	if err := c.planNetworks(p); err != nil {
		return nil, err
	}
	if err := c.planGroups(p); err != nil {
		return nil, err
	}
	if err := c.planDisks(p); err != nil {
		return nil, err
	}
	if err := c.checkLimits(owner, map[int]int64{resUserVM: 1, resCPU: int64(p.cpu), resMemory: int64(p.memory),
		resVolume: 1 + boolInt(p.dataOffering != nil)}); err != nil {
		return nil, err
	}
	return p, nil
}

// checkLaunch verifies the template may be used in the zone by the owner.
func (c *call) checkLaunch(p *deployPlan) error {
	t := p.template
	if !t.public && t.acct != p.owner && !c.caller.isRootAdmin() {
		return permissionDenied("%s does not have permission to launch instances from Tmpl[%s-%s]", c.caller, t.id, t.name)
	}
	if !t.inZone(p.zone) {
		return invalidParam("Template %s is not available in zone %s", t.id, p.zone.id)
	}
	if !t.ready {
		return internalError("Template %s has not been completely downloaded to zone %s", t.id, p.zone.id)
	}
	if p.offering.system {
		return invalidParam("Unable to deploy VM with a system service offering")
	}
	return nil
}

// planName checks the host name and display name.
func (c *call) planName(p *deployPlan) error {
	name, hasName := c.str("name")
	if hasName && !hostnamePattern.MatchString(name) {
		return invalidParam(`Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with "-" and can't start with digit`)
	}
	p.name = name
	p.displayName = or(c.str0("displayname"), name)
	p.group = c.str0("group")
	return nil
}

// planUserData checks the base64 user data against the method's limit.
func (c *call) planUserData(p *deployPlan) error {
	ud, ok := c.str("userdata")
	if !ok {
		return nil
	}
	if err := c.checkUserData(ud); err != nil {
		return err
	}
	p.userData = ud
	return nil
}

// checkUserData applies the server's user-data rules.
func (c *call) checkUserData(ud string) error {
	if !isBase64(ud) {
		return invalidParam("User data is not base64 encoded")
	}
	if c.method == "GET" {
		if len(ud) >= maxUserDataGET {
			return invalidParam("User data is too long for an http GET request")
		}
	} else if len(ud) > maxUserDataPOST {
		return invalidParam("User data has exceeded configurable max length : %d", maxUserDataPOST)
	}
	return nil
}

// isBase64 reports whether s holds only base64 characters (standard or URL
// alphabet, padding, whitespace), as commons-codec Base64.isBase64 checks.
func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'A' <= ch && ch <= 'Z', 'a' <= ch && ch <= 'z', '0' <= ch && ch <= '9':
		case ch == '+', ch == '/', ch == '-', ch == '_', ch == '=', ch == ' ', ch == '\n', ch == '\r', ch == '\t':
		default:
			return false
		}
	}
	return true
}

// planKeyPairs resolves keypair and keypairs for the owner.
func (c *call) planKeyPairs(p *deployPlan) error {
	names := c.list("keypairs")
	if k, ok := c.str("keypair"); ok && !contains(names, k) {
		names = append([]string{k}, names...)
	}
	for _, n := range names {
		if c.st.findKeyPair(p.owner, n) == nil {
			return invalidParam("A key pair with name '%s' was not found.", n)
		}
	}
	p.keyPairs = names
	return nil
}

// planNetworks resolves networkids / iptonetworklist / ipaddress, or the
// owner's default network of the zone.
func (c *call) planNetworks(p *deployPlan) error {
	p.ips = map[*network]string{}
	nets := refsAs[*network](c, "networkids")
	for _, e := range c.mapList("iptonetworklist") {
		if c.has("networkids") {
			return invalidParam("ipToNetworkMap can't be specified along with networkIds or ipAddress")
		}
		n, ok := c.st.networks.get(e["networkid"])
		if !ok {
			return invalidParam("Unable to find network by id %s", e["networkid"])
		}
		nets = append(nets, n)
		if ip := e["ip"]; ip != "" {
			p.ips[n] = ip
		}
	}
	if len(nets) == 0 {
		n := c.st.defaultNetwork(p.zone, p.owner)
		if n == nil {
			return invalidParam("Unable to find a default network for the virtual machine in zone %s", p.zone.id)
		}
		nets = []*network{n}
	}
	for _, n := range nets {
		if n.zone != p.zone {
			return invalidParam("Network id=%s doesn't belong to zone %s", n.id, p.zone.id)
		}
		if err := c.canUseNetwork(n, p.owner); err != nil {
			return err
		}
		if _, dup := n.hostnames[p.name]; dup && p.name != "" {
			return invalidParam("The vm with hostName %s already exists in the network domain: %s; network=%s", p.name, n.networkDomain, n.name)
		}
	}
	if ip, ok := c.str("ipaddress"); ok {
		if _, err := netip.ParseAddr(ip); err != nil {
			return invalidParam("Invalid format for IPv4 address parameter: %s", ip)
		}
		p.ips[nets[0]] = ip
	}
	p.networks = nets
	if c.st.vmAddress != "" {
		return nil
	}
	return p.checkIPs()
}

// planGroups resolves security and affinity groups.
func (c *call) planGroups(p *deployPlan) error {
	if c.has("securitygroupids") && c.has("securitygroupnames") {
		return invalidParam("securitygroupids parameter is mutually exclusive with securitygroupnames parameter")
	}
	if c.has("affinitygroupids") && c.has("affinitygroupnames") {
		return invalidParam("affinitygroupids parameter is mutually exclusive with affinitygroupnames parameter")
	}
	var err error
	if p.sgs, err = resolveGroups(c, "securitygroupids", "securitygroupnames", p.owner, c.st.findSecurityGroup,
		"SecurityGroup", "Unable to find group by name %s"); err != nil {
		return err
	}
	if len(p.sgs) == 0 && p.zone.securityGroupsEnabled {
		if sg := c.st.findSecurityGroup(p.owner, "default"); sg != nil {
			p.sgs = append(p.sgs, sg)
		}
	}
	p.ags, err = resolveGroups(c, "affinitygroupids", "affinitygroupnames", p.owner, c.st.findAffinityGroup,
		"AffinityGroup", "Unable to find affinity group by name %s")
	return err
}

// resolveGroups returns the groups named by a uuid-list parameter and a
// name-list parameter, which must all belong to owner.
func resolveGroups[T interface {
	ownedEntity
	comparable
}](c *call, idsParam, namesParam string, owner *account, find func(*account, string) T, what, notFoundText string) ([]T, error) {
	var out []T
	for _, g := range refsAs[T](c, idsParam) {
		if g.owner() != owner {
			return nil, permissionDenied("%s does not have permission to operate with resource %s %s", c.caller, what, g.meta().id)
		}
		out = append(out, g)
	}
	var zero T
	for _, name := range c.list(namesParam) {
		g := find(owner, name)
		if g == zero {
			return nil, invalidParam(notFoundText, name)
		}
		out = append(out, g)
	}
	return out, nil
}

// planDisks sizes the root disk and the optional data disk.
func (c *call) planDisks(p *deployPlan) error {
	p.rootGB = templateSizeGB(p.template)
	if p.offering.rootDiskSize > 0 {
		p.rootGB = p.offering.rootDiskSize
	}
	root := c.integer("rootdisksize", 0)
	if s, ok := detail(p.details, "rootdisksize"); ok {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			root = n
		}
	}
	if root > 0 {
		if root < templateSizeGB(p.template) {
			return invalidParam("Unsupported: rootdisksize of %d GB is smaller than template size of %d GB", root, templateSizeGB(p.template))
		}
		p.rootGB = root
	}
	if d, ok := refAs[*diskOffering](c, "diskofferingid"); ok {
		p.dataOffering, p.dataGB = d, d.diskSize
		if d.customized {
			size := c.integer("size", 0)
			if size <= 0 {
				return invalidParam("This disk offering requires a custom size specified")
			}
			if size > maxCustomDiskGB {
				return invalidParam("Volume size: %d GB is out of allowed range. Max: %d Min: 1", size, maxCustomDiskGB)
			}
			p.dataGB = size
		}
	}
	return nil
}

// maxCustomDiskGB is custom.diskoffering.size.max.
const maxCustomDiskGB = 1024

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// createVM creates the VM record of a validated plan: NICs, volumes and
// group memberships. The VM starts Stopped.
func (st *state) createVM(p *deployPlan, u *user) *vm {
	b := st.newBase()
	v := &vm{owned: owned{acct: p.owner}, base: b, usr: u, name: p.name, displayName: p.displayName, group: p.group,
		state: vmStopped, zone: p.zone, template: p.template, offering: p.offering, cpuNumber: p.cpu,
		cpuSpeed: p.speed, memory: p.memory, keyPairs: p.keyPairs, securityGroups: p.sgs, affinityGroups: p.ags,
		userData: p.userData, details: p.details, displayVM: true, dynamic: p.template.dynamic,
		os: p.template.os, diskOffering: p.dataOffering, lastUpdated: b.created}
	if v.name == "" {
		v.name = "VM-" + v.id
	}
	if v.displayName == "" {
		v.displayName = v.name
	}
	v.instanceName = fmt.Sprintf("i-%d-%d-VM", p.owner.seq, v.seq)
	if p.template.passwordEnabled {
		v.password = generatePassword()
	}
	for i, n := range p.networks {
		nc := &nic{base: st.newBase(), vm: v, network: n, isDefault: i == 0, deviceID: i}
		nc.mac = macFor(nc.seq)
		if st.vmAddress != "" && i == 0 {
			nc.ip, _ = netip.ParseAddr(st.vmAddress)
		} else if a, err := n.allocIP(p.ips[n]); err == nil {
			nc.ip, nc.allocated = a, a.IsValid()
		}
		if n.hostnames == nil {
			n.hostnames = map[string]int{}
		}
		n.hostnames[v.name]++
		v.nics = append(v.nics, nc)
		st.nics.insert(nc)
	}
	st.vms.insert(v)
	st.newVolume(v.acct, fmt.Sprintf("ROOT-%d", v.seq), "ROOT", p.rootGB<<30, v.zone, nil, v, 0)
	if p.dataOffering != nil {
		st.newVolume(v.acct, fmt.Sprintf("DATA-%d", v.seq), "DATADISK", p.dataGB<<30, v.zone, p.dataOffering, v, 1)
	}
	return v
}

// checkIPs verifies that requested addresses are free before anything is
// created; createVM then cannot fail on them.
func (p *deployPlan) checkIPs() error {
	for n, ip := range p.ips {
		if _, _, err := n.checkIP(ip); err != nil {
			return err
		}
	}
	return nil
}

// releaseVMResources frees what an expunged VM held: addresses, host names,
// NICs, volumes (root deleted, data disks detached), static NAT, rules, tags.
func (st *state) releaseVMResources(v *vm) {
	for _, n := range v.nics {
		st.releaseNIC(n)
	}
	for _, vol := range append([]*volume(nil), v.vols...) {
		if vol.typ == "ROOT" {
			st.removeVolume(vol)
		} else {
			detach(vol)
		}
	}
	if ip := st.staticNATOf(v); ip != nil {
		ip.vm, ip.vmIP = nil, netip.Addr{}
	}
	dropWhere(st, &st.pfRules, func(r *portForwardingRule) bool { return r.vm == v })
	dropWhere(st, &st.ipfRules, func(r *ipForwardingRule) bool { return r.ip.vm == nil })
	delete(st.tags, v.id)
	v.nics = nil
}
