package cloudstacksim

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// VM states (VirtualMachine.State).
const (
	vmStarting  = "Starting"
	vmRunning   = "Running"
	vmStopping  = "Stopping"
	vmStopped   = "Stopped"
	vmDestroyed = "Destroyed"
	vmExpunging = "Expunging"
	vmError     = "Error"
)

// nic is a VM's network interface.
type nic struct {
	base
	vm        *vm
	network   *network
	ip        netip.Addr
	mac       string
	isDefault bool
	deviceID  int
	allocated bool // ip came from the network's pool
}

// vm is a user VM.
type vm struct {
	owned
	base
	usr                      *user
	name, displayName, group string
	state                    string
	zone                     *zone
	template                 *template
	offering                 *serviceOffering
	cpuNumber, cpuSpeed      int
	memory                   int
	nics                     []*nic
	keyPairs                 []string
	securityGroups           []*securityGroup
	affinityGroups           []*affinityGroup
	password                 string
	userData                 string
	details                  map[string]string
	haEnable                 bool
	displayVM                bool
	dynamic                  bool
	os                       *osType
	diskOffering             *diskOffering
	vols                     []*volume // attached volumes, ROOT first
	instanceName             string
	lastUpdated              time.Time
}

// setState moves the VM to state s.
func (v *vm) setState(s string, now time.Time) {
	v.state = s
	v.lastUpdated = now
}

// gone reports whether the VM is destroyed or being expunged.
func (v *vm) gone() bool { return v.state == vmDestroyed || v.state == vmExpunging }

// vmNICView is a nic response object.
type vmNICView struct {
	ID              string `json:"id"`
	NetworkID       string `json:"networkid"`
	NetworkName     string `json:"networkname"`
	Netmask         string `json:"netmask,omitempty"`
	Gateway         string `json:"gateway,omitempty"`
	IPAddress       string `json:"ipaddress,omitempty"`
	IsolationURI    string `json:"isolationuri,omitempty"`
	BroadcastURI    string `json:"broadcasturi,omitempty"`
	TrafficType     string `json:"traffictype"`
	Type            string `json:"type"`
	IsDefault       bool   `json:"isdefault"`
	MACAddress      string `json:"macaddress"`
	SecondaryIP     []any  `json:"secondaryip"`
	ExtraDHCPOption []any  `json:"extradhcpoption"`
	DeviceID        string `json:"deviceid"`
	VPCID           string `json:"vpcid,omitempty"`
	VPCName         string `json:"vpcname,omitempty"`
}

func viewNIC(n *nic) vmNICView {
	v := vmNICView{ID: n.id, NetworkID: n.network.id, NetworkName: n.network.name, TrafficType: "Guest",
		Type: n.network.guestType, IsDefault: n.isDefault, MACAddress: n.mac, SecondaryIP: []any{},
		ExtraDHCPOption: []any{}, DeviceID: fmt.Sprint(n.deviceID)}
	if n.network.cidr.IsValid() {
		v.Netmask, v.Gateway = netmaskOf(n.network.cidr), n.network.gateway.String()
	}
	if n.ip.IsValid() {
		v.IPAddress = n.ip.String()
	}
	if n.network.vlan > 0 {
		v.BroadcastURI = fmt.Sprintf("vlan://%d", n.network.vlan)
		v.IsolationURI = v.BroadcastURI
	}
	if vp := n.network.vpc; vp != nil {
		v.VPCID, v.VPCName = vp.id, vp.name
	}
	return v
}

// vmSecurityGroupView is a security group nested in a VM.
type vmSecurityGroupView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ownerFields
	IngressRule []any `json:"ingressrule"`
	EgressRule  []any `json:"egressrule"`
	Tags        []any `json:"tags"`
}

// vmAffinityGroupView is an affinity group nested in a VM.
type vmAffinityGroupView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Type        string `json:"type"`
	ownerFields
}

