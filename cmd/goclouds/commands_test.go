package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"

	"github.com/goclouds/goclouds/compute"
)

// decode parses JSON output into T.
func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	return v
}

func TestNodesLifecycle(t *testing.T) {
	created := decode[compute.Node](t, ok(t, "nodes", "create", "web1", "--image", "Ubuntu 9.04", "--size", "2",
		"--location", "London Loft", "-o", "json"))
	assert.Equal(t, "web1", created.Name)
	assert.Equal(t, "2", created.Image.ID)
	assert.Equal(t, "Medium", created.Size.Name)
	assert.Equal(t, "2", created.Location.ID)

	got := decode[compute.Node](t, ok(t, "nodes", "get", "web1", "-o", "json"))
	assert.Equal(t, created.ID, got.ID)

	waited := decode[compute.Node](t, ok(t, "nodes", "wait", created.ID, "--interval", "1ms", "-o", "json"))
	assert.Equal(t, "running", string(waited.State))

	stop := decode[[]actionResult](t, ok(t, "nodes", "stop", "web1", "-o", "json"))
	assert.Equal(t, []actionResult{{Kind: "node", ID: created.ID, Action: "stopped"}}, stop)
	assert.Equal(t, "stopped", string(decode[compute.Node](t, ok(t, "nodes", "wait", "web1", "--state", "stopped", "--interval", "1ms", "-o", "json")).State))

	assert.Contains(t, ok(t, "nodes", "start", "web1"), "started")
	assert.Contains(t, ok(t, "nodes", "reboot", "web1"), "rebooted")
	assert.Contains(t, ok(t, "nodes", "list"), "web1")

	assert.Equal(t, "KIND  ID  ACTION\nnode  "+created.ID+"   destroyed\n", ok(t, "nodes", "destroy", created.ID))
	assert.NotContains(t, ok(t, "nodes", "list"), "web1")
	fails(t, exitNotFound, "nodes", "get", "web1")
	fails(t, exitNotFound, "nodes", "destroy", created.ID)
}

func TestNodesCreateWait(t *testing.T) {
	n := decode[compute.Node](t, ok(t, "--option", "nodes=none", "nodes", "create", "db", "--image", "1", "--size", "Small",
		"--wait", "--interval", "1ms", "-o", "json"))
	assert.Equal(t, "running", string(n.State))
}

func TestNodesCreateSSHKey(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id.pub")
	require.NoError(t, os.WriteFile(keyFile, []byte(testPublicKey(t)+"\n"), 0o600))
	ok(t, "nodes", "create", "k", "--image", "1", "--size", "1", "--ssh-key-file", keyFile)
	stderr := fails(t, exitUsage, "nodes", "create", "k2", "--image", "1", "--size", "1", "--ssh-key-file", keyFile+".missing")
	assert.Contains(t, stderr, "--ssh-key-file")
}

func TestNodesWaitTerminated(t *testing.T) {
	ok(t, "nodes", "destroy", "2")
	assert.Equal(t, []actionResult{{Kind: "node", ID: "2", Action: "terminated"}},
		[]actionResult{decode[actionResult](t, ok(t, "nodes", "wait", "2", "--state", "terminated", "-o", "json"))})
}

func TestNodesWaitTimesOut(t *testing.T) {
	stderr := fails(t, exitFailure, "nodes", "wait", "1", "--state", "stopped", "--wait-timeout", "20ms", "--interval", "1ms")
	assert.Contains(t, stderr, "timed out")
}

func TestNodesUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"nodes", "create", "x"},                           // no --image/--size
		{"nodes", "create", "--image", "1", "--size", "1"}, // no name
		{"nodes", "get"},                                   // no id
		{"nodes", "get", "1", "2"},                         // two ids
		{"nodes", "stop"},                                  // no id
		{"nodes", "wait", "1", "--state", "sleepy"},        // bad state
		{"nodes", "wait", "1", "--interval", "0s"},         // bad interval
		{"nodes", "list", "extra"},                         // extra argument
		{"nodes", "frobnicate"},                            // unknown subcommand
		{"nodes", "list", "--no-such-flag"},                // unknown flag
	} {
		stderr := fails(t, exitUsage, args...)
		assert.Contains(t, stderr, "--help", "a usage error points at the help: %s", stderr)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	assert.Contains(t, fails(t, exitUsage, "nodez"), `did you mean "nodes"?`)
	assert.Contains(t, fails(t, exitUsage, "nodes", "lst"), `did you mean "list"?`)
}

