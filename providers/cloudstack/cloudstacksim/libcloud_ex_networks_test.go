package cloudstacksim_test

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// runLibcloudScript runs testdata/<script> with python3-libcloud against a
// fresh simulator (admin credentials) and checks that Libcloud sent each of
// commands. Like TestLibcloudCompat it skips without python3-libcloud,
// except in CI (CI set), where that is a failure.
func runLibcloudScript(t *testing.T, script string, opts *cloudstacksim.Options, commands []string) {
	t.Helper()
	py := needLibcloud(t)
	sim := cloudstacksim.New(opts)
	srv := httptest.NewServer(sim)
	defer func() {
		srv.Close()
		sim.Close()
	}()
	cred := sim.AdminCredentials()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", script), srv.URL+sim.Path(), cred.APIKey, cred.SecretKey)
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s failed: %v", script, err)
	}
	for _, c := range commands {
		if sim.RequestCount(c) == 0 {
			t.Errorf("Libcloud never sent %s", c)
		}
	}
}

// TestLibcloudExNetworks drives the simulator with Libcloud's ex_* calls for
// networks, VPCs, routers, network ACLs, NICs, affinity updates and
// site-to-site VPN (testdata/libcloud_ex_networks.py).
func TestLibcloudExNetworks(t *testing.T) {
	runLibcloudScript(t, "libcloud_ex_networks.py", &cloudstacksim.Options{JobDelay: 20 * time.Millisecond, SSHKeyBits: 1024},
		[]string{
			"listNetworkOfferings", "listVPCOfferings", "createNetwork", "listNetworks", "deleteNetwork",
			"addNicToVirtualMachine", "listNics", "removeNicFromVirtualMachine", "updateVMAffinityGroup",
			"createVPC", "listVPCs", "listRouters", "deleteVPC",
			"createNetworkACLList", "listNetworkACLLists", "createNetworkACL", "listNetworkACLs", "replaceNetworkACLList",
			"createVpnGateway", "listVpnGateways", "deleteVpnGateway",
			"createVpnCustomerGateway", "listVpnCustomerGateways", "deleteVpnCustomerGateway",
			"createVpnConnection", "listVpnConnections", "deleteVpnConnection",
		})
}
