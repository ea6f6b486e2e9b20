package csapi

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/csjson"
)

// errorFields are the members of an error object.
type errorFields struct {
	ErrorCode   int    `json:"errorcode"`
	CSErrorCode int    `json:"cserrorcode"`
	ErrorText   string `json:"errortext"`
	hasCode     bool
}

// isResponseKey reports whether key names a response object
// ("listzonesresponse", "restorevmresponse", "errorresponse", ...).
func isResponseKey(key []byte) bool {
	const suffix = "response"
	return len(key) >= len(suffix) && strings.EqualFold(string(key[len(key)-len(suffix):]), suffix)
}

// walkEnvelope finds the response object in body and calls inner on it; inner
// must consume the object with the decoder. The response object is the
// member whose name ends in "response" (case-insensitively), or else the only
// member: servers name it after the command with exceptions
// (restorevmresponse, errorresponse, ...), so it is never computed.
func walkEnvelope(body []byte, inner func(d *csjson.Decoder) error) error {
	d := csjson.NewDecoder(body)
	if d.Peek() != '{' {
		return errors.New("not a JSON object")
	}
	found := false
	var only []byte
	members := 0
	err := d.Object(func(key []byte) error {
		members++
		if !found && isResponseKey(key) {
			found = true
			return inner(d)
		}
		if members == 1 {
			raw, err := d.Raw()
			only = raw
			return err
		}
		return d.Skip()
	})
	if err != nil {
		return err
	}
	if err := d.End(); err != nil {
		return err
	}
	if found {
		return nil
	}
	if members == 1 {
		od := csjson.NewDecoder(only)
		if err := inner(od); err != nil {
			return err
		}
		return od.End()
	}
	return errors.New(`no "...response" member`)
}

// readErrorMember decodes key if it is one of the error members, reporting
// whether it was.
func readErrorMember(d *csjson.Decoder, key []byte, ef *errorFields) (bool, error) {
	switch k := string(key); {
	case len(k) != len("errorcode") && len(k) != len("cserrorcode"):
		return false, nil
	case strings.EqualFold(k, "errorcode"):
		ef.hasCode = true
		return true, d.Decode(&ef.ErrorCode)
	case strings.EqualFold(k, "cserrorcode"):
		return true, d.Decode(&ef.CSErrorCode)
	case strings.EqualFold(k, "errortext"):
		return true, d.Decode(&ef.ErrorText)
	}
	return false, nil
}

// apiError builds the error of a failed answer, or nil when the answer is a
// success: a non-2xx status, or an error object even with status 200.
func apiError(command string, status int, ef *errorFields) *Error {
	ok := status >= 200 && status < 300
	if ok && (!ef.hasCode || ef.ErrorCode == 0) {
		return nil
	}
	code := ef.ErrorCode
	if code == 0 {
		code = status
	}
	return &Error{HTTPStatus: status, ErrorCode: code, CSErrorCode: ef.CSErrorCode, ErrorText: ef.ErrorText, Command: command}
}

// statusError is the error of a non-2xx answer whose body is not a
// CloudStack error object (a proxy's page, an empty 401).
func statusError(command string, status int, header http.Header, body []byte) *Error {
	text := strings.TrimSpace(header.Get("X-Description"))
	if text == "" && looksLikeText(body) {
		text = snippet(body)
	}
	if text == "" {
		text = http.StatusText(status)
	}
	return &Error{HTTPStatus: status, ErrorCode: status, ErrorText: text, Command: command}
}

func looksLikeText(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] != '<'
}

