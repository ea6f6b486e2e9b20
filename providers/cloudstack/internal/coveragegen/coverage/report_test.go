package coverage

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildTotals(t *testing.T) {
	spec, err := cloudstacksim.LoadSpec()
	require.NoError(t, err)
	r := Build(spec, map[string][]string{
		"ListNodes": {"listPublicIpAddresses", "listVirtualMachines"},
		"GetNode":   {"listVirtualMachines"},
		"Provider":  {},
	}, []string{"queryAsyncJobResult"}, []string{"listVirtualMachines", "listZones"})
	assert.Equal(t, Totals{Spec: 705, Typed: 2, Simulated: 2, Both: 1, RawOnly: 703, Methods: 2}, r.Totals())
	require.Len(t, r.Commands, 705)
	for i := 1; i < len(r.Commands); i++ {
		assert.Less(t, strings.ToLower(r.Commands[i-1].Name), strings.ToLower(r.Commands[i].Name))
	}
	md := string(r.Markdown())
	for _, line := range []string{
		"| Typed driver methods | 2 | 0.3 % |",
		"| Simulator | 2 | 0.3 % |",
		"| ExRawRequest only | 703 | 99.7 % |",
		"| `ListNodes` | `listPublicIpAddresses`, `listVirtualMachines` |",
		"| `listVirtualMachines` |  | `GetNode`, `ListNodes` | yes |",
		"| `listZones` |  |  | yes |",
		"| `deployVirtualMachine` | async |  |  |",
		"| `queryAsyncJobResult` |  | every async method (job polling) |  |",
	} {
		assert.Contains(t, md, line+"\n")
	}
	assert.NotContains(t, md, "`Provider`")
}

// TestLoadDriver builds the report of the real driver: the simulator's
// commands are all in the spec, and the driver's basic methods are found.
func TestLoadDriver(t *testing.T) {
	r, err := Load("../../..")
	require.NoError(t, err)
	tot := r.Totals()
	assert.Equal(t, 705, tot.Spec)
	assert.Equal(t, len(cloudstacksim.ImplementedCommands()), tot.Simulated, "a simulator command outside the spec")
	assert.Equal(t, []string{"createTags", "deployVirtualMachine", "listSSHKeyPairs", "listVirtualMachines", "listZones", "registerSSHKeyPair"},
		r.Methods["CreateNode"])
	assert.NotContains(t, r.Methods, "ExRawRequest")
	for _, c := range r.Commands {
		if c.Name == "queryAsyncJobResult" {
			assert.True(t, c.Transport)
		}
	}
}

// TestEmbeddedSpecIsShared checks that the spec the report is built from
// (the simulator's embedded copy) is ../shared/cloudstack-api/listApis.json.
func TestEmbeddedSpecIsShared(t *testing.T) {
	dir, err := RepoRoot(".")
	require.NoError(t, err)
	shared, err := os.ReadFile(filepath.Join(dir, "..", "shared", "cloudstack-api", "listApis.json"))
	if os.IsNotExist(err) {
		t.Skip("no ../shared beside the repository")
	}
	require.NoError(t, err)
	gz, err := os.ReadFile("../../../cloudstacksim/apispec/listApis.json.gz")
	require.NoError(t, err)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	embedded, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(shared, embedded), "cloudstacksim/apispec/listApis.json.gz is not gzip of ../shared/cloudstack-api/listApis.json")
}
