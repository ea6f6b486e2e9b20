package csjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errMismatch is returned by a field decoder when the value does not fit the
// field's type; the caller then stores the value in Extra.
var errMismatch = errors.New("csjson: type mismatch")

// InvalidTargetError reports a target that is not a non-nil pointer.
type InvalidTargetError struct{ Type reflect.Type }

// Error implements error.
func (e *InvalidTargetError) Error() string {
	if e.Type == nil {
		return "csjson: Unmarshal(nil)"
	}
	return "csjson: Unmarshal(non-pointer or nil " + e.Type.String() + ")"
}

// MismatchError reports a top-level value that does not fit its target (for
// example an array decoded into a struct). Mismatches inside structs never
// fail: they go to Extra.
type MismatchError struct {
	// Type is the target type.
	Type reflect.Type
}

// Error implements error.
func (e *MismatchError) Error() string {
	return "csjson: JSON value does not fit " + e.Type.String()
}

// Unmarshal decodes the single JSON value in data into v, which must be a
// non-nil pointer, with the coercions described in the package doc.
func Unmarshal(data []byte, v any) error {
	d := NewDecoder(data)
	if err := d.Decode(v); err != nil {
		return err
	}
	return d.End()
}

// Decode reads the next value into v, which must be a non-nil pointer.
func (d *Decoder) Decode(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &InvalidTargetError{Type: reflect.TypeOf(v)}
	}
	elem := rv.Elem()
	d.ws()
	start, depth := d.pos, d.depth
	err := decoderFor(elem.Type())(d, elem)
	if errors.Is(err, errMismatch) {
		d.pos, d.depth = start, depth
		if serr := d.Skip(); serr != nil {
			return serr
		}
		return &MismatchError{Type: elem.Type()}
	}
	return err
}

type decodeFunc func(d *Decoder, v reflect.Value) error

var decoders sync.Map // reflect.Type -> decodeFunc

var (
	timeType        = reflect.TypeFor[time.Time]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	extraType       = reflect.TypeFor[map[string]any]()
)

// decoderFor returns the (cached) decoder of t.
func decoderFor(t reflect.Type) decodeFunc {
	if f, ok := decoders.Load(t); ok {
		return f.(decodeFunc)
	}
	// Recursive types: register an indirection first.
	var (
		wg sync.WaitGroup
		f  decodeFunc
	)
	wg.Add(1)
	fi, loaded := decoders.LoadOrStore(t, decodeFunc(func(d *Decoder, v reflect.Value) error {
		wg.Wait()
		return f(d, v)
	}))
	if loaded {
		return fi.(decodeFunc)
	}
	f = newDecoder(t)
	wg.Done()
	decoders.Store(t, f)
	return f
}

func newDecoder(t reflect.Type) decodeFunc {
	switch {
	case t == timeType:
		return decodeTime
	case t == rawMessageType:
		return decodeRaw
	case reflect.PointerTo(t).Implements(unmarshalerType) && t.Kind() != reflect.Pointer:
		return decodeUnmarshaler
	}
	switch t.Kind() {
	case reflect.String:
		return decodeString
	case reflect.Bool:
		return decodeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint
	case reflect.Float32, reflect.Float64:
		return decodeFloat
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return decodeInterface
		}
	case reflect.Pointer:
		return newPointerDecoder(t)
	case reflect.Slice:
		return newSliceDecoder(t)
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return newMapDecoder(t)
		}
	case reflect.Struct:
		return newStructDecoder(t)
	}
	return decodeUnsupported
}

// decodeUnsupported leaves the value alone and reports a mismatch, so the
// JSON value lands in Extra.
func decodeUnsupported(d *Decoder, v reflect.Value) error { return errMismatch }

// scalar reads a scalar's text: strings decoded, numbers and booleans as
// their literal. kind is the first byte of the value. A null yields ok=false.
func (d *Decoder) scalar() (text []byte, isString, ok bool, err error) {
	switch c := d.Peek(); {
	case c == '"':
		b, err := d.stringBytes()
		return b, true, err == nil, err
	case c == 't':
		return []byte("true"), false, true, d.literal("true")
	case c == 'f':
		return []byte("false"), false, true, d.literal("false")
	case c == 'n':
		return nil, false, false, d.literal("null")
	case c == '-' || isDigit(c):
		b, err := d.number()
		return b, false, err == nil, err
	case c == 0:
		return nil, false, false, d.errorf("unexpected end of input")
	case c == '{' || c == '[':
		return nil, false, false, errMismatch
	default:
		return nil, false, false, d.errorf("invalid character %q", c)
	}
}

