package deploy_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

func TestDeployNodeKeyAuthRunsEveryStep(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	extra := newKey(t, "")
	local := filepath.Join(t.TempDir(), "app.conf")
	if err := os.WriteFile(local, []byte("listen 80\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	keyStep := &deploy.SSHKeyDeployment{Key: deploy.AuthorizedKey(extra.signer) + " ops@example"}
	script := &deploy.ScriptDeployment{
		Script: "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\necho to-stderr >&2\necho \"$HOME\" > where\n",
		Args:   []string{"two words", "it's", "$HOME", "*"},
		Name:   "setup.sh",
	}
	var rec recorder
	o := e.opts()
	o.Progress = rec.record
	steps := &deploy.MultiStepDeployment{}
	steps.Add(keyStep).Add(&deploy.MultiStepDeployment{Steps: []deploy.Deployment{
		&deploy.FileDeployment{Source: local, Target: "app.conf"},
		&deploy.FileDeployment{Content: []byte("secret-token"), Target: "token", Mode: 0o600},
	}}, script)

	node, err := deploy.DeployNode(context.Background(), e.drv, e.req, steps, o)
	if err != nil {
		t.Fatalf("DeployNode: %v\nlogs:\n%s", err, e.logs)
	}
	if node.Name != "web-1" || node.State != types.NodeStateRunning || len(node.PublicIPs) != 1 {
		t.Errorf("node = %+v, want web-1 running with its address", node)
	}
	if got := e.nodes(); !slices.Equal(got, []string{node.ID}) {
		t.Errorf("driver nodes = %v, want just %s", got, node.ID)
	}

	// SSHKeyDeployment: ~/.ssh 0700, authorized_keys 0600, the key once.
	if st, err := os.Stat(e.home(".ssh")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf(".ssh: %v, %v; want mode 0700", st, err)
	}
	keys, mode := e.readHome(".ssh/authorized_keys")
	if mode != 0o600 || keys != deploy.AuthorizedKey(extra.signer)+" ops@example\n" {
		t.Errorf("authorized_keys = %q mode %o", keys, mode)
	}

	// FileDeployment: local mode kept, or the given one.
	if text, mode := e.readHome("app.conf"); text != "listen 80\n" || mode != 0o640 {
		t.Errorf("app.conf = %q mode %o, want the local file's content and mode 0640", text, mode)
	}
	if text, mode := e.readHome("token"); text != "secret-token" || mode != 0o600 {
		t.Errorf("token = %q mode %o", text, mode)
	}

	// ScriptDeployment: arguments intact, output and status recorded.
	if want := "[two words]\n[it's]\n[$HOME]\n[*]\n"; script.Stdout != want {
		t.Errorf("script stdout = %q, want %q", script.Stdout, want)
	}
	if script.Stderr != "to-stderr\n" || script.ExitStatus != 0 || script.RemotePath != "setup.sh" {
		t.Errorf("script stderr %q status %d path %q", script.Stderr, script.ExitStatus, script.RemotePath)
	}
	if where, _ := e.readHome("where"); strings.TrimSpace(where) != e.srv.Home {
		t.Errorf("script ran with HOME %q, want %q", where, e.srv.Home)
	}
	if _, mode := e.readHome("setup.sh"); mode != 0o700 {
		t.Errorf("script mode %o, want 0700", mode)
	}

	// Progress: every phase, each step once, in order.
	events := rec.all()
	want := []deploy.Phase{deploy.PhaseCreate, deploy.PhaseWait, deploy.PhaseConnect,
		deploy.PhaseDeploy, deploy.PhaseDeploy, deploy.PhaseDeploy, deploy.PhaseDeploy, deploy.PhaseDone}
	if got := phases(events); !slices.Equal(got, want) {
		t.Fatalf("phases = %v, want %v", got, want)
	}
	for i, ev := range events[3:7] {
		if ev.StepIndex != i || ev.Steps != 4 || ev.Attempt != 1 {
			t.Errorf("deploy event %d = %+v", i, ev)
		}
	}
	if events[7].Username != "root" || events[7].Address != e.srv.Addr() {
		t.Errorf("done event = %q", events[7])
	}
	assertNoSecrets(t, []string{e.logs.String()}, string(e.key.pem), "secret-token", "two words")
}

func TestSSHKeyDeploymentAppendsOnceAndKeepsExistingKeys(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	if err := os.MkdirAll(e.home(".ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	// An existing file without a final newline.
	if err := os.WriteFile(e.home(".ssh/authorized_keys"), []byte("ssh-ed25519 AAAAold old"), 0o644); err != nil {
		t.Fatal(err)
	}
	k := deploy.AuthorizedKey(newKey(t, "").signer)
	steps := &deploy.MultiStepDeployment{Steps: []deploy.Deployment{
		&deploy.SSHKeyDeployment{Key: k}, &deploy.SSHKeyDeployment{Key: k + "\n"},
	}}
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, steps, e.opts()); err != nil {
		t.Fatal(err)
	}
	got, mode := e.readHome(".ssh/authorized_keys")
	if want := "ssh-ed25519 AAAAold old\n" + k + "\n"; got != want || mode != 0o600 {
		t.Errorf("authorized_keys = %q mode %o, want %q mode 0600", got, mode, want)
	}
	if st, _ := os.Stat(e.home(".ssh")); st.Mode().Perm() != 0o700 {
		t.Errorf(".ssh mode %o, want 0700", st.Mode().Perm())
	}
}

func TestDeployNodePasswordAuth(t *testing.T) {
	const pw = "Pa55-w0rd-xyzzy"
	cases := []struct {
		name     string
		kbd      bool
		password string         // Options.Password
		auth     string         // req.Auth.Password
		extra    map[string]any // what the provider generated
	}{
		{name: "option", password: pw},
		{name: "request auth", auth: pw},
		{name: "generated by the provider", extra: map[string]any{"password": pw}},
		{name: "keyboard-interactive", kbd: true, extra: map[string]any{"password": pw}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, sshtest.Options{Passwords: map[string]string{"root": pw}, KeyboardInteractive: c.kbd})
			o := e.opts()
			o.PrivateKeys = nil
			o.Password = c.password
			e.req.Auth = compute.NodeAuth{Password: c.auth}
			e.req.ProviderOptions = &dummy.CreateNodeOptions{Extra: c.extra}
			script := &deploy.ScriptDeployment{Script: "id -un >/dev/null; echo ok"}
			node, err := deploy.DeployNode(context.Background(), e.drv, e.req, script, o)
			if err != nil {
				t.Fatalf("DeployNode: %v", err)
			}
			if script.Stdout != "ok\n" {
				t.Errorf("stdout %q", script.Stdout)
			}
			if c.extra != nil && node.Extra["password"] != pw {
				t.Errorf("the returned node lost the generated password")
			}
			assertNoSecrets(t, []string{e.logs.String()}, pw)
		})
	}
}

func TestDeployNodeWrongPasswordNeverLeaks(t *testing.T) {
	t.Parallel()
	const pw = "not-the-right-one-42"
	e := newEnv(t, sshtest.Options{Passwords: map[string]string{"root": "right"}})
	o := e.opts()
	o.PrivateKeys = nil
	o.Password = pw
	o.ConnectTimeout = 2 * time.Second // the login keeps failing
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
	de := deploymentError(t, err)
	if de.Phase != deploy.PhaseConnect || !errors.Is(err, deploy.ErrConnect) || !de.Destroyed {
		t.Fatalf("err = %v, want a destroyed node after a connect failure", err)
	}
	if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("error does not say why: %v", err)
	}
	assertNoSecrets(t, []string{err.Error(), e.logs.String()}, pw)
	if len(e.nodes()) != 0 {
		t.Errorf("node left behind: %v", e.nodes())
	}
}

