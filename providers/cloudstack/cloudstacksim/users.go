package cloudstacksim

// Role names and types of the built-in roles.
const (
	roleRootAdmin = "Root Admin"
	roleUser      = "User"
)

// userView is the user response object.
type userView struct {
	ID               string `json:"id"`
	Username         string `json:"username"`
	FirstName        string `json:"firstname"`
	LastName         string `json:"lastname"`
	Email            string `json:"email"`
	Created          string `json:"created"`
	State            string `json:"state"`
	Account          string `json:"account"`
	AccountType      int    `json:"accounttype"`
	UserSource       string `json:"usersource"`
	RoleID           string `json:"roleid"`
	RoleType         string `json:"roletype"`
	RoleName         string `json:"rolename"`
	DomainID         string `json:"domainid"`
	Domain           string `json:"domain"`
	AccountID        string `json:"accountid"`
	APIKey           string `json:"apikey,omitempty"`
	IsCallerChildDom bool   `json:"iscallerchilddomain"`
	IsDefault        bool   `json:"isdefault"`
	Is2FAEnabled     bool   `json:"is2faenabled"`
	HasAnnotations   bool   `json:"hasannotations"`
}

// role returns the role id, type and name of an account.
func (st *state) role(a *account) (string, string, string) {
	if a.isRootAdmin() {
		return st.roleIDs[0], "Admin", roleRootAdmin
	}
	return st.roleIDs[1], "User", roleUser
}

func (c *call) viewUser(u *user) any {
	id, typ, name := c.st.role(u.acct)
	v := userView{ID: u.id, Username: u.username, FirstName: u.firstname, LastName: u.lastname, Email: u.email,
		Created: fmtDate(u.created), State: "enabled", Account: u.acct.name, AccountType: u.acct.typ,
		UserSource: "native", RoleID: id, RoleType: typ, RoleName: name, DomainID: u.acct.domain.id,
		Domain: u.acct.domain.name, AccountID: u.acct.id, IsDefault: true}
	if c.caller.isRootAdmin() || u.acct == c.caller {
		v.APIKey = u.apiKey
	}
	return v
}

// accountView is the account response object.
type accountView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	AccountType int    `json:"accounttype"`
	RoleID      string `json:"roleid"`
	RoleType    string `json:"roletype"`
	RoleName    string `json:"rolename"`
	DomainID    string `json:"domainid"`
	Domain      string `json:"domain"`
	DomainPath  string `json:"domainpath"`
	State       string `json:"state"`
	User        []any  `json:"user"`
	VMLimit     string `json:"vmlimit"`
	VMTotal     int64  `json:"vmtotal"`
	VMAvailable string `json:"vmavailable"`
	IsDefault   bool   `json:"isdefault"`
	Created     string `json:"created"`
}

func (c *call) viewAccount(a *account) any {
	id, typ, name := c.st.role(a)
	v := accountView{ID: a.id, Name: a.name, AccountType: a.typ, RoleID: id, RoleType: typ, RoleName: name,
		DomainID: a.domain.id, Domain: a.domain.name, DomainPath: a.domain.path, State: "enabled", User: []any{},
		IsDefault: true, Created: fmtDate(a.created)}
	for _, u := range c.st.users.list {
		if u.acct == a {
			v.User = append(v.User, c.viewUser(u))
		}
	}
	v.VMLimit, v.VMTotal, v.VMAvailable = c.st.limitFields(a, resUserVM)
	return v
}

// domainView is the domain response object.
type domainView struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Level            int    `json:"level"`
	Path             string `json:"path"`
	HasChild         bool   `json:"haschild"`
	ParentDomainID   string `json:"parentdomainid,omitempty"`
	ParentDomainName string `json:"parentdomainname,omitempty"`
	State            string `json:"state"`
	Created          string `json:"created"`
}

func (c *call) viewDomain(d *domain) any {
	v := domainView{ID: d.id, Name: d.name, Path: d.path, State: "Active", Created: fmtDate(d.created)}
	for p := d.parent; p != nil; p = p.parent {
		v.Level++
	}
	if d.parent != nil {
		v.ParentDomainID, v.ParentDomainName = d.parent.id, d.parent.name
	}
	for _, x := range c.st.domains.list {
		if x.parent == d {
			v.HasChild = true
		}
	}
	return v
}

func init() {
	register(
		cmdDef{Name: "listUsers", ReadOnly: true, IDKind: kindUser, Handler: listUsers, ItemKey: "user"},
		cmdDef{Name: "listAccounts", ReadOnly: true, IDKind: kindAccount, Handler: listAccounts, ItemKey: "account"},
		cmdDef{Name: "listDomains", ReadOnly: true, IDKind: kindDomain, Handler: listDomains, ItemKey: "domain"},
	)
}

// visibleAccount reports whether the caller may see account a in account and
// user lists: root admins see every account, others only their own.
func (c *call) visibleAccount(a *account) bool {
	return a.typ != accountProject && a.name != "system" && (c.caller.isRootAdmin() || a == c.caller)
}

func listUsers(c *call) (reply, error) {
	id, _ := refAs[*user](c, "id")
	name, hasName := c.str("username")
	acct, hasAcct := c.str("account")
	keyword, hasKeyword := c.str("keyword")
	keep := func(u *user) bool {
		switch {
		case !c.visibleAccount(u.acct),
			id != nil && u != id,
			hasName && u.username != name,
			hasAcct && !equalFold(u.acct.name, acct),
			hasKeyword && !keywordMatch(keyword, u.username, u.firstname, u.lastname, u.email):
			return false
		}
		return true
	}
	return listItems(c, "user", c.st.users.list, keep, c.viewUser), nil
}

func listAccounts(c *call) (reply, error) {
	id, _ := refAs[*account](c, "id")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	keep := func(a *account) bool {
		switch {
		case !c.visibleAccount(a),
			id != nil && a != id,
			hasName && !equalFold(a.name, name),
			hasKeyword && !keywordMatch(keyword, a.name):
			return false
		}
		return true
	}
	return listItems(c, "account", c.st.accounts.list, keep, c.viewAccount), nil
}

func listDomains(c *call) (reply, error) {
	id, _ := refAs[*domain](c, "id")
	name, hasName := c.str("name")
	keep := func(d *domain) bool {
		switch {
		case !d.under(c.caller.domain),
			id != nil && d != id,
			hasName && d.name != name:
			return false
		}
		return true
	}
	return listItems(c, "domain", c.st.domains.list, keep, c.viewDomain), nil
}
