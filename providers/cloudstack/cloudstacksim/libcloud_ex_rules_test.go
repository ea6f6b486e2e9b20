package cloudstacksim_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// needLibcloud returns a Python interpreter with libcloud, or skips the test
// when there is none, except in CI (CI set), where that is a failure.
func needLibcloud(t *testing.T) string {
	t.Helper()
	py := libcloudPython()
	if py == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with libcloud is required in CI (apt-get install python3-libcloud)")
		}
		t.Skip("python3 with libcloud not found")
	}
	return py
}

// TestLibcloudExRules drives the simulator with Libcloud's ex_* calls for
// addresses, NAT, forwarding and firewall rules, affinity groups, projects,
// limits, OS types, ISOs, snapshot templates, volumes and tags
// (testdata/libcloud_ex_rules.py). Like TestLibcloudCompat it skips without
// python3-libcloud, except in CI.
func TestLibcloudExRules(t *testing.T) {
	py := needLibcloud(t)
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: 20 * time.Millisecond, SSHKeyBits: 1024})
	srv := httptest.NewServer(sim)
	defer func() {
		srv.Close()
		sim.Close()
	}()
	cred := sim.AdminCredentials()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "libcloud_ex_rules.py"), srv.URL+sim.Path(), cred.APIKey, cred.SecretKey)
	out, err := cmd.CombinedOutput()
	t.Logf("libcloud_ex_rules.py output:\n%s", out)
	if err != nil {
		t.Fatalf("libcloud ex_* script failed: %v", err)
	}
	for _, c := range []string{
		"associateIpAddress", "disassociateIpAddress", "enableStaticNat", "disableStaticNat",
		"createIpForwardingRule", "listIpForwardingRules", "deleteIpForwardingRule",
		"createPortForwardingRule", "listPortForwardingRules", "deletePortForwardingRule",
		"createFirewallRule", "listFirewallRules", "deleteFirewallRule",
		"createEgressFirewallRule", "listEgressFirewallRules", "deleteEgressFirewallRule",
		"listAffinityGroupTypes", "createAffinityGroup", "listAffinityGroups", "deleteAffinityGroup",
		"listProjects", "listResourceLimits", "listOsTypes", "registerIso", "listVolumes", "createTemplate",
		"createTags", "deleteTags",
	} {
		if sim.RequestCount(c) == 0 {
			t.Errorf("Libcloud never sent %s", c)
		}
	}
}
