package openstacksim

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"time"
)

// network is a Neutron network.
type network struct {
	ID, Name, ProjectID string
	External, Shared    bool
	Subnets             []string
	Created             time.Time
}

// subnet is a Neutron IPv4 /24 subnet; addresses are handed out in order.
type subnet struct {
	ID, Name, NetworkID, ProjectID string
	Prefix                         string // "10.0.0." of a /24
	next                           int
	Created                        time.Time
}

// fixedIP is one address of a port.
type fixedIP struct {
	SubnetID string `json:"subnet_id"`
	IP       string `json:"ip_address"`
}

// port is a Neutron port.
type port struct {
	ID, Name, NetworkID, ProjectID string
	MAC, DeviceID, DeviceOwner     string
	FixedIPs                       []fixedIP
	SecurityGroups                 []string
	Created                        time.Time
	novaOwned                      bool
}

// secgroup is a Neutron security group.
type secgroup struct {
	ID, Name, Description, ProjectID string
	Rules                            []*sgRule
	Created                          time.Time
}

// sgRule is a security group rule.
type sgRule struct {
	ID, GroupID, ProjectID, Direction, Ethertype string
	Protocol, RemoteIPPrefix, RemoteGroupID      string
	PortMin, PortMax                             *int
	Created                                      time.Time
}

// floatingIP is a Neutron floating IP.
type floatingIP struct {
	ID, ProjectID, Address, NetworkID string
	PortID, FixedIP, Description      string
	Created, Updated                  time.Time
}

func (s *Server) networkRoutes() []route {
	return []route{
		{pattern: "GET ", op: "network:Versions", h: s.networkVersions, noAuth: true},
		{pattern: "GET /v2.0", op: "network:Version", h: s.networkVersion},
		{pattern: "GET /v2.0/extensions", op: "network:ListExtensions", h: s.networkExtensions},
		{pattern: "GET /v2.0/networks", op: "network:ListNetworks", h: s.listNetworks},
		{pattern: "GET /v2.0/networks/{id}", op: "network:GetNetwork", h: s.getNetwork},
		{pattern: "POST /v2.0/networks", op: "network:CreateNetwork", h: s.createNetwork},
		{pattern: "DELETE /v2.0/networks/{id}", op: "network:DeleteNetwork", h: s.deleteNetwork},
		{pattern: "GET /v2.0/subnets", op: "network:ListSubnets", h: s.listSubnets},
		{pattern: "GET /v2.0/subnets/{id}", op: "network:GetSubnet", h: s.getSubnet},
		{pattern: "POST /v2.0/subnets", op: "network:CreateSubnet", h: s.createSubnet},
		{pattern: "DELETE /v2.0/subnets/{id}", op: "network:DeleteSubnet", h: s.deleteSubnet},
		{pattern: "GET /v2.0/ports", op: "network:ListPorts", h: s.listPorts},
		{pattern: "GET /v2.0/ports/{id}", op: "network:GetPort", h: s.getPort},
		{pattern: "POST /v2.0/ports", op: "network:CreatePort", h: s.createPortAPI},
		{pattern: "DELETE /v2.0/ports/{id}", op: "network:DeletePort", h: s.deletePort},
		{pattern: "GET /v2.0/security-groups", op: "network:ListSecurityGroups", h: s.listSecgroups},
		{pattern: "GET /v2.0/security-groups/{id}", op: "network:GetSecurityGroup", h: s.getSecgroup},
		{pattern: "POST /v2.0/security-groups", op: "network:CreateSecurityGroup", h: s.createSecgroup},
		{pattern: "DELETE /v2.0/security-groups/{id}", op: "network:DeleteSecurityGroup", h: s.deleteSecgroup},
		{pattern: "GET /v2.0/security-group-rules", op: "network:ListSecurityGroupRules", h: s.listSGRules},
		{pattern: "POST /v2.0/security-group-rules", op: "network:CreateSecurityGroupRule", h: s.createSGRule},
		{pattern: "DELETE /v2.0/security-group-rules/{id}", op: "network:DeleteSecurityGroupRule", h: s.deleteSGRule},
		{pattern: "GET /v2.0/floatingips", op: "network:ListFloatingIPs", h: s.listFloatingIPs},
		{pattern: "GET /v2.0/floatingips/{id}", op: "network:GetFloatingIP", h: s.getFloatingIP},
		{pattern: "POST /v2.0/floatingips", op: "network:CreateFloatingIP", h: s.createFloatingIP},
		{pattern: "PUT /v2.0/floatingips/{id}", op: "network:UpdateFloatingIP", h: s.updateFloatingIP},
		{pattern: "DELETE /v2.0/floatingips/{id}", op: "network:DeleteFloatingIP", h: s.deleteFloatingIP},
		{pattern: "GET /v2.0/quotas/{project}", op: "network:GetQuota", h: s.networkQuota},
	}
}

