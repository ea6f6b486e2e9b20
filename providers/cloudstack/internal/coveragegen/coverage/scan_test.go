package coverage

import (
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func specIsCommand(t *testing.T) func(string) bool {
	t.Helper()
	spec, err := cloudstacksim.LoadSpec()
	require.NoError(t, err)
	return func(s string) bool { return spec.Command(s) != nil }
}

func TestScanDriver(t *testing.T) {
	got, err := ScanDriver("testdata/drv", "Driver", specIsCommand(t))
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{
		"Direct":      {"deployVirtualMachine"},
		"ViaHelper":   {"rebootVirtualMachine"},
		"ViaConst":    {"listZones"},
		"Compared":    {"startVirtualMachine"},
		"Closure":     {"deployVirtualMachine", "stopVirtualMachine"},
		"MethodValue": {"deployVirtualMachine"},
		"Nothing":     {},
	}, got)
}

func TestScanCommands(t *testing.T) {
	got, err := ScanCommands("testdata/transport", specIsCommand(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"queryAsyncJobResult"}, got)
}

func TestScanErrors(t *testing.T) {
	_, err := ScanDriver("testdata/missing", "Driver", specIsCommand(t))
	assert.Error(t, err)
	_, err = ScanCommands("testdata", specIsCommand(t))
	assert.ErrorContains(t, err, "no Go files")
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot(".")
	require.NoError(t, err)
	assert.FileExists(t, root+"/go.mod")
	assert.FileExists(t, root+"/providers/cloudstack/coverage_generate.go")
	_, err = RepoRoot("/")
	assert.Error(t, err)
}
