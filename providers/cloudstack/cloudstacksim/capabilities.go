package cloudstacksim

// cloudStackVersion is the version the simulator reports; its API spec is
// that of 4.18.
const cloudStackVersion = "4.18.0.0"

// capabilityView is the capability object of listCapabilities.
type capabilityView struct {
	SecurityGroupsEnabled         bool   `json:"securitygroupsenabled"`
	DynamicRolesEnabled           bool   `json:"dynamicrolesenabled"`
	CloudStackVersion             string `json:"cloudstackversion"`
	UserPublicTemplateEnabled     bool   `json:"userpublictemplateenabled"`
	SupportELB                    string `json:"supportELB"`
	ProjectInviteRequired         bool   `json:"projectinviterequired"`
	AllowUserCreateProjects       bool   `json:"allowusercreateprojects"`
	CustomDiskOfferingMinSize     int64  `json:"customdiskofferingminsize"`
	CustomDiskOfferingMaxSize     int64  `json:"customdiskofferingmaxsize"`
	RegionSecondaryEnabled        bool   `json:"regionsecondaryenabled"`
	KVMSnapshotEnabled            bool   `json:"kvmsnapshotenabled"`
	AllowUserViewDestroyedVM      bool   `json:"allowuserviewdestroyedvm"`
	AllowUserExpungeRecoverVM     bool   `json:"allowuserexpungerecovervm"`
	AllowUserExpungeRecoverVol    bool   `json:"allowuserexpungerecovervolume"`
	AllowUserViewAllDomainAccts   bool   `json:"allowuserviewalldomainaccounts"`
	KubernetesServiceEnabled      bool   `json:"kubernetesserviceenabled"`
	KubernetesClusterExperimental bool   `json:"kubernetesclusterexperimentalfeaturesenabled"`
	DefaultUIPageSize             int64  `json:"defaultuipagesize"`
	InstancesStatsRetentionTime   int    `json:"instancesstatsretentiontime"`
	InstancesStatsUserOnly        bool   `json:"instancesstatsuseronly"`
	APILimitInterval              int    `json:"apilimitinterval,omitempty"`
	APILimitMax                   int    `json:"apilimitmax,omitempty"`
}

func init() {
	register(
		cmdDef{Name: "listCapabilities", ReadOnly: true, Handler: listCapabilities, ItemKey: "capability"},
		cmdDef{Name: "listApis", ReadOnly: true, Handler: listApis, ItemKey: "api"},
	)
}

func listCapabilities(c *call) (reply, error) {
	t := c.s.throttle()
	v := capabilityView{SecurityGroupsEnabled: true, CloudStackVersion: cloudStackVersion, UserPublicTemplateEnabled: true,
		SupportELB: "false", AllowUserCreateProjects: true, CustomDiskOfferingMinSize: 1,
		CustomDiskOfferingMaxSize: maxCustomDiskGB, KVMSnapshotEnabled: true, DynamicRolesEnabled: true,
		AllowUserViewDestroyedVM: c.s.opts.AllowUserViewDestroyedVM, AllowUserExpungeRecoverVM: c.s.opts.AllowUserExpungeRecoverVM,
		DefaultUIPageSize: 20, InstancesStatsRetentionTime: 720}
	if t.Max > 0 {
		v.APILimitInterval, v.APILimitMax = int(t.limit().Window().Seconds()), t.Max
	}
	return objReply{"capability", v}, nil
}

func listApis(c *call) (reply, error) {
	var cmds []*APICommand
	name, hasName := c.str("name")
	for _, cmd := range c.s.spec.Commands {
		if registry[cmd.Name] == nil || hasName && cmd.Name != name {
			continue
		}
		cmds = append(cmds, cmd)
	}
	if hasName && len(cmds) == 0 {
		return nil, invalidParam("Unable to find API with name %s", name)
	}
	return listItems(c, "api", cmds, nil, func(cmd *APICommand) any { return cmd.RawJSON() }), nil
}
