package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// deployFixture is an SSH test server, a client key pair in a temporary
// HOME, and the flags that point the dummy provider's new nodes at the
// server.
type deployFixture struct {
	srv     *sshtest.Server
	home    string
	keyFile string
	pub     string
	environ map[string]string
}

func newDeployFixture(t *testing.T, o sshtest.Options, passphrase string) *deployFixture {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	signer, err := ssh.NewSignerFromKey(priv)
	require.NoError(t, err)
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte(passphrase))
	}
	require.NoError(t, err)
	if o.AuthorizedKeys == nil && o.Passwords == nil && o.PasswordCallback == nil {
		o.AuthorizedKeys = map[string][]ssh.PublicKey{"root": {signer.PublicKey()}}
	}
	fx := &deployFixture{srv: sshtest.New(t, o), home: t.TempDir(), pub: deploy.AuthorizedKey(signer)}
	fx.keyFile = filepath.Join(fx.home, "id_test")
	require.NoError(t, os.WriteFile(fx.keyFile, pem.EncodeToMemory(block), 0o600))
	fx.environ = map[string]string{"HOME": fx.home}
	return fx
}

// args are the global and deploy flags for a fast deployment to the server.
func (fx *deployFixture) args(extra ...string) []string {
	return append([]string{"--provider", "dummy", "--option", "nodes=-1",
		"--option", "public_ip=" + fx.srv.Host, "--option", "ssh_port=" + strconv.Itoa(fx.srv.Port),
		"nodes", "deploy", "web1", "--image", "Ubuntu 9.10", "--size", "Small",
		"--interval", "10ms"}, extra...)
}

func (fx *deployFixture) write(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(fx.home, name)
	require.NoError(t, os.WriteFile(path, []byte(content), mode))
	return path
}

func TestNodesDeploy(t *testing.T) {
	fx := newDeployFixture(t, sshtest.Options{}, "")
	script := fx.write(t, "setup.sh", "#!/bin/sh\necho \"hello $1\"\necho warn >&2\n", 0o755)
	conf := fx.write(t, "app.conf", "port=80\n", 0o640)
	extraPub := fx.write(t, "ops.pub", "# ops team\n"+fx.pub+" ops\n", 0o644)

	r := runEnv(t, fx.environ, fx.args("--ssh-key", "~/id_test", "--script", script, "--script-arg", "big world",
		"--file", conf+":app.conf", "--authorize-key", extraPub, "-o", "json")...)
	require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)

	var node map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &node), r.stdout)
	require.Equal(t, "web1", node["name"])
	require.Equal(t, "running", node["state"])

	// Progress for each phase, and the script's output, on stderr.
	for _, want := range []string{"==> create: creating the node", "==> wait: node", "==> connect: connecting to root@",
		"==> deploy: step 1/3: authorize ssh-ed25519 key", "==> deploy: step 2/3: upload", "==> deploy: step 3/3: script file",
		"hello big world\n", "warn\n", "==> done: node"} {
		require.Contains(t, r.stderr, want)
	}
	require.NotContains(t, r.stdout, "hello")

	// The steps ran on the server.
	b, err := os.ReadFile(filepath.Join(fx.srv.Home, "app.conf"))
	require.NoError(t, err)
	require.Equal(t, "port=80\n", string(b))
	b, err = os.ReadFile(filepath.Join(fx.srv.Home, ".ssh", "authorized_keys"))
	require.NoError(t, err)
	require.Equal(t, fx.pub+" ops\n", string(b))
	// Scripts are deleted after they ran.
	left, _ := filepath.Glob(filepath.Join(fx.srv.Home, "goclouds_deploy_*"))
	require.Empty(t, left)

	// The new host key was recorded in ~/.ssh/known_hosts (accept-new).
	b, err = os.ReadFile(filepath.Join(fx.home, ".ssh", "known_hosts"))
	require.NoError(t, err)
	require.Equal(t, fx.srv.KnownHostsLine()+"\n", string(b))
}

