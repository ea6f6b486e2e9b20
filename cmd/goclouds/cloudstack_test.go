package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// simEnv starts a CloudStack simulator and returns the environment that
// points the CLI at it, as a user would configure it, with the normal
// account's keys.
func simEnv(t *testing.T, opts *cloudstacksim.Options) (*cloudstacksim.Server, map[string]string) {
	t.Helper()
	if opts == nil {
		opts = &cloudstacksim.Options{}
	}
	if opts.JobDelay == 0 {
		opts.JobDelay = 5 * time.Millisecond
	}
	if opts.SSHKeyBits == 0 {
		opts.SSHKeyBits = 1024
	}
	sim := cloudstacksim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	creds := sim.UserCredentials()
	return sim, map[string]string{
		envURL:       srv.URL + sim.Path(),
		envAPIKey:    creds.APIKey,
		envSecretKey: creds.SecretKey,
		// Fast job polling: the simulator's jobs take milliseconds.
	}
}

// simArgs are the global flags that make the CloudStack driver poll jobs
// quickly.
var simArgs = []string{"--option", "job_poll_interval=5ms", "--option", "job_poll_max_interval=20ms"}

// simOK runs the CLI against the simulator and requires success.
func simOK(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	r := runEnv(t, env, append(append([]string{}, simArgs...), args...)...)
	require.Equal(t, exitOK, r.code, "goclouds %s\nstderr: %s", strings.Join(args, " "), r.stderr)
	require.Empty(t, r.stderr)
	return r.stdout
}