func TestNodesNotFound(t *testing.T) {
	assert.Contains(t, fails(t, exitNotFound, "nodes", "create", "x", "--image", "nope", "--size", "1"), "nope")
	assert.Contains(t, fails(t, exitNotFound, "nodes", "create", "x", "--image", "1", "--size", "nope"), `"nope"`)
	assert.Contains(t, fails(t, exitNotFound, "nodes", "create", "x", "--image", "1", "--size", "1", "--location", "Mars"), "Mars")
	assert.Contains(t, fails(t, exitNotFound, "images", "get", "nope"), "nope")
}

func TestNodesAmbiguousName(t *testing.T) {
	ok(t, "nodes", "create", "twin", "--image", "1", "--size", "1")
	ok(t, "nodes", "create", "twin", "--image", "1", "--size", "1")
	stderr := fails(t, exitUsage, "nodes", "destroy", "twin")
	assert.Contains(t, stderr, `2 nodes are named "twin"`)
	assert.Len(t, decode[[]compute.Node](t, ok(t, "nodes", "list", "-o", "json")), 4, "nothing destroyed")
}

func TestNodesConflictIsFailure(t *testing.T) {
	ok(t, "nodes", "stop", "1")
	stderr := fails(t, exitFailure, "nodes", "reboot", "1")
	assert.Contains(t, stderr, "conflict")
}

func TestImagesAndCatalog(t *testing.T) {
	images := decode[[]compute.Image](t, ok(t, "images", "list", "--location", "1", "-o", "json"))
	require.Len(t, images, 3)
	img := decode[compute.Image](t, ok(t, "images", "get", "3", "-o", "json"))
	assert.Equal(t, "Slackware 4", img.Name)
	assert.Len(t, decode[[]compute.Size](t, ok(t, "sizes", "list", "--location", "Paul's Room", "-o", "json")), 4)
	assert.Len(t, decode[[]compute.Location](t, ok(t, "locations", "list", "-o", "json")), 3)
	fails(t, exitNotFound, "sizes", "list", "--location", "nowhere")
}

func TestVolumesAndSnapshots(t *testing.T) {
	vol := decode[compute.Volume](t, ok(t, "volumes", "create", "data1", "--size", "20", "-o", "json"))
	assert.Equal(t, 20, vol.Size)
	assert.Contains(t, ok(t, "volumes", "list"), "data1")

	assert.Equal(t, []actionResult{{Kind: "volume", ID: vol.ID, Action: "attached"}},
		[]actionResult{decode[actionResult](t, ok(t, "volumes", "attach", "data1", "dummy-1", "-o", "json"))})
	vols := decode[[]compute.Volume](t, ok(t, "volumes", "list", "-o", "json"))
	require.Len(t, vols, 1)
	assert.Equal(t, "1", vols[0].NodeID)

	snap := decode[compute.VolumeSnapshot](t, ok(t, "snapshots", "create", "data1", "--name", "nightly", "-o", "json"))
	assert.Equal(t, vol.ID, snap.VolumeID)
	assert.Equal(t, "nightly", snap.Name)
	assert.Len(t, decode[[]compute.VolumeSnapshot](t, ok(t, "snapshots", "list", "--volume", "data1", "-o", "json")), 1)
	assert.Contains(t, ok(t, "snapshots", "list"), "nightly")

	restored := decode[compute.Volume](t, ok(t, "volumes", "create", "restored", "--snapshot", snap.ID, "-o", "json"))
	assert.Equal(t, "restored", restored.Name)

	assert.Contains(t, ok(t, "snapshots", "destroy", "nightly"), "destroyed")
	assert.Equal(t, "[]\n", ok(t, "snapshots", "list", "-o", "json"))
	fails(t, exitNotFound, "snapshots", "destroy", "nightly")

	assert.Contains(t, ok(t, "volumes", "detach", vol.ID), "detached")
	assert.Contains(t, ok(t, "volumes", "destroy", "data1", "restored"), "destroyed")
	assert.Equal(t, "[]\n", ok(t, "volumes", "list", "-o", "json"))
	fails(t, exitNotFound, "volumes", "destroy", "data1")
	fails(t, exitUsage, "volumes", "create", "nosize")
	fails(t, exitUsage, "volumes", "attach", "data1")
}

