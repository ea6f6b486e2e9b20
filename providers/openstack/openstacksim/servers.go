package openstacksim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Nova's power states.
const (
	powerNoState  = 0
	powerRunning  = 1
	powerPaused   = 3
	powerShutdown = 4
	powerSuspend  = 7
)

// server is a Nova server.
type server struct {
	ID, Name, ProjectID, UserID string
	ImageID, KeyName, AdminPass string
	UserData, AZ, Description   string
	Flavor                      flavor
	OldFlavor                   *flavor
	PreResizeVMState            string
	VMState, TaskState          string
	PowerState                  int
	Metadata                    map[string]string
	Tags                        []string
	SecurityGroups              []string
	Created, Updated, Launched  time.Time
	Locked                      bool
	ReservationID               string
	gone                        bool
}

// statusMap is Nova's (vm_state, task_state) → status table
// (nova/api/openstack/common.py _STATE_MAP).
var statusMap = map[string]map[string]string{
	"active": {"default": "ACTIVE", "rebooting": "REBOOT", "reboot_pending": "REBOOT", "reboot_started": "REBOOT",
		"rebooting_hard": "HARD_REBOOT", "reboot_pending_hard": "HARD_REBOOT", "reboot_started_hard": "HARD_REBOOT",
		"updating_password": "PASSWORD", "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD",
		"rebuild_spawning": "REBUILD", "migrating": "MIGRATING", "resize_prep": "RESIZE", "resize_migrating": "RESIZE",
		"resize_migrated": "RESIZE", "resize_finish": "RESIZE"},
	"building": {"default": "BUILD"},
	"stopped": {"default": "SHUTOFF", "resize_prep": "RESIZE", "resize_migrating": "RESIZE", "resize_migrated": "RESIZE",
		"resize_finish": "RESIZE", "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD", "rebuild_spawning": "REBUILD"},
	"resized":           {"default": "VERIFY_RESIZE", "resize_reverting": "REVERT_RESIZE"},
	"paused":            {"default": "PAUSED", "migrating": "MIGRATING"},
	"suspended":         {"default": "SUSPENDED"},
	"rescued":           {"default": "RESCUE"},
	"error":             {"default": "ERROR", "rebuilding": "REBUILD", "rebuild_block_device_mapping": "REBUILD", "rebuild_spawning": "REBUILD"},
	"deleted":           {"default": "DELETED"},
	"soft-delete":       {"default": "SOFT_DELETED"},
	"shelved":           {"default": "SHELVED"},
	"shelved_offloaded": {"default": "SHELVED_OFFLOADED"},
}

// status returns the server's API status.
func (sv *server) status() string {
	m := statusMap[sv.VMState]
	if st, ok := m[sv.TaskState]; ok {
		return st
	}
	if m == nil {
		return "UNKNOWN"
	}
	return m["default"]
}

// serverByID finds a server of the caller's project (any project for an
// admin).
func (c *call) server(id string) (*server, *apiError) {
	for _, sv := range c.s.state.servers {
		if sv.ID == id && (sv.ProjectID == c.projectID() || c.isAdmin()) {
			return sv, nil
		}
	}
	return nil, notFound("Instance " + id + " could not be found.")
}

// addresses is a server's addresses map, from the call's port index when
// it has one.
func (c *call) addresses(serverID string) map[string][]any {
	if c.devicePorts != nil {
		return c.s.state.portAddresses(c.devicePorts[serverID])
	}
	return c.s.state.addresses(serverID)
}

// hostID is Nova's per-project host hash.
func (sv *server) hostID() string {
	if sv.VMState == "building" || sv.VMState == "shelved_offloaded" {
		return ""
	}
	h := sha256.Sum224([]byte(sv.ProjectID + "compute1"))
	return hex.EncodeToString(h[:])
}

