package cloudstacksim

import (
	"fmt"
	"strconv"
)

// project groups resources owned by its project account; its members may
// use them.
type project struct {
	base
	name, displayText string
	state             string
	acct              *account // the project account owning its resources
	owner             *account
	members           map[*account]bool
}

// projectView is the project response object, with the limit and usage
// fields listProjects reports.
type projectView struct {
	ID                 string              `json:"id"`
	Name               string              `json:"name"`
	DisplayText        string              `json:"displaytext"`
	DomainID           string              `json:"domainid"`
	Domain             string              `json:"domain"`
	Owner              []map[string]string `json:"owner"`
	ProjectAccountName string              `json:"projectaccountname"`
	State              string              `json:"state"`
	Created            string              `json:"created"`
	Tags               []resourceTagV      `json:"tags"`
	VMLimit            string              `json:"vmlimit"`
	VMTotal            int64               `json:"vmtotal"`
	VMAvailable        string              `json:"vmavailable"`
	IPLimit            string              `json:"iplimit"`
	IPTotal            int64               `json:"iptotal"`
	IPAvailable        string              `json:"ipavailable"`
	VolumeLimit        string              `json:"volumelimit"`
	VolumeTotal        int64               `json:"volumetotal"`
	VolumeAvailable    string              `json:"volumeavailable"`
	SnapshotLimit      string              `json:"snapshotlimit"`
	SnapshotTotal      int64               `json:"snapshottotal"`
	SnapshotAvailable  string              `json:"snapshotavailable"`
	TemplateLimit      string              `json:"templatelimit"`
	TemplateTotal      int64               `json:"templatetotal"`
	TemplateAvailable  string              `json:"templateavailable"`
	NetworkLimit       string              `json:"networklimit"`
	NetworkTotal       int64               `json:"networktotal"`
	NetworkAvailable   string              `json:"networkavailable"`
	CPULimit           string              `json:"cpulimit"`
	CPUTotal           int64               `json:"cputotal"`
	CPUAvailable       string              `json:"cpuavailable"`
	MemoryLimit        string              `json:"memorylimit"`
	MemoryTotal        int64               `json:"memorytotal"`
	MemoryAvailable    string              `json:"memoryavailable"`
	JobID              string              `json:"jobid,omitempty"`
	JobStatus          *int                `json:"jobstatus,omitempty"`
}

// limitText renders a limit as listProjects does ("Unlimited" for -1).
func limitText(n int64) string {
	if n < 0 {
		return "Unlimited"
	}
	return strconv.FormatInt(n, 10)
}

// limitFields returns limit, total and available of rt for account a.
func (st *state) limitFields(a *account, rt int) (string, int64, string) {
	max, used := a.limits[rt], st.usage(a, rt)
	avail := "Unlimited"
	if max >= 0 {
		avail = strconv.FormatInt(max-used, 10)
	}
	return limitText(max), used, avail
}

func (c *call) viewProject(p *project) any {
	v := projectView{ID: p.id, Name: p.name, DisplayText: p.displayText, DomainID: p.acct.domain.id,
		Domain: p.acct.domain.name, Owner: []map[string]string{{"account": p.owner.name}},
		ProjectAccountName: p.acct.name, State: p.state, Created: fmtDate(p.created), Tags: c.tagViews(p.id)}
	st := c.st
	v.VMLimit, v.VMTotal, v.VMAvailable = st.limitFields(p.acct, resUserVM)
	v.IPLimit, v.IPTotal, v.IPAvailable = st.limitFields(p.acct, resPublicIP)
	v.VolumeLimit, v.VolumeTotal, v.VolumeAvailable = st.limitFields(p.acct, resVolume)
	v.SnapshotLimit, v.SnapshotTotal, v.SnapshotAvailable = st.limitFields(p.acct, resSnapshot)
	v.TemplateLimit, v.TemplateTotal, v.TemplateAvailable = st.limitFields(p.acct, resTemplate)
	v.NetworkLimit, v.NetworkTotal, v.NetworkAvailable = st.limitFields(p.acct, resNetwork)
	v.CPULimit, v.CPUTotal, v.CPUAvailable = st.limitFields(p.acct, resCPU)
	v.MemoryLimit, v.MemoryTotal, v.MemoryAvailable = st.limitFields(p.acct, resMemory)
	v.JobID, v.JobStatus = pendingJob(&p.base)
	return v
}

func init() {
	create := cmdDef{Name: "createProject", Create: true, Handler: createProject, InstanceType: "Project", ItemKey: "project",
		JobClass: "org.apache.cloudstack.api.command.user.project.CreateProjectCmd"}
	list := cmdDef{Name: "listProjects", ReadOnly: true, IDKind: kindProject, Handler: listProjects, ItemKey: "project"}
	del := cmdDef{Name: "deleteProject", IDKind: kindProject, Handler: deleteProject, InstanceType: "Project", ItemKey: "(success)",
		JobClass: "org.apache.cloudstack.api.command.user.project.DeleteProjectCmd"}
	register(create, list, del)
}

