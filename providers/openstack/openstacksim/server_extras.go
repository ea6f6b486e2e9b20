package openstacksim

import (
	"fmt"
	"net/http"
)

// serverFor looks up the path's server.
func (c *call) serverFor() (*server, *apiError) { return c.server(c.r.PathValue("id")) }

func (s *Server) listServerMetadata(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"metadata": orEmpty(sv.Metadata)}, nil
}

// setMetadata merges (or replaces) server metadata.
func (c *call) setMetadata(replace bool) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		Metadata map[string]string `json:"metadata"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.Metadata == nil {
		return 0, nil, badRequest("Invalid input for field/attribute metadata. 'metadata' is a required property")
	}
	if replace || sv.Metadata == nil {
		sv.Metadata = map[string]string{}
	}
	for k, v := range req.Metadata {
		sv.Metadata[k] = v
	}
	if len(sv.Metadata) > 128 {
		return 0, nil, forbidden("Quota exceeded for metadata_items: Requested 1, but already used 128 of 128 metadata_items")
	}
	sv.Updated = c.now()
	return http.StatusOK, map[string]any{"metadata": sv.Metadata}, nil
}

func (s *Server) updateServerMetadata(c *call) (int, any, *apiError)  { return c.setMetadata(false) }
func (s *Server) replaceServerMetadata(c *call) (int, any, *apiError) { return c.setMetadata(true) }

func (s *Server) getServerMetadataItem(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	k := c.r.PathValue("key")
	v, ok := sv.Metadata[k]
	if !ok {
		return 0, nil, notFound("Metadata item was not found")
	}
	return http.StatusOK, map[string]any{"meta": map[string]string{k: v}}, nil
}

func (s *Server) setServerMetadataItem(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		Meta map[string]string `json:"meta"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	k := c.r.PathValue("key")
	v, ok := req.Meta[k]
	if !ok || len(req.Meta) != 1 {
		return 0, nil, badRequest("Request body and URI mismatch")
	}
	if sv.Metadata == nil {
		sv.Metadata = map[string]string{}
	}
	sv.Metadata[k] = v
	return http.StatusOK, map[string]any{"meta": map[string]string{k: v}}, nil
}

func (s *Server) deleteServerMetadataItem(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	k := c.r.PathValue("key")
	if _, ok := sv.Metadata[k]; !ok {
		return 0, nil, notFound("Metadata item was not found")
	}
	delete(sv.Metadata, k)
	return http.StatusNoContent, nil, nil
}

// tagsServer checks the 2.26 microversion and finds the server.
func (c *call) tagsServer() (*server, *apiError) {
	if !c.mv.atLeast(2, 26) {
		return nil, notFound("The resource could not be found.")
	}
	return c.serverFor()
}

func (s *Server) listServerTags(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"tags": orEmptyList(sv.Tags)}, nil
}

