// Package csjson is a lenient, single-pass JSON decoder for CloudStack
// responses.
//
// CloudStack servers of different versions disagree on field types: ids are
// numbers on old servers and UUID strings on new ones, booleans and numbers
// are sometimes sent as strings ("success":"true"), an empty list may be
// written as {} and an empty object as [], and fields come and go between
// releases. encoding/json either rejects such drift or needs a map-to-struct
// double decode to survive it. csjson decodes straight into typed structs in
// one pass and coerces instead of failing:
//
//   - a string field accepts a string, a number (its literal text) or a
//     boolean ("true"/"false");
//   - integer and float fields accept numbers and numeric strings ("" leaves
//     the zero value); integers accept integral floats such as 1.0;
//   - bool fields accept true/false, "true"/"false" in any case, and 0/1;
//   - time.Time fields accept CloudStack's "2006-01-02T15:04:05-0700" and
//     RFC 3339 forms;
//   - slices accept arrays and {} (empty); structs and maps accept objects and
//     [] (empty); null leaves the zero value.
//
// A value that cannot be coerced into its field (a drifted type) does not fail
// the decode: the field is left at its zero value and the value goes into the
// struct's Extra field, as do members the struct does not model. Extra is a
// field named Extra of type map[string]any; its values keep their JSON types
// (string, float64, bool, nil, []any, map[string]any), never stringified.
//
// Field names come from `json` tags as in encoding/json (exact match first,
// then case-insensitive); untagged exported fields use their Go name; fields
// tagged "-" are ignored; embedded structs are flattened. Types implementing
// json.Unmarshaler (other than time.Time) are handed their raw value, and
// json.RawMessage receives a copy of the raw bytes.
//
// Only malformed JSON is an error (*SyntaxError); any byte sequence gives
// either a value or a typed error, never a panic. Nesting is limited to
// MaxDepth levels.
package csjson
