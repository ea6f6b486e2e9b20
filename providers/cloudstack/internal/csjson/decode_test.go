package csjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type owner struct {
	Account  string `json:"account"`
	DomainID string `json:"domainid"`
}

type nic struct {
	ID        string `json:"id"`
	IPAddress string `json:"ipaddress"`
	IsDefault bool   `json:"isdefault"`
	Extra     map[string]any
}

type vm struct {
	owner
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Memory   int               `json:"memory"`
	CPUSpeed int64             `json:"cpuspeed"`
	Used     float64           `json:"cpuused"`
	HA       bool              `json:"haenable"`
	Created  time.Time         `json:"created"`
	NICs     []nic             `json:"nic"`
	Details  map[string]string `json:"details"`
	Child    *nic              `json:"child"`
	Raw      json.RawMessage   `json:"raw"`
	Any      any               `json:"any"`
	Size     uint64            `json:"size"`
	Ignored  string            `json:"-"`
	Extra    map[string]any
}

func TestUnmarshal_Coercions(t *testing.T) {
	in := `{"id":2600,"name":"test","account":"acc","domainid":801,"memory":"384","cpuspeed":1.2e3,
	"cpuused":"1.78%","haenable":"TRUE","created":"2011-06-23T05:06:42+0000",
	"nic":[{"id":3891,"ipaddress":"1.1.1.116","isdefault":true,"traffictype":"Guest"},{"id":"x","isdefault":"false"}],
	"details":{"a":"b","n":1,"t":true},"child":{"id":"c"},"raw":{"k":[1,2]},"any":[1,"x",null,{"y":false}],
	"size":"10737418240","Ignored":"no","newfield":{"nested":[1.5]},"drift":null}`
	var v vm
	require.NoError(t, Unmarshal([]byte(in), &v))
	assert.Equal(t, "2600", v.ID)
	assert.Equal(t, "test", v.Name)
	assert.Equal(t, "acc", v.Account)
	assert.Equal(t, "801", v.DomainID)
	assert.Equal(t, 384, v.Memory)
	assert.Equal(t, int64(1200), v.CPUSpeed)
	assert.Zero(t, v.Used, "1.78%% does not fit a float")
	assert.Equal(t, "1.78%", v.Extra["cpuused"], "the drifted value is kept in Extra with its JSON type")
	assert.True(t, v.HA)
	assert.Equal(t, time.Date(2011, 6, 23, 5, 6, 42, 0, time.UTC), v.Created.UTC())
	require.Len(t, v.NICs, 2)
	assert.Equal(t, "3891", v.NICs[0].ID)
	assert.True(t, v.NICs[0].IsDefault)
	assert.Equal(t, map[string]any{"traffictype": "Guest"}, v.NICs[0].Extra)
	assert.Equal(t, "x", v.NICs[1].ID)
	assert.False(t, v.NICs[1].IsDefault)
	assert.Equal(t, map[string]string{"a": "b", "n": "1", "t": "true"}, v.Details)
	require.NotNil(t, v.Child)
	assert.Equal(t, "c", v.Child.ID)
	assert.JSONEq(t, `{"k":[1,2]}`, string(v.Raw))
	assert.Equal(t, []any{1.0, "x", nil, map[string]any{"y": false}}, v.Any)
	assert.Equal(t, uint64(10737418240), v.Size)
	assert.Empty(t, v.Ignored)
	assert.Equal(t, map[string]any{"nested": []any{1.5}}, v.Extra["newfield"])
	assert.Contains(t, v.Extra, "drift")
	assert.Nil(t, v.Extra["drift"])
	assert.Contains(t, v.Extra, "Ignored", "a field tagged - is not modelled")
}

func TestUnmarshal_EmptyShapes(t *testing.T) {
	var v vm
	require.NoError(t, Unmarshal([]byte(`{"nic":{},"details":[],"child":[],"id":null}`), &v))
	assert.NotNil(t, v.NICs)
	assert.Empty(t, v.NICs)
	assert.NotNil(t, v.Details)
	assert.Empty(t, v.Details)
	require.NotNil(t, v.Child)
	assert.Empty(t, v.Extra)

	var list []nic
	require.NoError(t, Unmarshal([]byte(` {} `), &list))
	assert.Empty(t, list)
}

func TestUnmarshal_MismatchGoesToExtra(t *testing.T) {
	var v vm
	require.NoError(t, Unmarshal([]byte(`{"nic":{"id":"not a list"},"memory":{"a":1},"name":["x"],"haenable":"maybe","created":"yesterday","child":5}`), &v))
	assert.Nil(t, v.NICs)
	assert.Zero(t, v.Memory)
	assert.Empty(t, v.Name)
	assert.Nil(t, v.Child)
	assert.Equal(t, map[string]any{
		"nic": map[string]any{"id": "not a list"}, "memory": map[string]any{"a": 1.0}, "name": []any{"x"},
		"haenable": "maybe", "created": "yesterday", "child": 5.0,
	}, v.Extra)

	// A mismatch deep inside a slice element resets the whole field.
	var w struct {
		Names []string `json:"names"`
		Extra map[string]any
	}
	require.NoError(t, Unmarshal([]byte(`{"names":["a",{"b":[[1]]}],"z":1}`), &w))
	assert.Nil(t, w.Names)
	assert.Equal(t, []any{"a", map[string]any{"b": []any{[]any{1.0}}}}, w.Extra["names"])
	assert.Equal(t, 1.0, w.Extra["z"])
}

