package cloudstacksim

import "time"

// state is everything the simulated management server stores. It is guarded
// by Server.mu: read-only commands hold the shared lock, the others (and job
// completions) the exclusive one. A family file that adds a kind of entity
// adds its table here and registers its kind with registerKind.
type state struct {
	seq uint64
	now func() time.Time

	domains          table[*domain]
	accounts         table[*account]
	users            table[*user]
	projects         table[*project]
	zones            table[*zone]
	osTypes          table[*osType]
	templates        table[*template]
	isos             table[*template]
	serviceOfferings table[*serviceOffering]
	diskOfferings    table[*diskOffering]
	networkOfferings table[*networkOffering]
	networks         table[*network]
	vms              table[*vm]
	nics             table[*nic]
	volumes          table[*volume]
	snapshots        table[*snapshot]
	sshKeyPairs      table[*sshKeyPair]
	publicIPs        table[*publicIP]
	firewallRules    table[*firewallRule]
	pfRules          table[*portForwardingRule]
	ipfRules         table[*ipForwardingRule]
	securityGroups   table[*securityGroup]
	sgRules          table[*securityGroupRule]
	affinityGroups   table[*affinityGroup]
	jobs             table[*job]

	vpcOfferings        table[*vpcOffering]
	vpcs                table[*vpc]
	aclLists            table[*aclList]
	aclItems            table[*aclItem]
	vpnGateways         table[*vpnGateway]
	vpnCustomerGateways table[*vpnCustomerGateway]
	vpnConnections      table[*vpnConnection]

	// tags holds resource tags by resource id, in creation order.
	tags map[string][]*resourceTag
	// roleIDs are the ids of the Root Admin and User roles.
	roleIDs [2]string
	// vlanSeq numbers the VLANs of new networks.
	vlanSeq int
	// vmAddress, when set, is the address given to every new VM's NIC.
	vmAddress string
}

func newState(now func() time.Time) *state {
	return &state{
		now:              now,
		domains:          newTable[*domain](),
		accounts:         newTable[*account](),
		users:            newTable[*user](),
		projects:         newTable[*project](),
		zones:            newTable[*zone](),
		osTypes:          newTable[*osType](),
		templates:        newTable[*template](),
		isos:             newTable[*template](),
		serviceOfferings: newTable[*serviceOffering](),
		diskOfferings:    newTable[*diskOffering](),
		networkOfferings: newTable[*networkOffering](),
		networks:         newTable[*network](),
		vms:              newTable[*vm](),
		nics:             newTable[*nic](),
		volumes:          newTable[*volume](),
		snapshots:        newTable[*snapshot](),
		sshKeyPairs:      newTable[*sshKeyPair](),
		publicIPs:        newTable[*publicIP](),
		firewallRules:    newTable[*firewallRule](),
		pfRules:          newTable[*portForwardingRule](),
		ipfRules:         newTable[*ipForwardingRule](),
		securityGroups:   newTable[*securityGroup](),
		sgRules:          newTable[*securityGroupRule](),
		affinityGroups:   newTable[*affinityGroup](),
		jobs:             newTable[*job](),
		tags:             make(map[string][]*resourceTag),

		vpcOfferings:        newTable[*vpcOffering](),
		vpcs:                newTable[*vpc](),
		aclLists:            newTable[*aclList](),
		aclItems:            newTable[*aclItem](),
		vpnGateways:         newTable[*vpnGateway](),
		vpnCustomerGateways: newTable[*vpnCustomerGateway](),
		vpnConnections:      newTable[*vpnConnection](),
	}
}

// newBase returns the common fields of a new entity: a fresh UUID, the next
// sequence number and the current time.
func (st *state) newBase() base {
	st.seq++
	return base{id: newUUID(), seq: st.seq, created: st.now()}
}

// kindLookups resolves an entity kind (as named by uuid parameters) to a
// lookup in the state; see registerKind.
var kindLookups = map[string]func(st *state, id string) (entity, bool){}

// registerKind makes kind resolvable by uuid parameters: lookup returns the
// entity with the given id. Family files call it from init.
func registerKind(kind string, lookup func(st *state, id string) (entity, bool)) {
	if _, dup := kindLookups[kind]; dup {
		panic("cloudstacksim: kind registered twice: " + kind)
	}
	kindLookups[kind] = lookup
}

// lookupIn adapts a table selector to registerKind's lookup signature.
func lookupIn[T entity](sel func(st *state) *table[T]) func(st *state, id string) (entity, bool) {
	return func(st *state, id string) (entity, bool) {
		v, ok := sel(st).get(id)
		if !ok {
			return nil, false
		}
		return v, true
	}
}

// Entity kinds named by uuid parameters.
const (
	kindDomain          = "domain"
	kindAccount         = "account"
	kindUser            = "user"
	kindProject         = "project"
	kindZone            = "zone"
	kindOSType          = "ostype"
	kindTemplate        = "template"
	kindServiceOffering = "serviceoffering"
	kindDiskOffering    = "diskoffering"
	kindNetworkOffering = "networkoffering"
	kindNetwork         = "network"
	kindVM              = "vm"
	kindVolume          = "volume"
	kindSnapshot        = "snapshot"
	kindSSHKeyPair      = "sshkeypair"
	kindPublicIP        = "publicip"
	kindFirewallRule    = "firewallrule"
	kindPFRule          = "portforwardingrule"
	kindIPFRule         = "ipforwardingrule"
	kindSecurityGroup   = "securitygroup"
	kindSGRule          = "securitygrouprule"
	kindAffinityGroup   = "affinitygroup"
	kindJob             = "job"
)

