package openstacksim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// image is a Glance image.
type image struct {
	ID, Name, Status, Visibility, Owner string
	DiskFormat, ContainerFormat         string
	Size                                int64
	MinDisk, MinRAM                     int
	Created, Updated                    time.Time
	Tags                                []string
	Props                               map[string]string
}

func (s *Server) imageRoutes() []route {
	return []route{
		{pattern: "GET ", op: "image:Versions", h: s.imageVersions, noAuth: true},
		{pattern: "GET /versions", op: "image:Versions", h: s.imageVersions, noAuth: true},
		{pattern: "GET /v2/images", op: "image:ListImages", h: s.listImages},
		{pattern: "GET /v2/images/{id}", op: "image:GetImage", h: s.getImage},
		{pattern: "DELETE /v2/images/{id}", op: "image:DeleteImage", h: s.deleteImage},
		{pattern: "GET /v2/schemas/image", op: "image:GetSchema", h: s.imageSchema},
	}
}

func (s *Server) imageVersions(c *call) (int, any, *apiError) {
	var vs []any
	for i, v := range []string{"2.9", "2.8", "2.7", "2.6", "2.5", "2.4", "2.3", "2.2", "2.1", "2.0"} {
		status := "SUPPORTED"
		if i == 0 {
			status = "CURRENT"
		}
		vs = append(vs, map[string]any{"id": "v" + v, "status": status,
			"links": []any{map[string]any{"rel": "self", "href": s.baseURL(c.r) + ImagePath + "/v2/"}}})
	}
	return http.StatusOK, map[string]any{"versions": vs}, nil
}

func (st *state) imageByID(id string) *image {
	for _, im := range st.images {
		if im.ID == id {
			return im
		}
	}
	return nil
}

// visibleImage reports whether c's project sees im.
func (c *call) visibleImage(im *image) bool {
	return im.Visibility == "public" || im.Visibility == "community" || im.Visibility == "shared" ||
		im.Owner == c.projectID() || c.isAdmin()
}

// imageBody renders an image as Glance v2 does.
func (c *call) imageBody(im *image) map[string]any {
	var size any
	if im.Status == "active" {
		size = im.Size
	}
	b := map[string]any{"id": im.ID, "name": nullable(im.Name), "status": im.Status, "visibility": im.Visibility,
		"owner": im.Owner, "disk_format": nullable(im.DiskFormat), "container_format": nullable(im.ContainerFormat),
		"size": size, "virtual_size": nil, "min_disk": im.MinDisk, "min_ram": im.MinRAM, "protected": false,
		"os_hidden": false, "checksum": nil, "os_hash_algo": nil, "os_hash_value": nil, "tags": orEmptyList(im.Tags),
		"created_at": isoTime(im.Created), "updated_at": isoTime(im.Updated),
		"self": "/v2/images/" + im.ID, "file": "/v2/images/" + im.ID + "/file", "schema": "/v2/schemas/image"}
	for k, v := range im.Props {
		b[k] = v
	}
	return b
}

func (s *Server) listImages(c *call) (int, any, *apiError) {
	q := c.r.URL.Query()
	limit := 25
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, nil, badRequest("limit param must be an integer")
		}
		limit = min(n, 1000)
	}
	list := filter(s.state.images, c.visibleImage)
	for _, f := range []struct {
		param string
		get   func(*image) string
	}{{"name", func(im *image) string { return im.Name }}, {"status", func(im *image) string { return im.Status }},
		{"visibility", func(im *image) string { return im.Visibility }}, {"owner", func(im *image) string { return im.Owner }}} {
		v := q.Get(f.param)
		if v == "" || (f.param == "visibility" && v == "all") {
			continue
		}
		get := f.get
		list = filter(list, func(im *image) bool {
			return get(im) == v || (strings.HasPrefix(v, "in:") && contains(strings.Split(v[3:], ","), get(im)))
		})
	}
	if q.Get("status") == "" {
		list = filter(list, func(im *image) bool { return im.Status != "deleted" })
	}
	// Glance sorts by created_at desc, then id.
	rev := make([]*image, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		rev = append(rev, list[i])
	}
	page, more, ok := paginate(rev, func(im *image) string { return im.ID }, q.Get("marker"), limit)
	if !ok {
		return 0, nil, notFound("The marker " + q.Get("marker") + " could not be found.")
	}
	out := []any{}
	for _, im := range page {
		out = append(out, c.imageBody(im))
	}
	body := map[string]any{"images": out, "first": "/v2/images", "schema": "/v2/schemas/images"}
	if more {
		nq := c.r.URL.Query()
		nq.Set("marker", page[len(page)-1].ID)
		nq.Set("limit", strconv.Itoa(limit))
		body["next"] = "/v2/images?" + nq.Encode()
	}
	return http.StatusOK, body, nil
}

