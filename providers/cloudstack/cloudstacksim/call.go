package cloudstacksim

import (
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// call is one command being executed: the caller, the unpacked and validated
// parameters, and the entities its uuid parameters name. Handlers read
// parameters through its accessors; they run with Server.mu held.
type call struct {
	s       *Server
	st      *state
	def     *cmdDef
	spec    *APICommand
	caller  *account
	user    *user
	method  string // GET or POST
	apiName string // the command name in error texts (response name minus "response")
	now     time.Time

	// params holds plain parameters by lower-case name.
	params map[string]string
	// maps holds map parameters (name[i].field=value): name -> index -> field -> value.
	maps map[string]map[int]map[string]string
	// refs and listRefs hold the entities named by uuid and uuid-list parameters.
	refs     map[string]entity
	listRefs map[string][]entity
	// page is the validated paging of a list command.
	page page
}

// unpack lower-cases parameter names and gathers name[i].field parameters
// into maps, as ParamUnpackWorker does (430 on malformed map syntax).
func (c *call) unpack(raw map[string]string) error {
	c.params = make(map[string]string, len(raw))
	for key, val := range raw {
		open, lastOpen := strings.IndexByte(key, '['), strings.LastIndexByte(key, '[')
		if open != lastOpen {
			return malformedMap(key)
		}
		if open <= 0 {
			c.params[strings.ToLower(key)] = val
			continue
		}
		end, lastEnd := strings.IndexByte(key, ']'), strings.LastIndexByte(key, ']')
		if end < open || end != lastEnd {
			return malformedMap(key)
		}
		dot := strings.IndexByte(key, '.')
		if dot < end {
			return malformedMap(key)
		}
		index, err := strconv.Atoi(key[open+1 : end])
		if err != nil {
			return malformedMap(key)
		}
		name := strings.ToLower(key[:open])
		if c.maps == nil {
			c.maps = make(map[string]map[int]map[string]string)
		}
		m := c.maps[name]
		if m == nil {
			m = make(map[int]map[string]string)
			c.maps[name] = m
		}
		if m[index] == nil {
			m[index] = make(map[string]string)
		}
		m[index][key[dot+1:]] = val
	}
	return nil
}

func malformedMap(key string) error {
	return errorf(CodeMalformedParameter, CSServerAPIException, "Unable to decode parameter %s; if specifying an object array, please use parameter[index].field=XXX, e.g. userGroupList[0].group=httpGroup", key)
}

// validate checks the parameters against the command's spec in the spec's
// order, as ParamProcessWorker does: required parameters, value types, string
// lengths, and uuids (which must name an existing entity of the right kind).
// Unknown parameters are ignored.
func (c *call) validate() error {
	for _, p := range c.def.orderedParams(c.spec) {
		if p.Type == "map" {
			if _, ok := c.maps[p.Name]; ok {
				continue
			}
			if v, ok := c.params[p.Name]; ok {
				return badValue(c.apiName, v, p.Name)
			}
			if p.Required {
				return missingParam(c.apiName, p.Name)
			}
			continue
		}
		v, ok := c.params[p.Name]
		if !ok {
			if _, isMap := c.maps[p.Name]; isMap {
				return badValue(c.apiName, "{}", p.Name)
			}
			if p.Required {
				return missingParam(c.apiName, p.Name)
			}
			continue
		}
		if err := c.checkValue(p, v); err != nil {
			return err
		}
	}
	return nil
}

// checkValue validates one plain parameter value of spec p.
func (c *call) checkValue(p *APIParam, v string) error {
	switch p.Type {
	case "integer":
		if strings.TrimSpace(v) == "" {
			return nil
		}
		if _, err := strconv.ParseInt(v, 10, 32); err != nil {
			return badValue(c.apiName, v, p.Name)
		}
	case "long":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return badValue(c.apiName, v, p.Name)
		}
	case "short":
		if _, err := strconv.ParseInt(v, 10, 16); err != nil {
			return badValue(c.apiName, v, p.Name)
		}
	case "string":
		if n := len(utf16.Encode([]rune(v))); p.Length > 0 && n > p.Length {
			return paramError("Unable to execute API command %s due to invalid value. Value greater than max allowed length %d for param: %s", c.apiName, p.Length, p.Name)
		}
	case "date":
		if _, ok := datePrefix(v); !ok {
			return paramError("Unable to parse date %s for command %s, please pass dates in the format mentioned in the api documentation", v, c.apiName)
		}
	case "uuid":
		e, err := c.resolve(p, v)
		if err != nil {
			return err
		}
		if e != nil {
			c.setRef(p.Name, e)
		} else if p.Required {
			// "-1" or an ignored non-uuid value for a required id: the
			// command cannot find its object.
			return notFound(c.apiName, p.Name, v)
		}
	case "list":
		if !uuidLists[p.Name] {
			return nil
		}
		var refs []entity
		for _, tok := range strings.Split(v, ",") {
			if tok == "" {
				continue
			}
			e, err := c.resolve(p, tok)
			if err != nil {
				return err
			}
			if e != nil {
				refs = append(refs, e)
			}
		}
		if c.listRefs == nil {
			c.listRefs = make(map[string][]entity)
		}
		c.listRefs[p.Name] = refs
	}
	return nil
}

