package csjson

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects accepted.
const MaxDepth = 1000

// SyntaxError reports malformed JSON.
type SyntaxError struct {
	// Offset is the byte offset where the problem was found.
	Offset int
	// Msg describes the problem.
	Msg string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("malformed JSON at offset %d: %s", e.Offset, e.Msg)
}

// Decoder reads JSON values from a byte slice, one after another. It is the
// low-level API used to walk CloudStack envelopes without decoding them
// twice; most callers want Unmarshal.
type Decoder struct {
	data    []byte
	pos     int
	depth   int
	interns []internSet // per struct type, the string values decoded last
}

// NewDecoder returns a Decoder reading data.
func NewDecoder(data []byte) *Decoder { return &Decoder{data: data} }

func (d *Decoder) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *Decoder) ws() {
	// Compact JSON has no white space: return at once, inlined.
	if d.pos < len(d.data) && d.data[d.pos] > ' ' {
		return
	}
	d.skipWS()
}

func (d *Decoder) skipWS() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// Peek returns the first byte of the next value after white space, or 0 at
// the end of the input.
func (d *Decoder) Peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// End checks that only white space is left.
func (d *Decoder) End() error {
	d.ws()
	if d.pos != len(d.data) {
		return d.errorf("unexpected data after the value")
	}
	return nil
}

func (d *Decoder) enter() error {
	d.depth++
	if d.depth > MaxDepth {
		return d.errorf("nesting deeper than %d", MaxDepth)
	}
	return nil
}

func (d *Decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.errorf("invalid literal")
	}
	d.pos += len(word)
	return nil
}

// number scans a number at the current position and returns its text.
func (d *Decoder) number() ([]byte, error) {
	start := d.pos
	i := d.pos
	n := len(d.data)
	if i < n && d.data[i] == '-' {
		i++
	}
	switch {
	case i < n && d.data[i] == '0':
		i++
	case i < n && d.data[i] >= '1' && d.data[i] <= '9':
		for i < n && isDigit(d.data[i]) {
			i++
		}
	default:
		d.pos = i
		return nil, d.errorf("invalid number")
	}
	if i < n && d.data[i] == '.' {
		i++
		if i >= n || !isDigit(d.data[i]) {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
		for i < n && isDigit(d.data[i]) {
			i++
		}
	}
	if i < n && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < n && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if i >= n || !isDigit(d.data[i]) {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
		for i < n && isDigit(d.data[i]) {
			i++
		}
	}
	d.pos = i
	return d.data[start:i], nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// stringBytes scans a string at the current position (which must be '"')
// and returns its decoded content. When the string has no escapes and is
// valid UTF-8 the result aliases the input; otherwise it is a new slice.
func (d *Decoder) stringBytes() ([]byte, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, d.errorf("expected a string")
	}
	d.pos++
	start := d.pos
	// One pass, eight bytes at a time, looking for the closing quote, a
	// backslash, a control character or a non-ASCII byte.
	const (
		lo = 0x0101010101010101
		hi = 0x8080808080808080
	)
	data := d.data
	i := start
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		q := x ^ (lo * '"')
		bs := x ^ (lo * '\\')
		if ((q-lo)&^q|(bs-lo)&^bs|(x-lo*0x20)&^x|x)&hi != 0 {
			break
		}
	}
	high := false
	for ; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			if high && !utf8.Valid(data[start:i]) {
				return d.slowString(start)
			}
			d.pos = i + 1
			return data[start:i], nil
		case c == '\\':
			return d.slowString(start)
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		case c >= utf8.RuneSelf:
			high = true
		}
	}
	d.pos = len(data)
	return nil, d.errorf("unterminated string")
}

