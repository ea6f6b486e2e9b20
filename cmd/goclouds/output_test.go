package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
)

// TestGolden pins the output of the listing commands in every format.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"nodes_list_table", []string{"nodes", "list"}},
		{"nodes_list_json", []string{"nodes", "list", "-o", "json"}},
		{"nodes_list_yaml", []string{"nodes", "list", "-o", "yaml"}},
		{"nodes_list_csv", []string{"nodes", "list", "-o", "csv"}},
		{"nodes_get_json", []string{"nodes", "get", "dummy-2", "-o", "json"}},
		{"nodes_get_table", []string{"nodes", "get", "1"}},
		{"images_list_table", []string{"images", "list"}},
		{"images_list_json", []string{"images", "list", "-o", "json"}},
		{"images_get_yaml", []string{"images", "get", "Ubuntu 9.04", "-o", "yaml"}},
		{"sizes_list_table", []string{"sizes", "list"}},
		{"sizes_list_json", []string{"sizes", "list", "-o", "json"}},
		{"sizes_list_csv", []string{"sizes", "list", "-o", "csv"}},
		{"locations_list_table", []string{"locations", "list"}},
		{"locations_list_json", []string{"locations", "list", "-o", "json"}},
		{"nodes_stop_table", []string{"nodes", "stop", "1", "dummy-2"}},
		{"nodes_reboot_json", []string{"nodes", "reboot", "1", "-o", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, ok(t, tc.args...))
		})
	}
	t.Run("providers_list_table", func(t *testing.T) {
		r := runCLI(t, "providers", "list")
		require.Equal(t, exitOK, r.code, r.stderr)
		// The test binary registers extra providers; keep the built-ins.
		var kept []string
		for _, line := range strings.SplitAfter(r.stdout, "\n") {
			if !strings.HasPrefix(line, "cli") {
				kept = append(kept, line)
			}
		}
		golden(t, "providers_list_table", strings.Join(kept, ""))
	})
}

func TestEmptyListIsEmptyArray(t *testing.T) {
	for format, want := range map[string]string{
		"json":  "[]\n",
		"yaml":  "[]\n",
		"csv":   "id,name,state,public_ips,private_ips,image,size,location\n",
		"table": "ID  NAME  STATE  PUBLIC_IPS  PRIVATE_IPS  IMAGE  SIZE  LOCATION\n",
	} {
		t.Run(format, func(t *testing.T) {
			assert.Equal(t, want, ok(t, "--option", "nodes=none", "nodes", "list", "-o", format))
		})
	}
}

func TestJSONFieldNames(t *testing.T) {
	var nodes []map[string]any
	require.NoError(t, json.Unmarshal([]byte(ok(t, "nodes", "list", "-o", "json")), &nodes))
	require.Len(t, nodes, 2)
	for _, k := range []string{"id", "name", "state", "public_ips", "private_ips", "size", "image", "location", "provider", "created_at", "extra"} {
		assert.Contains(t, nodes[0], k)
	}
	assert.Equal(t, "running", nodes[0]["state"])
	assert.Equal(t, []any{"127.0.0.1"}, nodes[0]["public_ips"])
}

func TestCSVIsParseable(t *testing.T) {
	out := ok(t, "sizes", "list", "-o", "csv")
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 5)
	assert.Equal(t, []string{"id", "name", "vcpus", "ram", "disk", "bandwidth", "price"}, records[0])
	// The dummy's VCPUs (column 2) are its own business.
	assert.Equal(t, []string{"4", "XXL Big", "8192", "128", "7500", "64"}, slices.Delete(records[4], 2, 3))
}

func TestInvalidOutputFormatChangesNothing(t *testing.T) {
	stderr := fails(t, exitUsage, "nodes", "destroy", "1", "-o", "xml")
	assert.Contains(t, stderr, `invalid output format "xml"`)
	assert.Contains(t, ok(t, "nodes", "list"), "dummy-1", "the node must not have been destroyed")
}

func TestTableCellsStayOnOneLine(t *testing.T) {
	var buf bytes.Buffer
	cols := []column[*compute.Image]{
		col("ID", func(i *compute.Image) string { return i.ID }),
		col("NAME", func(i *compute.Image) string { return i.Name }),
	}
	require.NoError(t, render(&buf, outputTable, nil, []*compute.Image{{ID: "1", Name: "two\nlines"}, {ID: "2"}}, cols))
	assert.Equal(t, "ID  NAME\n1   two lines\n2   -\n", buf.String())
}

func TestYAMLScalars(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"plain"`, "plain\n"},
		{`"Ubuntu 22.04 LTS"`, "Ubuntu 22.04 LTS\n"},
		{`"yes"`, "\"yes\"\n"},
		{`"No"`, "\"No\"\n"},
		{`"null"`, "\"null\"\n"},
		{`"123"`, "\"123\"\n"},
		{`"10.0.0.1"`, "\"10.0.0.1\"\n"},
		{`"a: b"`, "\"a: b\"\n"},
		{`"# x"`, "\"# x\"\n"},
		{`"- x"`, "\"- x\"\n"},
		{`""`, "\"\"\n"},
		{`"trailing "`, "\"trailing \"\n"},
		{`"line\nbreak"`, "\"line\\nbreak\"\n"},
		{`"<tag> & co"`, "\"<tag> & co\"\n"},
		{`12.5`, "12.5\n"},
		{`true`, "true\n"},
		{`null`, "null\n"},
		{`{}`, "{}\n"},
		{`[]`, "[]\n"},
		{`{"a":{"b":[1,[2,3],{"c":"d","e":[]}]},"f":{}}`, "a:\n  b:\n    - 1\n    - - 2\n      - 3\n    - c: d\n      e: []\nf: {}\n"},
		{`{"weird key":"v","x:y":1}`, "weird key: v\n\"x:y\": 1\n"},
	} {
		var buf bytes.Buffer
		require.NoError(t, writeYAML(&buf, []byte(tc.in)), tc.in)
		assert.Equal(t, tc.want, buf.String(), tc.in)
	}
	var buf bytes.Buffer
	assert.Error(t, writeYAML(&buf, []byte(`{"a":`)))
}
