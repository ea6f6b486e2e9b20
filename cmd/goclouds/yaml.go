package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// The CLI prints YAML with this small emitter rather than a dependency: it
// only has to render what encoding/json produces (objects in field order,
// arrays, strings, numbers, booleans, null) in block style. Strings are
// written plain when that is unambiguous and double-quoted otherwise, in
// JSON's escape syntax, which YAML's double-quoted style shares.

// jsonNode is a JSON value with the order of its object keys kept.
type jsonNode struct {
	kind byte // 'o' object, 'a' array, 's' string, 'l' literal (number, bool, null)
	keys []string
	vals []*jsonNode
	text string
}

// writeYAML converts the JSON document data to YAML and writes it to w.
func writeYAML(w io.Writer, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := decodeJSONNode(dec)
	if err != nil {
		return err
	}
	var lines []string
	switch {
	case root.kind == 'o' && len(root.keys) > 0:
		lines = yamlObject(root, 0)
	case root.kind == 'a' && len(root.vals) > 0:
		lines = yamlArray(root, 0)
	default:
		lines = []string{yamlInline(root)}
	}
	_, err = io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

func decodeJSONNode(dec *json.Decoder) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &jsonNode{kind: 'o'}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := k.(string)
				if !ok {
					return nil, errors.New("yaml: object key is not a string")
				}
				v, err := decodeJSONNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, key)
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := &jsonNode{kind: 'a'}
			for dec.More() {
				v, err := decodeJSONNode(dec)
				if err != nil {
					return nil, err
				}
				n.vals = append(n.vals, v)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
		return nil, fmt.Errorf("yaml: unexpected %v", t)
	case string:
		return &jsonNode{kind: 's', text: t}, nil
	case json.Number:
		return &jsonNode{kind: 'l', text: t.String()}, nil
	case bool:
		return &jsonNode{kind: 'l', text: fmt.Sprint(t)}, nil
	case nil:
		return &jsonNode{kind: 'l', text: "null"}, nil
	}
	return nil, fmt.Errorf("yaml: unexpected token %v", tok)
}

// isBlock reports whether n is written on lines of its own (a non-empty
// object or array).
func (n *jsonNode) isBlock() bool {
	return (n.kind == 'o' || n.kind == 'a') && len(n.vals) > 0
}

// yamlObject renders a non-empty object at the given indentation.
func yamlObject(n *jsonNode, indent int) []string {
	pad := strings.Repeat(" ", indent)
	var lines []string
	for i, k := range n.keys {
		v := n.vals[i]
		key := pad + yamlString(k) + ":"
		switch {
		case v.kind == 'o' && v.isBlock():
			lines = append(lines, key)
			lines = append(lines, yamlObject(v, indent+2)...)
		case v.kind == 'a' && v.isBlock():
			lines = append(lines, key)
			lines = append(lines, yamlArray(v, indent+2)...)
		default:
			lines = append(lines, key+" "+yamlInline(v))
		}
	}
	return lines
}

// yamlArray renders a non-empty array at the given indentation; a block
// item starts on the dash's line.
func yamlArray(n *jsonNode, indent int) []string {
	pad := strings.Repeat(" ", indent)
	var lines []string
	for _, v := range n.vals {
		var sub []string
		switch {
		case v.kind == 'o' && v.isBlock():
			sub = yamlObject(v, indent+2)
		case v.kind == 'a' && v.isBlock():
			sub = yamlArray(v, indent+2)
		default:
			lines = append(lines, pad+"- "+yamlInline(v))
			continue
		}
		sub[0] = pad + "- " + sub[0][indent+2:]
		lines = append(lines, sub...)
	}
	return lines
}

// yamlInline renders a scalar or an empty collection.
func yamlInline(n *jsonNode) string {
	switch n.kind {
	case 'o':
		return "{}"
	case 'a':
		return "[]"
	case 's':
		return yamlString(n.text)
	}
	return n.text
}

// yamlPlain matches strings that YAML reads back as the same string when
// written without quotes.
var yamlPlain = regexp.MustCompile(`^[A-Za-z_](?:[A-Za-z0-9_ ./@+()-]*[A-Za-z0-9_./@+()-])?$`)

// yamlReserved are plain words YAML 1.1 or 1.2 readers take for booleans or
// null.
var yamlReserved = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// yamlString writes s plain when unambiguous, else double-quoted.
func yamlString(s string) string {
	if yamlPlain.MatchString(s) && !yamlReserved[strings.ToLower(s)] {
		return s
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// appendJSON appends n as compact JSON, key order kept.
func (n *jsonNode) appendJSON(buf []byte) []byte {
	switch n.kind {
	case 'o':
		buf = append(buf, '{')
		for i, k := range n.keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(appendJSONString(buf, k), ':')
			buf = n.vals[i].appendJSON(buf)
		}
		return append(buf, '}')
	case 'a':
		buf = append(buf, '[')
		for i, v := range n.vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = v.appendJSON(buf)
		}
		return append(buf, ']')
	case 's':
		return appendJSONString(buf, n.text)
	}
	return append(buf, n.text...)
}

// appendJSONString appends s as a JSON string, without escaping <, > and &
// (the answer is printed, not embedded in HTML).
func appendJSONString(buf []byte, s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return append(buf, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
}
