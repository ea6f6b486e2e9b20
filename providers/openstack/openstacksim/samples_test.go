package openstacksim_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

// sampleKeys loads a Nova API sample template and returns its top-level
// keys under root.
func sampleKeys(t *testing.T, path, root string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "nova-api-samples", path))
	if err != nil {
		t.Fatal(err)
	}
	data = regexp.MustCompile(`"%\(\w+\)s"`).ReplaceAll(data, []byte(`"x"`))
	data = regexp.MustCompile(`%\(\w+\)s`).ReplaceAll(data, []byte(`0`))
	var doc map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return keys(doc[root])
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestServerShapeMatchesNovaSamples compares GET /servers/{id} with Nova's
// server-get-resp sample of each microversion that changed it (samples
// before 2.90 are an admin's view; 2.90's a member's).
func TestServerShapeMatchesNovaSamples(t *testing.T) {
	e := newEnv(t, nil)
	id := e.createServer("shape", "")
	e.waitStatus(id, "ACTIVE")
	member := e.login(e.sim.UserCredentials())
	for _, tc := range []struct{ dir, mv string }{
		{".", "2.1"}, {"v2.3", "2.3"}, {"v2.9", "2.9"}, {"v2.16", "2.16"}, {"v2.19", "2.19"}, {"v2.47", "2.47"},
		{"v2.63", "2.63"}, {"v2.71", "2.71"}, {"v2.73", "2.73"}, {"v2.90", "2.90"},
	} {
		want := sampleKeys(t, filepath.Join("servers", tc.dir, "server-get-resp.json.tpl"), "server")
		ee := *e
		if tc.dir == "v2.90" {
			ee.token = member
			id = ee.createServer("shape-member", "2.90")
		}
		st, out, hdr := ee.do("GET", "/compute/v2.1/servers/"+id, "", tc.mv)
		if st != 200 {
			t.Fatalf("%s: %d", tc.mv, st)
		}
		if got := hdr.Get("OpenStack-API-Version"); got != "compute "+tc.mv {
			t.Errorf("%s: OpenStack-API-Version %q", tc.mv, got)
		}
		got := keys(out["server"].(map[string]any))
		if !equalStrings(got, want) {
			t.Errorf("microversion %s: keys\n got %v\nwant %v", tc.mv, got, want)
		}
	}
}

// TestFlavorShapeMatchesNovaSamples compares GET /flavors/{id} with the
// flavor-get-resp samples.
func TestFlavorShapeMatchesNovaSamples(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ path, mv string }{{"flavors/flavor-get-resp.json.tpl", "2.1"}, {"flavors/v2.75/flavor-get-resp.json.tpl", "2.75"}} {
		want := sampleKeys(t, tc.path, "flavor")
		_, out, _ := e.do("GET", "/compute/v2.1/flavors/1", "", tc.mv)
		if got := keys(out["flavor"].(map[string]any)); !equalStrings(got, want) {
			t.Errorf("%s: got %v want %v", tc.mv, got, want)
		}
	}
	want := sampleKeys(t, "versions/v21-version-get-resp.json.tpl", "version")
	_, out, _ := e.do("GET", "/compute/v2.1", "", "")
	if got := keys(out["version"].(map[string]any)); !equalStrings(got, want) {
		t.Errorf("version document: got %v want %v", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
