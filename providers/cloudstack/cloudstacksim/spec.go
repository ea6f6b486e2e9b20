package cloudstacksim

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// specGzip is apispec/listApis.json.gz: the listApis output of CloudStack
// 4.18 (Apache-2.0, see apispec/LICENSE and apispec/PROVENANCE.md).
//
//go:embed apispec/listApis.json.gz
var specGzip []byte

// Spec is the parsed CloudStack API specification (the listApis dump) that
// drives the simulator's parameter validation and its listApis answer.
type Spec struct {
	// Commands holds every command of the spec in the spec's order.
	Commands []*APICommand
	byName   map[string]*APICommand
}

// APICommand is one command of the spec.
type APICommand struct {
	// Name is the command name with its real capitalisation, e.g. "deployVirtualMachine".
	Name string
	// Description is the spec's description.
	Description string
	// IsAsync reports whether the command runs as an async job.
	IsAsync bool
	// Since is the version that introduced the command, if known.
	Since string
	// Params are the command's request parameters.
	Params []APIParam
	// raw is the command's original JSON object, served by listApis.
	raw json.RawMessage
	// params indexes Params by name.
	params map[string]*APIParam
}

// APIParam is one request parameter of a command.
type APIParam struct {
	// Name is the lower-case parameter name.
	Name string `json:"name"`
	// Type is one of string, uuid, integer, boolean, list, long, map, date,
	// object, short.
	Type string `json:"type"`
	// Required reports whether the parameter must be sent.
	Required bool `json:"required"`
	// Length is the maximum length of string values.
	Length int `json:"length"`
	// Since is the version that introduced the parameter, if known.
	Since string `json:"since"`
	// Description is the spec's description.
	Description string `json:"description"`
}

// Param returns the parameter named name (lower case), or nil.
func (c *APICommand) Param(name string) *APIParam { return c.params[name] }

// RawJSON returns the command's entry of the listApis dump, unchanged.
func (c *APICommand) RawJSON() json.RawMessage { return c.raw }

// Command returns the command named name (exact, case-sensitive, as the
// server matches command names), or nil.
func (s *Spec) Command(name string) *APICommand { return s.byName[name] }

var (
	specOnce sync.Once
	specVal  *Spec
	specErr  error
)

// LoadSpec returns the embedded CloudStack 4.18 API spec. It is parsed once
// and shared; callers must not modify it.
func LoadSpec() (*Spec, error) {
	specOnce.Do(func() { specVal, specErr = parseSpec(specGzip) })
	return specVal, specErr
}

func parseSpec(gz []byte) (*Spec, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("cloudstacksim: spec: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("cloudstacksim: spec: %w", err)
	}
	var doc struct {
		API []json.RawMessage `json:"api"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("cloudstacksim: spec: %w", err)
	}
	s := &Spec{byName: make(map[string]*APICommand, len(doc.API))}
	for _, raw := range doc.API {
		var c struct {
			Name        string     `json:"name"`
			Description string     `json:"description"`
			IsAsync     bool       `json:"isasync"`
			Since       string     `json:"since"`
			Params      []APIParam `json:"params"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("cloudstacksim: spec: %w", err)
		}
		cmd := &APICommand{Name: c.Name, Description: c.Description, IsAsync: c.IsAsync, Since: c.Since,
			Params: c.Params, raw: raw, params: make(map[string]*APIParam, len(c.Params))}
		for i := range cmd.Params {
			p := &cmd.Params[i]
			p.Name = strings.ToLower(p.Name)
			cmd.params[p.Name] = p
		}
		s.Commands = append(s.Commands, cmd)
		s.byName[cmd.Name] = cmd
	}
	return s, nil
}

// Names returns every command name of the spec, sorted.
func (s *Spec) Names() []string {
	names := make([]string, 0, len(s.Commands))
	for _, c := range s.Commands {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return names
}
