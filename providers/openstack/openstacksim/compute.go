package openstacksim

import (
	"net/http"
	"strconv"
)

func (s *Server) computeRoutes() []route {
	sv := "/v2.1/servers/{id}"
	return []route{
		{pattern: "GET ", op: "compute:Versions", h: s.computeVersions, noAuth: true},
		{pattern: "GET /v2.1", op: "compute:Version", h: s.computeVersion, noAuth: true},
		{pattern: "GET /v2.1/servers", op: "compute:ListServers", h: s.listServers},
		{pattern: "GET /v2.1/servers/detail", op: "compute:ListServersDetail", h: s.listServers},
		{pattern: "POST /v2.1/servers", op: "compute:CreateServer", h: s.createServer},
		{pattern: "GET " + sv, op: "compute:GetServer", h: s.getServer},
		{pattern: "PUT " + sv, op: "compute:UpdateServer", h: s.updateServer},
		{pattern: "DELETE " + sv, op: "compute:DeleteServer", h: s.deleteServer},
		{pattern: "POST " + sv + "/action", op: "compute:ServerAction", h: s.serverAction},
		{pattern: "GET " + sv + "/metadata", op: "compute:ListServerMetadata", h: s.listServerMetadata},
		{pattern: "POST " + sv + "/metadata", op: "compute:UpdateServerMetadata", h: s.updateServerMetadata},
		{pattern: "PUT " + sv + "/metadata", op: "compute:ReplaceServerMetadata", h: s.replaceServerMetadata},
		{pattern: "GET " + sv + "/metadata/{key}", op: "compute:GetServerMetadataItem", h: s.getServerMetadataItem},
		{pattern: "PUT " + sv + "/metadata/{key}", op: "compute:SetServerMetadataItem", h: s.setServerMetadataItem},
		{pattern: "DELETE " + sv + "/metadata/{key}", op: "compute:DeleteServerMetadataItem", h: s.deleteServerMetadataItem},
		{pattern: "GET " + sv + "/tags", op: "compute:ListServerTags", h: s.listServerTags},
		{pattern: "PUT " + sv + "/tags", op: "compute:ReplaceServerTags", h: s.replaceServerTags},
		{pattern: "DELETE " + sv + "/tags", op: "compute:DeleteServerTags", h: s.deleteServerTags},
		{pattern: "GET " + sv + "/tags/{tag}", op: "compute:CheckServerTag", h: s.checkServerTag},
		{pattern: "PUT " + sv + "/tags/{tag}", op: "compute:AddServerTag", h: s.addServerTag},
		{pattern: "DELETE " + sv + "/tags/{tag}", op: "compute:DeleteServerTag", h: s.deleteServerTag},
		{pattern: "GET " + sv + "/os-volume_attachments", op: "compute:ListVolumeAttachments", h: s.listVolumeAttachments},
		{pattern: "POST " + sv + "/os-volume_attachments", op: "compute:AttachVolume", h: s.attachVolume},
		{pattern: "GET " + sv + "/os-volume_attachments/{vol}", op: "compute:GetVolumeAttachment", h: s.getVolumeAttachment},
		{pattern: "DELETE " + sv + "/os-volume_attachments/{vol}", op: "compute:DetachVolume", h: s.detachVolume},
		{pattern: "POST " + sv + "/remote-consoles", op: "compute:CreateConsole", h: s.createConsole},
		{pattern: "GET " + sv + "/os-interface", op: "compute:ListInterfaces", h: s.listInterfaces},
		{pattern: "GET " + sv + "/ips", op: "compute:ListAddresses", h: s.listAddresses},
		{pattern: "GET /v2.1/flavors", op: "compute:ListFlavors", h: s.listFlavors},
		{pattern: "GET /v2.1/flavors/detail", op: "compute:ListFlavorsDetail", h: s.listFlavors},
		{pattern: "GET /v2.1/flavors/{id}", op: "compute:GetFlavor", h: s.getFlavor},
		{pattern: "GET /v2.1/flavors/{id}/os-extra_specs", op: "compute:ListFlavorExtraSpecs", h: s.flavorExtraSpecs},
		{pattern: "GET /v2.1/os-keypairs", op: "compute:ListKeypairs", h: s.listKeypairs},
		{pattern: "POST /v2.1/os-keypairs", op: "compute:CreateKeypair", h: s.createKeypair},
		{pattern: "GET /v2.1/os-keypairs/{name}", op: "compute:GetKeypair", h: s.getKeypair},
		{pattern: "DELETE /v2.1/os-keypairs/{name}", op: "compute:DeleteKeypair", h: s.deleteKeypair},
		{pattern: "GET /v2.1/os-availability-zone", op: "compute:ListAvailabilityZones", h: s.listAZs},
		{pattern: "GET /v2.1/os-availability-zone/detail", op: "compute:ListAvailabilityZonesDetail", h: s.listAZs},
		{pattern: "GET /v2.1/limits", op: "compute:GetLimits", h: s.getLimits},
		{pattern: "GET /v2.1/os-quota-sets/{project}", op: "compute:GetQuotaSet", h: s.getQuotaSet},
		{pattern: "GET /v2.1/os-quota-sets/{project}/detail", op: "compute:GetQuotaSetDetail", h: s.getQuotaSet},
		{pattern: "GET /v2.1/images", op: "compute:ListImages", h: s.computeListImages},
		{pattern: "GET /v2.1/images/detail", op: "compute:ListImagesDetail", h: s.computeListImages},
		{pattern: "GET /v2.1/images/{id}", op: "compute:GetImage", h: s.computeGetImage},
		{pattern: "GET /v2.1/extensions", op: "compute:ListExtensions", h: s.listExtensions},
	}
}