// vmView is the virtualmachine response object.
type vmView struct {
	ID                    string                `json:"id"`
	Name                  string                `json:"name"`
	DisplayName           string                `json:"displayname"`
	Account               string                `json:"account,omitempty"`
	UserID                string                `json:"userid,omitempty"`
	Username              string                `json:"username,omitempty"`
	DomainID              string                `json:"domainid"`
	Domain                string                `json:"domain"`
	ProjectID             string                `json:"projectid,omitempty"`
	Project               string                `json:"project,omitempty"`
	Created               string                `json:"created"`
	LastUpdated           string                `json:"lastupdated,omitempty"`
	State                 string                `json:"state"`
	HAEnable              bool                  `json:"haenable"`
	Group                 string                `json:"group,omitempty"`
	ZoneID                string                `json:"zoneid"`
	ZoneName              string                `json:"zonename"`
	HostID                string                `json:"hostid,omitempty"`
	HostName              string                `json:"hostname,omitempty"`
	TemplateID            string                `json:"templateid,omitempty"`
	TemplateName          string                `json:"templatename,omitempty"`
	TemplateDisplayText   string                `json:"templatedisplaytext,omitempty"`
	PasswordEnabled       bool                  `json:"passwordenabled"`
	Password              string                `json:"password,omitempty"`
	ServiceOfferingID     string                `json:"serviceofferingid"`
	ServiceOfferingName   string                `json:"serviceofferingname"`
	DiskOfferingID        string                `json:"diskofferingid,omitempty"`
	DiskOfferingName      string                `json:"diskofferingname,omitempty"`
	CPUNumber             int                   `json:"cpunumber"`
	CPUSpeed              int                   `json:"cpuspeed"`
	Memory                int                   `json:"memory"`
	CPUUsed               string                `json:"cpuused,omitempty"`
	NetworkKbsRead        int64                 `json:"networkkbsread"`
	NetworkKbsWrite       int64                 `json:"networkkbswrite"`
	DiskKbsRead           int64                 `json:"diskkbsread"`
	DiskKbsWrite          int64                 `json:"diskkbswrite"`
	DiskIORead            int64                 `json:"diskioread"`
	DiskIOWrite           int64                 `json:"diskiowrite"`
	GuestOSID             string                `json:"guestosid,omitempty"`
	OSTypeID              string                `json:"ostypeid,omitempty"`
	OSDisplayName         string                `json:"osdisplayname,omitempty"`
	RootDeviceID          int                   `json:"rootdeviceid"`
	RootDeviceType        string                `json:"rootdevicetype"`
	SecurityGroup         []vmSecurityGroupView `json:"securitygroup"`
	NIC                   []vmNICView           `json:"nic"`
	Hypervisor            string                `json:"hypervisor"`
	InstanceName          string                `json:"instancename,omitempty"`
	PublicIP              string                `json:"publicip,omitempty"`
	PublicIPID            string                `json:"publicipid,omitempty"`
	Tags                  []resourceTagV        `json:"tags"`
	Details               map[string]string     `json:"details,omitempty"`
	KeyPairs              string                `json:"keypairs,omitempty"`
	AffinityGroup         []vmAffinityGroupView `json:"affinitygroup"`
	DisplayVM             bool                  `json:"displayvm"`
	IsDynamicallyScalable bool                  `json:"isdynamicallyscalable"`
	UserData              string                `json:"userdata,omitempty"`
	ReceivedBytes         int64                 `json:"receivedbytes"`
	SentBytes             int64                 `json:"sentbytes"`
	HasAnnotations        bool                  `json:"hasannotations"`
	JobID                 string                `json:"jobid,omitempty"`
	JobStatus             *int                  `json:"jobstatus,omitempty"`
}

