package cloudstacksim

import "strings"

// maxPageSize is default.page.size, the largest page BaseListCmd serves and
// the page size of a request without paging.
const maxPageSize = 500

// page is the window of a list answer; size < 0 means unlimited.
type page struct {
	start int
	size  int
}

// isListCmd reports whether the command pages as a BaseListCmd.
func isListCmd(spec *APICommand) bool { return spec.Param("pagesize") != nil }

// checkPaging validates page and pagesize as ApiDispatcher and BaseListCmd
// do and sets c.page. Commands without paging get an unlimited window.
func (c *call) checkPaging() error {
	c.page = page{start: 0, size: -1}
	if !isListCmd(c.spec) {
		return nil
	}
	sizeText := strings.TrimSpace(c.params["pagesize"])
	pageText := strings.TrimSpace(c.params["page"])
	size := int(c.integer("pagesize", 0))
	switch {
	case sizeText == "" && pageText != "":
		return paramError(textPageNeedsSize)
	case sizeText != "" && size != -1 && pageText == "":
		return paramError(textPageNeedsSize)
	case sizeText != "" && size != -1 && size > maxPageSize:
		return invalidParam("Page size can't exceed max allowed page size value: %d", maxPageSize)
	case size == -1 && pageText != "":
		return invalidParam("Can't specify page parameter when pagesize is -1 (Unlimited)")
	}
	c.page.size = maxPageSize
	if sizeText != "" {
		c.page.size = size
	}
	if n := int(c.integer("page", 0)); n > 1 && c.page.size > 0 {
		c.page.start = c.page.size * (n - 1)
	}
	return nil
}

// inPage reports whether the match with zero-based index i is in the window.
func (p page) inPage(i int) bool {
	return i >= p.start && (p.size < 0 || i < p.start+p.size)
}

// listItems filters items (in their order), counts every match and renders
// only the matches inside the requested page, so a page of a large inventory
// costs one pass of keep plus one view per returned row.
func listItems[T any](c *call, key string, items []T, keep func(T) bool, view func(T) any) listReply {
	total := 0
	var out []any
	for _, it := range items {
		if keep != nil && !keep(it) {
			continue
		}
		if c.page.inPage(total) {
			out = append(out, view(it))
		}
		total++
	}
	return listReply{key: key, count: total, items: out}
}

// keywordMatch reports whether any of the fields contains the keyword
// (case-insensitively), as the server's "keyword LIKE %k%" filters do.
func keywordMatch(keyword string, fields ...string) bool {
	k := strings.ToLower(keyword)
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), k) {
			return true
		}
	}
	return false
}

// listFilter holds what the list commands of owned resources filter on
// alike: the caller's scope and the resource named by the id parameter.
type listFilter[T entity] struct {
	sc    *listScope
	id    T
	hasID bool
}

// newListFilter reads the id parameter of a list command and computes the
// caller's scope (see call.scope).
func newListFilter[T entity](c *call) (listFilter[T], error) {
	id, hasID := refAs[T](c, "id")
	sc, err := c.scope(hasID)
	if err != nil {
		return listFilter[T]{}, err
	}
	return listFilter[T]{sc: sc, id: id, hasID: hasID}, nil
}

// notID reports whether the command names a resource by id and e is not it
// (compared by id: some rows, such as routers of networks, are built for
// the answer).
func (f listFilter[T]) notID(e T) bool { return f.hasID && e.meta().id != f.id.meta().id }

// drops reports whether e, owned by owner, is outside the scope or not the
// resource named by id.
func (f listFilter[T]) drops(e T, owner *account) bool { return !f.sc.allows(owner) || f.notID(e) }

// displayMisses reports whether the command filters on fordisplay and
// display does not match.
func (c *call) displayMisses(display bool) bool {
	return c.has("fordisplay") && display != c.boolean("fordisplay", true)
}
