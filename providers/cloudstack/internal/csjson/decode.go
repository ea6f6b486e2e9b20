package csjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
		return trueText, false, true, d.literal("true")
	case c == 'f':
		return falseText, false, true, d.literal("false")
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

// The texts of the literals true and false, shared (never modified).
var (
	trueText  = []byte("true")
	falseText = []byte("false")
)

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
	text = bytes.TrimSpace(text)
	if n, ok := plainInt(text); ok && (bits == 64 || (n >= -1<<(bits-1) && n < 1<<(bits-1))) {
		return n, true
	}
	s := string(text)
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

// plainInt parses up to 18 decimal digits with an optional minus sign, the
// common case, without allocating.
func plainInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// numberText reads a number, or a string holding one, and returns its
// trimmed text; ok is false for null and "" (the field keeps its zero
// value), and a boolean, object or array is a mismatch.
func (d *Decoder) numberText() (text []byte, ok bool, err error) {
	text, isString, ok, err := d.scalar()
	if err != nil || !ok {
		return nil, false, err
	}
	if !isString && (text[0] == 't' || text[0] == 'f') {
		return nil, false, errMismatch
	}
	text = bytes.TrimSpace(text)
	return text, len(text) > 0, nil
}

func decodeInt(d *Decoder, v reflect.Value) error {
	text, ok, err := d.numberText()
	if err != nil || !ok {
		return err
	}
	n, good := parseInt(text, v.Type().Bits())
	if !good {
		return errMismatch
	}
	v.SetInt(n)
	return nil
}