// viewVM renders a VM for the caller. The password appears only when
// withPassword is set (deploy, restore and password-reset job results).
func (c *call) viewVM(v *vm, withPassword bool) vmView {
	o := ownerView(v.acct)
	r := vmView{ID: v.id, Name: v.name, DisplayName: v.displayName, Account: o.Account, DomainID: o.DomainID,
		Domain: o.Domain, ProjectID: o.ProjectID, Project: o.Project, Created: fmtDate(v.created),
		LastUpdated: fmtDate(v.lastUpdated), State: v.state, HAEnable: v.haEnable, Group: v.group,
		ZoneID: v.zone.id, ZoneName: v.zone.name, PasswordEnabled: v.template != nil && v.template.passwordEnabled,
		ServiceOfferingID: v.offering.id, ServiceOfferingName: v.offering.name, CPUNumber: v.cpuNumber,
		CPUSpeed: v.cpuSpeed, Memory: v.memory, RootDeviceType: "ROOT", Hypervisor: "KVM",
		SecurityGroup: make([]vmSecurityGroupView, 0, len(v.securityGroups)), NIC: make([]vmNICView, 0, len(v.nics)),
		Tags: c.tagViews(v.id), KeyPairs: strings.Join(v.keyPairs, ","),
		AffinityGroup: make([]vmAffinityGroupView, 0, len(v.affinityGroups)), DisplayVM: v.displayVM,
		IsDynamicallyScalable: v.dynamic}
	if v.usr != nil {
		r.UserID, r.Username = v.usr.id, v.usr.username
	}
	if v.state == vmRunning {
		r.CPUUsed = "0.5%"
		if c.caller.isRootAdmin() {
			r.HostID, r.HostName = v.zone.hostID, v.zone.hostName
		}
	}
	if c.caller.isRootAdmin() {
		r.InstanceName = v.instanceName
	}
	if t := v.template; t != nil {
		r.TemplateID, r.TemplateName, r.TemplateDisplayText = t.id, t.name, t.displayText
	}
	if v.os != nil {
		r.GuestOSID, r.OSTypeID, r.OSDisplayName = v.os.id, v.os.id, v.os.description
	}
	if v.diskOffering != nil {
		r.DiskOfferingID, r.DiskOfferingName = v.diskOffering.id, v.diskOffering.name
	}
	if withPassword {
		r.Password = v.password
	}
	for _, sg := range v.securityGroups {
		r.SecurityGroup = append(r.SecurityGroup, vmSecurityGroupView{ID: sg.id, Name: sg.name, Description: sg.description,
			ownerFields: ownerView(sg.acct), IngressRule: []any{}, EgressRule: []any{}, Tags: []any{}})
	}
	for _, n := range v.nics {
		r.NIC = append(r.NIC, viewNIC(n))
	}
	for _, ag := range v.affinityGroups {
		r.AffinityGroup = append(r.AffinityGroup, vmAffinityGroupView{ID: ag.id, Name: ag.name, Description: ag.description,
			Type: ag.typ, ownerFields: ownerView(ag.acct)})
	}
	if ip := c.st.staticNATOf(v); ip != nil {
		r.PublicIP, r.PublicIPID = ip.addr.String(), ip.id
	}
	if len(v.details) > 0 {
		r.Details = v.details
	}
	if c.boolean("userdata", false) {
		r.UserData = v.userData
	}
	r.JobID, r.JobStatus = pendingJob(&v.base)
	return r
}

// vmObject is the {"virtualmachine": ...} reply of VM commands.
func (c *call) vmObject(v *vm, withPassword bool) reply {
	return objReply{"virtualmachine", c.viewVM(v, withPassword)}
}

func init() {
	vmDef := func(name string, h handlerFunc) cmdDef {
		return cmdDef{Name: name, IDKind: kindVM, Handler: h, InstanceType: "VirtualMachine", ItemKey: "virtualmachine"}
	}
	restore := vmDef("restoreVirtualMachine", restoreVirtualMachine)
	restore.ResponseName = "restorevmresponse"
	resetKey := vmDef("resetSSHKeyForVirtualMachine", resetSSHKeyForVirtualMachine)
	resetKey.ResponseName = "resetSSHKeyforvirtualmachineresponse"
	deploy := vmDef("deployVirtualMachine", deployVirtualMachine)
	deploy.Create = true
	deploy.ParamOrder = []string{"zoneid", "serviceofferingid", "templateid"}
	deploy.JobClass = "org.apache.cloudstack.api.command.user.vm.DeployVMCmd"
	list := vmDef("listVirtualMachines", listVirtualMachines)
	list.ReadOnly = true
	pw := vmDef("getVMPassword", getVMPassword)
	pw.ItemKey = "password"
	register(deploy, list, pw, restore, resetKey,
		vmDef("startVirtualMachine", startVirtualMachine),
		vmDef("stopVirtualMachine", stopVirtualMachine),
		vmDef("rebootVirtualMachine", rebootVirtualMachine),
		vmDef("destroyVirtualMachine", destroyVirtualMachine),
		vmDef("recoverVirtualMachine", recoverVirtualMachine),
		vmDef("expungeVirtualMachine", expungeVirtualMachine),
		vmDef("scaleVirtualMachine", scaleVirtualMachine),
		vmDef("changeServiceForVirtualMachine", changeServiceForVirtualMachine),
		vmDef("updateVirtualMachine", updateVirtualMachine),
		vmDef("resetPasswordForVirtualMachine", resetPasswordForVirtualMachine),
	)
}

