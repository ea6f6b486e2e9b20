package ec2sim

import (
	"fmt"
	"sort"
	"time"
)

// handler runs one action with the state lock held and returns the output
// shape's value.
type handler func(c *call) (M, error)

// call is one request being executed.
type call struct {
	s      *Server
	st     *state
	in     input
	now    time.Time
	action string
}

// registry maps the implemented actions to their handlers; every other
// action of the model answers UnsupportedOperation.
var registry = map[string]handler{}

// register adds handlers to the registry (from init functions).
func register(hs map[string]handler) {
	for name, h := range hs {
		registry[name] = h
	}
}

// checkRegistry verifies that every implemented action is in the model.
func checkRegistry(m *Model) error {
	for name := range registry {
		if m.Operations[name] == nil {
			return fmt.Errorf("ec2sim: action %s is not in the model", name)
		}
	}
	return nil
}

// Implemented returns the actions the simulator implements, sorted.
func Implemented() []string {
	out := make([]string, 0, len(registry))
	for name := range registry {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// input is a decoded request: member name → value (see decoder).
type input M

func (in input) str(name string) string {
	s, _ := in[name].(string)
	return s
}

func (in input) has(name string) bool {
	_, ok := in[name]
	return ok
}

func (in input) int(name string, def int) int {
	if v, ok := in[name].(int64); ok {
		return int(v)
	}
	return def
}

func (in input) boolean(name string) (value, set bool) {
	v, ok := in[name].(bool)
	return v, ok
}

func (in input) strs(name string) []string {
	l, _ := in[name].([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (in input) structs(name string) []input {
	l, _ := in[name].([]any)
	out := make([]input, 0, len(l))
	for _, v := range l {
		if m, ok := v.(M); ok {
			out = append(out, input(m))
		}
	}
	return out
}

func (in input) sub(name string) input {
	m, _ := in[name].(M)
	return input(m)
}

// attrValue returns the Value of an AttributeValue-style member.
func (in input) attrValue(name string) (string, bool) {
	sub := in.sub(name)
	if sub == nil {
		return "", false
	}
	v, ok := sub["Value"].(string)
	return v, ok
}
