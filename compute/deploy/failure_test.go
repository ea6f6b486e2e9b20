package deploy_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

func TestServerThatComesUpLate(t *testing.T) {
	t.Run("refused until it listens", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{Deferred: true})
		o := e.opts()
		// Start the server once a connection attempt has been refused.
		var once sync.Once
		var startErr error
		o.Logger = slog.New(&hookHandler{Handler: o.Logger.Handler(), match: "connection attempt failed",
			fn: func() { once.Do(func() { startErr = e.srv.Start() }) }})
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatalf("DeployNode: %v\n%s", err, e.logs)
		}
		if startErr != nil {
			t.Fatal(startErr)
		}
		if !strings.Contains(e.logs.String(), "connection refused") {
			t.Errorf("no refused attempt was logged:\n%s", e.logs)
		}
	})
	t.Run("drops connections before the handshake", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{DropConnections: 3})
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, e.opts()); err != nil {
			t.Fatal(err)
		}
		if got := e.srv.Accepted(); got != 4 {
			t.Errorf("server accepted %d connections, want 3 dropped + 1", got)
		}
	})
	t.Run("rejects logins until the key is installed", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{FailAuth: 2})
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, e.opts()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("node pending for a while", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		e.drv = dummy.New(&dummy.Options{Nodes: -1, PublicIP: e.srv.Host, SSHPort: e.srv.Port,
			TransitionDelay: 30 * time.Millisecond})
		var rec recorder
		o := e.opts()
		o.Progress = rec.record
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatal(err)
		}
		if ev := rec.all()[1]; ev.Phase != deploy.PhaseWait || ev.Node.State != types.NodeStatePending {
			t.Errorf("wait event = %+v, want the pending node", ev)
		}
	})
}

func TestFailingScript(t *testing.T) {
	for _, policy := range []deploy.FailurePolicy{deploy.DestroyOnFailure, deploy.KeepOnFailure} {
		t.Run(policy.String(), func(t *testing.T) {
			e := newEnv(t, sshtest.Options{})
			failing := &deploy.ScriptDeployment{Script: "echo partial\necho 'disk full' >&2\nexit 3\n", Delete: true,
				Name: "fail.sh"}
			after := &deploy.ScriptDeployment{Script: "touch after-ran"}
			o := e.opts()
			o.OnFailure = policy
			steps := &deploy.MultiStepDeployment{Steps: []deploy.Deployment{&deploy.SSHKeyDeployment{Key: deploy.AuthorizedKey(e.key.signer)}, failing, after}}
			node, err := deploy.DeployNode(context.Background(), e.drv, e.req, steps, o)
			if node != nil {
				t.Errorf("node returned with an error")
			}
			de := deploymentError(t, err)
			if de.Phase != deploy.PhaseDeploy || de.Step != failing || de.StepIndex != 1 || de.Attempts != 1 {
				t.Errorf("DeploymentError = %+v, want step 2 (the failing script) after one try", de)
			}
			var exit *deploy.ExitError
			if !errors.As(err, &exit) || !errors.Is(err, deploy.ErrExitStatus) || exit.ExitStatus != 3 ||
				string(exit.Stdout) != "partial\n" || string(exit.Stderr) != "disk full\n" {
				t.Fatalf("err = %#v, want exit status 3 with its output", err)
			}
			if !strings.Contains(err.Error(), "exit status 3: disk full") {
				t.Errorf("error message lacks status and stderr: %v", err)
			}
			if failing.ExitStatus != 3 || failing.Stdout != "partial\n" {
				t.Errorf("step results = %d %q", failing.ExitStatus, failing.Stdout)
			}
			if _, err := os.Stat(e.home("after-ran")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a step after the failing one ran")
			}
			if _, err := os.Stat(e.home("fail.sh")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Delete: the failed script was left on the node")
			}
			if de.Node == nil || de.Node.ID != "1" {
				t.Fatalf("the error does not carry the node: %+v", de.Node)
			}
			switch policy {
			case deploy.DestroyOnFailure:
				if !de.Destroyed || len(e.nodes()) != 0 || !strings.HasSuffix(err.Error(), "(node destroyed)") {
					t.Errorf("node not destroyed: %v, nodes %v", err, e.nodes())
				}
			case deploy.KeepOnFailure:
				if de.Destroyed || !slices.Equal(e.nodes(), []string{"1"}) || !strings.HasSuffix(err.Error(), "(node kept)") {
					t.Errorf("node not kept: %v, nodes %v", err, e.nodes())
				}
			}
		})
	}
}