// slowString decodes a string with escapes or invalid UTF-8 (replaced by
// U+FFFD, as encoding/json does) starting just after the opening quote.
func (d *Decoder) slowString(start int) ([]byte, error) {
	out := make([]byte, 0, 32)
	i := start
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return out, nil
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		case c == '\\':
			if i+1 >= len(d.data) {
				d.pos = i
				return nil, d.errorf("unterminated string")
			}
			e := d.data[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(d.data, i)
				if !ok {
					d.pos = i
					return nil, d.errorf("invalid \\u escape")
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(-1), false
					if i+6 <= len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
						r2, ok2 = hex4(d.data, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				d.pos = i - 1
				return nil, d.errorf("invalid escape")
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(d.data[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, d.data[i:i+size]...)
			}
			i += size
		}
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// String reads a string value.
func (d *Decoder) String() (string, error) {
	d.ws()
	b, err := d.stringBytes()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Skip reads and discards the next value, checking its syntax.
func (d *Decoder) Skip() error {
	d.ws()
	if d.pos >= len(d.data) {
		return d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; c {
	case '{':
		return d.Object(func(key []byte) error { return d.Skip() })
	case '[':
		return d.Array(func() error { return d.Skip() })
	case '"':
		return d.skipString()
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		if c == '-' || isDigit(c) {
			_, err := d.number()
			return err
		}
		return d.errorf("invalid character %q", c)
	}
}

// skipString skips a string without building its value.
func (d *Decoder) skipString() error {
	d.pos++
	for i := d.pos; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return nil
		case c == '\\':
			// Validate escapes through the slow path.
			_, err := d.slowString(d.pos)
			return err
		case c < 0x20:
			d.pos = i
			return d.errorf("control character in string")
		}
	}
	d.pos = len(d.data)
	return d.errorf("unterminated string")
}

// Raw reads the next value, checking its syntax, and returns its bytes
// (aliasing the input).
func (d *Decoder) Raw() ([]byte, error) {
	d.ws()
	start := d.pos
	if err := d.Skip(); err != nil {
		return nil, err
	}
	return d.data[start:d.pos], nil
}

// Object reads an object, calling fn with each member's key (which may alias
// the input: copy it to keep it). fn must consume the member's value with
// one of the Decoder's reading methods.
func (d *Decoder) Object(fn func(key []byte) error) error {
	return d.container('{', '}', "object", func() error {
		d.ws()
		key, err := d.stringBytes()
		if err != nil {
			return err
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return d.errorf("expected ':' after object key")
		}
		d.pos++
		return fn(key)
	})
}

// Array reads an array, calling fn once per element; fn must consume the
// element with one of the Decoder's reading methods.
func (d *Decoder) Array(fn func() error) error {
	return d.container('[', ']', "array", fn)
}

// container reads an object or array delimited by open and closing, calling
// item for each member or element.
func (d *Decoder) container(open, closing byte, what string, item func() error) error {
	d.ws()
	if d.pos >= len(d.data) || d.data[d.pos] != open {
		return d.errorf("expected an %s", what)
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == closing {
		d.pos++
		d.depth--
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		d.ws()
		if d.pos >= len(d.data) {
			return d.errorf("unterminated %s", what)
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case closing:
			d.pos++
			d.depth--
			return nil
		default:
			return d.errorf("expected ',' or '%c' in %s", closing, what)
		}
	}
}

// isEmpty reports whether the next value is {} or [] (after white space).
func (d *Decoder) isEmpty(open, closing byte) bool {
	d.ws()
	if d.pos >= len(d.data) || d.data[d.pos] != open {
		return false
	}
	i := d.pos + 1
	for i < len(d.data) {
		switch d.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i < len(d.data) && d.data[i] == closing
}

// Any reads the next value into the generic form encoding/json uses:
// map[string]any, []any, string, float64, bool or nil.
func (d *Decoder) Any() (any, error) {
	d.ws()
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; c {
	case '{':
		m := map[string]any{}
		err := d.Object(func(key []byte) error {
			v, err := d.Any()
			if err != nil {
				return err
			}
			m[string(key)] = v
			return nil
		})
		return m, err
	case '[':
		a := []any{}
		err := d.Array(func() error {
			v, err := d.Any()
			if err != nil {
				return err
			}
			a = append(a, v)
			return nil
		})
		return a, err
	case '"':
		return d.String()
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	default:
		if c == '-' || isDigit(c) {
			lit, err := d.number()
			if err != nil {
				return nil, err
			}
			f, err := strconv.ParseFloat(string(lit), 64)
			if err != nil {
				// Out of range: keep the text rather than lose the value.
				return string(lit), nil
			}
			return f, nil
		}
		return nil, d.errorf("invalid character %q", c)
	}
}