func init() {
	registerKind(kindDomain, lookupIn(func(st *state) *table[*domain] { return &st.domains }))
	registerKind(kindAccount, lookupIn(func(st *state) *table[*account] { return &st.accounts }))
	registerKind(kindUser, lookupIn(func(st *state) *table[*user] { return &st.users }))
	registerKind(kindProject, lookupIn(func(st *state) *table[*project] { return &st.projects }))
	registerKind(kindZone, lookupIn(func(st *state) *table[*zone] { return &st.zones }))
	registerKind(kindOSType, lookupIn(func(st *state) *table[*osType] { return &st.osTypes }))
	registerKind(kindTemplate, lookupIn(func(st *state) *table[*template] { return &st.templates }))
	registerKind(kindServiceOffering, lookupIn(func(st *state) *table[*serviceOffering] { return &st.serviceOfferings }))
	registerKind(kindDiskOffering, lookupIn(func(st *state) *table[*diskOffering] { return &st.diskOfferings }))
	registerKind(kindNetworkOffering, lookupIn(func(st *state) *table[*networkOffering] { return &st.networkOfferings }))
	registerKind(kindNetwork, lookupIn(func(st *state) *table[*network] { return &st.networks }))
	registerKind(kindVM, lookupIn(func(st *state) *table[*vm] { return &st.vms }))
	registerKind(kindVolume, lookupIn(func(st *state) *table[*volume] { return &st.volumes }))
	registerKind(kindSnapshot, lookupIn(func(st *state) *table[*snapshot] { return &st.snapshots }))
	registerKind(kindSSHKeyPair, lookupIn(func(st *state) *table[*sshKeyPair] { return &st.sshKeyPairs }))
	registerKind(kindPublicIP, lookupIn(func(st *state) *table[*publicIP] { return &st.publicIPs }))
	registerKind(kindFirewallRule, lookupIn(func(st *state) *table[*firewallRule] { return &st.firewallRules }))
	registerKind(kindPFRule, lookupIn(func(st *state) *table[*portForwardingRule] { return &st.pfRules }))
	registerKind(kindIPFRule, lookupIn(func(st *state) *table[*ipForwardingRule] { return &st.ipfRules }))
	registerKind(kindSecurityGroup, lookupIn(func(st *state) *table[*securityGroup] { return &st.securityGroups }))
	registerKind(kindSGRule, lookupIn(func(st *state) *table[*securityGroupRule] { return &st.sgRules }))
	registerKind(kindAffinityGroup, lookupIn(func(st *state) *table[*affinityGroup] { return &st.affinityGroups }))
	registerKind(kindJob, lookupIn(func(st *state) *table[*job] { return &st.jobs }))
}

// defaultKinds maps uuid parameter names to the kind of entity they name,
// for every command; a command overrides or extends it with cmdDef.Kinds, and
// "id"/"ids" take cmdDef.IDKind. Names absent here and unresolvable kinds name
// entities the simulator does not have, so any value is "not found".
var defaultKinds = map[string]string{
	"zoneid":                 kindZone,
	"templateid":             kindTemplate,
	"serviceofferingid":      kindServiceOffering,
	"diskofferingid":         kindDiskOffering,
	"overridediskofferingid": kindDiskOffering,
	"newdiskofferingid":      kindDiskOffering,
	"networkofferingid":      kindNetworkOffering,
	"networkid":              kindNetwork,
	"networkids":             kindNetwork,
	"associatednetworkid":    kindNetwork,
	"virtualmachineid":       kindVM,
	"virtualmachineids":      kindVM,
	"vmid":                   kindVM,
	"volumeid":               kindVolume,
	"volumeids":              kindVolume,
	"snapshotid":             kindSnapshot,
	"ipaddressid":            kindPublicIP,
	"publicipid":             kindPublicIP,
	"securitygroupid":        kindSecurityGroup,
	"securitygroupids":       kindSecurityGroup,
	"affinitygroupid":        kindAffinityGroup,
	"affinitygroupids":       kindAffinityGroup,
	"projectid":              kindProject,
	"projectids":             kindProject,
	"domainid":               kindDomain,
	"accountid":              kindAccount,
	"accountids":             kindAccount,
	"userid":                 kindUser,
	"ostypeid":               kindOSType,
	"jobid":                  kindJob,
	"zoneids":                kindZone,
}

// uuidLists are the list parameters whose elements are uuids (the
// collectionType the spec does not record); other lists hold strings.
var uuidLists = map[string]bool{
	"ids": true, "networkids": true, "securitygroupids": true, "affinitygroupids": true,
	"virtualmachineids": true, "volumeids": true, "projectids": true, "zoneids": true,
	"accountids": true, "hostids": true, "podids": true, "clusterids": true, "vmsnapshotids": true,
	"destzoneids": true, "conditionids": true, "scaleuppolicyids": true, "scaledownpolicyids": true,
	"nodeids": true,
}
