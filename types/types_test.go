package types_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goclouds/goclouds/types"
)

func TestProvider(t *testing.T) {
	for _, p := range []types.Provider{
		types.ProviderDummy, types.ProviderCloudStack, types.ProviderExoscale,
		types.ProviderIkoula, types.ProviderAuroraCompute, types.ProviderEC2,
	} {
		if p.Normalize() != p || p.String() != string(p) {
			t.Errorf("%q is not in normal form", p)
		}
	}
	if got := types.Provider("  CloudStack ").Normalize(); got != types.ProviderCloudStack {
		t.Errorf("Normalize = %q", got)
	}
}

func TestParseNodeState(t *testing.T) {
	want := "running starting rebooting terminated pending unknown stopping stopped suspended error paused reconfiguring migrating normal updating"
	checkStates(t, types.NodeStates, want, types.ParseNodeState)
}

func TestParseVolumeState(t *testing.T) {
	want := "available error inuse creating deleting deleted backup attaching unknown migrating updating"
	checkStates(t, types.VolumeStates, want, types.ParseVolumeState)
}

func TestParseSnapshotState(t *testing.T) {
	want := "available error creating deleting restoring unknown updating"
	checkStates(t, types.SnapshotStates, want, types.ParseSnapshotState)
}

// checkStates checks the states are Libcloud's, in order, and each parses
// from its name in any case; unknown text is reported.
func checkStates[S interface {
	~string
	String() string
}](t *testing.T, all []S, want string, parse func(string) (S, error)) {
	t.Helper()
	var names []string
	for _, s := range all {
		names = append(names, s.String())
	}
	if got := strings.Join(names, " "); got != want {
		t.Errorf("states %q, want Libcloud's %q", got, want)
	}
	for _, s := range all {
		for _, text := range []string{string(s), strings.ToUpper(string(s)), " " + string(s) + "\n"} {
			got, err := parse(text)
			if err != nil || got != s {
				t.Errorf("parse(%q) = %q, %v; want %q", text, got, err, s)
			}
		}
	}
	for _, text := range []string{"", "Runnin", "shutdowned", "running now"} {
		got, err := parse(text)
		if !errors.Is(err, types.ErrUnknownState) || got != "" {
			t.Errorf("parse(%q) = %q, %v; want ErrUnknownState", text, got, err)
		} else if !strings.Contains(err.Error(), `"`+text+`"`) {
			t.Errorf("parse(%q): error %q does not quote the text", text, err)
		}
	}
}