func decodeString(d *Decoder, v reflect.Value) error {
	text, _, ok, err := d.scalar()
	if err != nil || !ok {
		return err
	}
	v.SetString(string(text))
	return nil
}

func decodeBool(d *Decoder, v reflect.Value) error {
	text, isString, ok, err := d.scalar()
	if err != nil || !ok {
		return err
	}
	if isString {
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			return nil
		}
	}
	switch {
	case bytes.EqualFold(text, []byte("true")), string(text) == "1":
		v.SetBool(true)
	case bytes.EqualFold(text, []byte("false")), string(text) == "0":
		v.SetBool(false)
	default:
		return errMismatch
	}
	return nil
}

// parseInt parses an integer, also from an integral float literal.
func parseInt(text []byte, bits int) (int64, bool) {
	s := string(bytes.TrimSpace(text))
	if n, err := strconv.ParseInt(s, 10, bits); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	n := int64(f)
	if bits < 64 && (n < -1<<(bits-1) || n >= 1<<(bits-1)) {
		return 0, false
	}
	return n, true
}

func decodeInt(d *Decoder, v reflect.Value) error {
	text, isString, ok, err := d.scalar()
	if err != nil || !ok {
		return err
	}
	if isString && len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	if !isString && (text[0] == 't' || text[0] == 'f') {
		return errMismatch
	}
	n, good := parseInt(text, v.Type().Bits())
	if !good {
		return errMismatch
	}
	v.SetInt(n)
	return nil
}

func decodeUint(d *Decoder, v reflect.Value) error {
	text, isString, ok, err := d.scalar()
	if err != nil || !ok {
		return err
	}
	if isString && len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	if !isString && (text[0] == 't' || text[0] == 'f') {
		return errMismatch
	}
	s := string(bytes.TrimSpace(text))
	n, perr := strconv.ParseUint(s, 10, v.Type().Bits())
	if perr != nil {
		i, good := parseInt(text, 64)
		if !good || i < 0 || (v.Type().Bits() < 64 && uint64(i) >= 1<<v.Type().Bits()) {
			return errMismatch
		}
		n = uint64(i)
	}
	v.SetUint(n)
	return nil
}

func decodeFloat(d *Decoder, v reflect.Value) error {
	text, isString, ok, err := d.scalar()
	if err != nil || !ok {
		return err
	}
	if isString && len(bytes.TrimSpace(text)) == 0 {
		return nil
	}
	if !isString && (text[0] == 't' || text[0] == 'f') {
		return errMismatch
	}
	f, perr := strconv.ParseFloat(string(bytes.TrimSpace(text)), v.Type().Bits())
	if perr != nil {
		return errMismatch
	}
	v.SetFloat(f)
	return nil
}

// timeLayouts are the date forms CloudStack servers write, newest first.
var timeLayouts = []string{
	"2006-01-02T15:04:05-0700",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
}

// ParseTime parses a CloudStack date.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func decodeTime(d *Decoder, v reflect.Value) error {
	if d.Peek() != '"' {
		if d.Peek() == 'n' {
			return d.literal("null")
		}
		return errMismatch
	}
	b, err := d.stringBytes()
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	t, ok := ParseTime(string(b))
	if !ok {
		return errMismatch
	}
	v.Set(reflect.ValueOf(t))
	return nil
}

func decodeRaw(d *Decoder, v reflect.Value) error {
	raw, err := d.Raw()
	if err != nil {
		return err
	}
	v.SetBytes(bytes.Clone(raw))
	return nil
}

func decodeUnmarshaler(d *Decoder, v reflect.Value) error {
	raw, err := d.Raw()
	if err != nil {
		return err
	}
	if uerr := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(bytes.Clone(raw)); uerr != nil {
		return errMismatch
	}
	return nil
}

func decodeInterface(d *Decoder, v reflect.Value) error {
	x, err := d.Any()
	if err != nil {
		return err
	}
	if x == nil {
		v.SetZero()
		return nil
	}
	v.Set(reflect.ValueOf(x))
	return nil
}

