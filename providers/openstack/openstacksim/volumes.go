package openstacksim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// volume is a Cinder volume.
type volume struct {
	ID, Name, Description, Status, ProjectID, UserID string
	Size                                             int
	Attachments                                      []attachment
	Metadata                                         map[string]string
	Created, Updated                                 time.Time
}

// attachment is a volume's attachment to a server.
type attachment struct {
	ID, ServerID, Device string
	At                   time.Time
}

// snapshot is a Cinder snapshot.
type snapshot struct {
	ID, Name, Description, VolumeID, Status, ProjectID string
	Size                                               int
	Created, Updated                                   time.Time
}

func (s *Server) volumeRoutes() []route {
	p := "/v3/{project}"
	return []route{
		{pattern: "GET ", op: "volume:Versions", h: s.volumeVersions, noAuth: true},
		{pattern: "GET /v3", op: "volume:Version", h: s.volumeVersions, noAuth: true},
		{pattern: "GET " + p + "/volumes", op: "volume:ListVolumes", h: s.listVolumes},
		{pattern: "GET " + p + "/volumes/detail", op: "volume:ListVolumesDetail", h: s.listVolumes},
		{pattern: "POST " + p + "/volumes", op: "volume:CreateVolume", h: s.createVolume},
		{pattern: "GET " + p + "/volumes/{id}", op: "volume:GetVolume", h: s.getVolume},
		{pattern: "DELETE " + p + "/volumes/{id}", op: "volume:DeleteVolume", h: s.deleteVolume},
		{pattern: "POST " + p + "/volumes/{id}/action", op: "volume:VolumeAction", h: s.volumeAction},
		{pattern: "GET " + p + "/snapshots", op: "volume:ListSnapshots", h: s.listSnapshots},
		{pattern: "GET " + p + "/snapshots/detail", op: "volume:ListSnapshotsDetail", h: s.listSnapshots},
		{pattern: "POST " + p + "/snapshots", op: "volume:CreateSnapshot", h: s.createSnapshot},
		{pattern: "GET " + p + "/snapshots/{id}", op: "volume:GetSnapshot", h: s.getSnapshot},
		{pattern: "DELETE " + p + "/snapshots/{id}", op: "volume:DeleteSnapshot", h: s.deleteSnapshot},
		{pattern: "GET " + p + "/types", op: "volume:ListTypes", h: s.listVolumeTypes},
	}
}

func (s *Server) volumeVersions(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"versions": []any{map[string]any{"id": "v3.0", "status": "CURRENT",
		"version": MaxVolumeMicroversion, "min_version": "3.0", "updated": "2023-01-01T00:00:00Z",
		"links":       []any{map[string]any{"href": s.baseURL(c.r) + VolumePath + "/v3/", "rel": "self"}},
		"media-types": []any{map[string]any{"base": "application/json", "type": "application/vnd.openstack.volume+json;version=3"}}}}}, nil
}

func (c *call) volumeLinks(coll, id string) []any {
	u := c.s.baseURL(c.r) + VolumePath + "/v3/" + c.projectID() + "/" + coll + "/" + id
	return []any{map[string]any{"href": u, "rel": "self"}, map[string]any{"href": u, "rel": "bookmark"}}
}

func (c *call) volumeBody(v *volume, detail bool) map[string]any {
	b := map[string]any{"id": v.ID, "name": nullable(v.Name), "links": c.volumeLinks("volumes", v.ID)}
	if !detail {
		return b
	}
	atts := []any{}
	for _, a := range v.Attachments {
		atts = append(atts, map[string]any{"id": v.ID, "attachment_id": a.ID, "volume_id": v.ID, "server_id": a.ServerID,
			"device": a.Device, "host_name": nil, "attached_at": microTime(a.At)})
	}
	b["status"], b["size"], b["description"], b["availability_zone"] = v.Status, v.Size, nullable(v.Description), "nova"
	b["attachments"], b["metadata"], b["volume_type"], b["bootable"] = atts, orEmpty(v.Metadata), "lvmdriver-1", "false"
	b["encrypted"], b["multiattach"], b["snapshot_id"], b["source_volid"] = false, false, nil, nil
	b["created_at"], b["updated_at"], b["user_id"] = microTime(v.Created), microTime(v.Updated), v.UserID
	b["os-vol-tenant-attr:tenant_id"], b["replication_status"], b["consistencygroup_id"] = v.ProjectID, nil, nil
	if c.mv.atLeast(3, 63) {
		b["volume_type_id"] = "lvmdriver-1-id"
	}
	return b
}