func TestAllowFailure(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	script := &deploy.ScriptDeployment{Script: "exit 7", AllowFailure: true}
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, script, e.opts()); err != nil {
		t.Fatal(err)
	}
	if script.ExitStatus != 7 {
		t.Errorf("ExitStatus = %d, want 7", script.ExitStatus)
	}
}

func TestCommandTimeoutKillsTheCommand(t *testing.T) {
	for _, where := range []string{"step", "options"} {
		t.Run(where, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sshtest.Options{})
			// The script reports that it started, then hangs.
			script := &deploy.ScriptDeployment{Script: "echo started\nexec sleep 600\n", Name: "hang.sh"}
			o := e.opts()
			if where == "step" {
				script.Timeout = 5 * time.Second
				o.CommandTimeout = time.Hour
			} else {
				o.CommandTimeout = 5 * time.Second
			}
			_, err := deploy.DeployNode(context.Background(), e.drv, e.req, script, o)
			de := deploymentError(t, err)
			var te *deploy.CommandTimeoutError
			if !errors.As(err, &te) || !errors.Is(err, deploy.ErrCommandTimeout) || te.Timeout != 5*time.Second {
				t.Fatalf("err = %v, want a CommandTimeoutError after 5s", err)
			}
			if de.Attempts != 1 || !de.Destroyed {
				t.Errorf("a timed-out command was tried %d times / node not destroyed: %v", de.Attempts, err)
			}
			if te.Command != "script hang.sh" || string(te.Stdout) != "started\n" {
				t.Errorf("timeout error names %q with output %q", te.Command, te.Stdout)
			}
			// The server got the KILL signal and the command died of it.
			eventually(t, "the command is killed", func() bool {
				for _, x := range e.srv.Execs() {
					if strings.Contains(x.Command, "hang.sh") && x.Signal == "KILL" {
						return true
					}
				}
				return false
			})
			if !slices.Contains(e.srv.Signals(), "KILL") {
				t.Errorf("signals = %v, want KILL", e.srv.Signals())
			}
		})
	}
}

func TestCleanupSurvivesCancellation(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hang := &deploy.ScriptDeployment{Script: "touch started\nexec sleep 600\n"}
	o := e.opts()
	o.Progress = func(ev deploy.Event) {
		if ev.Phase == deploy.PhaseDeploy {
			go func() {
				// Cancel once the script runs.
				for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
					if _, err := os.Stat(e.home("started")); err == nil {
						break
					}
				}
				cancel()
			}()
		}
	}
	_, err := deploy.DeployNode(ctx, e.drv, e.req, hang, o)
	de := deploymentError(t, err)
	if !errors.Is(err, context.Canceled) || !de.Destroyed || len(e.nodes()) != 0 {
		t.Fatalf("err = %v, nodes %v: want Canceled and the node destroyed anyway", err, e.nodes())
	}
	if _, err := os.Stat(e.home("started")); err != nil {
		t.Errorf("the script never ran: %v", err)
	}
}

func TestCleanupFailureIsReported(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	e.drv.ExFailNext("DestroyNode", compute.ErrUnavailable)
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "exit 1"}, e.opts())
	de := deploymentError(t, err)
	if de.Destroyed || !errors.Is(de.CleanupErr, compute.ErrUnavailable) {
		t.Fatalf("DeploymentError = %+v, want the cleanup failure", de)
	}
	if !strings.Contains(err.Error(), "may still exist") || de.Node == nil || de.Node.ID != "1" {
		t.Errorf("error = %v: the caller must learn the node may still exist", err)
	}
	if !slices.Equal(e.nodes(), []string{"1"}) {
		t.Errorf("nodes = %v", e.nodes())
	}
}

