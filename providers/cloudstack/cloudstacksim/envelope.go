package cloudstacksim

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// reply is what a handler answers: it writes the value of the
// "<command>response" key of the envelope.
type reply interface {
	writeBody(e *encoder) error
}

// objReply is a single object wrapped in its object name:
// {"<key>":{...}}.
type objReply struct {
	key string
	v   any
}

func (r objReply) writeBody(e *encoder) error {
	e.buf.WriteString(`{"`)
	e.buf.WriteString(r.key)
	e.buf.WriteString(`":`)
	if err := e.value(r.v); err != nil {
		return err
	}
	e.buf.WriteByte('}')
	return nil
}

// listReply is a list answer. The shapes follow ApiResponseSerializer:
// {} when count is 0, {"count":N} when the page is past the end,
// {"count":N,"<key>":[...]} otherwise; count is the total number of matches.
type listReply struct {
	key   string
	count int
	items []any
}

func (r listReply) writeBody(e *encoder) error {
	if r.count == 0 {
		e.buf.WriteString("{}")
		return nil
	}
	e.buf.WriteString(`{"count":`)
	e.buf.WriteString(strconv.Itoa(r.count))
	if len(r.items) > 0 {
		e.buf.WriteString(`,"`)
		e.buf.WriteString(r.key)
		e.buf.WriteString(`":[`)
		for i, it := range r.items {
			if i > 0 {
				e.buf.WriteByte(',')
			}
			if err := e.value(it); err != nil {
				return err
			}
		}
		e.buf.WriteByte(']')
	}
	e.buf.WriteByte('}')
	return nil
}

// successReply is a SuccessResponse: {"success":true} with an optional
// displaytext.
type successReply struct {
	displayText string
}

func (r successReply) writeBody(e *encoder) error {
	e.buf.WriteString(`{"success":true`)
	if r.displayText != "" {
		e.buf.WriteString(`,"displaytext":`)
		if err := e.value(r.displayText); err != nil {
			return err
		}
	}
	e.buf.WriteByte('}')
	return nil
}

// flatReply is written as is, without an object-name wrapper (AsyncJobResponse,
// CreateCmdResponse, queryAsyncJobResult, getVMPassword's inner objects).
type flatReply struct {
	v any
}

func (r flatReply) writeBody(e *encoder) error { return e.value(r.v) }

// encoder writes JSON the way the server does: no HTML escaping, no
// whitespace.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newEncoder() *encoder {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// value appends the JSON of v.
func (e *encoder) value(v any) error {
	if raw, ok := v.(json.RawMessage); ok {
		e.buf.Write(raw)
		return nil
	}
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	// json.Encoder terminates each value with a newline.
	e.buf.Truncate(e.buf.Len() - 1)
	return nil
}

// envelope returns {"<name>":<body>}.
func envelope(name string, r reply) ([]byte, error) {
	e := newEncoder()
	e.buf.WriteString(`{"`)
	e.buf.WriteString(name)
	e.buf.WriteString(`":`)
	if err := r.writeBody(e); err != nil {
		return nil, err
	}
	e.buf.WriteByte('}')
	return e.buf.Bytes(), nil
}

// errorBody is the ExceptionResponse of an error answer.
type errorBody struct {
	UUIDList    []any  `json:"uuidList"`
	ErrorCode   int    `json:"errorcode"`
	CSErrorCode int    `json:"cserrorcode,omitempty"`
	ErrorText   string `json:"errortext"`
}

// errorEnvelope returns the error answer of err under the envelope name.
func errorEnvelope(name string, err *apiError, rootAdmin bool) []byte {
	body, e := envelope(name, flatReply{errorBody{UUIDList: []any{}, ErrorCode: err.code, CSErrorCode: err.cs, ErrorText: err.textFor(rootAdmin)}})
	if e != nil { // cannot happen: every field encodes
		return []byte(`{"errorresponse":{"uuidList":[],"errorcode":530,"errortext":"internal error"}}`)
	}
	return body
}
