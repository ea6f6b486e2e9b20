package cloudstacksim_test

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// libcloudPython returns a Python interpreter that can import libcloud, or "".
// Debian's python3-libcloud lives in /usr/bin/python3's dist-packages, which
// another python3 earlier on PATH (pyenv, venv) may not see.
func libcloudPython() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import libcloud").Run() == nil {
			return path
		}
	}
	return ""
}

// TestLibcloudCompat drives the simulator with Apache Libcloud's CloudStack
// driver (testdata/libcloud_compat.py). It skips when Python or Libcloud is
// missing, except in CI (CI set), where that is a failure.
func TestLibcloudCompat(t *testing.T) {
	py := needLibcloud(t)
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: 100 * time.Millisecond, SSHKeyBits: 1024})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, ln, func(endpoint string) { ready <- endpoint }) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	endpoint := <-ready
	cred := sim.AdminCredentials()
	runCtx, stop := context.WithTimeout(context.Background(), 3*time.Minute)
	defer stop()
	cmd := exec.CommandContext(runCtx, py, filepath.Join("testdata", "libcloud_compat.py"), endpoint, cred.APIKey, cred.SecretKey)
	out, err := cmd.CombinedOutput()
	t.Logf("libcloud_compat.py output:\n%s", out)
	if err != nil {
		t.Fatalf("libcloud compatibility script failed: %v", err)
	}
	for _, c := range []string{"deployVirtualMachine", "queryAsyncJobResult", "createSSHKeyPair", "createVolume", "createSnapshot"} {
		if sim.RequestCount(c) == 0 {
			t.Errorf("Libcloud never sent %s", c)
		}
	}
}