func TestKeyPairs(t *testing.T) {
	dir := t.TempDir()
	pem := filepath.Join(dir, "deploy.pem")
	out := ok(t, "keypairs", "create", "deploy", "--private-key-file", pem, "-o", "json")
	kp := decode[compute.KeyPair](t, out)
	assert.Equal(t, "deploy", kp.Name)
	assert.NotEmpty(t, kp.Fingerprint)
	assert.NotContains(t, out, "PRIVATE KEY", "the private key is never printed with the key pair")
	data, err := os.ReadFile(pem)
	require.NoError(t, err)
	_, err = ssh.ParseRawPrivateKey(data)
	require.NoError(t, err, "the file holds the private key")
	fi, err := os.Stat(pem)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Never over an existing file, and the key pair is then not created.
	fails(t, exitUsage, "keypairs", "create", "other", "--private-key-file", pem)
	fails(t, exitUsage, "keypairs", "create", "other")
	assert.NotContains(t, ok(t, "keypairs", "list"), "other")

	// To stdout only when asked.
	stdout := ok(t, "keypairs", "create", "piped", "--private-key-file", "-")
	assert.Contains(t, stdout, "PRIVATE KEY")

	pub := filepath.Join(dir, "id.pub")
	require.NoError(t, os.WriteFile(pub, []byte(testPublicKey(t)+"\n"), 0o600))
	imported := decode[compute.KeyPair](t, ok(t, "keypairs", "import", "laptop", "--public-key-file", pub, "-o", "json"))
	assert.Equal(t, "laptop", imported.Name)
	assert.Contains(t, ok(t, "keypairs", "import", "inline", "--public-key", testPublicKey(t)), "inline")
	fails(t, exitUsage, "keypairs", "import", "both", "--public-key", "x", "--public-key-file", pub)

	list := decode[[]compute.KeyPair](t, ok(t, "keypairs", "list", "-o", "json"))
	assert.Len(t, list, 4)
	for _, k := range list {
		assert.Empty(t, k.PrivateKey)
	}
	assert.Contains(t, ok(t, "keypairs", "delete", "deploy", "laptop"), "deleted")
	assert.Len(t, decode[[]compute.KeyPair](t, ok(t, "keypairs", "list", "-o", "json")), 2)
	fails(t, exitNotFound, "keypairs", "delete", "deploy")
}

func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "complete -o default -F __start_goclouds goclouds",
		"zsh":        "#compdef goclouds",
		"fish":       "complete -c goclouds",
		"powershell": "Register-ArgumentCompleter",
	} {
		r := runCLI(t, "completion", shell)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, marker, shell)
	}
	r := runCLI(t, "completion", "tcsh")
	assert.Equal(t, exitUsage, r.code)
}

func TestEveryCommandHasExamples(t *testing.T) {
	root := newRootCmd(&cliEnv{getenv: func(string) string { return "" }})
	count := 0
	for _, c := range allCommands(root) {
		if c.Hidden {
			continue
		}
		count++
		assert.NotEmpty(t, strings.TrimSpace(c.Example), "%s has no example", c.CommandPath())
		assert.NotEmpty(t, c.Short, "%s has no short help", c.CommandPath())
		r := runCLI(t, append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "goclouds")), "--help")...)
		assert.Equal(t, exitOK, r.code, "%s --help: %s", c.CommandPath(), r.stderr)
		assert.Contains(t, r.stdout, "Examples:", c.CommandPath())
	}
	assert.Greater(t, count, 30)
}

// allCommands returns c and every command below it.
func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}

// testPublicKey returns a fresh OpenSSH ed25519 public key.
func testPublicKey(t *testing.T) string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sshPub, err := ssh.NewPublicKey(pub)
	require.NoError(t, err)
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " me@laptop"
}

func TestNodesCreateCloudStackOptionsNeedCloudStack(t *testing.T) {
	for _, args := range [][]string{
		{"--keypair", "k"}, {"--opt", "root_disk_size=50"},
	} {
		stderr := fails(t, exitUsage, append([]string{"nodes", "create", "x", "--image", "1", "--size", "1"}, args...)...)
		assert.Contains(t, stderr, "CloudStack options")
	}
	fails(t, exitUsage, "nodes", "create", "x", "--image", "1", "--size", "1", "--opt", "novalue")
	fails(t, exitUsage, "nodes", "create", "x", "--image", "1", "--size", "1", "--user-data-file", "/nonexistent")
	fails(t, exitUsage, "nodes", "create", "x", "--image", "1", "--size", "1", "--user-data", "a", "--user-data-file", "/etc/hostname")
	fails(t, exitUsage, "nodes", "create", "x", "--image", "1", "--size", "1", "--tag", "novalue")
	fails(t, exitUsage, "nodes", "list", "--state", "sideways")
	fails(t, exitUsage, "nodes", "resize", "dummy-1")
	assert.Len(t, decode[[]compute.Node](t, ok(t, "nodes", "list", "-o", "json")), 2, "nothing created")
}

func TestNodesCreatePasswordFileWithoutPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	r := runCLI(t, testArgs(t, "nodes", "create", "x", "--image", "1", "--size", "1", "--password-file", path)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "generated no password")
	assert.NoFileExists(t, path)
	assert.Contains(t, r.stdout, "x")
}
