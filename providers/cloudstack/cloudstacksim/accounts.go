package cloudstacksim

import (
	"fmt"
	"strings"
)

// Account types (Account.Type ordinals, as listAccounts reports accounttype).
const (
	accountNormal      = 0
	accountAdmin       = 1
	accountDomainAdmin = 2
	accountProject     = 5
)

// domain is a CloudStack domain.
type domain struct {
	base
	name   string
	path   string // "ROOT", "ROOT/sub"
	parent *domain
}

// under reports whether d is o or a descendant of o.
func (d *domain) under(o *domain) bool {
	for x := d; x != nil; x = x.parent {
		if x == o {
			return true
		}
	}
	return false
}

// account owns resources. Project accounts (typ accountProject) own the
// resources of their project.
type account struct {
	base
	name    string
	typ     int
	domain  *domain
	project *project // set on project accounts
	limits  [resourceTypeCount]int64
}

func (a *account) isRootAdmin() bool { return a.typ == accountAdmin }

// String renders the account the way server messages name it.
func (a *account) String() string {
	return fmt.Sprintf("Account [{\"accountName\":\"%s\",\"id\":\"%s\"}]", a.name, a.id)
}

// user holds API credentials of an account.
type user struct {
	base
	acct      *account
	username  string
	firstname string
	lastname  string
	email     string
	apiKey    string
	secretKey string
}

// owned is embedded by entities that belong to an account.
type owned struct {
	acct *account
}

// owner returns the owning account.
func (o *owned) owner() *account { return o.acct }

// ownerFields are the ownership fields of a response object.
type ownerFields struct {
	Account   string `json:"account,omitempty"`
	ProjectID string `json:"projectid,omitempty"`
	Project   string `json:"project,omitempty"`
	DomainID  string `json:"domainid,omitempty"`
	Domain    string `json:"domain,omitempty"`
}

// ownerView returns the ownership fields for a resource owned by a: project
// resources show their project instead of the project's account.
func ownerView(a *account) ownerFields {
	if a == nil {
		return ownerFields{}
	}
	f := ownerFields{DomainID: a.domain.id, Domain: a.domain.name}
	if a.project != nil {
		f.ProjectID, f.Project = a.project.id, a.project.name
	} else {
		f.Account = a.name
	}
	return f
}

// Project listing criteria of buildACLSearchParameters.
type projectCriteria int

const (
	projectsAny  projectCriteria = iota // no restriction on account type
	projectsSkip                        // no project resources
	projectsOnly                        // only project resources
)

// listScope is the set of owners a list command may show, built exactly as
// AccountManagerImpl.buildACLSearchParameters does.
type listScope struct {
	accounts  map[*account]bool // nil: not restricted by account
	single    *account          // the only account of accounts, if it has one
	domain    *domain
	recursive bool
	projects  projectCriteria
}

// allows reports whether a resource owned by a is within the scope.
func (sc *listScope) allows(a *account) bool {
	if a == nil {
		return false
	}
	switch sc.projects {
	case projectsSkip:
		if a.typ == accountProject {
			return false
		}
	case projectsOnly:
		if a.typ != accountProject {
			return false
		}
	}
	if sc.single != nil {
		return a == sc.single
	}
	if sc.accounts != nil {
		return sc.accounts[a]
	}
	if sc.domain != nil {
		if sc.recursive {
			return a.domain.under(sc.domain)
		}
		return a.domain == sc.domain
	}
	return true
}