func TestInvalidInputCostsNoNode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sshtest.Options{})
	dir := t.TempDir()
	encrypted := filepath.Join(dir, "enc")
	if err := os.WriteFile(encrypted, newKey(t, "pass").pem, 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nnot base64 at all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := &deploy.ScriptDeployment{Script: "true"}
	cases := []struct {
		name  string
		edit  func(*deploy.Options)
		steps deploy.Deployment
		want  string
	}{
		{"nil options", nil, ok, "options are required"},
		{"no host key policy", func(o *deploy.Options) { o.HostKeyFingerprints = nil }, ok, "no host key policy"},
		{"two host key policies", func(o *deploy.Options) { o.InsecureIgnoreHostKey = true }, ok, "only one"},
		{"accept new without file", func(o *deploy.Options) { o.AcceptNewHostKey = true }, ok, "needs KnownHostsFile"},
		{"MD5 fingerprint", func(o *deploy.Options) { o.HostKeyFingerprints = []string{"MD5:aa:bb"} }, ok, "SHA256:"},
		{"missing known_hosts", func(o *deploy.Options) {
			o.HostKeyFingerprints, o.KnownHostsFile = nil, filepath.Join(dir, "none")
		}, ok, "known_hosts"},
		{"missing key file", func(o *deploy.Options) { o.PrivateKeyFiles = []string{filepath.Join(dir, "none")} }, ok, "no such file"},
		{"encrypted key, no passphrase", func(o *deploy.Options) { o.PrivateKeyFiles = []string{encrypted} }, ok, "no passphrase"},
		{"wrong passphrase", func(o *deploy.Options) {
			o.PrivateKeyFiles, o.PrivateKeyPassphrase = []string{encrypted}, []byte("wrong")
		}, ok, "wrong passphrase"},
		{"garbage key", func(o *deploy.Options) { o.PrivateKeyFiles = []string{garbage} }, ok, "not a valid private key"},
		{"bad interface", func(o *deploy.Options) { o.Interface = "both" }, ok, "interface"},
		{"bad port", func(o *deploy.Options) { o.Port = 70000 }, ok, "port"},
		{"negative timeout", func(o *deploy.Options) { o.CommandTimeout = -time.Second }, ok, "negative"},
		{"nil step", nil, nil, "nil deployment step"},
		{"typed nil step", nil, (*deploy.ScriptDeployment)(nil), "nil deployment step"},
		{"bad public key", nil, &deploy.SSHKeyDeployment{Key: "ssh-ed25519 !!!"}, "SSHKeyDeployment"},
		{"two keys in one step", nil, &deploy.SSHKeyDeployment{Key: deploy.AuthorizedKey(e.key.signer) + "\n" + deploy.AuthorizedKey(e.key.signer)}, "one authorized_keys line"},
		{"missing script file", nil, &deploy.ScriptFileDeployment{ScriptFile: filepath.Join(dir, "none.sh")}, "no such file"},
		{"missing upload", nil, &deploy.FileDeployment{Source: filepath.Join(dir, "none"), Target: "x"}, "no such file"},
		{"directory upload", nil, &deploy.FileDeployment{Source: dir, Target: "x"}, "not a regular file"},
		{"upload without target", nil, &deploy.FileDeployment{Content: []byte("x")}, "empty remote path"},
		{"newline in path", nil, &deploy.ScriptDeployment{Script: "true", Name: "a\nb"}, "control characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var o *deploy.Options
			if c.name != "nil options" {
				o = e.opts()
				if c.edit != nil {
					c.edit(o)
				}
			}
			_, err := deploy.DeployNode(context.Background(), e.drv, e.req, c.steps, o)
			if !errors.Is(err, compute.ErrInvalidArgument) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want ErrInvalidArgument mentioning %q", err, c.want)
			}
			if n := e.nodes(); len(n) != 0 {
				t.Fatalf("a node was created: %v", n)
			}
		})
	}
	assertNoSecrets(t, []string{e.logs.String()}, string(e.key.pem), "pass", "wrong")
}

