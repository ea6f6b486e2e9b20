package openstacksim

import (
	"net/http"
	"strings"
	"time"
)

// project is a Keystone project with its compute quota.
type project struct {
	ID, Name string
	Quota    Quota
}

// user is a Keystone user, member (or admin) of one project.
type user struct {
	ID, Name, Password string
	Project            *project
	Admin              bool
	AppCreds           []*appCred
}

// appCred is an application credential of a user.
type appCred struct {
	ID, Name, Secret string
	User             *user
}

// token is an issued Keystone token.
type token struct {
	ID              string
	User            *user
	Methods         []string
	Issued, Expires time.Time
	AppCred         *appCred
}

func (s *Server) identityRoutes() []route {
	return []route{
		{pattern: "GET ", op: "identity:Versions", h: s.identityVersions, noAuth: true},
		{pattern: "GET /v3", op: "identity:Version", h: s.identityVersion, noAuth: true},
		{pattern: "POST /v3/auth/tokens", op: "identity:IssueToken", h: s.issueToken, noAuth: true},
		{pattern: "GET /v3/auth/tokens", op: "identity:ValidateToken", h: s.validateToken},
		{pattern: "DELETE /v3/auth/tokens", op: "identity:RevokeToken", h: s.revokeToken},
		{pattern: "GET /v3/auth/catalog", op: "identity:GetCatalog", h: s.getCatalog},
		{pattern: "GET /v3/auth/projects", op: "identity:ListAuthProjects", h: s.listAuthProjects},
		{pattern: "POST /v3/users/{user}/application_credentials", op: "identity:CreateApplicationCredential", h: s.createAppCred},
	}
}

// identityVersionDoc is Keystone's v3 version entry.
func (s *Server) identityVersionDoc(r *http.Request) map[string]any {
	return map[string]any{
		"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
		"links": []any{map[string]any{"rel": "self", "href": s.baseURL(r) + IdentityPath + "/v3/"}},
		"media-types": []any{map[string]any{"base": "application/json",
			"type": "application/vnd.openstack.identity-v3+json"}},
	}
}

func (s *Server) identityVersions(c *call) (int, any, *apiError) {
	return http.StatusMultipleChoices, map[string]any{"versions": map[string]any{
		"values": []any{s.identityVersionDoc(c.r)}}}, nil
}

func (s *Server) identityVersion(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"version": s.identityVersionDoc(c.r)}, nil
}

// authRequest is the body of POST /v3/auth/tokens.
type authRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					ID       string     `json:"id"`
					Name     string     `json:"name"`
					Password string     `json:"password"`
					Domain   *domainRef `json:"domain"`
				} `json:"user"`
			} `json:"password"`
			ApplicationCredential *struct {
				ID     string `json:"id"`
				Name   string `json:"name"`
				Secret string `json:"secret"`
				User   *struct {
					ID   string     `json:"id"`
					Name string     `json:"name"`
					Dom  *domainRef `json:"domain"`
				} `json:"user"`
			} `json:"application_credential"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token"`
		} `json:"identity"`
		Scope any `json:"scope"`
	} `json:"auth"`
}

// domainRef names a domain by id or name.
type domainRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (d *domainRef) matches() bool {
	return d == nil || d.ID == "default" || d.Name == DefaultDomainName || (d.ID == "" && d.Name == "")
}

func unauthorized(msg string) *apiError {
	return &apiError{status: http.StatusUnauthorized, kind: "Unauthorized", msg: msg}
}