func decodeUint(d *Decoder, v reflect.Value) error {
	text, ok, err := d.numberText()
	if err != nil || !ok {
		return err
	}
	n, perr := strconv.ParseUint(string(text), 10, v.Type().Bits())
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
	text, ok, err := d.numberText()
	if err != nil || !ok {
		return err
	}
	f, perr := strconv.ParseFloat(string(text), v.Type().Bits())
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
	if t, ok := parseCSTime(s); ok {
		return t, true
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// zones caches the fixed zones of the offsets met.
var zones sync.Map // int -> *time.Location

// parseCSTime parses CloudStack's own form, 2006-01-02T15:04:05-0700,
// without time.Parse's generality (dates are on the listing hot path).
func parseCSTime[S string | []byte](s S) (time.Time, bool) {
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || (s[19] != '+' && s[19] != '-') {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	oh, ok7 := num(20, 2)
	om, ok8 := num(22, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8) || month < 1 || month > 12 || day < 1 ||
		day > 31 || hour > 23 || minute > 59 || sec > 59 || oh > 23 || om > 59 {
		return time.Time{}, false
	}
	offset := (oh*60 + om) * 60
	if s[19] == '-' {
		offset = -offset
	}
	loc := time.UTC
	if offset != 0 {
		if l, ok := zones.Load(offset); ok {
			loc = l.(*time.Location)
		} else {
			l, _ := zones.LoadOrStore(offset, time.FixedZone("", offset))
			loc = l.(*time.Location)
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc)
	if t.Day() != day {
		return time.Time{}, false // such as February 30
	}
	return t, true
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
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	t, ok := parseCSTime(b)
	if !ok {
		if t, ok = ParseTime(string(b)); !ok {
			return errMismatch
		}
	}
	*v.Addr().Interface().(*time.Time) = t
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
	empty := reflect.MakeSlice(t, 0, 0) // shared: an empty slice has no room to write
	return func(d *Decoder, v reflect.Value) error {
		switch d.Peek() {
		case 'n':
			v.SetZero()
			return d.literal("null")
		case '{':
			if !d.isEmpty('{', '}') {
				return errMismatch
			}
			v.Set(empty)
			return d.Skip()
		case '[':
		default:
			return errMismatch
		}
		if d.isEmpty('[', ']') {
			v.Set(empty)
			return d.Skip()
		}
		dec := decoderFor(elem)
		// Grow v in place, reusing its room as encoding/json does, so that a
		// caller expecting n rows can make room for them once.
		if v.IsNil() {
			v.Set(empty)
		}
		v.SetLen(0)
		return d.Array(func() error {
			n := v.Len()
			if n == v.Cap() {
				v.Grow(1)
			}
			v.SetLen(n + 1)
			e := v.Index(n)
			e.SetZero()
			return dec(d, e)
		})
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
	name     string
	index    []int
	dec      decodeFunc
	isString bool
	id       int // index among the plan's string fields (string interning)
}

type structPlan struct {
	exact  map[string]*field
	folded map[string]*field
	extra  []int // index of the Extra field, nil when absent
	// strings is the number of string fields (for interning).
	strings int
	// extraKeys holds the names of the members met in Extra, shared by
	// every object of the type (they repeat from one object to the next).
	extraKeys atomic.Pointer[map[string]string]
	// order is the member order of the first object decoded: servers write
	// every object of a type with its members in the same order, so the
	// n-th member is checked against order[n] before the maps.
	order atomic.Pointer[[]*field]
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
		f := &field{name: name, index: index, dec: decoderFor(sf.Type), isString: sf.Type.Kind() == reflect.String}
		if f.isString {
			f.id = plan.strings
			plan.strings++
		}
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
	var extra *map[string]any
	if p.extra != nil {
		extra = fieldOf(v, p.extra).Addr().Interface().(*map[string]any)
	}
	hint := p.order.Load()
	var learned []*field
	var last []string // this plan's interning slots, fetched at the first string
	n := 0
	err := d.Object(func(key []byte) error {
		var f *field
		if hint != nil && n < len(*hint) && (*hint)[n] != nil && (*hint)[n].name == string(key) {
			f = (*hint)[n]
		} else {
			f = p.lookup(key)
		}
		if hint == nil {
			learned = append(learned, f)
		}
		n++
		if f != nil {
			fv := fieldOf(v, f.index)
			d.ws()
			start, depth := d.pos, d.depth
			var err error
			if f.isString && d.pos < len(d.data) && d.data[d.pos] == '"' {
				// The common case, inline: a string, interned per field
				// (most values repeat from one object to the next).
				var b []byte
				if b, err = d.stringBytes(); err == nil {
					if last == nil {
						last = d.internSlots(p)
					}
					fv.SetString(intern(last, f.id, b))
				}
			} else {
				err = f.dec(d, fv)
			}
			if err == nil || !errors.Is(err, errMismatch) {
				return err
			}
			// Drifted type: keep the value in Extra, not in the field.
			fv.SetZero()
			d.pos, d.depth = start, depth
		}
		if extra == nil {
			return d.Skip()
		}
		x, err := d.Any()
		if err != nil {
			return err
		}
		if *extra == nil {
			*extra = make(map[string]any)
		}
		(*extra)[p.extraKey(key)] = x
		return nil
	})
	if err == nil && hint == nil && len(learned) > 0 {
		order := learned
		p.order.CompareAndSwap(nil, &order)
	}
	return err
}

// maxExtraKeys bounds the member names a plan keeps for Extra.
const maxExtraKeys = 256

// extraKey returns key as a string, the same string for every object of
// the plan's type.
func (p *structPlan) extraKey(key []byte) string {
	keys := p.extraKeys.Load()
	if keys != nil {
		if s, ok := (*keys)[string(key)]; ok {
			return s
		}
		if len(*keys) >= maxExtraKeys {
			return string(key)
		}
	}
	s := string(key)
	next := make(map[string]string, 1)
	if keys != nil {
		next = maps.Clone(*keys)
	}
	next[s] = s
	p.extraKeys.CompareAndSwap(keys, &next) // a lost race only costs a copy
	return s
}

// internSet holds, for one struct plan, the value decoded last for each of
// its string fields.
type internSet struct {
	plan *structPlan
	last []string
}

// internSlots returns the interning slots of plan for this decode (a
// response holds few struct types: a linear search is enough).
func (d *Decoder) internSlots(plan *structPlan) []string {
	for i := range d.interns {
		if d.interns[i].plan == plan {
			return d.interns[i].last
		}
	}
	last := make([]string, plan.strings)
	d.interns = append(d.interns, internSet{plan, last})
	return last
}

// intern returns b as a string, reusing the string last decoded for the same
// field when equal (most values repeat from one object to the next).
func intern(last []string, id int, b []byte) string {
	if s := last[id]; s == string(b) {
		return s
	}
	s := string(b)
	last[id] = s
	return s
}