// computeVersionDoc is Nova's v2.1 version entry (versions/v21-version-get-resp).
func (s *Server) computeVersionDoc(r *http.Request, full bool) map[string]any {
	doc := map[string]any{
		"id": "v2.1", "status": "CURRENT", "version": MaxComputeMicroversion, "min_version": MinComputeMicroversion,
		"updated": "2013-07-23T11:33:21Z",
		"links":   []any{map[string]any{"href": s.baseURL(r) + ComputePath + "/v2.1/", "rel": "self"}},
	}
	if full {
		doc["links"] = append(doc["links"].([]any), map[string]any{"href": "http://docs.openstack.org/", "rel": "describedby", "type": "text/html"})
		doc["media-types"] = []any{map[string]any{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}}
	}
	return doc
}

func (s *Server) computeVersions(c *call) (int, any, *apiError) {
	v2 := map[string]any{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "updated": "2011-01-21T11:33:21Z",
		"links": []any{map[string]any{"href": s.baseURL(c.r) + ComputePath + "/v2/", "rel": "self"}}}
	return http.StatusOK, map[string]any{"versions": []any{v2, s.computeVersionDoc(c.r, false)}}, nil
}

func (s *Server) computeVersion(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"version": s.computeVersionDoc(c.r, true)}, nil
}

// computeURL returns the versioned and unversioned Nova endpoints.
func (c *call) computeURL() (versioned, bookmark string) {
	base := c.s.baseURL(c.r) + ComputePath
	return base + "/v2.1", base
}

// links returns Nova's self and bookmark links of a resource.
func (c *call) links(collection, id string) []any {
	v, b := c.computeURL()
	return []any{
		map[string]any{"href": v + "/" + collection + "/" + id, "rel": "self"},
		map[string]any{"href": b + "/" + collection + "/" + id, "rel": "bookmark"},
	}
}

// limitParam parses the limit query parameter (0 when absent).
func (c *call) limitParam() (int, *apiError) {
	l := c.query("limit")
	if l == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 0 {
		return 0, badRequest("Invalid input for query parameters limit. Value: " + l + ". '" + l + "' does not match '^[0-9]*$'")
	}
	return n, nil
}