func (s *Server) issueToken(c *call) (int, any, *apiError) {
	var req authRequest
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	st := s.state
	id := req.Auth.Identity
	var u *user
	var ac *appCred
	methods := id.Methods
	switch {
	case contains(methods, "application_credential") && id.ApplicationCredential != nil:
		a := id.ApplicationCredential
		for _, cand := range st.users {
			for _, x := range cand.AppCreds {
				if (a.ID != "" && x.ID == a.ID) || (a.ID == "" && a.Name == x.Name && a.User != nil && (a.User.ID == cand.ID || a.User.Name == cand.Name)) {
					ac = x
				}
			}
		}
		if ac == nil || ac.Secret != a.Secret {
			return 0, nil, unauthorized("The request you have made requires authentication.")
		}
		u = ac.User
	case contains(methods, "password") && id.Password != nil:
		p := id.Password.User
		if p.ID == "" && !p.Domain.matches() {
			return 0, nil, unauthorized("The request you have made requires authentication.")
		}
		for _, cand := range st.users {
			if (p.ID != "" && cand.ID == p.ID) || (p.ID == "" && cand.Name == p.Name) {
				u = cand
			}
		}
		if u == nil || u.Password != p.Password {
			return 0, nil, unauthorized("The request you have made requires authentication.")
		}
	case contains(methods, "token") && id.Token != nil:
		t := st.tokens[id.Token.ID]
		if t == nil || !c.now().Before(t.Expires) {
			return 0, nil, &apiError{status: http.StatusNotFound, msg: "Could not find token: " + id.Token.ID + "."}
		}
		u = t.User
	default:
		return 0, nil, badRequest("Invalid input for field 'identity': at least one supported method with its credentials is required")
	}
	if e := checkScope(req.Auth.Scope, u); e != nil {
		return 0, nil, e
	}
	now := c.now()
	t := &token{ID: "gAAAAA" + newHexID() + newHexID(), User: u, Methods: methods, Issued: now,
		Expires: now.Add(time.Duration(s.lifetime.Load())), AppCred: ac}
	st.tokens[t.ID] = t
	c.hdr.Set("X-Subject-Token", t.ID)
	return http.StatusCreated, map[string]any{"token": s.tokenBody(c.r, t)}, nil
}

// checkScope accepts the user's own project (by id, or name with its
// domain), "unscoped" (nil) being treated as the user's default project.
func checkScope(scope any, u *user) *apiError {
	m, ok := scope.(map[string]any)
	if !ok {
		return nil
	}
	p, ok := m["project"].(map[string]any)
	if !ok {
		return nil
	}
	pid, _ := p["id"].(string)
	pname, _ := p["name"].(string)
	if pid != "" && pid == u.Project.ID {
		return nil
	}
	if pname != "" && pname == u.Project.Name {
		if d, ok := p["domain"].(map[string]any); ok {
			did, _ := d["id"].(string)
			dname, _ := d["name"].(string)
			if !(&domainRef{ID: did, Name: dname}).matches() {
				return unauthorized("Could not find domain: " + did + dname + ".")
			}
		}
		return nil
	}
	return unauthorized("User " + u.ID + " has no access to project " + pid + pname)
}

// tokenBody renders a token with its catalogue.
func (s *Server) tokenBody(r *http.Request, t *token) map[string]any {
	roles := []any{map[string]any{"id": "role-member", "name": "member"}, map[string]any{"id": "role-reader", "name": "reader"}}
	if t.User.Admin {
		roles = append(roles, map[string]any{"id": "role-admin", "name": "admin"})
	}
	dom := map[string]any{"id": "default", "name": DefaultDomainName}
	body := map[string]any{
		"methods":    t.Methods,
		"user":       map[string]any{"id": t.User.ID, "name": t.User.Name, "domain": dom, "password_expires_at": nil},
		"audit_ids":  []string{newHexID()[:22]},
		"expires_at": microTime(t.Expires) + "Z",
		"issued_at":  microTime(t.Issued) + "Z",
		"project":    map[string]any{"id": t.User.Project.ID, "name": t.User.Project.Name, "domain": dom},
		"is_domain":  false,
		"roles":      roles,
		"catalog":    s.catalog(r, t.User.Project.ID),
	}
	if t.AppCred != nil {
		body["application_credential"] = map[string]any{"id": t.AppCred.ID, "name": t.AppCred.Name, "restricted": true}
	}
	return body
}

