package cloudstacksim_test

import (
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

func TestScope_Accounts(t *testing.T) {
	admin := newSim(t, nil)
	user := admin.as(admin.sim.UserCredentials())
	k := catalogue(admin)
	mine := deploy(admin, k, map[string]string{"name": "admin-vm"})
	theirs := deploy(user, k, map[string]string{"name": "user-vm"})
	names := func(c *apiClient, p map[string]string) string {
		t.Helper()
		var out []string
		for _, v := range items(c.ok("listVirtualMachines", p), "virtualmachine") {
			out = append(out, v["name"].(string)+"/"+v["account"].(string))
		}
		return strings.Join(out, ",")
	}
	if got := names(admin, nil); got != "admin-vm/admin" {
		t.Errorf("admin without listall: %s", got)
	}
	if got := names(admin, map[string]string{"listall": "true"}); got != "admin-vm/admin,user-vm/user" {
		t.Errorf("admin listall: %s", got)
	}
	if got := names(admin, map[string]string{"account": "user", "domainid": mine["domainid"].(string)}); got != "user-vm/user" {
		t.Errorf("admin account=user: %s", got)
	}
	if got := names(admin, map[string]string{"id": theirs["id"].(string)}); got != "user-vm/user" {
		t.Errorf("admin by id: %s", got)
	}
	if got := names(user, map[string]string{"listall": "true"}); got != "user-vm/user" {
		t.Errorf("user listall: %s", got)
	}
	if got := names(user, map[string]string{"id": mine["id"].(string)}); got != "" {
		t.Errorf("user lists the admin's VM by id: %s", got)
	}
	e := user.fail(531, "stopVirtualMachine", map[string]string{"id": mine["id"].(string)})
	if !strings.Contains(e["errortext"].(string), "does not have permission to operate with resource") || e["cserrorcode"].(float64) != 4365 {
		t.Errorf("user acting on the admin's VM: %v", e)
	}
	user.fail(531, "listVirtualMachines", map[string]string{"account": "admin", "domainid": mine["domainid"].(string)})
	// Admins act on anyone's VM.
	admin.job("stopVirtualMachine", map[string]string{"id": theirs["id"].(string)})
	// Users do not see destroyed VMs, and may not expunge or recover.
	user.job("destroyVirtualMachine", map[string]string{"id": theirs["id"].(string)})
	if got := names(user, nil); got != "" {
		t.Errorf("user sees a destroyed VM: %s", got)
	}
	user.fail(531, "recoverVirtualMachine", map[string]string{"id": theirs["id"].(string)})
	if got := names(admin, map[string]string{"listall": "true", "state": "Destroyed"}); got != "user-vm/user" {
		t.Errorf("admin sees destroyed VMs: %s", got)
	}
}

func TestScope_Projects(t *testing.T) {
	admin := newSim(t, nil)
	user := admin.as(admin.sim.UserCredentials())
	k := catalogue(admin)
	p := user.job("createProject", map[string]string{"name": "proj", "displaytext": "A project"})["project"].(map[string]any)
	pid := p["id"].(string)
	vm := deploy(user, k, map[string]string{"projectid": pid, "name": "proj-vm"})
	if vm["projectid"] != pid || vm["project"] != "proj" || vm["account"] != nil {
		t.Fatalf("project VM ownership fields: %v", vm)
	}
	deploy(user, k, map[string]string{"name": "own-vm"})
	count := func(c *apiClient, p map[string]string) int {
		t.Helper()
		return len(items(c.ok("listVirtualMachines", p), "virtualmachine"))
	}
	if n := count(user, nil); n != 1 {
		t.Errorf("project VMs listed without projectid: %d", n)
	}
	if n := count(user, map[string]string{"projectid": pid}); n != 1 {
		t.Errorf("projectid=<id>: %d", n)
	}
	if n := count(user, map[string]string{"projectid": "-1"}); n != 1 {
		t.Errorf("projectid=-1: %d", n)
	}
	if n := count(admin, map[string]string{"projectid": "-1"}); n != 1 {
		t.Errorf("admin projectid=-1: %d", n)
	}
	projects := items(user.ok("listProjects", nil), "project")
	if len(projects) != 1 || projects[0]["vmtotal"].(float64) != 1 || projects[0]["vmlimit"] != "Unlimited" {
		t.Errorf("listProjects: %v", projects)
	}
	if got := admin.ok("listProjects", nil); got["count"] != nil {
		t.Errorf("admin lists projects it is not a member of without listall: %v", got)
	}
	if got := items(admin.ok("listProjects", map[string]string{"listall": "true"}), "project"); len(got) != 1 {
		t.Errorf("admin listall projects: %v", got)
	}
	// listall with projectid=-1 includes non-project resources.
	if n := count(admin, map[string]string{"listall": "true", "projectid": "-1"}); n != 2 {
		t.Errorf("admin listall projectid=-1: %d", n)
	}
	user.job("deleteProject", map[string]string{"id": pid})
	if n := count(admin, map[string]string{"projectid": "-1"}); n != 0 {
		t.Errorf("project VMs survive project deletion: %d", n)
	}
}

func TestScope_ResourceLimits(t *testing.T) {
	admin := newSim(t, nil)
	user := admin.as(admin.sim.UserCredentials())
	k := catalogue(admin)
	limits := items(user.ok("listResourceLimits", nil), "resourcelimit")
	if len(limits) != 12 || limits[0]["resourcetypename"] != "user_vm" || limits[0]["max"].(float64) != -1 {
		t.Fatalf("limits: %v", limits)
	}
	domainID := limits[0]["domainid"].(string)
	user.fail(531, "updateResourceLimit", map[string]string{"resourcetype": "0", "max": "1"})
	admin.ok("updateResourceLimit", map[string]string{"resourcetype": "0", "max": "1", "account": "user", "domainid": domainID})
	deploy(user, k, nil)
	e := user.fail(532, "deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering})
	if !strings.Contains(e["errortext"].(string), "Maximum number of resources of type 'user_vm'") {
		t.Errorf("limit error: %v", e)
	}
	if got := items(user.ok("listResourceLimits", map[string]string{"resourcetype": "0"}), "resourcelimit"); len(got) != 1 || got[0]["max"].(float64) != 1 {
		t.Errorf("updated limit: %v", got)
	}
}

func TestScope_AccountsUsersDomains(t *testing.T) {
	admin := newSim(t, nil)
	user := admin.as(admin.sim.UserCredentials())
	if got := items(admin.ok("listAccounts", nil), "account"); len(got) != 2 {
		t.Errorf("admin listAccounts: %v", got)
	}
	accts := items(user.ok("listAccounts", nil), "account")
	if len(accts) != 1 || accts[0]["name"] != "user" || accts[0]["accounttype"].(float64) != 0 || accts[0]["roletype"] != "User" {
		t.Errorf("user listAccounts: %v", accts)
	}
	users := items(user.ok("listUsers", nil), "user")
	if len(users) != 1 || users[0]["apikey"] != cloudstacksim.DefaultUserAPIKey || users[0]["secretkey"] != nil {
		t.Errorf("listUsers: %v", users)
	}
	if got := items(user.ok("listDomains", nil), "domain"); len(got) != 1 || got[0]["path"] != "ROOT" {
		t.Errorf("listDomains: %v", got)
	}
}