func TestUnmarshal_Strings(t *testing.T) {
	cases := map[string]string{
		`"plain"`:                   "plain",
		`"esc \" \\ \/ \b\f\n\r\t"`: "esc \" \\ / \b\f\n\r\t",
		`"\u00e9\u4e2d"`:            "é中",
		`"\ud83d\ude00"`:            "😀",
		`"\ud83d x"`:                "\ufffd x",
		"\"bad \xff utf8\"":         "bad \ufffd utf8",
		`"é raw"`:                   "é raw",
	}
	for in, want := range cases {
		var s string
		require.NoError(t, Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
}

func TestUnmarshal_CaseInsensitiveKeys(t *testing.T) {
	var v struct {
		Type  string `json:"affinityGroupType"`
		Cross bool   `json:"crossZones"`
	}
	require.NoError(t, Unmarshal([]byte(`{"affinitygrouptype":"host anti-affinity","crossZones":true}`), &v))
	assert.Equal(t, "host anti-affinity", v.Type)
	assert.True(t, v.Cross)
}

func TestUnmarshal_SyntaxErrors(t *testing.T) {
	for _, in := range []string{
		``, `{`, `{"a"}`, `{"a":1,}`, `[1,]`, `[1 2]`, `"abc`, `"a\x"`, `"\u12"`, `tru`, `nul`, `01`, `1.`,
		`-`, `1e`, `{"a":1}x`, "\"a\x01\"", `{"a":"b" "c":1}`, `{1:2}`, `}`, `[`, `{"a":[}`,
	} {
		var v any
		err := Unmarshal([]byte(in), &v)
		var se *SyntaxError
		assert.True(t, errors.As(err, &se), "%q gave %v", in, err)
	}
}

func TestUnmarshal_DepthLimit(t *testing.T) {
	deep := make([]byte, 0, 2*MaxDepth+4)
	for range MaxDepth + 1 {
		deep = append(deep, '[')
	}
	for range MaxDepth + 1 {
		deep = append(deep, ']')
	}
	var v any
	var se *SyntaxError
	assert.True(t, errors.As(Unmarshal(deep, &v), &se))
	var ok any
	require.NoError(t, Unmarshal(deep[1:len(deep)-1], &ok))
}

func TestUnmarshal_TopLevelMismatch(t *testing.T) {
	var v vm
	err := Unmarshal([]byte(`[1,2]`), &v)
	var me *MismatchError
	require.True(t, errors.As(err, &me), "%v", err)
	assert.Equal(t, reflect.TypeFor[vm](), me.Type)

	var ie *InvalidTargetError
	assert.True(t, errors.As(Unmarshal([]byte(`{}`), v), &ie))
	assert.True(t, errors.As(Unmarshal([]byte(`{}`), nil), &ie))
}

func TestUnmarshal_AgreesWithEncodingJSON(t *testing.T) {
	// On well-typed input csjson and encoding/json agree.
	in := []byte(`{"id":"a","name":"b","account":"c","memory":5,"haenable":true,"nic":[{"id":"n","ipaddress":"1.2.3.4","isdefault":true}],"details":{"k":"v"},"any":{"x":[1,"2",true,null]}}`)
	var a, b vm
	require.NoError(t, Unmarshal(in, &a))
	require.NoError(t, json.Unmarshal(in, &b))
	assert.Equal(t, b, a)
}

type custom struct{ got string }

func (c *custom) UnmarshalJSON(b []byte) error {
	if string(b) == `"bad"` {
		return errors.New("bad")
	}
	c.got = string(b)
	return nil
}

func TestUnmarshal_Unmarshaler(t *testing.T) {
	var v struct {
		C     custom `json:"c"`
		D     custom `json:"d"`
		Extra map[string]any
	}
	require.NoError(t, Unmarshal([]byte(`{"c":[1, 2],"d":"bad"}`), &v))
	assert.Equal(t, `[1, 2]`, v.C.got)
	assert.Equal(t, "bad", v.Extra["d"])
}

func TestRecursiveType(t *testing.T) {
	type node struct {
		Name     string  `json:"name"`
		Children []*node `json:"children"`
	}
	var n node
	require.NoError(t, Unmarshal([]byte(`{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}`), &n))
	assert.Equal(t, "c", n.Children[0].Children[0].Name)
}

func TestDecoder_Walk(t *testing.T) {
	d := NewDecoder([]byte(`{"listzonesresponse":{"count":2,"zone":[{"id":"1"},{"id":"2"}]}}`))
	var ids []string
	err := d.Object(func(key []byte) error {
		assert.Equal(t, "listzonesresponse", string(key))
		return d.Object(func(key []byte) error {
			if string(key) != "zone" {
				return d.Skip()
			}
			return d.Array(func() error {
				var z struct {
					ID string `json:"id"`
				}
				if err := d.Decode(&z); err != nil {
					return err
				}
				ids = append(ids, z.ID)
				return nil
			})
		})
	})
	require.NoError(t, err)
	require.NoError(t, d.End())
	assert.Equal(t, []string{"1", "2"}, ids)
}