func (c *call) volume(id string) (*volume, *apiError) {
	for _, v := range c.s.state.volumes {
		if v.ID == id && (v.ProjectID == c.projectID() || c.isAdmin()) {
			return v, nil
		}
	}
	return nil, notFound("Volume " + id + " could not be found.")
}

func (s *Server) listVolumes(c *call) (int, any, *apiError) {
	detail := strings.HasSuffix(c.r.URL.Path, "/detail")
	limit, e := c.limitParam()
	if e != nil {
		return 0, nil, e
	}
	q := c.r.URL.Query()
	var list []*volume
	for i := len(s.state.volumes) - 1; i >= 0; i-- {
		v := s.state.volumes[i]
		if v.ProjectID != c.projectID() && !(c.isAdmin() && q.Get("all_tenants") != "") {
			continue
		}
		if (q.Get("name") != "" && v.Name != q.Get("name")) || (q.Get("status") != "" && v.Status != q.Get("status")) {
			continue
		}
		list = append(list, v)
	}
	page, more, ok := paginate(list, func(v *volume) string { return v.ID }, q.Get("marker"), limit)
	if !ok {
		return 0, nil, notFound("Marker " + q.Get("marker") + " could not be found.")
	}
	out := []any{}
	for _, v := range page {
		out = append(out, c.volumeBody(v, detail))
	}
	body := map[string]any{"volumes": out}
	if more {
		nq := c.r.URL.Query()
		nq.Set("marker", page[len(page)-1].ID)
		body["volumes_links"] = []any{map[string]any{"rel": "next", "href": c.s.baseURL(c.r) + c.r.URL.Path + "?" + nq.Encode()}}
	}
	return http.StatusOK, body, nil
}