// nextLink is the rel=next link of a Nova list page.
func (c *call) nextLink(collection, marker string, limit int) []any {
	v, _ := c.computeURL()
	q := c.r.URL.Query()
	q.Set("limit", strconv.Itoa(limit))
	q.Set("marker", marker)
	return []any{map[string]any{"href": v + "/" + collection + "?" + q.Encode(), "rel": "next"}}
}

func (s *Server) listAZs(c *call) (int, any, *apiError) {
	zones := []any{map[string]any{"zoneName": "nova", "zoneState": map[string]any{"available": true}, "hosts": nil}}
	if c.r.URL.Path == ComputePath+"/v2.1/os-availability-zone/detail" {
		if !c.isAdmin() {
			return 0, nil, forbidden("Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.")
		}
		zones = []any{map[string]any{"zoneName": "nova", "zoneState": map[string]any{"available": true},
			"hosts": map[string]any{"compute1": map[string]any{"nova-compute": map[string]any{
				"active": true, "available": true, "updated_at": isoTime(c.now())}}}}}
	}
	return http.StatusOK, map[string]any{"availabilityZoneInfo": zones}, nil
}

// usage returns the project's instances, cores and RAM in use.
func (st *state) usage(projectID string) (instances, cores, ram int) {
	for _, sv := range st.servers {
		if sv.ProjectID == projectID {
			instances++
			cores += sv.Flavor.VCPUs
			ram += sv.Flavor.RAM
		}
	}
	return
}

// projectByID returns a project.
func (st *state) projectByID(id string) *project {
	for _, p := range st.projects {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) getLimits(c *call) (int, any, *apiError) {
	p := c.tok.User.Project
	n, cores, ram := s.state.usage(p.ID)
	abs := map[string]any{
		"maxImageMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240, "maxServerMeta": 128,
		"maxTotalCores": p.Quota.Cores, "maxTotalInstances": p.Quota.Instances, "maxTotalKeypairs": 100,
		"maxTotalRAMSize": p.Quota.RAM, "maxServerGroups": 10, "maxServerGroupMembers": 10,
		"totalCoresUsed": cores, "totalInstancesUsed": n, "totalRAMUsed": ram, "totalServerGroupsUsed": 0,
	}
	if !c.mv.atLeast(2, 36) {
		for k, v := range map[string]any{"maxTotalFloatingIps": -1, "maxSecurityGroups": -1, "maxSecurityGroupRules": -1,
			"totalSecurityGroupsUsed": 0, "totalFloatingIpsUsed": 0} {
			abs[k] = v
		}
	}
	if c.mv.atLeast(2, 57) {
		delete(abs, "maxPersonality")
		delete(abs, "maxPersonalitySize")
	}
	return http.StatusOK, map[string]any{"limits": map[string]any{"absolute": abs, "rate": []any{}}}, nil
}

func (s *Server) getQuotaSet(c *call) (int, any, *apiError) {
	p := s.state.projectByID(c.r.PathValue("project"))
	if p == nil {
		p = c.tok.User.Project
	}
	if p != c.tok.User.Project && !c.isAdmin() {
		return 0, nil, forbidden("Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.")
	}
	n, cores, ram := s.state.usage(p.ID)
	q := map[string]any{"id": p.ID, "instances": p.Quota.Instances, "cores": p.Quota.Cores, "ram": p.Quota.RAM,
		"key_pairs": 100, "metadata_items": 128, "server_groups": 10, "server_group_members": 10}
	if c.r.URL.Path != ComputePath+"/v2.1/os-quota-sets/"+c.r.PathValue("project") {
		for k, used := range map[string]int{"instances": n, "cores": cores, "ram": ram} {
			q[k] = map[string]any{"limit": q[k], "in_use": used, "reserved": 0}
		}
	}
	return http.StatusOK, map[string]any{"quota_set": q}, nil
}

func (s *Server) listExtensions(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"extensions": []any{}}, nil
}
