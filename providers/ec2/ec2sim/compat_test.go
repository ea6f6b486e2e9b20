package ec2sim_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/goclouds/goclouds/providers/internal/realclient"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

// pythonWith returns a Python interpreter that can import module, or "".
// Debian's python3-* packages live in /usr/bin/python3's dist-packages,
// which another python3 earlier on PATH (pyenv, venv) may not see.
func pythonWith(module string) string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	return ""
}

// need fails under CI (CI set) and skips elsewhere when a client is missing.
func need(t *testing.T, what, pkg string) {
	t.Helper()
	realclient.Missing(t, what, pkg)
}

// serve runs sim on a loopback port and returns its endpoint.
func serve(t *testing.T, sim *ec2sim.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, ln, func(ep string) { ready <- ep }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if n := sim.Bugs(); n != 0 {
			t.Errorf("simulator hit %d internal errors", n)
		}
	})
	return <-ready
}

func runClient(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", filepath.Base(cmd.Args[1]), out)
	if err != nil {
		t.Fatalf("%s failed: %v", filepath.Base(cmd.Args[1]), err)
	}
}

// newCompatSim returns a simulator whose transitions last delay. The awscli
// and boto3 waiters sleep 15 s (awscli) or their Delay between polls, so
// their flows run with no delay: a transition is complete by the next poll.
func newCompatSim(t *testing.T, delay time.Duration) *ec2sim.Server {
	sim, err := ec2sim.New(&ec2sim.Options{TransitionDelay: delay, RSAKeyBits: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// TestBoto3Flow drives the simulator with boto3 (testdata/boto3_flow.py).
func TestBoto3Flow(t *testing.T) {
	t.Parallel() // the clients mostly wait on their own start-up
	py := pythonWith("boto3")
	if py == "" {
		need(t, "python3 with boto3", "python3-boto3")
	}
	sim := newCompatSim(t, 0)
	ep := serve(t, sim)
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runClient(t, exec.CommandContext(c, py, filepath.Join("testdata", "boto3_flow.py"), ep, sim.AccessKey(), sim.SecretKey(), sim.Region()))
	for _, a := range []string{"RunInstances", "CreateVolume", "AttachVolume", "CreateSnapshot", "AllocateAddress", "AuthorizeSecurityGroupIngress"} {
		if sim.RequestCount(a) == 0 {
			t.Errorf("boto3 never sent %s", a)
		}
	}
}

// TestAWSCLIFlow drives the simulator with awscli: the flow
// (testdata/awscli_flow.py) runs each command through awscli's entry point
// in one Python process, and the aws program itself runs one succeeding and
// one failing command beside it (exit status, text output, error line).
func TestAWSCLIFlow(t *testing.T) {
	t.Parallel() // the clients mostly wait on their own start-up
	aws := "/usr/bin/aws"
	if _, err := os.Stat(aws); err != nil {
		if aws, err = exec.LookPath("aws"); err != nil {
			need(t, "awscli", "awscli")
		}
	}
	py := awscliPython(aws)
	if py == "" {
		need(t, "the Python interpreter of awscli", "awscli")
	}
	sim := newCompatSim(t, 0)
	ep := serve(t, sim)
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := awsEnv(sim)
	bin := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(c, aws, append([]string{"--endpoint-url", ep, "--output", "text"}, args...)...)
		cmd.Env = env
		return cmd
	}
	zones := bin("ec2", "describe-availability-zones", "--query", "AvailabilityZones[].ZoneName")
	wrong := bin("ec2", "describe-instances")
	wrong.Env = append(env[:len(env):len(env)], "AWS_SECRET_ACCESS_KEY=wrong")
	flow := exec.CommandContext(c, py, filepath.Join("testdata", "awscli_flow.py"), ep)
	flow.Env = env
	var wg sync.WaitGroup
	var zonesOut, wrongOut []byte
	var zonesErr, wrongErr error
	wg.Add(2)
	go func() { defer wg.Done(); zonesOut, zonesErr = zones.Output() }()
	go func() { defer wg.Done(); wrongOut, wrongErr = wrong.CombinedOutput() }()
	runClient(t, flow)
	wg.Wait()
	if zonesErr != nil || !strings.HasPrefix(strings.TrimSpace(string(zonesOut)), sim.Region()+"a\t") {
		t.Errorf("aws ec2 describe-availability-zones: %v: %q", zonesErr, zonesOut)
	}
	var exit *exec.ExitError
	if !errors.As(wrongErr, &exit) || !strings.Contains(string(wrongOut), "(AuthFailure)") {
		t.Errorf("aws ec2 describe-instances with a wrong secret: %v: %s", wrongErr, wrongOut)
	}
	for _, a := range []string{"RunInstances", "StopInstances", "StartInstances", "RebootInstances", "CreateVolume",
		"AttachVolume", "DetachVolume", "DeleteVolume", "CreateSnapshot", "AllocateAddress", "AssociateAddress",
		"AuthorizeSecurityGroupIngress", "TerminateInstances"} {
		if sim.RequestCount(a) == 0 {
			t.Errorf("awscli never sent %s", a)
		}
	}
	if n := sim.RequestCount("RunInstances"); n != 1 {
		t.Errorf("awscli sent RunInstances %d times, want 1", n)
	}
}

// awsEnv returns the environment that points awscli at sim: its
// credentials and region, no retries, no pager, no user configuration.
func awsEnv(sim *ec2sim.Server) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_ACCESS_KEY_ID="+sim.AccessKey(), "AWS_SECRET_ACCESS_KEY="+sim.SecretKey(),
		"AWS_DEFAULT_REGION="+sim.Region(), "AWS_MAX_ATTEMPTS=1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null")
}

// awscliPython returns the Python interpreter the aws program at path runs
// under (its #! line) when it can import awscli's entry point, else any
// python3 that can, else "".
func awscliPython(path string) string {
	if b, err := os.ReadFile(path); err == nil && bytes.HasPrefix(b, []byte("#!")) {
		line, _, _ := strings.Cut(string(b[2:]), "\n")
		if f := strings.Fields(line); len(f) == 1 && strings.Contains(filepath.Base(f[0]), "python") &&
			exec.Command(f[0], "-c", "import awscli.clidriver").Run() == nil {
			return f[0]
		}
	}
	return pythonWith("awscli.clidriver")
}

// TestLibcloudFlow drives the simulator with Libcloud's EC2 driver, with
// Signature Version 2 (its default) and 4 (testdata/libcloud_flow.py).
func TestLibcloudFlow(t *testing.T) {
	t.Parallel() // the clients mostly wait on their own start-up
	py := pythonWith("libcloud")
	if py == "" {
		need(t, "python3 with libcloud", "python3-libcloud")
	}
	sim := newCompatSim(t, 200*time.Millisecond)
	ep := serve(t, sim)
	host, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(ep, "http://"), "/"))
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runClient(t, exec.CommandContext(c, py, filepath.Join("testdata", "libcloud_flow.py"), host, port, sim.AccessKey(), sim.SecretKey()))
	for _, a := range []string{"DescribeImages", "DescribeAvailabilityZones", "RunInstances", "DescribeInstances", "RebootInstances",
		"TerminateInstances", "CreateKeyPair", "CreateVolume", "AttachVolume", "DetachVolume", "DeleteVolume"} {
		if sim.RequestCount(a) < 2 {
			t.Errorf("Libcloud sent %s %d times, want one per signature version", a, sim.RequestCount(a))
		}
	}
}