// newProject creates a project owned by owner with its project account and
// default security group.
func (st *state) newProject(name, displayText string, owner *account) *project {
	p := &project{base: st.newBase(), name: name, displayText: displayText, state: "Active", owner: owner,
		members: map[*account]bool{owner: true}}
	acct := &account{base: st.newBase(), typ: accountProject, domain: owner.domain, project: p, limits: unlimited()}
	acct.name = fmt.Sprintf("PrjAcct-%s-%d", name, acct.seq)
	p.acct = acct
	st.accounts.insert(acct)
	st.projects.insert(p)
	st.newSecurityGroup(acct, "default", "Default Security Group")
	return p
}

func createProject(c *call) (reply, error) {
	owner := c.caller
	if name, ok := c.str("account"); ok {
		dom := c.caller.domain
		if d, ok := refAs[*domain](c, "domainid"); ok {
			dom = d
		}
		if owner = c.st.findAccount(name, dom); owner == nil {
			return nil, invalidParam("Unable to find account %s in domain %s", name, dom.id)
		}
		if err := c.checkOwnerAccess(owner); err != nil {
			return nil, err
		}
	}
	name := c.str0("name")
	for _, p := range c.st.projects.list {
		if p.name == name && p.acct.domain == owner.domain {
			return nil, invalidParam("Project with name %s already exists in domain id=%s", name, owner.domain.id)
		}
	}
	if err := c.checkLimits(owner, map[int]int64{resProject: 1}); err != nil {
		return nil, err
	}
	p := c.st.newProject(name, or(c.str0("displaytext"), name), owner)
	return &asyncReply{id: p.id, instance: p, run: func() (reply, error) {
		return objReply{"project", c.viewProject(p)}, nil
	}}, nil
}

func listProjects(c *call) (reply, error) {
	id, _ := refAs[*project](c, "id")
	name, hasName := c.str("name")
	text, hasText := c.str("displaytext")
	state, hasState := c.str("state")
	keyword, hasKeyword := c.str("keyword")
	all := c.caller.isRootAdmin() && (c.boolean("listall", false) || id != nil)
	keep := func(p *project) bool {
		switch {
		case !all && !p.members[c.caller],
			id != nil && p != id,
			hasName && p.name != name,
			hasText && p.displayText != text,
			hasState && !equalFold(p.state, state),
			hasKeyword && !keywordMatch(keyword, p.name, p.displayText),
			!c.matchTags(p.id):
			return false
		}
		return true
	}
	return listItems(c, "project", c.st.projects.list, keep, c.viewProject), nil
}

func deleteProject(c *call) (reply, error) {
	p, _ := refAs[*project](c, "id")
	if !c.caller.isRootAdmin() && p.owner != c.caller {
		return nil, permissionDenied("%s does not have permission to operate with resource Project %s", c.caller, p.id)
	}
	return &asyncReply{instance: p, run: func() (reply, error) {
		c.st.purgeAccount(p.acct)
		drop(c.st, &c.st.projects, p.id)
		return successReply{}, nil
	}}, nil
}

// purgeAccount removes an account and everything it owns, with their tags
// (project cleanup).
func (st *state) purgeAccount(a *account) {
	for _, v := range append([]*vm(nil), st.vms.list...) {
		if v.acct == a {
			st.expungeVM(v)
		}
	}
	for _, ip := range append([]*publicIP(nil), st.publicIPs.list...) {
		if ip.acct == a {
			st.releasePublicIP(ip)
		}
	}
	for _, v := range append([]*volume(nil), st.volumes.list...) {
		if v.acct == a {
			st.removeVolume(v)
		}
	}
	dropWhere(st, &st.snapshots, func(s *snapshot) bool { return s.acct == a })
	dropWhere(st, &st.networks, func(n *network) bool { return n.acct == a && n.aclType == "Account" })
	dropWhere(st, &st.sshKeyPairs, func(k *sshKeyPair) bool { return k.acct == a })
	for _, sg := range st.securityGroups.list {
		if sg.acct == a {
			for _, r := range sg.rules {
				st.sgRules.remove(r.id)
			}
		}
	}
	dropWhere(st, &st.securityGroups, func(sg *securityGroup) bool { return sg.acct == a })
	dropWhere(st, &st.affinityGroups, func(ag *affinityGroup) bool { return ag.acct == a })
	dropWhere(st, &st.templates, func(t *template) bool { return t.acct == a })
	st.accounts.remove(a.id)
}