// simFails runs the CLI against the simulator and requires the exit code
// and a one-line error.
func simFails(t *testing.T, env map[string]string, code int, args ...string) string {
	t.Helper()
	r := runEnv(t, env, append(append([]string{}, simArgs...), args...)...)
	require.Equal(t, code, r.code, "goclouds %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.stdout, r.stderr)
	require.Empty(t, r.stdout)
	require.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
	return r.stderr
}

func TestCloudStackNodes(t *testing.T) {
	_, env := simEnv(t, nil)
	zones := decode[[]compute.Location](t, simOK(t, env, "locations", "list", "-o", "json"))
	require.NotEmpty(t, zones)
	images := decode[[]compute.Image](t, simOK(t, env, "images", "list", "--location", zones[0].Name, "-o", "json"))
	require.NotEmpty(t, images)
	sizes := decode[[]compute.Size](t, simOK(t, env, "sizes", "list", "-o", "json"))
	require.NotEmpty(t, sizes)
	assert.Contains(t, simOK(t, env, "images", "get", images[0].ID), images[0].Name)

	n := decode[compute.Node](t, simOK(t, env, "nodes", "create", "web1", "--image", images[0].Name, "--size", sizes[0].Name,
		"--location", zones[0].ID, "--wait", "--interval", "5ms", "-o", "json"))
	assert.Equal(t, "web1", n.Name)
	assert.Equal(t, "running", string(n.State))
	assert.Equal(t, "cloudstack", string(n.Provider))
	assert.NotContains(t, n.Extra, "password")

	assert.Contains(t, simOK(t, env, "nodes", "list"), "web1")
	assert.Contains(t, simOK(t, env, "nodes", "stop", "web1"), "stopped")
	assert.Equal(t, "stopped", string(decode[compute.Node](t, simOK(t, env, "nodes", "get", n.ID, "-o", "json")).State))
	assert.Contains(t, simOK(t, env, "nodes", "start", n.ID), "started")
	assert.Contains(t, simOK(t, env, "nodes", "reboot", "web1"), "rebooted")
	waited := decode[compute.Node](t, simOK(t, env, "nodes", "wait", "web1", "--interval", "5ms", "-o", "json"))
	assert.Equal(t, "running", string(waited.State))
	assert.Contains(t, simOK(t, env, "nodes", "destroy", "web1"), "destroyed")
	simFails(t, env, exitNotFound, "nodes", "get", n.ID)
	simFails(t, env, exitNotFound, "nodes", "get", "0a4f3c2e-0000-4000-8000-000000000000")
}

func TestCloudStackStorageAndKeys(t *testing.T) {
	_, env := simEnv(t, nil)
	images := decode[[]compute.Image](t, simOK(t, env, "images", "list", "-o", "json"))
	sizes := decode[[]compute.Size](t, simOK(t, env, "sizes", "list", "-o", "json"))
	n := decode[compute.Node](t, simOK(t, env, "nodes", "create", "db", "--image", images[0].ID, "--size", sizes[0].ID, "-o", "json"))

	vol := decode[compute.Volume](t, simOK(t, env, "volumes", "create", "data", "--size", "5", "-o", "json"))
	assert.Equal(t, "data", vol.Name)
	assert.Contains(t, simOK(t, env, "volumes", "attach", "data", n.ID), "attached")
	snap := decode[compute.VolumeSnapshot](t, simOK(t, env, "snapshots", "create", "data", "-o", "json"))
	assert.Equal(t, vol.ID, snap.VolumeID)
	assert.Contains(t, simOK(t, env, "snapshots", "list", "--volume", vol.ID), snap.ID)
	assert.Contains(t, simOK(t, env, "snapshots", "destroy", snap.ID), "destroyed")
	assert.Contains(t, simOK(t, env, "volumes", "detach", "data"), "detached")
	assert.Contains(t, simOK(t, env, "volumes", "destroy", vol.ID), "destroyed")

	pem := filepath.Join(t.TempDir(), "k.pem")
	kp := decode[compute.KeyPair](t, simOK(t, env, "keypairs", "create", "k", "--private-key-file", pem, "-o", "json"))
	assert.Equal(t, "k", kp.Name)
	data, err := os.ReadFile(pem)
	require.NoError(t, err)
	assert.Contains(t, string(data), "PRIVATE KEY")
	assert.Contains(t, simOK(t, env, "keypairs", "import", "laptop", "--public-key", testPublicKey(t)), "laptop")
	assert.Len(t, decode[[]compute.KeyPair](t, simOK(t, env, "keypairs", "list", "-o", "json")), 2)
	assert.Contains(t, simOK(t, env, "keypairs", "delete", "k", "laptop"), "deleted")
	assert.Equal(t, "[]\n", simOK(t, env, "keypairs", "list", "-o", "json"))

	// A CloudStack create option reaches deployVirtualMachine.
	kpOut := simOK(t, env, "keypairs", "import", "deploy", "--public-key", testPublicKey(t), "-o", "json")
	require.Contains(t, kpOut, "deploy")
	n2 := decode[compute.Node](t, simOK(t, env, "nodes", "create", "withkey", "--image", images[0].ID, "--size", sizes[0].ID,
		"--keypair", "deploy", "-o", "json"))
	raw := simOK(t, env, "api", "listVirtualMachines", "id="+n2.ID)
	assert.Contains(t, raw, `"deploy"`, "the VM carries the key pair")
	simFails(t, env, exitUsage, "nodes", "create", "x", "--image", images[0].ID, "--size", sizes[0].ID, "--opt", "no_such_option=1")
}

func TestCloudStackAPI(t *testing.T) {
	sim, env := simEnv(t, nil)
	var zones struct {
		Count int              `json:"count"`
		Zone  []map[string]any `json:"zone"`
	}
	out := simOK(t, env, "api", "listZones")
	require.NoError(t, json.Unmarshal([]byte(out), &zones), out)
	require.NotEmpty(t, zones.Zone)
	zoneID := zones.Zone[0]["id"].(string)

	var templates struct {
		Template []map[string]any `json:"template"`
	}
	require.NoError(t, json.Unmarshal([]byte(simOK(t, env, "api", "listTemplates", "templatefilter=executable", "zoneid="+zoneID)), &templates))
	require.NotEmpty(t, templates.Template)
	var offerings struct {
		ServiceOffering []map[string]any `json:"serviceoffering"`
	}
	require.NoError(t, json.Unmarshal([]byte(simOK(t, env, "api", "listServiceOfferings")), &offerings))
	require.NotEmpty(t, offerings.ServiceOffering)

	// An async command is awaited: the job's result is printed.
	sim.SetJobDelay(30 * time.Millisecond)
	out = simOK(t, env, "api", "deployVirtualMachine", "zoneid="+zoneID, "templateid="+templates.Template[0]["id"].(string),
		"serviceofferingid="+offerings.ServiceOffering[0]["id"].(string), "name=rawvm")
	var deployed struct {
		VirtualMachine map[string]any `json:"virtualmachine"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &deployed), out)
	assert.Equal(t, "rawvm", deployed.VirtualMachine["name"])
	assert.Equal(t, "Running", deployed.VirtualMachine["state"])

	table := simOK(t, env, "api", "listVirtualMachines", "-o", "table")
	assert.Regexp(t, regexp.MustCompile(`(?m)^ID\s+NAME\s`), table)
	assert.Regexp(t, regexp.MustCompile(`(?m)\srawvm\s+.*Running`), table)
	csvOut := simOK(t, env, "api", "listVirtualMachines", "-o", "csv")
	assert.True(t, strings.HasPrefix(csvOut, "id,name,"), csvOut)
	assert.Contains(t, simOK(t, env, "api", "listZones", "-o", "yaml"), "zone:\n  - id: ")

	// Errors: a bad parameter is the server's 431, an unknown command is
	// reported, malformed arguments are usage errors.
	assert.Contains(t, simFails(t, env, exitFailure, "api", "deployVirtualMachine", "zoneid="+zoneID), "431")
	simFails(t, env, exitUsage, "api", "listZones", "novalue")
	simFails(t, env, exitUsage, "api", "listZones", "id=1", "id=2")
	assert.Contains(t, simFails(t, env, exitFailure, "api", "listZones", "signature=forged"), "set by the driver")
	r := runCLI(t, "--provider", "dummy", "api", "listZones")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "needs a CloudStack provider")
}

func TestCloudStackConfigPrecedence(t *testing.T) {
	_, env := simEnv(t, nil)
	// The environment's keys work; a flag overrides them (here with a wrong
	// secret, which the server refuses: exit code 4).
	simOK(t, env, "nodes", "list")
	assert.Contains(t, simFails(t, env, exitPermission, "--secret-key", "wrong", "nodes", "list"), "permission denied")

	// A cloudmonkey profile alone works; the environment overrides it.
	path := writeConfig(t, "profile = sim\n[sim]\nurl = "+env[envURL]+"\napikey = "+env[envAPIKey]+"\nsecretkey = "+env[envSecretKey]+"\n")
	simOK(t, map[string]string{}, "--config", path, "locations", "list")
	simFails(t, map[string]string{envAPIKey: "nobody"}, exitPermission, "--config", path, "locations", "list")
}

func TestCloudStackDebugRedacts(t *testing.T) {
	_, env := simEnv(t, nil)
	r := runEnv(t, env, append(append([]string{}, simArgs...), "--debug", "nodes", "list")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "listVirtualMachines")
	assert.NotContains(t, r.stderr, env[envSecretKey])
	assert.NotRegexp(t, regexp.MustCompile(`(?i)signature=[^R&\s]`), r.stderr, "no signature value")
}

// firstImageAndSize returns the ids of the simulator's first image and size.
func firstImageAndSize(t *testing.T, env map[string]string) (string, string) {
	t.Helper()
	images := decode[[]compute.Image](t, simOK(t, env, "images", "list", "-o", "json"))
	sizes := decode[[]compute.Size](t, simOK(t, env, "sizes", "list", "-o", "json"))
	require.NotEmpty(t, images)
	require.NotEmpty(t, sizes)
	return images[0].ID, sizes[0].ID
}

func TestCloudStackInterruptDuringJob(t *testing.T) {
	// A job that would take an hour: cancelling the context (Ctrl-C) ends
	// the wait with exit code 130.
	_, env := simEnv(t, &cloudstacksim.Options{JobDelay: time.Hour})
	image, size := firstImageAndSize(t, env)
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr bytes.Buffer
	cli := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] },
		isTerminal: func(io.Writer) bool { return false }}
	done := make(chan int)
	go func() {
		done <- cli.execute(ctx, append(append([]string{}, simArgs...), "nodes", "create", "slow", "--image", image, "--size", size))
	}()
	time.AfterFunc(100*time.Millisecond, cancel)
	assert.Equal(t, exitInterrupted, <-done, stderr.String())
	assert.True(t, strings.HasPrefix(stderr.String(), "goclouds: interrupted"), stderr.String())
	assert.Equal(t, 1, strings.Count(stderr.String(), "\n"))
	assert.Empty(t, stdout.String())
}

func TestCloudStackProgressDuringJobs(t *testing.T) {
	_, env := simEnv(t, &cloudstacksim.Options{JobDelay: 30 * time.Millisecond})
	image, size := firstImageAndSize(t, env)
	simOK(t, env, "nodes", "create", "p", "--image", image, "--size", size)
	var stdout, stderr bytes.Buffer
	cli := &cliEnv{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] },
		isTerminal: func(w io.Writer) bool { return w == &stderr }}
	code := cli.execute(t.Context(), append(append([]string{}, simArgs...), "nodes", "stop", "p", "-o", "json"))
	require.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stderr.String(), "stop node ")
	assert.True(t, strings.HasSuffix(stderr.String(), "\r\033[K"))
	assert.NotContains(t, stdout.String(), "\r")
	assert.Contains(t, stdout.String(), `"action": "stopped"`)
}

func TestAPICommandNames(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		want     string
		wantRest []string
	}{
		{[]string{"listZones"}, "listZones", []string{}},
		{[]string{"listzones", "id=1"}, "listZones", []string{"id=1"}},
		{[]string{"list", "virtualmachines", "state=Running"}, "listVirtualMachines", []string{"state=Running"}},
		{[]string{"deploy", "virtualmachine", "name=x"}, "deployVirtualMachine", []string{"name=x"}},
		{[]string{"listFutureThings", "a=b"}, "listFutureThings", []string{"a=b"}},
		{[]string{"listZone"}, "listZone", []string{}},
		{[]string{"list", "nothing"}, "list", []string{"nothing"}},
	} {
		got, rest := apiCommandName(tc.args)
		assert.Equal(t, tc.want, got, tc.args)
		assert.Equal(t, tc.wantRest, rest, tc.args)
	}

	_, env := simEnv(t, nil)
	assert.Equal(t, simOK(t, env, "api", "listZones"), simOK(t, env, "api", "list", "zones"))
	assert.Equal(t, simOK(t, env, "api", "listZones"), simOK(t, env, "api", "listzones"))
	simFails(t, env, exitUsage, "api", "list", "nothing")
}

func TestAPICompletion(t *testing.T) {
	r := runCLI(t, "__complete", "api", "listVirtualM")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "listVirtualMachines\t")
	assert.NotContains(t, r.stdout, "listZones")

	r = runCLI(t, "__complete", "api", "list", "zones", "id=1", "")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "name=\t")
	assert.NotContains(t, r.stdout, "\nid=\t", "parameters already given are not offered")

	r = runCLI(t, "__complete", "--output", "")
	assert.Contains(t, r.stdout, "yaml")
}

func TestCloudStackTimeout(t *testing.T) {
	// Jobs that take an hour, a command limited to 50ms by the environment.
	_, env := simEnv(t, &cloudstacksim.Options{JobDelay: time.Hour})
	image, size := firstImageAndSize(t, env)
	env[envTimeout] = "0.3"
	stderr := simFails(t, env, exitFailure, "nodes", "create", "slow", "--image", image, "--size", size)
	assert.Contains(t, stderr, "goclouds: timed out after 300ms (timeout from env CLOUDSTACK_TIMEOUT): ")
}

func TestSimPortableCreateListResize(t *testing.T) {
	sim, env := simEnv(t, nil)
	ud := filepath.Join(t.TempDir(), "cloud-init.yaml")
	require.NoError(t, os.WriteFile(ud, []byte("#cloud-config\n"), 0o600))
	out := simOK(t, env, "nodes", "create", "web1", "--image", cloudstacksim.TemplateTinyLinux, "--size", cloudstacksim.OfferingTiny,
		"--location", cloudstacksim.ZoneName1, "--tag", "env=prod", "--tag", "team=web", "--security-group", "default",
		"--user-data-file", ud, "-o", "json")
	n := decode[compute.Node](t, out)
	assert.Equal(t, map[string]string{"env": "prod", "team": "web"}, n.Tags)
	simOK(t, env, "nodes", "create", "web2", "--image", cloudstacksim.TemplateTinyLinux, "--size", cloudstacksim.OfferingTiny,
		"--location", cloudstacksim.ZoneName1, "--user-data", "#!/bin/sh\necho hi\n")
	assert.Equal(t, 2, sim.RequestCount("deployVirtualMachine"))

	list := decode[[]compute.Node](t, simOK(t, env, "nodes", "list", "--tag", "env=prod", "--state", "running", "-o", "json"))
	require.Len(t, list, 1)
	assert.Equal(t, "web1", list[0].Name)
	list = decode[[]compute.Node](t, simOK(t, env, "nodes", "list", "--name", "web", "-o", "json"))
	assert.Empty(t, list, "names match exactly")
	list = decode[[]compute.Node](t, simOK(t, env, "nodes", "list", "--name", "web2", "-o", "json"))
	require.Len(t, list, 1)

	// A running node scales up; scaling it down is a conflict.
	out = simOK(t, env, "nodes", "resize", "web1", "--size", cloudstacksim.OfferingSmall, "-o", "json")
	assert.Equal(t, cloudstacksim.OfferingSmall, decode[compute.Node](t, out).Size.Name)
	stderr := simFails(t, env, exitFailure, "nodes", "resize", "web1", "--size", cloudstacksim.OfferingTiny)
	assert.Contains(t, stderr, "conflict")

	sizes := simOK(t, env, "sizes", "list")
	assert.Regexp(t, `(?m)^ID +NAME +VCPUS +RAM`, sizes)
	keys := simOK(t, env, "keypairs", "list")
	assert.Regexp(t, `(?m)^NAME +FINGERPRINT`, keys)
}

// TestCloudStackCAFile: a server whose certificate a private CA signed is
// refused with a hint naming --ca-file, and trusted with --ca-file or CLOUDSTACK_CA_FILE.
func TestCloudStackCAFile(t *testing.T) {
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: 5 * time.Millisecond})
	srv := httptest.NewUnstartedServer(sim)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	creds := sim.UserCredentials()
	env := map[string]string{envURL: srv.URL + sim.Path(), envAPIKey: creds.APIKey, envSecretKey: creds.SecretKey}

	stderr := simFails(t, env, exitFailure, "locations", "list")
	assert.Contains(t, stderr, "--ca-file")
	assert.Contains(t, simOK(t, env, "--ca-file", caFile, "locations", "list"), cloudstacksim.ZoneName1)
	env[envCAFile] = caFile
	assert.Contains(t, simOK(t, env, "locations", "list"), cloudstacksim.ZoneName1)
}