func (s *Server) replaceServerTags(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		Tags []string `json:"tags"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if len(req.Tags) > 50 {
		return 0, nil, badRequest("Invalid input for field/attribute tags. Too many tags (max 50)")
	}
	sv.Tags = req.Tags
	return http.StatusOK, map[string]any{"tags": orEmptyList(sv.Tags)}, nil
}

func (s *Server) deleteServerTags(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	sv.Tags = nil
	return http.StatusNoContent, nil, nil
}

func (s *Server) checkServerTag(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	if !contains(sv.Tags, c.r.PathValue("tag")) {
		return 0, nil, notFound(fmt.Sprintf("Tag '%s' could not be found.", c.r.PathValue("tag")))
	}
	return http.StatusNoContent, nil, nil
}

func (s *Server) addServerTag(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	t := c.r.PathValue("tag")
	if contains(sv.Tags, t) {
		return http.StatusNoContent, nil, nil
	}
	if len(sv.Tags) >= 50 {
		return 0, nil, badRequest("The number of tags exceeded the per-server limit 50")
	}
	sv.Tags = append(sv.Tags, t)
	v, _ := c.computeURL()
	c.hdr.Set("Location", v+"/servers/"+sv.ID+"/tags/"+t)
	return http.StatusCreated, nil, nil
}

func (s *Server) deleteServerTag(c *call) (int, any, *apiError) {
	sv, e := c.tagsServer()
	if e != nil {
		return 0, nil, e
	}
	t := c.r.PathValue("tag")
	if !contains(sv.Tags, t) {
		return 0, nil, notFound(fmt.Sprintf("Tag '%s' could not be found.", t))
	}
	sv.Tags = filter(sv.Tags, func(x string) bool { return x != t })
	return http.StatusNoContent, nil, nil
}

// attachmentBody renders os-volume_attachments entries.
func (c *call) attachmentBody(v *volume, a attachment) map[string]any {
	b := map[string]any{"device": a.Device, "serverId": a.ServerID, "volumeId": v.ID}
	if !c.mv.atLeast(2, 89) {
		b["id"] = v.ID
	}
	if c.mv.atLeast(2, 70) {
		b["tag"] = nil
	}
	if c.mv.atLeast(2, 79) {
		b["delete_on_termination"] = false
	}
	if c.mv.atLeast(2, 89) {
		b["attachment_id"], b["bdm_uuid"] = a.ID, a.ID
	}
	return b
}

func (s *Server) listVolumeAttachments(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	out := []any{}
	for _, v := range s.state.volumes {
		for _, a := range v.Attachments {
			if a.ServerID == sv.ID {
				out = append(out, c.attachmentBody(v, a))
			}
		}
	}
	return http.StatusOK, map[string]any{"volumeAttachments": out}, nil
}

func (s *Server) getVolumeAttachment(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	for _, v := range s.state.volumes {
		if v.ID == c.r.PathValue("vol") {
			for _, a := range v.Attachments {
				if a.ServerID == sv.ID {
					return http.StatusOK, map[string]any{"volumeAttachment": c.attachmentBody(v, a)}, nil
				}
			}
		}
	}
	return 0, nil, notFound("Volume " + c.r.PathValue("vol") + " is not attached to the instance " + sv.ID + ".")
}

func (s *Server) attachVolume(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		VA *struct {
			VolumeID string `json:"volumeId"`
			Device   string `json:"device"`
		} `json:"volumeAttachment"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.VA == nil || req.VA.VolumeID == "" {
		return 0, nil, badRequest("Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property")
	}
	if e := checkState(sv, "attach_volume", "active", "stopped", "paused", "suspended", "shelved", "shelved_offloaded"); e != nil {
		return 0, nil, e
	}
	v, e := c.volume(req.VA.VolumeID)
	if e != nil {
		return 0, nil, e
	}
	if v.Status != "available" {
		return 0, nil, badRequest("Invalid volume: volume " + v.ID + " status must be 'available'. Currently in '" + v.Status + "'")
	}
	n := 0
	for _, x := range s.state.volumes {
		for _, a := range x.Attachments {
			if a.ServerID == sv.ID {
				n++
			}
		}
	}
	dev := req.VA.Device
	if dev == "" {
		dev = fmt.Sprintf("/dev/vd%c", 'b'+n)
	}
	a := attachment{ID: newUUID(), ServerID: sv.ID, Device: dev, At: c.now()}
	v.Status, v.Attachments, v.Updated = "attaching", []attachment{a}, c.now()
	s.state.schedule(func() {
		if v.Status == "attaching" {
			v.Status, v.Updated = "in-use", s.now()
		}
	})
	return http.StatusOK, map[string]any{"volumeAttachment": c.attachmentBody(v, a)}, nil
}

func (s *Server) detachVolume(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	for _, v := range s.state.volumes {
		if v.ID != c.r.PathValue("vol") || len(v.Attachments) == 0 || v.Attachments[0].ServerID != sv.ID {
			continue
		}
		if v.Status != "in-use" {
			return 0, nil, badRequest("Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.")
		}
		v.Status, v.Updated = "detaching", c.now()
		s.state.schedule(func() {
			if v.Status == "detaching" {
				v.Status, v.Attachments, v.Updated = "available", nil, s.now()
			}
		})
		return http.StatusAccepted, nil, nil
	}
	return 0, nil, notFound("Volume " + c.r.PathValue("vol") + " is not attached to the instance " + sv.ID + ".")
}

func (s *Server) createConsole(c *call) (int, any, *apiError) {
	if !c.mv.atLeast(2, 6) {
		return 0, nil, notFound("The resource could not be found.")
	}
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	var req struct {
		RC struct {
			Protocol string `json:"protocol"`
			Type     string `json:"type"`
		} `json:"remote_console"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	paths := map[string]string{"vnc": ":6080/vnc_auto.html", "spice": ":6082/spice_auto.html", "serial": ":6083/",
		"rdp": ":6084/", "mks": ":6090/"}
	suffix, ok := paths[req.RC.Protocol]
	if !ok {
		return 0, nil, badRequest("Invalid input for field/attribute protocol. Value: " + req.RC.Protocol + ".")
	}
	if sv.VMState != "active" {
		return 0, nil, conflict("Instance " + sv.ID + " is not ready")
	}
	host := c.r.Host
	if h, _, found := cutLast(host, ":"); found {
		host = h
	}
	scheme := "http"
	if req.RC.Protocol == "serial" {
		scheme = "ws"
	}
	return http.StatusOK, map[string]any{"remote_console": map[string]any{"protocol": req.RC.Protocol,
		"type": req.RC.Type, "url": scheme + "://" + host + suffix + "?path=%3Ftoken%3D" + newUUID()}}, nil
}

// cutLast splits s around its last sep.
func cutLast(s, sep string) (string, string, bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

func (s *Server) listInterfaces(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	out := []any{}
	for _, p := range s.state.ports {
		if p.DeviceID == sv.ID {
			out = append(out, map[string]any{"port_id": p.ID, "net_id": p.NetworkID, "mac_addr": p.MAC,
				"port_state": "ACTIVE", "fixed_ips": p.FixedIPs})
		}
	}
	return http.StatusOK, map[string]any{"interfaceAttachments": out}, nil
}

func (s *Server) listAddresses(c *call) (int, any, *apiError) {
	sv, e := c.serverFor()
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"addresses": s.state.addresses(sv.ID)}, nil
}