func TestDeployNodeEncryptedKey(t *testing.T) {
	t.Parallel()
	const pass = "correct horse battery"
	enc := newKey(t, pass)
	e := newEnv(t, sshtest.Options{AuthorizedKeys: map[string][]ssh.PublicKey{"root": {enc.signer.PublicKey()}}})
	file := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(file, enc.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	o := e.opts()
	o.PrivateKeys = nil
	o.PrivateKeyFiles = []string{file}
	o.PrivateKeyPassphrase = []byte(pass)
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, []string{e.logs.String()}, pass)
}

func TestDeployNodeAlternateUsernames(t *testing.T) {
	key := newKey(t, "")
	e := newEnv(t, sshtest.Options{AuthorizedKeys: map[string][]ssh.PublicKey{"ubuntu": {key.signer.PublicKey()}}})
	o := e.opts()
	o.PrivateKeys = [][]byte{key.pem}
	o.AlternateUsernames = []string{"debian", "ubuntu"}
	var rec recorder
	o.Progress = rec.record
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
		t.Fatal(err)
	}
	execs := e.srv.Execs()
	if len(execs) == 0 || execs[len(execs)-1].User != "ubuntu" {
		t.Errorf("execs = %+v, want them run as ubuntu", execs)
	}
	events := rec.all()
	if done := events[len(events)-1]; done.Phase != deploy.PhaseDone || done.Username != "ubuntu" {
		t.Errorf("last event = %v", done)
	}
}
