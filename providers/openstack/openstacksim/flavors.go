package openstacksim

import (
	"net/http"
	"sort"
	"strconv"
)

// flavor is a Nova flavor.
type flavor struct {
	ID, Name         string
	VCPUs, RAM, Disk int
	Ephemeral, Swap  int
	Public           bool
	Description      string
	ExtraSpecs       map[string]string
}

// seedFlavors are devstack's default flavors.
func seedFlavors() []*flavor {
	return []*flavor{
		{ID: "1", Name: "m1.tiny", VCPUs: 1, RAM: 512, Disk: 1, Public: true},
		{ID: "2", Name: "m1.small", VCPUs: 1, RAM: 2048, Disk: 20, Public: true},
		{ID: "3", Name: "m1.medium", VCPUs: 2, RAM: 4096, Disk: 40, Public: true},
		{ID: "4", Name: "m1.large", VCPUs: 4, RAM: 8192, Disk: 80, Public: true},
		{ID: "5", Name: "m1.xlarge", VCPUs: 8, RAM: 16384, Disk: 160, Public: true},
		{ID: "42", Name: "m1.nano", VCPUs: 1, RAM: 128, Disk: 1, Public: true},
		{ID: "84", Name: "m1.micro", VCPUs: 1, RAM: 192, Disk: 1, Public: true},
	}
}

// flavorBody renders a flavor as flavors/…/flavor-get-resp for c's microversion.
func (c *call) flavorBody(f *flavor, detail bool) map[string]any {
	b := map[string]any{"id": f.ID, "name": f.Name, "links": c.links("flavors", f.ID)}
	if c.mv.atLeast(2, 55) {
		b["description"] = nullable(f.Description)
	}
	if !detail {
		return b
	}
	var swap any = ""
	if f.Swap > 0 || c.mv.atLeast(2, 75) {
		swap = f.Swap
	}
	b["vcpus"], b["ram"], b["disk"], b["swap"] = f.VCPUs, f.RAM, f.Disk, swap
	b["OS-FLV-EXT-DATA:ephemeral"], b["OS-FLV-DISABLED:disabled"] = f.Ephemeral, false
	b["os-flavor-access:is_public"], b["rxtx_factor"] = f.Public, 1.0
	if c.mv.atLeast(2, 61) {
		b["extra_specs"] = extraSpecs(f)
	}
	return b
}

func extraSpecs(f *flavor) map[string]string {
	if f.ExtraSpecs == nil {
		return map[string]string{}
	}
	return f.ExtraSpecs
}

// flavorByID finds a flavor.
func (st *state) flavorByID(id string) *flavor {
	for _, f := range st.flavors {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func (s *Server) listFlavors(c *call) (int, any, *apiError) {
	detail := c.r.URL.Path == ComputePath+"/v2.1/flavors/detail"
	limit, e := c.limitParam()
	if e != nil {
		return 0, nil, e
	}
	fl := append([]*flavor(nil), s.state.flavors...)
	// Nova sorts flavors by flavorid ascending by default.
	sort.SliceStable(fl, func(i, j int) bool { return fl[i].ID < fl[j].ID })
	if v := c.query("minRam"); v != "" {
		n, _ := strconv.Atoi(v)
		fl = filter(fl, func(f *flavor) bool { return f.RAM >= n })
	}
	if v := c.query("minDisk"); v != "" {
		n, _ := strconv.Atoi(v)
		fl = filter(fl, func(f *flavor) bool { return f.Disk >= n })
	}
	page, more, ok := paginate(fl, func(f *flavor) string { return f.ID }, c.query("marker"), limit)
	if !ok {
		return 0, nil, badRequest("marker [" + c.query("marker") + "] not found")
	}
	out := []any{}
	for _, f := range page {
		out = append(out, c.flavorBody(f, detail))
	}
	body := map[string]any{"flavors": out}
	if more {
		body["flavors_links"] = c.nextLink("flavors", page[len(page)-1].ID, limit)
	}
	return http.StatusOK, body, nil
}

func (s *Server) getFlavor(c *call) (int, any, *apiError) {
	f := s.state.flavorByID(c.r.PathValue("id"))
	if f == nil {
		return 0, nil, notFound("Flavor " + c.r.PathValue("id") + " could not be found.")
	}
	return http.StatusOK, map[string]any{"flavor": c.flavorBody(f, true)}, nil
}

func (s *Server) flavorExtraSpecs(c *call) (int, any, *apiError) {
	f := s.state.flavorByID(c.r.PathValue("id"))
	if f == nil {
		return 0, nil, notFound("Flavor " + c.r.PathValue("id") + " could not be found.")
	}
	return http.StatusOK, map[string]any{"extra_specs": extraSpecs(f)}, nil
}

// filter returns the items keep accepts.
func filter[T any](items []T, keep func(T) bool) []T {
	var out []T
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}