func (c *call) image(id string) (*image, *apiError) {
	im := c.s.state.imageByID(id)
	if im == nil || !c.visibleImage(im) {
		return nil, notFound("No image found with ID " + id)
	}
	return im, nil
}

func (s *Server) getImage(c *call) (int, any, *apiError) {
	im, e := c.image(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, c.imageBody(im), nil
}

func (s *Server) deleteImage(c *call) (int, any, *apiError) {
	im, e := c.image(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	if im.Owner != c.projectID() && !c.isAdmin() {
		return 0, nil, forbidden("You are not permitted to delete this image.")
	}
	s.state.images = filter(s.state.images, func(x *image) bool { return x != im })
	return http.StatusNoContent, nil, nil
}

func (s *Server) imageSchema(c *call) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"name": "image", "properties": map[string]any{
		"id": map[string]any{"type": "string"}, "name": map[string]any{"type": []string{"null", "string"}}},
		"additionalProperties": map[string]any{"type": "string"}}, nil
}

// snapshotImage records the image a server's createImage makes: queued,
// then saving, then active.
func (st *state) snapshotImage(c *call, sv *server, name string, meta map[string]string) *image {
	now := c.now()
	props := map[string]string{"image_type": "snapshot", "instance_uuid": sv.ID, "base_image_ref": sv.ImageID}
	for k, v := range meta {
		props[k] = v
	}
	im := &image{ID: newUUID(), Name: name, Status: "queued", Visibility: "private", Owner: sv.ProjectID,
		DiskFormat: "qcow2", ContainerFormat: "bare", Size: 21430272, MinDisk: sv.Flavor.Disk, Created: now, Updated: now, Props: props}
	st.images = append(st.images, im)
	st.schedule(func() {
		im.Status, im.Updated = "saving", st.s.now()
		st.schedule(func() { im.Status, im.Updated = "active", st.s.now() })
	})
	return im
}

// computeImageBody renders an image as Nova's deprecated images proxy does.
func (c *call) computeImageBody(im *image, detail bool) map[string]any {
	b := map[string]any{"id": im.ID, "name": im.Name, "links": c.links("images", im.ID)}
	if detail {
		status := map[string]string{"active": "ACTIVE", "queued": "SAVING", "saving": "SAVING"}[im.Status]
		if status == "" {
			status = "UNKNOWN"
		}
		b["status"], b["minDisk"], b["minRam"], b["progress"] = status, im.MinDisk, im.MinRAM, 100
		b["created"], b["updated"], b["metadata"] = isoTime(im.Created), isoTime(im.Updated), orEmpty(im.Props)
		b["OS-EXT-IMG-SIZE:size"] = im.Size
	}
	return b
}

func (s *Server) computeListImages(c *call) (int, any, *apiError) {
	if c.mv.atLeast(2, 36) {
		return 0, nil, notFound("The resource could not be found.")
	}
	detail := strings.HasSuffix(c.r.URL.Path, "/detail")
	out := []any{}
	for _, im := range filter(s.state.images, c.visibleImage) {
		out = append(out, c.computeImageBody(im, detail))
	}
	return http.StatusOK, map[string]any{"images": out}, nil
}

func (s *Server) computeGetImage(c *call) (int, any, *apiError) {
	if c.mv.atLeast(2, 36) {
		return 0, nil, notFound("The resource could not be found.")
	}
	im := s.state.imageByID(c.r.PathValue("id"))
	if im == nil || !c.visibleImage(im) {
		return 0, nil, notFound("Image not found.")
	}
	return http.StatusOK, map[string]any{"image": c.computeImageBody(im, true)}, nil
}