func (s *Server) createVolume(c *call) (int, any, *apiError) {
	var req struct {
		Volume *struct {
			Name        string            `json:"name"`
			Description string            `json:"description"`
			Size        int               `json:"size"`
			Metadata    map[string]string `json:"metadata"`
			SnapshotID  string            `json:"snapshot_id"`
		} `json:"volume"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.Volume == nil {
		return 0, nil, badRequest("Missing required element 'volume' in request body.")
	}
	rv := req.Volume
	if rv.SnapshotID != "" {
		sn, e := c.snapshot(rv.SnapshotID)
		if e != nil {
			return 0, nil, e
		}
		if rv.Size == 0 {
			rv.Size = sn.Size
		}
	}
	if rv.Size <= 0 {
		return 0, nil, badRequest(fmt.Sprintf("Invalid input for field/attribute size. Value: %d. %d is less than the minimum of 1", rv.Size, rv.Size))
	}
	now := c.now()
	v := &volume{ID: newUUID(), Name: rv.Name, Description: rv.Description, Size: rv.Size, Status: "creating",
		ProjectID: c.projectID(), UserID: c.tok.User.ID, Metadata: rv.Metadata, Created: now, Updated: now}
	s.state.volumes = append(s.state.volumes, v)
	s.state.schedule(func() {
		if v.Status == "creating" {
			v.Status, v.Updated = "available", s.now()
		}
	})
	return http.StatusAccepted, map[string]any{"volume": c.volumeBody(v, true)}, nil
}

func (s *Server) getVolume(c *call) (int, any, *apiError) {
	v, e := c.volume(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"volume": c.volumeBody(v, true)}, nil
}

func (s *Server) deleteVolume(c *call) (int, any, *apiError) {
	v, e := c.volume(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	if v.Status != "available" && v.Status != "error" && v.Status != "error_restoring" && v.Status != "error_extending" {
		return 0, nil, badRequest("Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.")
	}
	for _, sn := range s.state.snapshots {
		if sn.VolumeID == v.ID {
			return 0, nil, badRequest("Invalid volume: Volume " + v.ID + " still has dependent snapshots.")
		}
	}
	v.Status, v.Updated = "deleting", c.now()
	s.state.schedule(func() { s.state.volumes = filter(s.state.volumes, func(x *volume) bool { return x != v }) })
	return http.StatusAccepted, nil, nil
}

func (s *Server) volumeAction(c *call) (int, any, *apiError) {
	v, e := c.volume(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	data, _ := io.ReadAll(c.r.Body)
	var req map[string]json.RawMessage
	if json.Unmarshal(data, &req) != nil || len(req) != 1 {
		return 0, nil, badRequest("Malformed request body")
	}
	if arg, ok := req["os-extend"]; ok {
		var a struct {
			NewSize int `json:"new_size"`
		}
		_ = json.Unmarshal(arg, &a)
		inUseOK := c.mv.atLeast(3, 42)
		if v.Status != "available" && !(inUseOK && v.Status == "in-use") {
			return 0, nil, badRequest("Invalid volume: Volume status must be available to extend. (" + v.Status + ")")
		}
		if a.NewSize <= v.Size {
			return 0, nil, badRequest(fmt.Sprintf("Invalid input received: New size for extend must be greater than current size. (current: %d, extended: %d).", v.Size, a.NewSize))
		}
		prev := v.Status
		v.Status, v.Updated = "extending", c.now()
		s.state.schedule(func() { v.Size, v.Status, v.Updated = a.NewSize, prev, s.now() })
		return http.StatusAccepted, nil, nil
	}
	if _, ok := req["os-reset_status"]; ok && c.isAdmin() {
		v.Status = "available"
		return http.StatusAccepted, nil, nil
	}
	return 0, nil, badRequest("There is no such action: " + string(data))
}

func (c *call) snapshotBody(sn *snapshot, detail bool) map[string]any {
	return map[string]any{"id": sn.ID, "name": nullable(sn.Name), "description": nullable(sn.Description),
		"volume_id": sn.VolumeID, "status": sn.Status, "size": sn.Size, "created_at": microTime(sn.Created),
		"updated_at": microTime(sn.Updated), "metadata": map[string]string{},
		"os-extended-snapshot-attributes:project_id": sn.ProjectID, "os-extended-snapshot-attributes:progress": "100%"}
}

func (c *call) snapshot(id string) (*snapshot, *apiError) {
	for _, sn := range c.s.state.snapshots {
		if sn.ID == id && (sn.ProjectID == c.projectID() || c.isAdmin()) {
			return sn, nil
		}
	}
	return nil, notFound("Snapshot " + id + " could not be found.")
}

func (s *Server) listSnapshots(c *call) (int, any, *apiError) {
	out := []any{}
	for i := len(s.state.snapshots) - 1; i >= 0; i-- {
		sn := s.state.snapshots[i]
		if sn.ProjectID == c.projectID() && (c.query("volume_id") == "" || c.query("volume_id") == sn.VolumeID) {
			out = append(out, c.snapshotBody(sn, true))
		}
	}
	return http.StatusOK, map[string]any{"snapshots": out}, nil
}

func (s *Server) createSnapshot(c *call) (int, any, *apiError) {
	var req struct {
		Snapshot *struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			VolumeID    string `json:"volume_id"`
			Force       any    `json:"force"`
		} `json:"snapshot"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.Snapshot == nil {
		return 0, nil, badRequest("Missing required element 'snapshot' in request body.")
	}
	v, e := c.volume(req.Snapshot.VolumeID)
	if e != nil {
		return 0, nil, e
	}
	force := fmt.Sprint(req.Snapshot.Force) == "true"
	if v.Status != "available" && !(force && v.Status == "in-use") {
		return 0, nil, badRequest("Invalid volume: Volume " + v.ID + " status must be available, but current status is: " + v.Status + ".")
	}
	now := c.now()
	sn := &snapshot{ID: newUUID(), Name: req.Snapshot.Name, Description: req.Snapshot.Description, VolumeID: v.ID,
		Status: "creating", ProjectID: v.ProjectID, Size: v.Size, Created: now, Updated: now}
	s.state.snapshots = append(s.state.snapshots, sn)
	s.state.schedule(func() { sn.Status, sn.Updated = "available", s.now() })
	return http.StatusAccepted, map[string]any{"snapshot": c.snapshotBody(sn, true)}, nil
}

func (s *Server) getSnapshot(c *call) (int, any, *apiError) {
	sn, e := c.snapshot(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, map[string]any{"snapshot": c.snapshotBody(sn, true)}, nil
}

func (s *Server) deleteSnapshot(c *call) (int, any, *apiError) {
	sn, e := c.snapshot(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	if sn.Status != "available" && sn.Status != "error" {
		return 0, nil, badRequest("Invalid snapshot: Snapshot status must be available or error and must not be part of a group.")
	}
	sn.Status = "deleting"
	s.state.schedule(func() { s.state.snapshots = filter(s.state.snapshots, func(x *snapshot) bool { return x != sn }) })
	return http.StatusAccepted, nil, nil
}

func (s *Server) listVolumeTypes(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"volume_types": []any{map[string]any{"id": "lvmdriver-1-id", "name": "lvmdriver-1",
		"is_public": true, "extra_specs": map[string]string{}, "description": nil}}}, nil
}
