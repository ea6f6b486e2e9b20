package openstacksim_test

import (
	"context"
	"github.com/goclouds/goclouds/providers/internal/realclient"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// needClient returns the path of a client program that passes probe, or
// skips; under CI (CI set) a missing client is a failure (.ci/run installs
// python3-openstacksdk, python3-openstackclient and python3-libcloud).
func needClient(t *testing.T, what string, candidates []string, probe ...string) string {
	t.Helper()
	for _, c := range candidates {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if len(probe) == 0 || exec.Command(path, probe...).Run() == nil {
			return path
		}
	}
	realclient.Missing(t, what, "python3-openstacksdk python3-openstackclient python3-libcloud")
	return ""
}

// startSim serves a fresh simulator with a short transition delay and
// returns it with the openrc environment of its admin user.
func startSim(t *testing.T) (*openstacksim.Server, []string) {
	t.Helper()
	sim := openstacksim.NewServer(&openstacksim.Options{TransitionDelay: 50 * time.Millisecond, KeyBits: 1024})
	authURL, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	env := os.Environ()
	for _, line := range strings.Split(strings.TrimSpace(openstacksim.Openrc(authURL, sim.AdminCredentials())), "\n") {
		env = append(env, strings.TrimPrefix(line, "export "))
	}
	return sim, append(env, "TMPDIR="+t.TempDir())
}

func runClient(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", filepath.Base(name), out)
	if err != nil {
		t.Fatalf("%s failed: %v", name, err)
	}
}

// TestOpenstackCLI runs the openstack CLI flow (testdata/cli_flow.sh).
func TestOpenstackCLI(t *testing.T) {
	needClient(t, "the openstack CLI (python3-openstackclient)", []string{"openstack"}, "--version")
	sim, env := startSim(t)
	runClient(t, env, "sh", filepath.Join("testdata", "cli_flow.sh"))
	for _, op := range []string{"identity:IssueToken", "compute:CreateServer", "compute:ServerAction:os-stop", "volume:CreateVolume", "network:CreateFloatingIP"} {
		if sim.RequestCount(op) == 0 {
			t.Errorf("the CLI never sent %s", op)
		}
	}
}

// TestOpenstackSDK runs the openstacksdk flow (testdata/sdk_flow.py).
func TestOpenstackSDK(t *testing.T) {
	py := needClient(t, "python3 with openstacksdk (python3-openstacksdk)", []string{"python3", "/usr/bin/python3"}, "-c", "import openstack")
	sim, env := startSim(t)
	runClient(t, env, py, filepath.Join("testdata", "sdk_flow.py"))
	for _, op := range []string{"compute:CreateKeypair", "compute:AttachVolume", "volume:CreateSnapshot", "compute:DeleteServer"} {
		if sim.RequestCount(op) == 0 {
			t.Errorf("openstacksdk never sent %s", op)
		}
	}
}

// TestLibcloudOpenStack runs Libcloud's OpenStack_2_NodeDriver with Keystone
// 3.x password auth (testdata/libcloud_flow.py).
func TestLibcloudOpenStack(t *testing.T) {
	py := needClient(t, "python3 with libcloud (python3-libcloud)", []string{"python3", "/usr/bin/python3"}, "-c", "import libcloud")
	sim, env := startSim(t)
	base := strings.TrimSuffix(sim.AuthURL(), openstacksim.IdentityPath+"/v3")
	cred := sim.AdminCredentials()
	runClient(t, env, py, filepath.Join("testdata", "libcloud_flow.py"), base, cred.Username, cred.Password, cred.ProjectName)
	for _, op := range []string{"compute:ListImagesDetail", "compute:ListFlavorsDetail", "compute:CreateServer", "compute:ServerAction:reboot", "compute:DeleteServer"} {
		if sim.RequestCount(op) == 0 {
			t.Errorf("Libcloud never sent %s", op)
		}
	}
}