func (s *Server) networkVersions(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"versions": []any{map[string]any{"id": "v2.0", "status": "CURRENT",
		"links": []any{map[string]any{"href": s.baseURL(c.r) + NetworkPath + "/v2.0/", "rel": "self"}}}}}, nil
}

func (s *Server) networkVersion(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"resources": []any{}}, nil
}

func (s *Server) networkExtensions(c *call) (int, any, *apiError) {
	var ext []any
	for _, a := range []string{"external-net", "router", "security-group", "port-security", "standard-attr-description", "quotas", "tag"} {
		ext = append(ext, map[string]any{"alias": a, "name": a, "description": a, "updated": "2013-01-01T00:00:00-00:00", "links": []any{}})
	}
	return http.StatusOK, map[string]any{"extensions": ext}, nil
}

// neutronErr builds a NeutronError.
func neutronErr(status int, typ, msg string) *apiError {
	return &apiError{status: status, kind: typ, msg: msg}
}

func (st *state) networkByID(id string) *network {
	for _, n := range st.networks {
		if n.ID == id {
			return n
		}
	}
	return nil
}

func (st *state) portByID(id string) *port {
	for _, p := range st.ports {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (st *state) subnetByID(id string) *subnet {
	for _, sn := range st.subnets {
		if sn.ID == id {
			return sn
		}
	}
	return nil
}

// visible reports whether a project's caller sees a resource of owner.
func (c *call) visible(owner string, shared bool) bool {
	return shared || owner == c.projectID() || c.isAdmin()
}

// matchQuery applies Neutron's equality filters: every query parameter
// that names a field of the rendered body must match.
func matchQuery(c *call, body map[string]any) bool {
	for k, vs := range c.r.URL.Query() {
		if k == "fields" || k == "limit" || k == "marker" || k == "sort_key" || k == "sort_dir" || k == "page_reverse" {
			continue
		}
		v, ok := body[k]
		if !ok {
			continue
		}
		got := fmt.Sprint(v)
		if b, isBool := v.(bool); isBool {
			got = fmt.Sprint(b)
		}
		found := false
		for _, want := range vs {
			if got == want || (v == nil && want == "") {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// neutronList renders the visible items matching the query, paginated.
func neutronList[T any](c *call, key string, items []T, id func(T) string, render func(T) map[string]any) (int, any, *apiError) {
	limit, e := c.limitParam()
	if e != nil {
		return 0, nil, e
	}
	var list []T
	for _, it := range items {
		if matchQuery(c, render(it)) {
			list = append(list, it)
		}
	}
	page, more, ok := paginate(list, id, c.query("marker"), limit)
	if !ok {
		page, more = nil, false
	}
	out := []any{}
	for _, it := range page {
		out = append(out, render(it))
	}
	body := map[string]any{key: out}
	if more {
		q := c.r.URL.Query()
		q.Set("marker", id(page[len(page)-1]))
		body[key+"_links"] = []any{map[string]any{"rel": "next",
			"href": c.s.baseURL(c.r) + c.r.URL.Path + "?" + q.Encode()}}
	}
	return http.StatusOK, body, nil
}

func (c *call) networkBody(n *network) map[string]any {
	return map[string]any{"id": n.ID, "name": n.Name, "tenant_id": n.ProjectID, "project_id": n.ProjectID,
		"router:external": n.External, "shared": n.Shared, "subnets": orEmptyList(n.Subnets), "status": "ACTIVE",
		"admin_state_up": true, "mtu": 1450, "availability_zones": []string{"nova"}, "description": "",
		"port_security_enabled": true, "is_default": n.External, "tags": []string{}, "ipv4_address_scope": nil,
		"created_at": isoTime(n.Created), "updated_at": isoTime(n.Created), "revision_number": 1,
		"provider:network_type": "geneve"}
}

func (s *Server) listNetworks(c *call) (int, any, *apiError) {
	items := filter(s.state.networks, func(n *network) bool { return c.visible(n.ProjectID, n.Shared || n.External) })
	return neutronList(c, "networks", items, func(n *network) string { return n.ID }, c.networkBody)
}

func (s *Server) getNetwork(c *call) (int, any, *apiError) {
	n := s.state.networkByID(c.r.PathValue("id"))
	if n == nil || !c.visible(n.ProjectID, n.Shared || n.External) {
		return 0, nil, neutronErr(404, "NetworkNotFound", "Network "+c.r.PathValue("id")+" could not be found.")
	}
	return http.StatusOK, map[string]any{"network": c.networkBody(n)}, nil
}

func (s *Server) createNetwork(c *call) (int, any, *apiError) {
	var req struct {
		Network struct {
			Name     string `json:"name"`
			Shared   bool   `json:"shared"`
			External bool   `json:"router:external"`
		} `json:"network"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, neutronErr(400, "HTTPBadRequest", e.msg)
	}
	if (req.Network.Shared || req.Network.External) && !c.isAdmin() {
		return 0, nil, neutronErr(403, "HTTPForbidden", "(rule:create_network and rule:create_network:shared) is disallowed by policy")
	}
	n := &network{ID: newUUID(), Name: req.Network.Name, ProjectID: c.projectID(), Shared: req.Network.Shared,
		External: req.Network.External, Created: c.now()}
	s.state.networks = append(s.state.networks, n)
	return http.StatusCreated, map[string]any{"network": c.networkBody(n)}, nil
}

func (s *Server) deleteNetwork(c *call) (int, any, *apiError) {
	n := s.state.networkByID(c.r.PathValue("id"))
	if n == nil || !(n.ProjectID == c.projectID() || c.isAdmin()) {
		return 0, nil, neutronErr(404, "NetworkNotFound", "Network "+c.r.PathValue("id")+" could not be found.")
	}
	for _, p := range s.state.ports {
		if p.NetworkID == n.ID && p.DeviceID != "" {
			return 0, nil, neutronErr(409, "NetworkInUse", "Unable to complete operation on network "+n.ID+". There are one or more ports still in use on the network.")
		}
	}
	s.state.ports = filter(s.state.ports, func(p *port) bool { return p.NetworkID != n.ID })
	s.state.subnets = filter(s.state.subnets, func(sn *subnet) bool { return sn.NetworkID != n.ID })
	s.state.networks = filter(s.state.networks, func(x *network) bool { return x != n })
	return http.StatusNoContent, nil, nil
}

func (c *call) subnetBody(sn *subnet) map[string]any {
	return map[string]any{"id": sn.ID, "name": sn.Name, "network_id": sn.NetworkID, "tenant_id": sn.ProjectID,
		"project_id": sn.ProjectID, "cidr": sn.Prefix + "0/24", "gateway_ip": sn.Prefix + "1", "ip_version": 4,
		"enable_dhcp": true, "allocation_pools": []any{map[string]any{"start": sn.Prefix + "2", "end": sn.Prefix + "254"}},
		"dns_nameservers": []string{}, "host_routes": []any{}, "ipv6_address_mode": nil, "ipv6_ra_mode": nil,
		"description": "", "subnetpool_id": nil, "tags": []string{}, "created_at": isoTime(sn.Created),
		"updated_at": isoTime(sn.Created), "revision_number": 0, "service_types": []string{}}
}

func (s *Server) listSubnets(c *call) (int, any, *apiError) {
	items := filter(s.state.subnets, func(sn *subnet) bool {
		n := s.state.networkByID(sn.NetworkID)
		return n != nil && c.visible(n.ProjectID, n.Shared || n.External)
	})
	return neutronList(c, "subnets", items, func(sn *subnet) string { return sn.ID }, c.subnetBody)
}

func (s *Server) getSubnet(c *call) (int, any, *apiError) {
	sn := s.state.subnetByID(c.r.PathValue("id"))
	if sn == nil {
		return 0, nil, neutronErr(404, "SubnetNotFound", "Subnet "+c.r.PathValue("id")+" could not be found.")
	}
	return http.StatusOK, map[string]any{"subnet": c.subnetBody(sn)}, nil
}

func (s *Server) createSubnet(c *call) (int, any, *apiError) {
	var req struct {
		Subnet struct {
			Name      string `json:"name"`
			NetworkID string `json:"network_id"`
			CIDR      string `json:"cidr"`
		} `json:"subnet"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, neutronErr(400, "HTTPBadRequest", e.msg)
	}
	n := s.state.networkByID(req.Subnet.NetworkID)
	if n == nil {
		return 0, nil, neutronErr(404, "NetworkNotFound", "Network "+req.Subnet.NetworkID+" could not be found.")
	}
	var a, b, cc int
	if _, err := fmt.Sscanf(req.Subnet.CIDR, "%d.%d.%d.0/24", &a, &b, &cc); err != nil {
		return 0, nil, neutronErr(400, "HTTPBadRequest", "Invalid input for cidr. Reason: the simulator supports IPv4 /24 subnets only ('"+req.Subnet.CIDR+"').")
	}
	sn := s.state.addSubnet(n, req.Subnet.Name, fmt.Sprintf("%d.%d.%d.", a, b, cc), c.now())
	return http.StatusCreated, map[string]any{"subnet": c.subnetBody(sn)}, nil
}

// deleteSubnet removes a subnet no port holds an address on (Neutron
// refuses with 409 SubnetInUse otherwise; unbound ports go with it).
func (s *Server) deleteSubnet(c *call) (int, any, *apiError) {
	sn := s.state.subnetByID(c.r.PathValue("id"))
	if sn == nil || !(sn.ProjectID == c.projectID() || c.isAdmin()) {
		return 0, nil, neutronErr(404, "SubnetNotFound", "Subnet "+c.r.PathValue("id")+" could not be found.")
	}
	onSubnet := func(p *port) bool {
		for _, ip := range p.FixedIPs {
			if ip.SubnetID == sn.ID {
				return true
			}
		}
		return false
	}
	for _, p := range s.state.ports {
		if p.DeviceID != "" && onSubnet(p) {
			return 0, nil, neutronErr(409, "SubnetInUse", "Unable to complete operation on subnet "+sn.ID+": One or more ports have an IP allocation from this subnet.")
		}
	}
	s.state.ports = filter(s.state.ports, func(p *port) bool { return !onSubnet(p) })
	s.state.subnets = filter(s.state.subnets, func(x *subnet) bool { return x != sn })
	if n := s.state.networkByID(sn.NetworkID); n != nil {
		n.Subnets = filter(n.Subnets, func(id string) bool { return id != sn.ID })
	}
	return http.StatusNoContent, nil, nil
}

// addSubnet adds a /24 subnet to n.
func (st *state) addSubnet(n *network, name, prefix string, now time.Time) *subnet {
	sn := &subnet{ID: newUUID(), Name: name, NetworkID: n.ID, ProjectID: n.ProjectID, Prefix: prefix, next: 3, Created: now}
	st.subnets = append(st.subnets, sn)
	n.Subnets = append(n.Subnets, sn.ID)
	return sn
}

// allocate hands out the next free address of the first of a network's
// subnets that has one, as Neutron allocates from any subnet with room.
func (st *state) allocate(n *network) (fixedIP, *apiError) {
	if len(n.Subnets) == 0 {
		return fixedIP{}, neutronErr(400, "BadRequest", "Network "+n.ID+" has no subnet")
	}
	for _, id := range n.Subnets {
		sn := st.subnetByID(id)
		if sn == nil || sn.next > 254 {
			continue
		}
		ip := fixedIP{SubnetID: sn.ID, IP: fmt.Sprintf("%s%d", sn.Prefix, sn.next)}
		sn.next++
		return ip, nil
	}
	return fixedIP{}, neutronErr(409, "IpAddressGenerationFailure", "No more IP addresses available on network "+n.ID+".")
}

// newMAC returns a fa:16:3e MAC address as Neutron makes them.
func newMAC() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", b[0], b[1], b[2])
}

// createPort adds a port on n with an address (fixed, when given).
func (st *state) createPort(n *network, projectID, deviceID, owner, fixed string, sgs []string) (*port, *apiError) {
	ip, e := st.allocate(n)
	if e != nil {
		return nil, e
	}
	if fixed != "" {
		ip.IP = fixed
	}
	p := &port{ID: newUUID(), NetworkID: n.ID, ProjectID: projectID, MAC: newMAC(), DeviceID: deviceID,
		DeviceOwner: owner, FixedIPs: []fixedIP{ip}, SecurityGroups: sgs, Created: st.s.now(), novaOwned: deviceID != ""}
	st.ports = append(st.ports, p)
	return p, nil
}

// releasePort unbinds a port from its server; ports Nova created go.
func (st *state) releasePort(p *port) {
	for _, f := range st.floatingIP {
		if f.PortID == p.ID {
			f.PortID, f.FixedIP = "", ""
		}
	}
	if p.novaOwned {
		st.ports = filter(st.ports, func(x *port) bool { return x != p })
		return
	}
	p.DeviceID, p.DeviceOwner = "", ""
}

func (c *call) portBody(p *port) map[string]any {
	status := "DOWN"
	if p.DeviceID != "" {
		status = "ACTIVE"
	}
	return map[string]any{"id": p.ID, "name": p.Name, "network_id": p.NetworkID, "tenant_id": p.ProjectID,
		"project_id": p.ProjectID, "mac_address": p.MAC, "device_id": p.DeviceID, "device_owner": p.DeviceOwner,
		"fixed_ips": p.FixedIPs, "security_groups": orEmptyList(p.SecurityGroups), "status": status,
		"admin_state_up": true, "binding:vnic_type": "normal", "allowed_address_pairs": []any{},
		"port_security_enabled": true, "description": "", "tags": []string{}, "created_at": isoTime(p.Created),
		"updated_at": isoTime(p.Created), "revision_number": 1}
}

func (s *Server) listPorts(c *call) (int, any, *apiError) {
	items := filter(s.state.ports, func(p *port) bool { return c.visible(p.ProjectID, false) })
	return neutronList(c, "ports", items, func(p *port) string { return p.ID }, c.portBody)
}

func (s *Server) getPort(c *call) (int, any, *apiError) {
	p := s.state.portByID(c.r.PathValue("id"))
	if p == nil || !c.visible(p.ProjectID, false) {
		return 0, nil, neutronErr(404, "PortNotFound", "Port "+c.r.PathValue("id")+" could not be found.")
	}
	return http.StatusOK, map[string]any{"port": c.portBody(p)}, nil
}

func (s *Server) createPortAPI(c *call) (int, any, *apiError) {
	var req struct {
		Port struct {
			Name           string    `json:"name"`
			NetworkID      string    `json:"network_id"`
			FixedIPs       []fixedIP `json:"fixed_ips"`
			SecurityGroups []string  `json:"security_groups"`
		} `json:"port"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, neutronErr(400, "HTTPBadRequest", e.msg)
	}
	n := s.state.networkByID(req.Port.NetworkID)
	if n == nil || !c.visible(n.ProjectID, n.Shared || n.External) {
		return 0, nil, neutronErr(404, "NetworkNotFound", "Network "+req.Port.NetworkID+" could not be found.")
	}
	fixed := ""
	if len(req.Port.FixedIPs) > 0 {
		fixed = req.Port.FixedIPs[0].IP
	}
	sgs := req.Port.SecurityGroups
	if sgs == nil {
		sgs = s.state.secgroupIDs(c.projectID(), []string{"default"})
	}
	p, e := s.state.createPort(n, c.projectID(), "", "", fixed, sgs)
	if e != nil {
		return 0, nil, e
	}
	p.Name = req.Port.Name
	return http.StatusCreated, map[string]any{"port": c.portBody(p)}, nil
}

func (s *Server) deletePort(c *call) (int, any, *apiError) {
	p := s.state.portByID(c.r.PathValue("id"))
	if p == nil || !c.visible(p.ProjectID, false) {
		return 0, nil, neutronErr(404, "PortNotFound", "Port "+c.r.PathValue("id")+" could not be found.")
	}
	p.novaOwned = true
	s.state.releasePort(p)
	return http.StatusNoContent, nil, nil
}

func (s *Server) networkQuota(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"quota": map[string]any{"network": 100, "subnet": 100, "port": 500,
		"floatingip": 50, "security_group": 10, "security_group_rule": 100, "router": 10}}, nil
}

// decodeNeutron decodes a Neutron request body, with Neutron's error.
func decodeNeutron(c *call, v any) *apiError {
	if e := c.decode(v); e != nil {
		return neutronErr(400, "HTTPBadRequest", e.msg)
	}
	return nil
}
