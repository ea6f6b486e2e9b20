package ec2sim

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

// modelGzip is model/service-2.json.gz: botocore's EC2 API model, API
// version 2016-11-15 (Apache-2.0, see model/LICENSE, model/NOTICE and
// model/PROVENANCE.md).
//
//go:embed model/service-2.json.gz
var modelGzip []byte

// APIVersion is the EC2 API version the simulator speaks.
const APIVersion = "2016-11-15"

// XMLNamespace is the namespace of every answer document.
const XMLNamespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// Model is the parsed EC2 API model: its operations and shapes drive the
// simulator's request parsing, validation and XML answers.
type Model struct {
	// Operations indexes every operation by name, e.g. "RunInstances".
	Operations map[string]*Operation
	// Shapes indexes every shape by name.
	Shapes map[string]*Shape
}

// Operation is one operation of the model.
type Operation struct {
	// Name is the operation (Action) name.
	Name string
	// Input and Output are the request and answer shapes (nil when the
	// operation has none).
	Input, Output *Shape
}

// Shape is one shape of the model.
type Shape struct {
	// Name is the shape's name.
	Name string
	// Type is one of structure, list, string, integer, long, float, double,
	// boolean, timestamp, blob.
	Type string
	// Members are a structure's members, by member name.
	Members map[string]*Member
	// Order lists the member names in the model's order.
	Order []string
	// Required lists a structure's required member names.
	Required []string
	// Member is a list's element.
	Member *Member
	// Enum lists a string's allowed values, if the model restricts them.
	Enum []string
}

// Member is a structure member or list element: a reference to a shape with
// its wire names.
type Member struct {
	// Name is the member's name in the model ("" for list elements).
	Name string
	// Shape is the member's shape.
	Shape *Shape
	// LocationName is the member's XML element name, if it has one.
	LocationName string
	// QueryName is the member's request parameter name, if it has one.
	QueryName string
}

// QueryKey is the request parameter name of m, as the EC2 query protocol
// derives it: queryName, else locationName with its first letter in upper
// case, else the member name.
func (m *Member) QueryKey() string {
	switch {
	case m.QueryName != "":
		return m.QueryName
	case m.LocationName != "":
		return strings.ToUpper(m.LocationName[:1]) + m.LocationName[1:]
	default:
		return m.Name
	}
}

// XMLName is the element name of m in answers: locationName, else the
// member name.
func (m *Member) XMLName() string {
	if m.LocationName != "" {
		return m.LocationName
	}
	return m.Name
}

// OperationNames returns every operation name, sorted.
func (m *Model) OperationNames() []string {
	out := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var (
	modelOnce sync.Once
	modelVal  *Model
	modelErr  error
)

// LoadModel returns the embedded EC2 API model, parsed once and shared;
// callers must not modify it.
func LoadModel() (*Model, error) {
	modelOnce.Do(func() { modelVal, modelErr = parseModel(modelGzip) })
	return modelVal, modelErr
}

type rawRef struct {
	Shape        string `json:"shape"`
	LocationName string `json:"locationName"`
	QueryName    string `json:"queryName"`
}

type rawShape struct {
	Type     string                     `json:"type"`
	Members  map[string]json.RawMessage `json:"members"`
	Required []string                   `json:"required"`
	Member   *rawRef                    `json:"member"`
	Enum     []string                   `json:"enum"`
}

func parseModel(gz []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("ec2sim: model: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("ec2sim: model: %w", err)
	}
	var doc struct {
		Operations map[string]struct {
			Input  *rawRef `json:"input"`
			Output *rawRef `json:"output"`
		} `json:"operations"`
		Shapes map[string]rawShape `json:"shapes"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("ec2sim: model: %w", err)
	}
	m := &Model{Operations: make(map[string]*Operation, len(doc.Operations)), Shapes: make(map[string]*Shape, len(doc.Shapes))}
	for name, rs := range doc.Shapes {
		m.Shapes[name] = &Shape{Name: name, Type: rs.Type, Required: rs.Required, Enum: rs.Enum}
	}
	ref := func(r *rawRef, name string) (*Member, error) {
		s := m.Shapes[r.Shape]
		if s == nil {
			return nil, fmt.Errorf("ec2sim: model: unknown shape %q", r.Shape)
		}
		return &Member{Name: name, Shape: s, LocationName: r.LocationName, QueryName: r.QueryName}, nil
	}
	for name, rs := range doc.Shapes {
		s := m.Shapes[name]
		if rs.Member != nil {
			if s.Member, err = ref(rs.Member, ""); err != nil {
				return nil, err
			}
		}
		if rs.Members == nil {
			continue
		}
		s.Members = make(map[string]*Member, len(rs.Members))
		for mn, raw := range rs.Members {
			var r rawRef
			if err := json.Unmarshal(raw, &r); err != nil {
				return nil, fmt.Errorf("ec2sim: model: %s.%s: %w", name, mn, err)
			}
			if s.Members[mn], err = ref(&r, mn); err != nil {
				return nil, err
			}
			s.Order = append(s.Order, mn)
		}
		sort.Strings(s.Order)
	}
	for name, ro := range doc.Operations {
		op := &Operation{Name: name}
		if ro.Input != nil {
			op.Input = m.Shapes[ro.Input.Shape]
		}
		if ro.Output != nil {
			op.Output = m.Shapes[ro.Output.Shape]
		}
		m.Operations[name] = op
	}
	return m, nil
}