// serverBody renders a server as servers/…/server-get-resp for c's
// microversion and role.
func (c *call) serverBody(sv *server) map[string]any {
	st := c.s.state
	admin := c.isAdmin()
	_, bookmark := c.computeURL()
	var img any = ""
	if sv.ImageID != "" {
		img = map[string]any{"id": sv.ImageID, "links": []any{map[string]any{"href": bookmark + "/images/" + sv.ImageID, "rel": "bookmark"}}}
	}
	var fl any = map[string]any{"id": sv.Flavor.ID, "links": []any{map[string]any{"href": bookmark + "/flavors/" + sv.Flavor.ID, "rel": "bookmark"}}}
	if c.mv.atLeast(2, 47) {
		fl = map[string]any{"vcpus": sv.Flavor.VCPUs, "ram": sv.Flavor.RAM, "disk": sv.Flavor.Disk,
			"ephemeral": sv.Flavor.Ephemeral, "swap": sv.Flavor.Swap, "original_name": sv.Flavor.Name,
			"extra_specs": extraSpecs(&sv.Flavor)}
	}
	vols := []any{}
	for _, v := range st.volumes {
		for _, a := range v.Attachments {
			if a.ServerID == sv.ID {
				e := map[string]any{"id": v.ID}
				if c.mv.atLeast(2, 3) {
					e["delete_on_termination"] = false
				}
				vols = append(vols, e)
			}
		}
	}
	var launched any
	if !sv.Launched.IsZero() {
		launched = sv.Launched.UTC().Format("2006-01-02T15:04:05.000000")
	}
	b := map[string]any{
		"id": sv.ID, "name": sv.Name, "status": sv.status(), "tenant_id": sv.ProjectID, "user_id": sv.UserID,
		"metadata": orEmpty(sv.Metadata), "hostId": sv.hostID(), "image": img, "flavor": fl,
		"created": isoTime(sv.Created), "updated": isoTime(sv.Updated), "addresses": c.addresses(sv.ID),
		"accessIPv4": "", "accessIPv6": "", "links": c.links("servers", sv.ID), "key_name": nullable(sv.KeyName),
		"progress": 0, "config_drive": "", "OS-DCF:diskConfig": "MANUAL", "OS-EXT-AZ:availability_zone": sv.AZ,
		"OS-EXT-STS:power_state": sv.PowerState, "OS-EXT-STS:task_state": nullable(sv.TaskState),
		"OS-EXT-STS:vm_state": sv.VMState, "OS-SRV-USG:launched_at": launched, "OS-SRV-USG:terminated_at": nil,
		"os-extended-volumes:volumes_attached": vols,
	}
	if sv.status() == "BUILD" || sv.status() == "RESIZE" || sv.status() == "REBUILD" {
		b["progress"] = 50
	}
	if len(sv.SecurityGroups) > 0 {
		var sgs []any
		for _, n := range sv.SecurityGroups {
			sgs = append(sgs, map[string]any{"name": n})
		}
		b["security_groups"] = sgs
	}
	if sv.VMState == "error" {
		b["fault"] = map[string]any{"code": 500, "created": isoTime(sv.Updated), "message": "Simulated failure"}
	}
	if admin && !c.mv.atLeast(2, 90) {
		b["OS-EXT-SRV-ATTR:host"], b["OS-EXT-SRV-ATTR:hypervisor_hostname"] = "compute1", "compute1.example.org"
		b["OS-EXT-SRV-ATTR:instance_name"] = "instance-" + sv.ID[:8]
		if c.mv.atLeast(2, 3) {
			b["OS-EXT-SRV-ATTR:reservation_id"], b["OS-EXT-SRV-ATTR:launch_index"] = sv.ReservationID, 0
			b["OS-EXT-SRV-ATTR:kernel_id"], b["OS-EXT-SRV-ATTR:ramdisk_id"] = "", ""
			b["OS-EXT-SRV-ATTR:root_device_name"], b["OS-EXT-SRV-ATTR:user_data"] = "/dev/vda", nullable(sv.UserData)
		}
		if c.mv.atLeast(2, 16) {
			b["host_status"] = "UP"
		}
	}
	if (admin && c.mv.atLeast(2, 3)) || c.mv.atLeast(2, 90) {
		b["OS-EXT-SRV-ATTR:hostname"] = hostname(sv.Name)
	}
	if c.mv.atLeast(2, 9) {
		b["locked"] = sv.Locked
	}
	if c.mv.atLeast(2, 19) {
		b["description"] = nullable(sv.Description)
	}
	if c.mv.atLeast(2, 26) {
		b["tags"] = orEmptyList(sv.Tags)
	}
	if c.mv.atLeast(2, 63) {
		b["trusted_image_certificates"] = nil
	}
	if c.mv.atLeast(2, 71) {
		b["server_groups"] = []any{}
	}
	if c.mv.atLeast(2, 73) {
		b["locked_reason"] = nil
	}
	return b
}