// targetVM returns the VM named by parameter name after the ACL check.
func (c *call) targetVM(name string) (*vm, error) { return target[*vm](c, name, "VM instance") }

func listVirtualMachines(c *call) (reply, error) {
	id, _ := refAs[*vm](c, "id")
	sc, err := c.scope(id != nil || c.has("ids"))
	if err != nil {
		return nil, err
	}
	ids := refsAs[*vm](c, "ids")
	var idSet map[*vm]bool
	if c.has("ids") {
		idSet = make(map[*vm]bool, len(ids))
		for _, v := range ids {
			idSet[v] = true
		}
	}
	z, _ := refAs[*zone](c, "zoneid")
	tmpl, _ := refAs[*template](c, "templateid")
	so, _ := refAs[*serviceOffering](c, "serviceofferingid")
	net, _ := refAs[*network](c, "networkid")
	ag, _ := refAs[*affinityGroup](c, "affinitygroupid")
	sg, _ := refAs[*securityGroup](c, "securitygroupid")
	name, hasName := c.str("name")
	state, hasState := c.str("state")
	keyword, hasKeyword := c.str("keyword")
	group, hasGroup := c.str("groupid")
	keypair, hasKeypair := c.str("keypair")
	hypervisor, hasHypervisor := c.str("hypervisor")
	hideGone := !c.caller.isRootAdmin() && !c.s.opts.AllowUserViewDestroyedVM
	hasTags := len(c.maps["tags"]) > 0
	hasHA, wantHA := c.has("haenable"), c.boolean("haenable", false)
	hasDisplay, wantDisplay := c.has("displayvm"), c.boolean("displayvm", false)
	keep := func(v *vm) bool {
		if !sc.allows(v.acct) {
			return false
		}
		switch {
		case id != nil && v != id,
			idSet != nil && !idSet[v],
			z != nil && v.zone != z,
			hideGone && v.gone(),
			hasState && !vmStateMatches(v.state, state),
			hasName && !strings.Contains(v.name, name),
			tmpl != nil && v.template != tmpl,
			so != nil && v.offering != so,
			net != nil && !vmOnNetwork(v, net),
			ag != nil && !contains(v.affinityGroups, ag),
			sg != nil && !contains(v.securityGroups, sg),
			hasGroup && v.group != group,
			hasKeypair && !contains(v.keyPairs, keypair),
			hasHypervisor && !strings.EqualFold(hypervisor, "KVM"),
			hasHA && v.haEnable != wantHA,
			hasDisplay && v.displayVM != wantDisplay,
			hasKeyword && !vmKeywordMatch(v, keyword),
			hasTags && !c.matchTags(v.id):
			return false
		}
		return true
	}
	return listItems(c, "virtualmachine", c.st.vms.list, keep, func(v *vm) any { return c.viewVM(v, false) }), nil
}

// vmStateMatches is the state filter; "Present" means not destroyed.
func vmStateMatches(state, want string) bool {
	if strings.EqualFold(want, "Present") {
		return state != vmDestroyed && state != vmExpunging
	}
	return strings.EqualFold(state, want)
}

func vmKeywordMatch(v *vm, keyword string) bool {
	if keywordMatch(keyword, v.name, v.displayName) || strings.EqualFold(v.state, keyword) {
		return true
	}
	for _, n := range v.nics {
		if n.ip.IsValid() && strings.Contains(n.ip.String(), keyword) {
			return true
		}
	}
	return false
}

func vmOnNetwork(v *vm, n *network) bool {
	for _, x := range v.nics {
		if x.network == n {
			return true
		}
	}
	return false
}

// generatePassword returns a random password as the server generates them
// (vm.password.length, default 6, without look-alike characters).
func generatePassword() string {
	const chars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = chars[rand.IntN(len(chars))]
	}
	return string(b)
}

// macFor returns a MAC address derived from a sequence number.
func macFor(seq uint64) string {
	return fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", byte(seq>>24), byte(seq>>16), byte(seq>>8), byte(seq))
}

// vmDetails merges the details[i].key=value map parameter into one map.
func (c *call) vmDetails() map[string]string {
	entries := c.mapList("details")
	if len(entries) == 0 {
		return nil
	}
	out := make(map[string]string)
	for _, e := range entries {
		for k, v := range e {
			out[k] = v
		}
	}
	return out
}

// detail returns a details entry matched case-insensitively.
func detail(d map[string]string, key string) (string, bool) {
	for k, v := range d {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
