package openstacksim

import (
	"fmt"
	"net/http"
)

func (c *call) floatingIPBody(f *floatingIP) map[string]any {
	status := "DOWN"
	var router any
	if f.PortID != "" {
		status, router = "ACTIVE", "router1"
	}
	return map[string]any{"id": f.ID, "floating_ip_address": f.Address, "floating_network_id": f.NetworkID,
		"port_id": nullable(f.PortID), "fixed_ip_address": nullable(f.FixedIP), "router_id": router,
		"status": status, "tenant_id": f.ProjectID, "project_id": f.ProjectID, "description": f.Description,
		"port_details": nil, "dns_domain": "", "dns_name": "", "tags": []string{}, "qos_policy_id": nil,
		"created_at": isoTime(f.Created), "updated_at": isoTime(f.Updated), "revision_number": 0}
}

func (c *call) floatingIP(id string) (*floatingIP, *apiError) {
	for _, f := range c.s.state.floatingIP {
		if f.ID == id && c.visible(f.ProjectID, false) {
			return f, nil
		}
	}
	return nil, neutronErr(404, "FloatingIPNotFound", "Floating IP "+id+" could not be found")
}

func (s *Server) listFloatingIPs(c *call) (int, any, *apiError) {
	items := filter(s.state.floatingIP, func(f *floatingIP) bool { return c.visible(f.ProjectID, false) })
	return neutronList(c, "floatingips", items, func(f *floatingIP) string { return f.ID }, c.floatingIPBody)
}

func (s *Server) getFloatingIP(c *call) (int, any, *apiError) {
	f, e := c.floatingIP(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"floatingip": c.floatingIPBody(f)}, nil
}

// associate binds f to a port (its first fixed address unless given).
func (c *call) associate(f *floatingIP, portID *string, fixed string) *apiError {
	if portID == nil || *portID == "" {
		f.PortID, f.FixedIP = "", ""
		return nil
	}
	p := c.s.state.portByID(*portID)
	if p == nil || !c.visible(p.ProjectID, false) {
		return neutronErr(404, "PortNotFound", "Port "+*portID+" could not be found.")
	}
	n := c.s.state.networkByID(p.NetworkID)
	if n != nil && n.External {
		return neutronErr(400, "BadRequest", fmt.Sprintf("Bad floatingip request: Port %s is on the external network.", p.ID))
	}
	for _, o := range c.s.state.floatingIP {
		if o != f && o.PortID == p.ID {
			return neutronErr(409, "FloatingIPPortAlreadyAssociated", fmt.Sprintf(
				"Cannot associate floating IP %s (%s) with port %s using fixed IP %s, as that fixed IP already has a floating IP on external network %s.",
				f.Address, f.ID, p.ID, o.FixedIP, o.NetworkID))
		}
	}
	if fixed == "" && len(p.FixedIPs) > 0 {
		fixed = p.FixedIPs[0].IP
	}
	f.PortID, f.FixedIP = p.ID, fixed
	return nil
}

func (s *Server) createFloatingIP(c *call) (int, any, *apiError) {
	var req struct {
		FIP struct {
			NetworkID   string  `json:"floating_network_id"`
			PortID      *string `json:"port_id"`
			FixedIP     string  `json:"fixed_ip_address"`
			Description string  `json:"description"`
			Address     string  `json:"floating_ip_address"`
		} `json:"floatingip"`
	}
	if e := decodeNeutron(c, &req); e != nil {
		return 0, nil, e
	}
	n := s.state.networkByID(req.FIP.NetworkID)
	if n == nil {
		return 0, nil, neutronErr(404, "NetworkNotFound", "Network "+req.FIP.NetworkID+" could not be found.")
	}
	if !n.External {
		return 0, nil, neutronErr(400, "BadRequest", "Bad floatingip request: Network "+n.ID+" is not a valid external network.")
	}
	ip, e := s.state.allocate(n)
	if e != nil {
		return 0, nil, e
	}
	now := c.now()
	f := &floatingIP{ID: newUUID(), ProjectID: c.projectID(), Address: ip.IP, NetworkID: n.ID,
		Description: req.FIP.Description, Created: now, Updated: now}
	if req.FIP.Address != "" {
		f.Address = req.FIP.Address
	}
	if e := c.associate(f, req.FIP.PortID, req.FIP.FixedIP); e != nil {
		return 0, nil, e
	}
	s.state.floatingIP = append(s.state.floatingIP, f)
	return http.StatusCreated, map[string]any{"floatingip": c.floatingIPBody(f)}, nil
}

func (s *Server) updateFloatingIP(c *call) (int, any, *apiError) {
	f, e := c.floatingIP(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		FIP map[string]any `json:"floatingip"`
	}
	if e := decodeNeutron(c, &req); e != nil {
		return 0, nil, e
	}
	if v, ok := req.FIP["port_id"]; ok {
		pid, _ := v.(string)
		fixed, _ := req.FIP["fixed_ip_address"].(string)
		if e := c.associate(f, &pid, fixed); e != nil {
			return 0, nil, e
		}
	}
	if d, ok := req.FIP["description"].(string); ok {
		f.Description = d
	}
	f.Updated = c.now()
	return http.StatusOK, map[string]any{"floatingip": c.floatingIPBody(f)}, nil
}

func (s *Server) deleteFloatingIP(c *call) (int, any, *apiError) {
	f, e := c.floatingIP(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	s.state.floatingIP = filter(s.state.floatingIP, func(x *floatingIP) bool { return x != f })
	return http.StatusNoContent, nil, nil
}

// addresses groups a server's addresses by network name, floating IPs
// beside the fixed address they map to.
func (st *state) addresses(serverID string) map[string][]any {
	var ports []*port
	for _, p := range st.ports {
		if p.DeviceID == serverID {
			ports = append(ports, p)
		}
	}
	return st.portAddresses(ports)
}

// portsByDevice indexes the ports bound to a device (server) by its id, for
// a listing to find each server's ports without scanning them all.
func (st *state) portsByDevice() map[string][]*port {
	out := map[string][]*port{}
	for _, p := range st.ports {
		if p.DeviceID != "" {
			out[p.DeviceID] = append(out[p.DeviceID], p)
		}
	}
	return out
}

// portAddresses is the addresses map of a server with the given ports.
func (st *state) portAddresses(ports []*port) map[string][]any {
	out := map[string][]any{}
	for _, p := range ports {
		n := st.networkByID(p.NetworkID)
		name := p.NetworkID
		if n != nil {
			name = n.Name
		}
		for _, ip := range p.FixedIPs {
			out[name] = append(out[name], map[string]any{"addr": ip.IP, "version": 4,
				"OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": p.MAC})
		}
		for _, f := range st.floatingIP {
			if f.PortID == p.ID {
				out[name] = append(out[name], map[string]any{"addr": f.Address, "version": 4,
					"OS-EXT-IPS:type": "floating", "OS-EXT-IPS-MAC:mac_addr": p.MAC})
			}
		}
	}
	return out
}
