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

// listImages is listTemplates and listIsos: kind is the answer's key and
// the list's name in errors, filterParam the filter parameter (def when
// absent). It lists images (each through current, when not nil, for its
// state at the time of the call), one row per zone, filtered by the
// filter, the scope, id, zoneid, name, keyword and tags, and dropping the
// images for which drops, the command's own filters, is true.
func (c *call) listImages(kind, filterParam, def string, images []*template,
	current func(*template) *template, drops func(*template) bool) (reply, error) {
	filter, err := c.imageFilter(filterParam, def, kind)
	if err != nil {
		return nil, err
	}
	lf, err := newListFilter[*template](c)
	if err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	name, hasName := c.str("name")
	keyword, hasKeyword := c.str("keyword")
	var rows []templateRow
	for _, t := range images {
		if current != nil {
			t = current(t)
		}
		rows = append(rows, c.imageRows(t, z)...)
	}
	keep := func(r templateRow) bool {
		t := r.t
		switch {
		case !filterKeeps(filter, t, lf.sc.allows(t.acct)),
			lf.notID(t),
			hasName && t.name != name,
			hasKeyword && !keywordMatch(keyword, t.name, t.displayText),
			drops(t),
			!c.matchTags(t.id):
			return false
		}
		return true
	}
	return listItems(c, kind, rows, keep, func(r templateRow) any { return c.viewTemplate(r.t, r.z) }), nil
}
