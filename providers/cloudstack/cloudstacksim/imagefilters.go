package cloudstacksim

import "strings"

// Template and ISO lists share the server's TemplateFilter: listTemplates
// takes it as templatefilter, listIsos as isofilter.

// imageFilter reads and validates the filter parameter param (def when
// absent); kind names the list in the error ("template", "iso").
func (c *call) imageFilter(param, def, kind string) (string, error) {
	filter := strings.ToLower(or(c.str0(param), def))
	switch filter {
	case "featured", "self", "selfexecutable", "sharedexecutable", "executable", "community", "all":
	default:
		return "", invalidParam("Please specify a valid %s filter", kind)
	}
	if filter == "all" && !c.caller.isRootAdmin() {
		return "", invalidParam("Filter all can be specified by admin only")
	}
	return filter, nil
}

// filterKeeps reports whether filter keeps t; mine says whether t belongs
// to the accounts the request's scope allows.
func filterKeeps(filter string, t *template, mine bool) bool {
	switch filter {
	case "featured":
		return t.public && t.featured
	case "community":
		return t.public && !t.featured
	case "self":
		return mine
	case "selfexecutable":
		return mine && t.ready
	case "sharedexecutable":
		return false
	case "executable":
		return (t.public || mine) && t.ready
	}
	return true // all
}

// imageRows returns the list rows of a template or ISO: one per zone it is
// in (only z when not nil).
func (c *call) imageRows(t *template, z *zone) []templateRow {
	var rows []templateRow
	for _, zz := range c.st.zones.list {
		if t.inZone(zz) && (z == nil || zz == z) {
			rows = append(rows, templateRow{t, zz})
		}
	}
	return rows
}
