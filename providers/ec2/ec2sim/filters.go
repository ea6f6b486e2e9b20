package ec2sim

import (
	"encoding/base64"
	"path"
	"strconv"
	"strings"
)

// filter is one Filter.N of a Describe request.
type filter struct {
	name   string
	values []string
}

// fields returns a resource's values for a filter name (nil when it has
// none); ok is false for a filter name the resource type does not support.
type fields func(name string) (values []string, ok bool)

func (in input) filters() []filter {
	var out []filter
	for _, f := range in.structs("Filters") {
		out = append(out, filter{name: f.str("Name"), values: f.strs("Values")})
	}
	return out
}

// checkFilters rejects filter names the resource type does not know, as EC2 does.
func checkFilters(fs []filter, probe fields) error {
	for _, f := range fs {
		if f.name == "" {
			return errorf(CodeInvalidParameterValue, "The filter name must not be empty")
		}
		if strings.HasPrefix(f.name, "tag:") || f.name == "tag-key" || f.name == "tag-value" {
			continue
		}
		if _, ok := probe(f.name); !ok {
			return errorf(CodeInvalidParameterValue, "The filter '%s' is invalid", f.name)
		}
	}
	return nil
}

// matches reports whether a resource with fields fl and tags passes every
// filter (filters AND together, values of one filter OR; values may hold *
// and ? wildcards).
func matches(fs []filter, fl fields, tags map[string]string) bool {
	for _, f := range fs {
		var have []string
		switch {
		case strings.HasPrefix(f.name, "tag:"):
			if v, ok := tags[f.name[4:]]; ok {
				have = []string{v}
			}
		case f.name == "tag-key":
			for k := range tags {
				have = append(have, k)
			}
		case f.name == "tag-value":
			for _, v := range tags {
				have = append(have, v)
			}
		default:
			have, _ = fl(f.name)
		}
		if !anyMatch(f.values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if p == h {
				return true
			}
			if strings.ContainsAny(p, "*?") {
				if ok, _ := path.Match(p, h); ok {
					return true
				}
			}
		}
	}
	return false
}

// page returns the slice of n items a MaxResults/NextToken request asks
// for, as [from, to), and the token of the next page ("" at the end).
// maxResults <= 0 means all; limits are [min, max] as the action allows.
func page(n int, in input, lo, hi int) (from, to int, next string, err error) {
	size := in.int("MaxResults", 0)
	if in.has("MaxResults") && (size < lo || size > hi) {
		return 0, 0, "", errorf(CodeInvalidParameterValue,
			"Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", size, lo, hi)
	}
	if tok := in.str("NextToken"); tok != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(tok)
		off, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if derr != nil || perr != nil || !strings.HasPrefix(string(raw), "offset:") || off < 0 {
			return 0, 0, "", errorf("InvalidNextToken", "The token '%s' is invalid.", tok)
		}
		from = min(off, n)
	}
	to = n
	if size > 0 && from+size < n {
		to = from + size
		next = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(to)))
	}
	return from, to, next, nil
}