func newPointerDecoder(t reflect.Type) decodeFunc {
	elem := t.Elem()
	return func(d *Decoder, v reflect.Value) error {
		if d.Peek() == 'n' {
			v.SetZero()
			return d.literal("null")
		}
		p := v
		if v.IsNil() {
			p = reflect.New(elem)
		}
		if err := decoderFor(elem)(d, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	}
}

func newSliceDecoder(t reflect.Type) decodeFunc {
	elem := t.Elem()
	return func(d *Decoder, v reflect.Value) error {
		switch d.Peek() {
		case 'n':
			v.SetZero()
			return d.literal("null")
		case '{':
			if !d.isEmpty('{', '}') {
				return errMismatch
			}
			v.Set(reflect.MakeSlice(t, 0, 0))
			return d.Skip()
		case '[':
		default:
			return errMismatch
		}
		dec := decoderFor(elem)
		zero := reflect.Zero(elem)
		s := reflect.MakeSlice(t, 0, 0)
		err := d.Array(func() error {
			s = reflect.Append(s, zero)
			return dec(d, s.Index(s.Len()-1))
		})
		if err != nil {
			return err
		}
		v.Set(s)
		return nil
	}
}

func newMapDecoder(t reflect.Type) decodeFunc {
	elemType := t.Elem()
	return func(d *Decoder, v reflect.Value) error {
		switch d.Peek() {
		case 'n':
			v.SetZero()
			return d.literal("null")
		case '[':
			if !d.isEmpty('[', ']') {
				return errMismatch
			}
			v.Set(reflect.MakeMap(t))
			return d.Skip()
		case '{':
		default:
			return errMismatch
		}
		dec := decoderFor(elemType)
		m := reflect.MakeMap(t)
		err := d.Object(func(key []byte) error {
			ev := reflect.New(elemType).Elem()
			if err := dec(d, ev); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(string(key)).Convert(t.Key()), ev)
			return nil
		})
		if err != nil {
			return err
		}
		v.Set(m)
		return nil
	}
}

// field is one decodable struct field.
type field struct {
	name  string
	index []int
	dec   decodeFunc
}

type structPlan struct {
	exact  map[string]*field
	folded map[string]*field
	extra  []int // index of the Extra field, nil when absent
}

func newStructDecoder(t reflect.Type) decodeFunc {
	plan := &structPlan{exact: map[string]*field{}, folded: map[string]*field{}}
	collectFields(t, nil, plan)
	return func(d *Decoder, v reflect.Value) error { return plan.decode(d, v) }
}

// collectFields fills plan with the fields of t (flattening embedded
// structs); fields of the outer struct win over embedded ones.
func collectFields(t reflect.Type, prefix []int, plan *structPlan) {
	var embedded []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag := sf.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			embedded = append(embedded, sf)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if sf.Name == "Extra" && sf.Type == extraType {
			if plan.extra == nil {
				plan.extra = index
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := &field{name: name, index: index, dec: decoderFor(sf.Type)}
		if _, dup := plan.exact[name]; !dup {
			plan.exact[name] = f
		}
		if _, dup := plan.folded[strings.ToLower(name)]; !dup {
			plan.folded[strings.ToLower(name)] = f
		}
	}
	for _, sf := range embedded {
		collectFields(sf.Type, append(append([]int(nil), prefix...), sf.Index[0]), plan)
	}
}

func (p *structPlan) lookup(key []byte) *field {
	if f, ok := p.exact[string(key)]; ok {
		return f
	}
	if f, ok := p.folded[strings.ToLower(string(key))]; ok {
		return f
	}
	return nil
}

func fieldOf(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

func (p *structPlan) decode(d *Decoder, v reflect.Value) error {
	switch d.Peek() {
	case 'n':
		return d.literal("null")
	case '[':
		if !d.isEmpty('[', ']') {
			return errMismatch
		}
		return d.Skip()
	case '{':
	default:
		return errMismatch
	}
	var extra reflect.Value
	if p.extra != nil {
		extra = fieldOf(v, p.extra)
	}
	return d.Object(func(key []byte) error {
		if f := p.lookup(key); f != nil {
			fv := fieldOf(v, f.index)
			d.ws()
			start, depth := d.pos, d.depth
			err := f.dec(d, fv)
			if !errors.Is(err, errMismatch) {
				return err
			}
			// Drifted type: keep the value in Extra, not in the field.
			fv.SetZero()
			d.pos, d.depth = start, depth
		}
		if !extra.IsValid() {
			return d.Skip()
		}
		x, err := d.Any()
		if err != nil {
			return err
		}
		if extra.IsNil() {
			extra.Set(reflect.MakeMap(extraType))
		}
		extra.SetMapIndex(reflect.ValueOf(string(key)), valueOrNil(x))
		return nil
	})
}

// valueOrNil turns a nil interface into a settable zero any value.
func valueOrNil(x any) reflect.Value {
	if x == nil {
		return reflect.Zero(reflect.TypeFor[any]())
	}
	return reflect.ValueOf(x)
}