func TestNoWayToLogIn(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	o.PrivateKeys = nil
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
	de := deploymentError(t, err)
	if !errors.Is(err, deploy.ErrNoAuth) || de.Phase != deploy.PhaseConnect || !de.Destroyed {
		t.Fatalf("err = %v, want ErrNoAuth with the node destroyed", err)
	}
}

func TestConnectTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sshtest.Options{Deferred: true}) // never starts
	o := e.opts()
	o.ConnectTimeout = time.Second
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
	de := deploymentError(t, err)
	if !errors.Is(err, deploy.ErrConnect) || de.Phase != deploy.PhaseConnect || !de.Destroyed ||
		!strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want ErrConnect saying connection refused, node destroyed", err)
	}
}

func TestWaitFailures(t *testing.T) {
	t.Run("node enters the error state", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		e.drv = dummy.New(&dummy.Options{Nodes: -1, PublicIP: e.srv.Host, SSHPort: e.srv.Port, TransitionDelay: time.Hour})
		o := e.opts()
		o.Progress = func(ev deploy.Event) {
			if ev.Phase == deploy.PhaseWait {
				if err := e.drv.ExSetNodeState(context.Background(), ev.Node.ID, types.NodeStateError); err != nil {
					t.Error(err)
				}
			}
		}
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		de := deploymentError(t, err)
		if de.Phase != deploy.PhaseWait || !errors.Is(err, compute.ErrConflict) || !de.Destroyed || len(e.nodes()) != 0 {
			t.Fatalf("err = %v, want a wait failure (conflict) with the node destroyed", err)
		}
	})
	t.Run("polling the node fails", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		e.drv.ExFailNext("GetNodes", compute.ErrPermissionDenied) // the wait polls with the NodeGetter
		o := e.opts()
		o.OnFailure = deploy.KeepOnFailure
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		de := deploymentError(t, err)
		if de.Phase != deploy.PhaseWait || !errors.Is(err, compute.ErrPermissionDenied) || de.Destroyed ||
			len(e.nodes()) != 1 {
			t.Fatalf("err = %v, want a wait failure with the node kept", err)
		}
	})
	t.Run("no address of the wanted family", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.Family = deploy.IPv6
		o.WaitTimeout = 50 * time.Millisecond
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		de := deploymentError(t, err)
		if de.Phase != deploy.PhaseWait || !de.Destroyed {
			t.Fatalf("err = %v, want a wait failure", err)
		}
	})
}

// unsureDriver creates the node, then reports that it cannot tell whether
// it did, as a driver whose create call timed out would.
type unsureDriver struct {
	*dummy.Driver
}

func (d unsureDriver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	n, err := d.Driver.CreateNode(ctx, req)
	if err != nil {
		return nil, err
	}
	return nil, &compute.Error{Provider: types.ProviderDummy, Op: "CreateNode", ID: n.ID,
		Kind: compute.ErrUnavailable, Err: errors.New("timed out waiting for the job")}
}

