package ec2sim

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// M is a generic value of a structure shape: member name → value. Handlers
// build their answers as M, []M, []any, strings, numbers, booleans and
// time.Time; the encoder writes them with the model's element names.
type M = map[string]any

// timeLayout is EC2's timestamp format in answers.
const timeLayout = "2006-01-02T15:04:05.000Z"

// encodeResponse returns the answer document of op for out: the output
// shape's members under <OpResponse xmlns=...> after <requestId>.
func encodeResponse(op *Operation, out M, requestID string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<")
	b.WriteString(op.Name)
	b.WriteString(`Response xmlns="` + XMLNamespace + `"><requestId>`)
	b.WriteString(requestID)
	b.WriteString("</requestId>")
	if op.Output != nil {
		if err := encodeMembers(&b, op.Output, out); err != nil {
			return nil, fmt.Errorf("%s: %w", op.Name, err)
		}
	} else {
		// Actions without an output shape answer <return>true</return>,
		// which clients such as Libcloud read.
		b.WriteString("<return>true</return>")
	}
	b.WriteString("</" + op.Name + "Response>")
	return b.Bytes(), nil
}

func encodeMembers(b *bytes.Buffer, s *Shape, v M) error {
	for k := range v {
		if s.Members[k] == nil {
			return fmt.Errorf("shape %s has no member %s", s.Name, k)
		}
	}
	for _, name := range s.Order {
		val, ok := v[name]
		if !ok || val == nil {
			continue
		}
		m := s.Members[name]
		if err := encodeElement(b, m.XMLName(), m.Shape, val); err != nil {
			return fmt.Errorf("%s.%s: %w", s.Name, name, err)
		}
	}
	return nil
}

func encodeElement(b *bytes.Buffer, name string, s *Shape, v any) error {
	b.WriteString("<" + name + ">")
	switch s.Type {
	case "structure":
		mv, ok := v.(M)
		if !ok {
			return fmt.Errorf("structure %s needs a map, got %T", s.Name, v)
		}
		if err := encodeMembers(b, s, mv); err != nil {
			return err
		}
	case "list":
		item := s.Member.XMLName()
		if s.Member.LocationName == "" {
			item = "item"
		}
		var err error
		eachItem(v, func(e any) {
			if err == nil {
				err = encodeElement(b, item, s.Member.Shape, e)
			}
		})
		if err != nil {
			return err
		}
	default:
		text, err := scalarText(v)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		_ = xml.EscapeText(b, []byte(text))
	}
	b.WriteString("</" + name + ">")
	return nil
}

// eachItem calls f for every element of a list value.
func eachItem(v any, f func(any)) {
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			f(e)
		}
	case []M:
		for _, e := range l {
			f(e)
		}
	case []string:
		for _, e := range l {
			f(e)
		}
	}
}

func scalarText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.UTC().Format(timeLayout), nil
	case []byte:
		return base64.StdEncoding.EncodeToString(x), nil
	}
	return "", fmt.Errorf("unsupported scalar %T", v)
}
