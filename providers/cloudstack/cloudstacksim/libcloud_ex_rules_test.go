package cloudstacksim_test

import (
	"github.com/goclouds/goclouds/providers/internal/realclient"
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
		realclient.Missing(t, "python3 with libcloud", "python3-libcloud")
	}
	return py
}

// TestLibcloudExRules drives the simulator with Libcloud's ex_* calls for
// addresses, NAT, forwarding and firewall rules, affinity groups, projects,
// limits, OS types, ISOs, snapshot templates, volumes and tags
// (testdata/libcloud_ex_rules.py).
func TestLibcloudExRules(t *testing.T) {
	runLibcloudScript(t, "libcloud_ex_rules.py", &cloudstacksim.Options{JobDelay: 20 * time.Millisecond, SSHKeyBits: 1024}, []string{
		"associateIpAddress", "disassociateIpAddress", "enableStaticNat", "disableStaticNat",
		"createIpForwardingRule", "listIpForwardingRules", "deleteIpForwardingRule",
		"createPortForwardingRule", "listPortForwardingRules", "deletePortForwardingRule",
		"createFirewallRule", "listFirewallRules", "deleteFirewallRule",
		"createEgressFirewallRule", "listEgressFirewallRules", "deleteEgressFirewallRule",
		"listAffinityGroupTypes", "createAffinityGroup", "listAffinityGroups", "deleteAffinityGroup",
		"listProjects", "listResourceLimits", "listOsTypes", "registerIso", "listVolumes", "createTemplate",
		"createTags", "deleteTags",
	})
}