func TestCreateFailures(t *testing.T) {
	t.Run("plain failure", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		e.drv.ExFailNext("CreateNode", compute.ErrQuotaExceeded)
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, e.opts())
		var de *deploy.DeploymentError
		if !errors.Is(err, compute.ErrQuotaExceeded) || errors.As(err, &de) {
			t.Fatalf("err = %v, want the driver's quota error, no DeploymentError", err)
		}
	})
	t.Run("outcome unknown, node exists", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		_, err := deploy.DeployNode(context.Background(), unsureDriver{e.drv}, e.req, &deploy.ScriptDeployment{Script: "true"}, e.opts())
		de := deploymentError(t, err)
		if de.Phase != deploy.PhaseCreate || de.Node == nil || de.Node.ID != "1" || !de.Destroyed || len(e.nodes()) != 0 {
			t.Fatalf("err = %v (nodes %v), want the half-created node found and destroyed", err, e.nodes())
		}
		if !errors.Is(err, compute.ErrUnavailable) {
			t.Errorf("the cause is lost: %v", err)
		}
	})
	t.Run("outcome unknown, id names another node", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		// Node "1" exists under another name: it must not be touched.
		other := *e.req
		other.Name = "precious"
		if _, err := e.drv.CreateNode(context.Background(), &other); err != nil {
			t.Fatal(err)
		}
		e.drv.ExFailNext("CreateNode", compute.ErrUnavailable)
		d := idDriver{e.drv, "1"}
		_, err := deploy.DeployNode(context.Background(), d, e.req, &deploy.ScriptDeployment{Script: "true"}, e.opts())
		if err == nil || !slices.Equal(e.nodes(), []string{"1"}) {
			t.Fatalf("err = %v, nodes = %v: another node was destroyed", err, e.nodes())
		}
	})
}

// idDriver passes CreateNode errors on with an id added.
type idDriver struct {
	*dummy.Driver
	id string
}

func (d idDriver) CreateNode(ctx context.Context, req *compute.CreateNodeRequest) (*compute.Node, error) {
	n, err := d.Driver.CreateNode(ctx, req)
	var ce *compute.Error
	if errors.As(err, &ce) {
		ce.ID = d.id
	}
	return n, err
}

func TestConnectionLostMidStepIsRetried(t *testing.T) {
	for _, maxTries := range []int{1, 2} {
		e := newEnv(t, sshtest.Options{})
		tries := 0
		step := &stepFunc{name: "flaky", run: func(ctx context.Context, c deploy.Client) error {
			tries++
			if tries == 1 {
				e.srv.DropAll()
			}
			res, err := c.Run(ctx, "echo hi", nil)
			if err == nil && string(res.Stdout) != "hi\n" {
				t.Errorf("stdout %q", res.Stdout)
			}
			return err
		}}
		o := e.opts()
		o.MaxTries = maxTries
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, step, o)
		if maxTries == 1 {
			de := deploymentError(t, err)
			if de.Attempts != 1 || de.Step != step || !strings.Contains(err.Error(), "connection lost") {
				t.Errorf("MaxTries 1: err = %v", err)
			}
			continue
		}
		if err != nil || tries != 2 {
			t.Errorf("MaxTries 2: err = %v after %d tries, want success on the second", err, tries)
		}
	}
}

func TestUploadsWithAndWithoutSCP(t *testing.T) {
	modes := map[string]sshtest.SCPMode{"builtin scp": sshtest.SCPBuiltin, "no scp": sshtest.SCPMissing}
	if _, err := os.Stat("/usr/bin/scp"); err == nil {
		modes["system scp"] = sshtest.SCPShell
	}
	big := strings.Repeat("0123456789abcdef", 1<<14) // 256 KiB: several SSH windows
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sshtest.Options{SCP: mode})
			if err := os.WriteFile(e.home("existing"), []byte("old content, longer than the new"), 0o644); err != nil {
				t.Fatal(err)
			}
			steps := &deploy.MultiStepDeployment{Steps: []deploy.Deployment{
				&deploy.FileDeployment{Content: []byte(big), Target: "big.bin", Mode: 0o640},
				&deploy.FileDeployment{Content: []byte("new"), Target: "existing", Mode: 0o600},
				&deploy.FileDeployment{Content: nil, Target: "empty"},
				&deploy.FileDeployment{Content: []byte("x"), Target: "it's here"},
				&deploy.ScriptDeployment{Script: "#!/bin/sh\necho ran\n"},
			}}
			if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, steps, e.opts()); err != nil {
				t.Fatalf("DeployNode: %v\n%s", err, e.logs)
			}
			for _, f := range []struct {
				name, content string
				mode          os.FileMode
			}{{"big.bin", big, 0o640}, {"existing", "new", 0o600}, {"empty", "", 0o644}, {"it's here", "x", 0o644}} {
				if got, mode := e.readHome(f.name); got != f.content || mode != f.mode {
					t.Errorf("%s: %d bytes mode %o, want %d bytes mode %o", f.name, len(got), mode, len(f.content), f.mode)
				}
			}
		})
	}
}