// scope computes the listing scope of the current list command from its
// account, domainid, projectid, listall and isrecursive parameters; hasID
// reports whether the request names a single resource by id.
func (c *call) scope(hasID bool) (*listScope, error) {
	caller := c.caller
	sc := &listScope{}
	listAll := c.boolean("listall", false)
	var dom *domain
	if d, ok := c.ref("domainid").(*domain); ok {
		dom = d
		if !caller.isRootAdmin() && !dom.under(caller.domain) {
			return nil, permissionDenied("Account %s does not have permission to operate within domain id=%s", caller.name, dom.id)
		}
	}
	permitted := map[*account]bool{}
	if name, ok := c.str("account"); ok {
		if c.has("projectid") {
			return nil, invalidParam("Account and projectId can't be specified together")
		}
		in := caller.domain
		if dom != nil {
			in = dom
		}
		a := c.st.findAccount(name, in)
		if a == nil {
			return nil, invalidParam("could not find account %s in domain %s", name, in.name)
		}
		if err := c.checkOwnerAccess(a); err != nil {
			return nil, err
		}
		permitted[a] = true
	}
	if c.has("projectid") {
		if c.str0("projectid") == "-1" {
			sc.projects = projectsOnly
			if caller.typ != accountAdmin {
				for _, p := range c.st.projects.list {
					if p.members[caller] {
						permitted[p.acct] = true
					}
				}
				if len(permitted) == 0 || listAll {
					permitted[caller] = true
				}
			}
			if listAll {
				sc.projects = projectsAny
			}
		} else if p, ok := c.ref("projectid").(*project); ok {
			if !c.canAccessProject(p) {
				return nil, permissionDenied("Account %s can't access project id=%s", caller.name, p.id)
			}
			permitted[p.acct] = true
		}
	} else {
		if !hasID {
			sc.projects = projectsSkip
		}
		if len(permitted) == 0 && dom == nil {
			switch {
			case caller.typ == accountNormal:
				permitted[caller] = true
			case !listAll:
				if !hasID {
					permitted[caller] = true
				} else if caller.typ != accountAdmin {
					sc.domain, sc.recursive = caller.domain, true
				}
			case caller.typ == accountDomainAdmin:
				sc.domain, sc.recursive = caller.domain, true
			}
		} else if dom != nil {
			if caller.typ == accountNormal {
				permitted[caller] = true
			}
		}
	}
	if len(permitted) > 0 {
		sc.accounts = permitted
		if len(permitted) == 1 {
			for a := range permitted {
				sc.single = a
			}
		}
	} else if dom != nil {
		sc.domain, sc.recursive = dom, c.boolean("isrecursive", false)
	}
	return sc, nil
}

// canAccessProject reports whether the caller may use project p.
func (c *call) canAccessProject(p *project) bool {
	return c.caller.isRootAdmin() || p.members[c.caller]
}

// checkOwnerAccess is AccountManager.checkAccess(caller, owner): a normal user
// may act only for itself, a domain admin within its domain.
func (c *call) checkOwnerAccess(a *account) error {
	caller := c.caller
	switch {
	case caller.isRootAdmin(), caller == a:
		return nil
	case a.typ == accountProject && a.project != nil && c.canAccessProject(a.project):
		return nil
	case caller.typ == accountDomainAdmin && a.domain.under(caller.domain):
		return nil
	}
	return permissionDenied("%s does not have permission to operate with resource %s", caller, a)
}

// checkAccess is the ACL check of an entity owned by a (SecurityChecker
// checkAccess on a ControlledEntity): 531 when the caller may not touch it.
func (c *call) checkAccess(a *account, what string) error {
	caller := c.caller
	switch {
	case a == nil, caller.isRootAdmin(), caller == a:
		return nil
	case a.typ == accountProject && a.project != nil && c.canAccessProject(a.project):
		return nil
	case caller.typ == accountDomainAdmin && a.domain.under(caller.domain):
		return nil
	}
	return permissionDenied("%s does not have permission to operate with resource %s", caller, what)
}

// owner returns the account a create command acts for: the project's account
// when projectid is given, the named account (with domainid) when account is
// given, else the caller.
func (c *call) owner() (*account, error) {
	if p, ok := c.ref("projectid").(*project); ok {
		if !c.canAccessProject(p) {
			return nil, permissionDenied("Account %s can't access project id=%s", c.caller.name, p.id)
		}
		return p.acct, nil
	}
	if name, ok := c.str("account"); ok {
		dom := c.caller.domain
		if d, ok := c.ref("domainid").(*domain); ok {
			dom = d
		} else if !c.caller.isRootAdmin() || c.has("domainid") {
			dom = c.caller.domain
		}
		a := c.st.findAccount(name, dom)
		if a == nil {
			return nil, invalidParam("Unable to find account %s in domain id=%s", name, dom.id)
		}
		if err := c.checkOwnerAccess(a); err != nil {
			return nil, err
		}
		return a, nil
	}
	return c.caller, nil
}

// findAccount returns the non-project account named name in domain d.
func (st *state) findAccount(name string, d *domain) *account {
	for _, a := range st.accounts.list {
		if a.typ != accountProject && a.domain == d && strings.EqualFold(a.name, name) {
			return a
		}
	}
	return nil
}

// findUserByAPIKey returns the user holding apiKey.
func (st *state) findUserByAPIKey(apiKey string) *user {
	for _, u := range st.users.list {
		if u.apiKey == apiKey {
			return u
		}
	}
	return nil
}

// ownedEntity is an entity that belongs to an account.
type ownedEntity interface {
	entity
	owner() *account
}

// target returns the entity of kind T named by parameter param after the ACL
// check; what names the kind in the permission error (e.g. "VM instance").
func target[T ownedEntity](c *call, param, what string) (T, error) {
	v, ok := refAs[T](c, param)
	if !ok {
		var zero T
		return zero, missingParam(c.apiName, param)
	}
	if err := c.checkAccess(v.owner(), what+" "+v.meta().id); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}