func TestNodesDeployFailures(t *testing.T) {
	fx := newDeployFixture(t, sshtest.Options{}, "")
	failing := fx.write(t, "fail.sh", "#!/bin/sh\necho 'no space left' >&2\nexit 3\n", 0o755)

	t.Run("failing script destroys the node", func(t *testing.T) {
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--script", failing)...)
		require.Equal(t, exitFailure, r.code, r.stderr)
		require.Empty(t, r.stdout)
		last := lastLineOf(r.stderr)
		require.True(t, strings.HasPrefix(last, "goclouds: deploy: node "), last)
		require.Contains(t, last, "exit status 3: no space left (node destroyed)")
		require.Contains(t, r.stderr, "==> cleanup: destroying node")
	})
	t.Run("keep on failure", func(t *testing.T) {
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--script", failing, "--keep-on-failure", "-q")...)
		require.Equal(t, exitFailure, r.code, r.stderr)
		require.Equal(t, 1, strings.Count(r.stderr, "\n"), "--quiet prints the error only: %q", r.stderr)
		require.Contains(t, r.stderr, "(node kept)")
	})
	t.Run("allowed script failure", func(t *testing.T) {
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--script", failing, "--allow-script-failure", "-q")...)
		require.Equal(t, exitOK, r.code, r.stderr)
	})
	t.Run("wrong host key", func(t *testing.T) {
		other := sshtest.New(t, sshtest.Options{Deferred: true}) // only for its key
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--host-key-fingerprint", other.Fingerprint(), "-q")...)
		require.Equal(t, exitFailure, r.code, r.stderr)
		require.Contains(t, r.stderr, "host key verification failed")
		require.Contains(t, r.stderr, "(node destroyed)")
	})
	t.Run("strict host key refuses an unknown host", func(t *testing.T) {
		home := t.TempDir()
		env := map[string]string{"HOME": home}
		r := runEnv(t, env, fx.args("--ssh-key", fx.keyFile, "--strict-host-key", "-q")...)
		require.Equal(t, exitUsage, r.code, r.stderr)
		require.Contains(t, r.stderr, "known_hosts: open") // no file to be strict with

		other := sshtest.New(t, sshtest.Options{Deferred: true})
		require.NoError(t, os.Mkdir(filepath.Join(home, ".ssh"), 0o700))
		line := strings.Replace(other.KnownHostsLine(), "127.0.0.1", "192.0.2.1", 1)
		require.NoError(t, os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), []byte(line+"\n"), 0o600))
		r = runEnv(t, env, fx.args("--ssh-key", fx.keyFile, "--strict-host-key", "-q")...)
		require.Equal(t, exitFailure, r.code, r.stderr)
		require.Contains(t, r.stderr, "host key verification failed")
		require.Contains(t, r.stderr, "key is unknown")
	})
	t.Run("insecure host key is a warning", func(t *testing.T) {
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--insecure-ignore-host-key", "-q")...)
		require.Equal(t, exitOK, r.code, r.stderr)
		require.Contains(t, r.stderr, "level=WARN")
		require.Contains(t, r.stderr, "NOT verified")
	})
}

func TestNodesDeployPasswordAndPassphraseFromEnvironment(t *testing.T) {
	const pw, pass = "hunter2-but-longer", "open sesame"
	t.Run("password", func(t *testing.T) {
		t.Parallel()
		fx := newDeployFixture(t, sshtest.Options{Passwords: map[string]string{"ubuntu": pw}, KeyboardInteractive: true}, "")
		fx.environ["GOCLOUDS_SSH_PASSWORD"] = pw
		r := runEnv(t, fx.environ, fx.args("--alt-user", "ubuntu", "--debug")...)
		require.Equal(t, exitOK, r.code, r.stderr)
		require.Contains(t, r.stderr, "reachable as ubuntu@")
		require.NotContains(t, r.stderr, pw)
		require.NotContains(t, r.stdout, pw)
	})
	t.Run("encrypted key", func(t *testing.T) {
		t.Parallel()
		fx := newDeployFixture(t, sshtest.Options{}, pass)
		// With the .pub beside it, the key is decrypted once, to log in.
		fx.write(t, "id_test.pub", fx.pub+"\n", 0o644)
		fx.environ["GOCLOUDS_SSH_KEY_PASSPHRASE"] = pass
		r := runEnv(t, fx.environ, fx.args("--ssh-key", fx.keyFile, "--debug", "-o", "json")...)
		require.Equal(t, exitOK, r.code, r.stderr)
		require.NotContains(t, r.stderr, pass)
	})
}

