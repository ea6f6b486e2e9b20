package ec2sim

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"
)

// qnode is one level of a request's dotted parameter names: "Filter.1.Name"
// is the path filter → 1 → name (lower case: EC2 matches names without
// regard to case).
type qnode struct {
	name  string // the segment as sent
	val   string
	isSet bool
	used  bool
	kids  map[string]*qnode
}

// parseTree builds the parameter tree of params (one value per name).
func parseTree(params map[string]string) *qnode {
	root := &qnode{}
	for k, v := range params {
		n := root
		for _, seg := range strings.Split(k, ".") {
			if n.kids == nil {
				n.kids = make(map[string]*qnode)
			}
			key := strings.ToLower(seg)
			c := n.kids[key]
			if c == nil {
				c = &qnode{name: seg}
				n.kids[key] = c
			}
			n = c
		}
		n.val, n.isSet = v, true
	}
	return root
}

// decoder turns a parameter tree into the generic value of a model shape:
// map[string]any for structures (keyed by member name), []any for lists,
// string, int64, float64, bool, time.Time, []byte for scalars.
type decoder struct{}

// decodeStruct decodes the members of s found under n; path is the
// parameter name prefix for messages.
func (d decoder) decodeStruct(s *Shape, n *qnode, path string) (map[string]any, *Error) {
	out := make(map[string]any)
	for _, name := range s.Order {
		m := s.Members[name]
		key := m.QueryKey()
		c := n.kids[strings.ToLower(key)]
		if c == nil {
			continue
		}
		c.used = true
		v, err := d.decode(m.Shape, c, join(path, key))
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[name] = v
		}
	}
	for _, r := range s.Required {
		if _, ok := out[r]; !ok {
			return nil, missingParameter(join(path, s.Members[r].QueryKey()))
		}
	}
	return out, nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (d decoder) decode(s *Shape, n *qnode, path string) (any, *Error) {
	switch s.Type {
	case "structure":
		return d.decodeStruct(s, n, path)
	case "list":
		return d.decodeList(s, n, path)
	}
	if !n.isSet {
		return nil, errorf(CodeInvalidParameterValue, "Invalid value for parameter %s: a value is expected", path)
	}
	return decodeScalar(s.Type, n.val, path)
}

// decodeList decodes Name.1, Name.2, ... in index order; EC2 lists are
// flattened (no ".member" segment).
func (d decoder) decodeList(s *Shape, n *qnode, path string) (any, *Error) {
	type item struct {
		idx  int
		node *qnode
	}
	items := make([]item, 0, len(n.kids))
	for _, c := range n.kids {
		i, err := strconv.Atoi(c.name)
		if err != nil || i < 0 { // Libcloud counts some lists from 0
			return nil, errorf(CodeInvalidParameterValue, "Invalid list index %q for parameter %s", c.name, path)
		}
		items = append(items, item{i, c})
	}
	if len(items) == 0 && n.isSet {
		// A list sent as a plain value (Name=v) is taken as one element.
		items = append(items, item{1, n})
	}
	sort.Slice(items, func(a, b int) bool { return items[a].idx < items[b].idx })
	out := make([]any, 0, len(items))
	for _, it := range items {
		if it.node != n {
			it.node.used = true
		}
		var v any
		var err *Error
		if it.node == n {
			v, err = decodeScalar(s.Member.Shape.Type, n.val, path)
		} else {
			v, err = d.decode(s.Member.Shape, it.node, path+"."+it.node.name)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeScalar(typ, v, path string) (any, *Error) {
	bad := func() *Error {
		return errorf(CodeInvalidParameterValue, "Value (%s) for parameter %s is invalid. Expected a value of type %s.", v, path, typ)
	}
	switch typ {
	case "string":
		return v, nil
	case "integer", "long":
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || (typ == "integer" && (i > 1<<31-1 || i < -1<<31)) {
			return nil, bad()
		}
		return i, nil
	case "float", "double":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, bad()
		}
		return f, nil
	case "boolean":
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, bad()
	case "timestamp":
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		if secs, err := strconv.ParseFloat(v, 64); err == nil {
			return time.Unix(0, int64(secs*1e9)).UTC(), nil
		}
		return nil, bad()
	case "blob":
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, bad()
		}
		return b, nil
	}
	return v, nil
}

// unknownParam returns the first parameter of n that no member consumed
// (other than the protocol's own), or "".
func unknownParam(root *qnode) string {
	var names []string
	for key, c := range root.kids {
		if c.used || protocolParams[key] || strings.HasPrefix(key, "x-amz-") {
			continue
		}
		names = append(names, c.name)
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	return names[0]
}

// protocolParams are the lower-case parameters of the protocol and of
// signing, which no input shape declares.
var protocolParams = map[string]bool{
	"action": true, "version": true, "awsaccesskeyid": true, "signature": true, "signaturemethod": true,
	"signatureversion": true, "timestamp": true, "expires": true, "securitytoken": true,
}
