package csjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzUnmarshal checks that any input decodes or fails with a typed error,
// never panics, and that csjson accepts exactly the JSON encoding/json
// accepts (below csjson's depth limit).
func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{
		`{"id":2600,"name":"test","nic":[{"id":1,"ipaddress":"1.1.1.1"}],"memory":"384","haenable":"true"}`,
		`{"nic":{},"details":[],"created":"2011-06-23T05:06:42+0000","cpuused":"1.78%"}`,
		`[1,-0.5e10,"\ud83d\ude00",null,true,false,{}]`, `"\u00"`, `{"a":}`, "\"\xff\"", `1e400`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var x any
		err := Unmarshal(data, &x)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) < MaxDepth {
			if valid := json.Valid(data); valid != (err == nil) {
				t.Fatalf("encoding/json valid=%v, csjson error %v", valid, err)
			}
		}
		var v vm
		err = Unmarshal(data, &v)
		var me *MismatchError
		if err != nil && !errors.As(err, &se) && !errors.As(err, &me) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
	})
}