var notHostname = regexp.MustCompile(`[^a-z0-9-]+`)

// hostname sanitises a display name as Nova does.
func hostname(name string) string {
	h := strings.Trim(notHostname.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if h == "" {
		return "server"
	}
	if len(h) > 63 {
		h = h[:63]
	}
	return h
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptyList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// visibleServers returns the servers c may list, newest first.
func (c *call) visibleServers() []*server {
	all := c.isAdmin() && (c.query("all_tenants") == "1" || strings.EqualFold(c.query("all_tenants"), "true"))
	var out []*server
	for i := len(c.s.state.servers) - 1; i >= 0; i-- {
		sv := c.s.state.servers[i]
		if all || sv.ProjectID == c.projectID() {
			if p := c.query("project_id"); p != "" && c.isAdmin() && sv.ProjectID != p {
				continue
			}
			out = append(out, sv)
		}
	}
	return out
}

// parseTime accepts the ISO 8601 forms clients send in changes-since.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.000000", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// MaxServerPage is the most servers a listing page holds, Nova's default
// osapi_max_limit: a larger limit, or none, gets pages of this many and a
// next link while more follow.
const MaxServerPage = 1000

func (s *Server) listServers(c *call) (int, any, *apiError) {
	detail := strings.HasSuffix(c.r.URL.Path, "/detail")
	limit, e := c.limitParam()
	if e != nil {
		return 0, nil, e
	}
	if limit == 0 || limit > MaxServerPage {
		limit = MaxServerPage
	}
	q := c.r.URL.Query()
	list := c.visibleServers()
	if v := q.Get("name"); v != "" {
		re, err := regexp.Compile(v)
		if err != nil {
			return 0, nil, badRequest("Invalid filter name: " + err.Error())
		}
		list = filter(list, func(sv *server) bool { return re.MatchString(sv.Name) })
	}
	if v := q.Get("status"); v != "" {
		list = filter(list, func(sv *server) bool { return strings.EqualFold(sv.status(), v) })
	}
	for _, p := range []struct {
		param string
		after bool
	}{{"changes-since", true}, {"changes-before", false}} {
		v := q.Get(p.param)
		if v == "" {
			continue
		}
		t, ok := parseTime(v)
		if !ok {
			return 0, nil, badRequest(fmt.Sprintf("Invalid input for query parameters %s. Value: %s. '%s' is not a 'date-time'", p.param, v, v))
		}
		after := p.after
		list = filter(list, func(sv *server) bool {
			if after {
				return !sv.Updated.Before(t)
			}
			return !sv.Updated.After(t)
		})
	}
	for param, get := range map[string]func(*server) string{
		"image": func(sv *server) string { return sv.ImageID }, "flavor": func(sv *server) string { return sv.Flavor.ID },
		"availability_zone": func(sv *server) string { return sv.AZ }, "key_name": func(sv *server) string { return sv.KeyName },
	} {
		if v := q.Get(param); v != "" {
			list = filter(list, func(sv *server) bool { return get(sv) == v })
		}
	}
	if c.mv.atLeast(2, 26) {
		tagFilter := func(param string, all, negate bool) {
			v := q.Get(param)
			if v == "" {
				return
			}
			want := strings.Split(v, ",")
			list = filter(list, func(sv *server) bool {
				n := 0
				for _, w := range want {
					if contains(sv.Tags, w) {
						n++
					}
				}
				match := n > 0
				if all {
					match = n == len(want)
				}
				return match != negate
			})
		}
		tagFilter("tags", true, false)
		tagFilter("tags-any", false, false)
		tagFilter("not-tags", true, true)
		tagFilter("not-tags-any", false, true)
	}
	page, more, ok := paginate(list, func(sv *server) string { return sv.ID }, q.Get("marker"), limit)
	if !ok {
		return 0, nil, badRequest("marker [" + q.Get("marker") + "] not found")
	}
	out := []any{}
	if detail {
		c.devicePorts = s.state.portsByDevice()
	}
	for _, sv := range page {
		if detail {
			out = append(out, c.serverBody(sv))
		} else {
			out = append(out, map[string]any{"id": sv.ID, "name": sv.Name, "links": c.links("servers", sv.ID)})
		}
	}
	body := map[string]any{"servers": out}
	if more {
		coll := "servers"
		if detail {
			coll = "servers/detail"
		}
		body["servers_links"] = c.nextLink(coll, page[len(page)-1].ID, limit)
	}
	return http.StatusOK, body, nil
}

func (s *Server) getServer(c *call) (int, any, *apiError) {
	sv, e := c.server(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"server": c.serverBody(sv)}, nil
}

func (s *Server) updateServer(c *call) (int, any, *apiError) {
	sv, e := c.server(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		Server *struct {
			Name        *string `json:"name"`
			Description *string `json:"description"`
		} `json:"server"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.Server == nil {
		return 0, nil, badRequest("Invalid input for field/attribute server. 'server' is a required property")
	}
	if n := req.Server.Name; n != nil {
		if *n == "" || len(*n) > 255 {
			return 0, nil, badRequest("Invalid input for field/attribute name. Value: " + *n + ".")
		}
		sv.Name = *n
	}
	if d := req.Server.Description; d != nil {
		if !c.mv.atLeast(2, 19) {
			return 0, nil, badRequest("Invalid input for field/attribute server. Additional properties are not allowed ('description' was unexpected)")
		}
		sv.Description = *d
	}
	sv.Updated = c.now()
	return http.StatusOK, map[string]any{"server": c.serverBody(sv)}, nil
}

// createRequest is the body of POST /servers.
type createRequest struct {
	Server *struct {
		Name             string            `json:"name"`
		ImageRef         string            `json:"imageRef"`
		FlavorRef        string            `json:"flavorRef"`
		Networks         any               `json:"networks"`
		SecurityGroups   []map[string]any  `json:"security_groups"`
		UserData         *string           `json:"user_data"`
		Metadata         map[string]string `json:"metadata"`
		KeyName          string            `json:"key_name"`
		AdminPass        string            `json:"adminPass"`
		AvailabilityZone string            `json:"availability_zone"`
		Tags             []string          `json:"tags"`
		Description      *string           `json:"description"`
		MinCount         int               `json:"min_count"`
		MaxCount         int               `json:"max_count"`
		BlockDevices     []map[string]any  `json:"block_device_mapping_v2"`
	} `json:"server"`
}

// maxUserData is Nova's limit on the base64 user_data field.
const maxUserData = 65535

func (s *Server) createServer(c *call) (int, any, *apiError) {
	var req createRequest
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	rs := req.Server
	if rs == nil {
		return 0, nil, badRequest("Invalid input for field/attribute server. Value: None. 'server' is a required property")
	}
	st := s.state
	if strings.TrimSpace(rs.Name) == "" || len(rs.Name) > 255 {
		return 0, nil, badRequest(fmt.Sprintf("Invalid input for field/attribute name. Value: %s. '%s' does not match '^(?! )[\\S ]*(?<! )$'", rs.Name, rs.Name))
	}
	if rs.FlavorRef == "" {
		return 0, nil, badRequest("Invalid input for field/attribute server. 'flavorRef' is a required property")
	}
	fl := st.flavorByID(lastPathSegment(rs.FlavorRef))
	if fl == nil {
		return 0, nil, badRequest("Flavor " + rs.FlavorRef + " could not be found.")
	}
	imageID := lastPathSegment(rs.ImageRef)
	if imageID == "" && len(rs.BlockDevices) == 0 {
		return 0, nil, badRequest("Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.")
	}
	if imageID != "" {
		img := st.imageByID(imageID)
		if img == nil || (img.Visibility == "private" && img.Owner != c.projectID() && !c.isAdmin()) {
			return 0, nil, badRequest("Can not find requested image")
		}
		if img.Status != "active" {
			return 0, nil, badRequest("Image " + imageID + " is not active.")
		}
	}
	userData := ""
	if rs.UserData != nil {
		userData = *rs.UserData
		if len(userData) > maxUserData {
			return 0, nil, badRequest(fmt.Sprintf("Invalid input for field/attribute user_data. Value: %.20s... is too long", userData))
		}
		if _, err := base64.StdEncoding.DecodeString(userData); err != nil {
			return 0, nil, badRequest("Invalid input for field/attribute user_data. Value: " + truncate(userData, 40) + ". '" + truncate(userData, 40) + "' is not a 'base64'")
		}
	}
	if len(rs.Metadata) > 128 {
		return 0, nil, &apiError{status: http.StatusForbidden, msg: "Quota exceeded for metadata_items: Requested 129, but already used 0 of 128 metadata_items"}
	}
	if rs.KeyName != "" && st.keypair(c.tok.User.ID, rs.KeyName) == nil {
		return 0, nil, badRequest("Invalid key_name provided.")
	}
	az := rs.AvailabilityZone
	if az == "" {
		az = "nova"
	}
	if az != "nova" {
		return 0, nil, badRequest("The requested availability zone is not available")
	}
	if len(rs.Tags) > 0 && !c.mv.atLeast(2, 52) {
		return 0, nil, badRequest("Invalid input for field/attribute server. Additional properties are not allowed ('tags' was unexpected)")
	}
	if rs.Description != nil && !c.mv.atLeast(2, 19) {
		return 0, nil, badRequest("Invalid input for field/attribute server. Additional properties are not allowed ('description' was unexpected)")
	}
	sgNames := []string{}
	for _, g := range rs.SecurityGroups {
		name, _ := g["name"].(string)
		sg := st.secgroupByRef(c.projectID(), name)
		if sg == nil {
			return 0, nil, badRequest(fmt.Sprintf("Security group %s not found for project %s.", name, c.projectID()))
		}
		sgNames = append(sgNames, sg.Name)
	}
	if len(sgNames) == 0 {
		sgNames = []string{"default"}
	}
	nets, e := c.requestedNetworks(rs.Networks)
	if e != nil {
		return 0, nil, e
	}
	p := c.tok.User.Project
	n, cores, ram := st.usage(p.ID)
	if e := quotaCheck(p.Quota, n+1, cores+fl.VCPUs, ram+fl.RAM, 1, fl.VCPUs, fl.RAM, n, cores, ram); e != nil {
		return 0, nil, e
	}
	now := c.now()
	sv := &server{ID: newUUID(), Name: rs.Name, ProjectID: p.ID, UserID: c.tok.User.ID, ImageID: imageID,
		KeyName: rs.KeyName, UserData: userData, AZ: az, Flavor: *fl, VMState: "building", TaskState: "scheduling",
		PowerState: powerNoState, Metadata: rs.Metadata, Tags: rs.Tags, SecurityGroups: sgNames, Created: now,
		Updated: now, AdminPass: rs.AdminPass, ReservationID: "r-" + newHexID()[:8]}
	if rs.Description != nil {
		sv.Description = *rs.Description
	}
	if sv.AdminPass == "" {
		sv.AdminPass = newHexID()[:12]
	}
	for _, nr := range nets {
		if nr.port != nil {
			nr.port.DeviceID, nr.port.DeviceOwner = sv.ID, "compute:"+az
			continue
		}
		if _, e := st.createPort(nr.network, p.ID, sv.ID, "compute:"+az, nr.fixedIP, st.secgroupIDs(p.ID, sgNames)); e != nil {
			return 0, nil, e
		}
	}
	st.servers = append(st.servers, sv)
	st.schedule(func() {
		if sv.gone || sv.VMState != "building" {
			return
		}
		sv.TaskState = "spawning"
		sv.Updated = s.now()
		st.schedule(func() {
			if sv.gone || sv.VMState != "building" {
				return
			}
			sv.VMState, sv.TaskState, sv.PowerState = "active", "", powerRunning
			sv.Updated, sv.Launched = s.now(), s.now()
		})
	})
	v, _ := c.computeURL()
	c.hdr.Set("Location", v+"/servers/"+sv.ID)
	var sgs []any
	for _, g := range sgNames {
		sgs = append(sgs, map[string]any{"name": g})
	}
	return http.StatusAccepted, map[string]any{"server": map[string]any{
		"id": sv.ID, "links": c.links("servers", sv.ID), "OS-DCF:diskConfig": "MANUAL",
		"security_groups": sgs, "adminPass": sv.AdminPass,
	}}, nil
}

// quotaCheck refuses what would exceed q with Nova's 403 body.
func quotaCheck(q Quota, instances, cores, ram, wantI, wantC, wantR, usedI, usedC, usedR int) *apiError {
	for _, r := range []struct {
		name            string
		limit, total    int
		requested, used int
	}{{"instances", q.Instances, instances, wantI, usedI}, {"cores", q.Cores, cores, wantC, usedC}, {"ram", q.RAM, ram, wantR, usedR}} {
		if r.limit >= 0 && r.total > r.limit {
			return forbidden(fmt.Sprintf("Quota exceeded for %s: Requested %d, but already used %d of %d %s",
				r.name, r.requested, r.used, r.limit, r.name))
		}
	}
	return nil
}

// lastPathSegment returns the id at the end of a reference that may be a URL.
func lastPathSegment(ref string) string {
	ref = strings.TrimRight(ref, "/")
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// networkRequest is one resolved entry of a create request's networks.
type networkRequest struct {
	network *network
	port    *port
	fixedIP string
}

// requestedNetworks resolves the networks field: a list of {uuid, port,
// fixed_ip}, "auto" or "none" (2.37+), or nothing (the project's only
// tenant network).
func (c *call) requestedNetworks(v any) ([]networkRequest, *apiError) {
	st := c.s.state
	auto := func() ([]networkRequest, *apiError) {
		var cands []*network
		for _, n := range st.networks {
			if !n.External && (n.Shared || n.ProjectID == c.projectID()) {
				cands = append(cands, n)
			}
		}
		switch len(cands) {
		case 0:
			return nil, nil
		case 1:
			return []networkRequest{{network: cands[0]}}, nil
		}
		return nil, conflict("Multiple possible networks found, use a Network ID to be more specific.")
	}
	switch x := v.(type) {
	case nil:
		if c.mv.atLeast(2, 37) {
			return nil, badRequest("Invalid input for field/attribute server. Value: {...}. 'networks' is a required property")
		}
		return auto()
	case string:
		if !c.mv.atLeast(2, 37) || (x != "auto" && x != "none") {
			return nil, badRequest("Invalid input for field/attribute networks. Value: " + x + ". '" + x + "' is not of type 'array'")
		}
		if x == "none" {
			return nil, nil
		}
		return auto()
	case []any:
		var out []networkRequest
		for _, item := range x {
			m, _ := item.(map[string]any)
			uuid, _ := m["uuid"].(string)
			portID, _ := m["port"].(string)
			fixed, _ := m["fixed_ip"].(string)
			switch {
			case portID != "":
				pt := st.portByID(portID)
				if pt == nil {
					return nil, badRequest("Port id " + portID + " could not be found.")
				}
				if pt.DeviceID != "" {
					return nil, conflict("Port " + portID + " is still in use.")
				}
				out = append(out, networkRequest{port: pt})
			case uuid != "":
				n := st.networkByID(uuid)
				if n == nil || !(n.Shared || n.External || n.ProjectID == c.projectID() || c.isAdmin()) {
					return nil, badRequest("Network " + uuid + " could not be found.")
				}
				out = append(out, networkRequest{network: n, fixedIP: fixed})
			default:
				return nil, badRequest("Bad network format: missing 'uuid'")
			}
		}
		return out, nil
	}
	return nil, badRequest("Invalid input for field/attribute networks.")
}

func (s *Server) deleteServer(c *call) (int, any, *apiError) {
	sv, e := c.server(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	if sv.Locked && !c.isAdmin() {
		return 0, nil, conflict("Instance " + sv.ID + " is locked")
	}
	if sv.TaskState == "deleting" {
		return http.StatusNoContent, nil, nil
	}
	sv.TaskState, sv.Updated = "deleting", c.now()
	st := s.state
	st.schedule(func() { st.removeServer(sv) })
	return http.StatusNoContent, nil, nil
}

// removeServer ends a deleted server: its ports go, its volumes and
// floating IPs are released.
func (st *state) removeServer(sv *server) {
	if sv.gone {
		return
	}
	sv.gone = true
	st.servers = filter(st.servers, func(x *server) bool { return x != sv })
	for _, v := range st.volumes {
		if len(v.Attachments) > 0 && v.Attachments[0].ServerID == sv.ID {
			v.Attachments, v.Status = nil, "available"
		}
	}
	for _, pt := range st.ports {
		if pt.DeviceID == sv.ID {
			st.releasePort(pt)
		}
	}
}