// resolve translates a uuid value as translateUuidToInternalId does: "-1" is
// kept as a special value (nil entity), a non-uuid value of a parameter added
// after 3.x is ignored (nil entity), anything else must name an existing
// entity of the parameter's kind.
func (c *call) resolve(p *APIParam, v string) (entity, error) {
	if v == "-1" {
		return nil, nil
	}
	if !isUUID(v) && p.Since != "" {
		return nil, nil
	}
	kind := c.kindOf(p.Name)
	if lookup := kindLookups[kind]; lookup != nil {
		if e, ok := lookup(c.st, v); ok {
			return e, nil
		}
	}
	return nil, notFound(c.apiName, p.Name, v)
}

// kindOf returns the entity kind a uuid parameter names for this command.
func (c *call) kindOf(name string) string {
	if k, ok := c.def.Kinds[name]; ok {
		return k
	}
	if name == "id" || name == "ids" {
		return c.def.IDKind
	}
	return defaultKinds[name]
}

func (c *call) setRef(name string, e entity) {
	if c.refs == nil {
		c.refs = make(map[string]entity)
	}
	c.refs[name] = e
}

// has reports whether the plain parameter name was sent (even empty).
func (c *call) has(name string) bool {
	_, ok := c.params[name]
	return ok
}

// str returns the value of a parameter sent with a non-empty value.
func (c *call) str(name string) (string, bool) {
	v, ok := c.params[name]
	if !ok || v == "" {
		return "", false
	}
	return v, true
}

// str0 returns the value of a parameter, or "".
func (c *call) str0(name string) string { return c.params[name] }

// boolean returns a boolean parameter as Boolean.valueOf reads it: true only
// for "true" in any case; def when absent.
func (c *call) boolean(name string, def bool) bool {
	v, ok := c.params[name]
	if !ok {
		return def
	}
	return strings.EqualFold(v, "true")
}

// integer returns a numeric parameter (already validated), or def when absent
// or blank.
func (c *call) integer(name string, def int64) int64 {
	v, ok := c.params[name]
	if !ok || strings.TrimSpace(v) == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return def
	}
	return n
}

// list returns the non-empty comma-separated elements of a list parameter.
func (c *call) list(name string) []string {
	v, ok := c.params[name]
	if !ok {
		return nil
	}
	var out []string
	for _, tok := range strings.Split(v, ",") {
		if tok != "" {
			out = append(out, tok)
		}
	}
	return out
}

// mapList returns the entries of a map parameter in index order.
func (c *call) mapList(name string) []map[string]string {
	m := c.maps[name]
	if len(m) == 0 {
		return nil
	}
	idx := make([]int, 0, len(m))
	for i := range m {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]map[string]string, 0, len(idx))
	for _, i := range idx {
		out = append(out, m[i])
	}
	return out
}

// ref returns the entity named by a uuid parameter, or nil.
func (c *call) ref(name string) entity { return c.refs[name] }

// refAs returns the entity named by parameter name if it is a T.
func refAs[T entity](c *call, name string) (T, bool) {
	v, ok := c.refs[name].(T)
	return v, ok
}

// refsAs returns the entities named by a uuid-list parameter that are Ts.
func refsAs[T entity](c *call, name string) []T {
	var out []T
	for _, e := range c.listRefs[name] {
		if v, ok := e.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// datePrefix reads a date parameter as the server's SimpleDateFormat
// "yyyy-MM-dd" (not lenient) does: the date at the start of v, at midnight
// of the server's time zone (UTC here), whatever follows it ("2024-01-02",
// "2024-01-02 10:00:00" and "2024-01-02T10:00:00+0000" are all that day).
// The event commands' "yyyy-MM-dd HH:mm:ss" form passes the same check.
func datePrefix(v string) (time.Time, bool) {
	if len(v) < 10 || len(v) > 10 && v[10] >= '0' && v[10] <= '9' {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", v[:10])
	return t, err == nil
}