// Decode checks resp for an API error and decodes the response object into
// out (nil to discard it). The errors are *Error and
// *MalformedResponseError.
func Decode(resp *Response, out any) error {
	var inner []byte
	var ef errorFields
	err := walkEnvelope(resp.Body, func(d *csjson.Decoder) error {
		raw, err := d.Raw()
		if err != nil {
			return err
		}
		inner = raw
		if d2 := csjson.NewDecoder(raw); d2.Peek() == '{' {
			return d2.Object(func(key []byte) error {
				if isErr, err := readErrorMember(d2, key, &ef); isErr || err != nil {
					return err
				}
				return d2.Skip()
			})
		}
		return nil
	})
	if err != nil {
		return malformed(resp, err)
	}
	if e := apiError(resp.Command, resp.Status, &ef); e != nil {
		if e.ErrorText == "" {
			e.ErrorText = statusError(resp.Command, resp.Status, resp.Header, nil).ErrorText
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := csjson.Unmarshal(inner, out); err != nil {
		return malformed(resp, err)
	}
	return nil
}

// malformed reports an undecodable body: for a non-2xx status that is an
// *Error carrying the status, otherwise a *MalformedResponseError.
func malformed(resp *Response, err error) error {
	if resp.Status < 200 || resp.Status >= 300 {
		return statusError(resp.Command, resp.Status, resp.Header, resp.Body)
	}
	return &MalformedResponseError{Command: resp.Command, HTTPStatus: resp.Status, Snippet: snippet(resp.Body), Err: err}
}

// Page is one page of a list answer.
type Page[T any] struct {
	// Items are the page's rows.
	Items []T
	// Count is the server's total, when sent.
	Count int
	// HasCount reports whether count was sent.
	HasCount bool
}

// DecodePage decodes a list answer in one pass: the rows under itemsKey
// (matched case-insensitively) go straight into Items. When itemsKey is
// absent but the response holds exactly one other array, that array is
// taken (servers rename item keys between versions). A missing array is an
// empty page, as CloudStack writes {} for an empty list.
func DecodePage[T any](resp *Response, itemsKey string) (*Page[T], error) {
	return decodePage[T](resp, itemsKey, 0, 0)
}

// decodePage is DecodePage for page number page of size rows (0 when not
// paging): when count comes before the rows, as servers write it, room for
// the page's rows is made once.
func decodePage[T any](resp *Response, itemsKey string, page, size int) (*Page[T], error) {
	if resp.Status < 200 || resp.Status >= 300 {
		return nil, Decode(resp, nil)
	}
	out := &Page[T]{}
	var ef errorFields
	found := false
	var candidates [][]byte
	err := walkEnvelope(resp.Body, func(d *csjson.Decoder) error {
		if d.Peek() != '{' {
			return errors.New("response is not an object")
		}
		return d.Object(func(key []byte) error {
			if isErr, err := readErrorMember(d, key, &ef); isErr || err != nil {
				return err
			}
			switch {
			case strings.EqualFold(string(key), itemsKey):
				found = true
				if out.HasCount && out.Items == nil {
					rows := out.Count
					if page > 0 {
						rows = min(max(out.Count-(page-1)*size, 0), size)
					}
					out.Items = make([]T, 0, min(rows, MaxPageSize))
				}
				return d.Decode(&out.Items)
			case strings.EqualFold(string(key), "count"):
				out.HasCount = true
				return d.Decode(&out.Count)
			case d.Peek() == '[':
				raw, err := d.Raw()
				candidates = append(candidates, raw)
				return err
			}
			return d.Skip()
		})
	})
	if err != nil {
		return nil, malformed(resp, err)
	}
	if e := apiError(resp.Command, resp.Status, &ef); e != nil {
		return nil, e
	}
	if !found && len(candidates) == 1 {
		if err := csjson.Unmarshal(candidates[0], &out.Items); err != nil {
			return nil, malformed(resp, err)
		}
	}
	return out, nil
}

func decodeRaw(raw []byte, out any) error { return csjson.Unmarshal(raw, out) }

// member returns the raw value of obj's member key (case-insensitive), or,
// when there is no such member, of its only object-valued member.
func member(obj []byte, key string) ([]byte, error) {
	d := csjson.NewDecoder(obj)
	if d.Peek() != '{' {
		return nil, errors.New("result is not an object")
	}
	var found, only []byte
	objects := 0
	err := d.Object(func(k []byte) error {
		raw, err := d.Raw()
		if err != nil {
			return err
		}
		if found == nil && strings.EqualFold(string(k), key) {
			found = raw
		}
		if len(raw) > 0 && raw[0] == '{' {
			objects++
			only = raw
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case found != nil:
		return found, nil
	case objects == 1:
		return only, nil
	}
	return nil, fmt.Errorf("no %q in the result", key)
}