// catalog returns the service catalogue: every service with its public,
// internal and admin endpoints in the region.
func (s *Server) catalog(r *http.Request, projectID string) []any {
	base := s.baseURL(r)
	entry := func(id, typ, name, url string) map[string]any {
		var eps []any
		for i, iface := range []string{"public", "internal", "admin"} {
			eps = append(eps, map[string]any{"id": id + "-" + iface[:3] + string(rune('0'+i)), "interface": iface,
				"region": s.opts.Region, "region_id": s.opts.Region, "url": url})
		}
		return map[string]any{"id": id, "type": typ, "name": name, "endpoints": eps}
	}
	vol := base + VolumePath + "/v3/" + projectID
	return []any{
		entry("3f1e5d0f2b8c4d6a9b0c1d2e3f405161", "identity", "keystone", base+IdentityPath),
		entry("4a2b6c8d0e1f4a3b5c7d9e0f1a2b3c4d", "compute", "nova", base+ComputePath+"/v2.1"),
		entry("5b3c7d9e1f2a4b4c6d8e0f1a2b3c4d5e", "image", "glance", base+ImagePath),
		entry("6c4d8e0f2a3b4c5d7e9f0a1b2c3d4e5f", "block-storage", "cinder", vol),
		entry("7d5e9f1a3b4c4d6e8f0a1b2c3d4e5f60", "volumev3", "cinderv3", vol),
		entry("8e6f0a2b4c5d4e7f9a1b2c3d4e5f6071", "network", "neutron", base+NetworkPath),
	}
}

// authenticate checks the request's X-Auth-Token.
func (s *Server) authenticate(r *http.Request) (*token, *apiError) {
	id := r.Header.Get("X-Auth-Token")
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.state.tokens[id]
	if id == "" || t == nil || !s.now().Before(t.Expires) {
		return nil, unauthorized("The request you have made requires authentication.")
	}
	return t, nil
}

func (s *Server) validateToken(c *call) (int, any, *apiError) {
	t := s.state.tokens[c.r.Header.Get("X-Subject-Token")]
	if t == nil || !c.now().Before(t.Expires) {
		return 0, nil, &apiError{status: http.StatusNotFound, msg: "Could not find token."}
	}
	c.hdr.Set("X-Subject-Token", t.ID)
	return http.StatusOK, map[string]any{"token": s.tokenBody(c.r, t)}, nil
}

func (s *Server) revokeToken(c *call) (int, any, *apiError) {
	id := c.r.Header.Get("X-Subject-Token")
	if s.state.tokens[id] == nil {
		return 0, nil, &apiError{status: http.StatusNotFound, msg: "Could not find token."}
	}
	delete(s.state.tokens, id)
	return http.StatusNoContent, nil, nil
}

func (s *Server) getCatalog(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"catalog": s.catalog(c.r, c.projectID())}, nil
}

func (s *Server) listAuthProjects(c *call) (int, any, *apiError) {
	p := c.tok.User.Project
	return http.StatusOK, map[string]any{"projects": []any{map[string]any{"id": p.ID, "name": p.Name,
		"domain_id": "default", "enabled": true, "is_domain": false, "parent_id": "default"}}}, nil
}

func (s *Server) createAppCred(c *call) (int, any, *apiError) {
	if c.r.PathValue("user") != c.tok.User.ID {
		return 0, nil, forbidden("You are not authorized to perform the requested action: identity:create_application_credential.")
	}
	var req struct {
		AC struct {
			Name   string `json:"name"`
			Secret string `json:"secret"`
		} `json:"application_credential"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.AC.Name == "" {
		return 0, nil, badRequest("Invalid input for field 'name': None is not of type 'string'")
	}
	for _, x := range c.tok.User.AppCreds {
		if x.Name == req.AC.Name {
			return 0, nil, conflict("Conflict occurred attempting to store application_credential - Duplicate entry.")
		}
	}
	ac := &appCred{ID: newHexID(), Name: req.AC.Name, Secret: req.AC.Secret, User: c.tok.User}
	if ac.Secret == "" {
		ac.Secret = newHexID() + newHexID()
	}
	c.tok.User.AppCreds = append(c.tok.User.AppCreds, ac)
	return http.StatusCreated, map[string]any{"application_credential": map[string]any{
		"id": ac.ID, "name": ac.Name, "secret": ac.Secret, "project_id": c.projectID(), "user_id": c.tok.User.ID,
		"unrestricted": false, "expires_at": nil, "roles": []any{map[string]any{"id": "role-member", "name": "member"}},
	}}, nil
}

// contains reports whether list holds v.
func contains(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