func TestUploadErrorsAreReported(t *testing.T) {
	for name, mode := range map[string]sshtest.SCPMode{"scp": sshtest.SCPBuiltin, "no scp": sshtest.SCPMissing} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sshtest.Options{SCP: mode})
			step := &deploy.FileDeployment{Content: []byte("x"), Target: "no/such/dir/file"}
			_, err := deploy.DeployNode(context.Background(), e.drv, e.req, step, e.opts())
			de := deploymentError(t, err)
			if de.Step != step || de.Attempts != 1 || !strings.Contains(err.Error(), "No such file or directory") &&
				!strings.Contains(err.Error(), "no such file or directory") && !strings.Contains(err.Error(), "nonexistent") {
				t.Fatalf("err = %v, want the node's error for a missing directory, not retried", err)
			}
		})
	}
}

func TestOutputIsCapped(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	var live lockedBuffer
	o := e.opts()
	o.MaxOutput = 10
	o.Stdout, o.Stderr = &live, &live
	script := &deploy.ScriptDeployment{Script: "echo 0123456789abcdefghij; echo err >&2"}
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, script, o); err != nil {
		t.Fatal(err)
	}
	if script.Stdout != "0123456789" || script.Stderr != "err\n" {
		t.Errorf("captured %q / %q, want the first 10 bytes", script.Stdout, script.Stderr)
	}
	if got := live.String(); !strings.Contains(got, "0123456789abcdefghij\n") || !strings.Contains(got, "err\n") {
		t.Errorf("live output %q lacks the full output", got)
	}
}

func TestIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	ln.Close()
	e := newEnv(t, sshtest.Options{Host: "::1"})
	e.drv = dummy.New(&dummy.Options{Nodes: -1, PublicIP: "::1", SSHPort: e.srv.Port})
	for _, fam := range []deploy.AddressFamily{deploy.IPv6, deploy.AnyFamily} {
		o := e.opts()
		o.Family = fam
		e.req.Name = "v6-" + fam.String()
		var rec recorder
		o.Progress = rec.record
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatalf("%s: %v", fam, err)
		}
		if ev := rec.all()[2]; ev.Address != e.srv.Addr() || ev.Address[0] != '[' {
			t.Errorf("connected to %q", ev.Address)
		}
	}
}

func TestKeepAlivesDuringSilentCommands(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	o.KeepAliveInterval = 5 * time.Millisecond
	// The command waits, silently, until the server saw keepalives.
	step := &stepFunc{name: "silent", run: func(ctx context.Context, c deploy.Client) error {
		res, err := c.Run(ctx, "while [ ! -e go ]; do sleep 0.01; done", nil)
		if err == nil && res.ExitStatus != 0 {
			err = errors.New("wait loop failed")
		}
		return err
	}}
	go func() {
		for e.srv.GlobalRequests("keepalive@openssh.com") < 3 {
			time.Sleep(5 * time.Millisecond)
		}
		_ = os.WriteFile(e.home("go"), nil, 0o644)
	}()
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, step, o); err != nil {
		t.Fatal(err)
	}
}

func TestPanickingStepStillCleansUp(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	boom := &stepFunc{name: "boom", run: func(context.Context, deploy.Client) error { panic("step bug") }}
	func() {
		defer func() {
			if p := recover(); p != "step bug" {
				t.Errorf("recovered %v, want the step's panic", p)
			}
		}()
		_, _ = deploy.DeployNode(context.Background(), e.drv, e.req, boom, e.opts())
		t.Error("DeployNode returned")
	}()
	if n := e.nodes(); len(n) != 0 {
		t.Errorf("node left after a panic: %v", n)
	}
}