func TestNodesDeployUsageErrors(t *testing.T) {
	fx := newDeployFixture(t, sshtest.Options{}, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--provider", "dummy", "nodes", "deploy", "web1", "--size", "Small"}, "needs --image and --size"},
		{fx.args("--ssh-key", fx.keyFile, "--file", "nocolon"), "want LOCAL:REMOTE"},
		{fx.args("--ssh-key", fx.keyFile, "--script", "/does/not/exist.sh"), "no such file"},
		{fx.args("--ssh-key", "/does/not/exist"), "--ssh-key"},
		{fx.args("--ssh-key", fx.keyFile, "--ip-family", "ipx"), "--ip-family"},
		{fx.args("--ssh-key", fx.keyFile, "--host-key-fingerprint", "MD5:00", "-q"), "SHA256:"},
		{fx.args("--ssh-key", fx.keyFile, "--host-key-fingerprint", fx.srv.Fingerprint(), "--insecure-ignore-host-key"), "exclude each other"},
		{fx.args("--ssh-key", fx.keyFile, "--keypair", "deploy"), "CloudStack options"},
		{fx.args("--ssh-key", fx.keyFile, "--opt", "nokey"), "want key=value"},
	} {
		r := runEnv(t, fx.environ, c.args...)
		require.Equal(t, exitUsage, r.code, "%v\nstderr: %s", c.args, r.stderr)
		require.Contains(t, r.stderr, c.want)
		require.Empty(t, r.stdout)
	}
	require.Empty(t, fx.srv.Execs(), "nothing may run on a node after a usage error")
}

func lastLineOf(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestNodesDeployOnCloudStackWithGeneratedPassword(t *testing.T) {
	var mu sync.Mutex
	var tried []string
	fx := newDeployFixture(t, sshtest.Options{PasswordCallback: func(user, password string) bool {
		mu.Lock()
		defer mu.Unlock()
		tried = append(tried, user+":"+password)
		return user == "root" && password != ""
	}}, "")
	_, env := simEnv(t, &cloudstacksim.Options{VMAddress: fx.srv.Host})
	env["HOME"] = fx.home
	pwFile := filepath.Join(fx.home, "web1.password")
	script := fx.write(t, "hi.sh", "#!/bin/sh\necho hi from cloudstack\n", 0o755)
	userData := fx.write(t, "cloud-init.yaml", "#cloud-config\n", 0o644)

	args := append(append([]string{}, simArgs...), "nodes", "deploy", "web1", "--image", "Ubuntu 22.04 LTS",
		"--size", cloudstacksim.OfferingSmall, "--private", "--port", strconv.Itoa(fx.srv.Port),
		"--host-key-fingerprint", fx.srv.Fingerprint(), "--user-data-file", userData,
		"--password-file", pwFile, "--script", script, "--interval", "10ms", "-o", "json")
	r := runEnv(t, env, args...)
	require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
	require.Contains(t, r.stderr, "hi from cloudstack")

	// The generated password logged in, went to the file, and nowhere else.
	b, err := os.ReadFile(pwFile)
	require.NoError(t, err)
	password := strings.TrimSpace(string(b))
	require.NotEmpty(t, password)
	mu.Lock()
	require.Equal(t, []string{"root:" + password}, tried)
	mu.Unlock()
	require.NotContains(t, r.stdout, password)
	require.NotContains(t, r.stderr, password)
	var node map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &node), r.stdout)
	require.Equal(t, "web1", node["name"])
}
