package deploy

import (
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
)

// FuzzQuote checks that a quoted word reaches a real shell intact.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "plain", "two words", "it's", `'\''`, "$HOME", "`id`", "*", "a\nb", `"\`, "-n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsRune(s, 0) {
			t.Skip("shell words cannot hold NUL")
		}
		out, err := exec.Command("/bin/sh", "-c", "printf '%s' "+quote(s)).Output()
		if err != nil || string(out) != s {
			t.Fatalf("quote(%q) came back as %q (%v)", s, out, err)
		}
	})
}

func TestCommandLine(t *testing.T) {
	for _, c := range []struct {
		path string
		args []string
		want string
	}{
		{"setup.sh", nil, `'./setup.sh'`},
		{"/opt/x.sh", []string{"a b"}, `'/opt/x.sh' 'a b'`},
		{"dir/x.sh", []string{"it's", ""}, `'dir/x.sh' 'it'\''s' ''`},
	} {
		if got := commandLine(c.path, c.args); got != c.want {
			t.Errorf("commandLine(%q, %q) = %s, want %s", c.path, c.args, got, c.want)
		}
	}
}

func TestSSHPort(t *testing.T) {
	for _, c := range []struct {
		opt   int
		extra any
		want  int
		bad   bool
	}{
		{0, nil, 22, false},
		{2222, 2200, 2222, false},
		{0, 2200, 2200, false},
		{0, int64(2201), 2201, false},
		{0, float64(2202), 2202, false},
		{0, "2203", 2203, false},
		{0, json.Number("2204"), 2204, false},
		{0, 2202.5, 0, true},
		{0, "ssh", 0, true},
		{0, 0, 0, true},
		{0, 70000, 0, true},
		{0, true, 0, true},
	} {
		extra := map[string]any{}
		if c.extra != nil {
			extra["ssh_port"] = c.extra
		}
		got, err := sshPort(c.opt, extra)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("sshPort(%d, %v) = %d, %v; want %d, error %v", c.opt, c.extra, got, err, c.want, c.bad)
		}
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	const fp = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
	for in, want := range map[string]string{fp: fp, fp + "=": fp, " " + fp + "\n": fp,
		"MD5:16:27:ac": "", "SHA256:short": "", fp[7:]: ""} {
		got, err := normalizeFingerprint(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("normalizeFingerprint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	node := &compute.Node{ID: "i-1", Name: "web", Extra: map[string]any{"password": "s3cret"}}
	step := &ScriptDeployment{Name: "setup.sh", Args: []string{"--token", "t0ken"}}
	cause := &ExitError{Command: "script setup.sh", ExitStatus: 2, Stderr: []byte("line 1\nno space left\n\n")}
	for _, c := range []struct {
		err  error
		want string
	}{
		{&DeploymentError{Node: node, Phase: PhaseDeploy, Step: step, StepIndex: 1, Attempts: 1, Err: cause, Destroyed: true},
			`deploy: node "i-1" (web): deploy: step 2 (script setup.sh with 2 args): script setup.sh: exit status 2: no space left (node destroyed)`},
		{&DeploymentError{Node: node, Phase: PhaseConnect, StepIndex: -1, Err: ErrNoAuth},
			`deploy: node "i-1" (web): connect: no SSH authentication method (node kept)`},
		{&DeploymentError{Node: node, Phase: PhaseWait, StepIndex: -1, Err: errors.New("boom"), CleanupErr: errors.New("api down")},
			`deploy: node "i-1" (web): wait: boom (destroying the node failed, it may still exist: api down)`},
		{&ExitError{Command: "script x", ExitStatus: -1, Signal: "KILL"}, "script x: killed by signal KILL"},
		{&CommandTimeoutError{Command: "script x", Timeout: 90 * time.Second}, "script x: command timed out after 1m30s"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
		if strings.Contains(c.err.Error(), "s3cret") || strings.Contains(c.err.Error(), "t0ken") {
			t.Errorf("secret in %q", c.err)
		}
	}
	de := &DeploymentError{Node: node, Phase: PhaseDeploy, Step: step, Err: cause}
	if !errors.Is(de, ErrExitStatus) || errors.Unwrap(de) != cause {
		t.Errorf("DeploymentError does not unwrap to its cause")
	}
}

func TestEventString(t *testing.T) {
	node := &compute.Node{ID: "7", Name: "web"}
	for _, c := range []struct {
		e    Event
		want string
	}{
		{Event{Phase: PhaseCreate}, "create: creating the node"},
		{Event{Phase: PhaseWait, Node: node}, `wait: node "7" (web) created, waiting until it runs with an address`},
		{Event{Phase: PhaseConnect, Node: node, Address: "10.0.0.1:22", Username: "root"}, "connect: connecting to root@10.0.0.1:22"},
		{Event{Phase: PhaseDeploy, Step: &FileDeployment{Content: []byte("abc"), Target: "f"}, StepIndex: 0, Steps: 2, Attempt: 2},
			"deploy: step 1/2: upload 3 bytes to f (try 2)"},
		{Event{Phase: PhaseDone, Node: node, Address: "10.0.0.1:22", Username: "ubuntu"}, `done: node "7" (web) deployed, reachable as ubuntu@10.0.0.1:22`},
		{Event{Phase: PhaseCleanup, Node: node, Err: errors.New("boom")}, `cleanup: destroying node "7" (web) after: boom`},
	} {
		if got := c.e.String(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}
