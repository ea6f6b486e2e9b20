package main

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/vsphere/vspheresim"
)

// vsphereDoc is the page whose CLI tutorial TestVSphereTutorialFromTheDocs
// runs.
const vsphereDoc = "../../docs/providers/vsphere.md"

// docLines returns the lines of the doc that start with prefix, in order.
func docLines(t *testing.T, path, prefix string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, prefix) {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return lines
}

// startVSphereSim runs `goclouds sim --provider vsphere` in-process on a
// free port until the end of the test and returns what it printed up to
// "listening on".
func startVSphereSim(t *testing.T) string {
	t.Helper()
	return startProviderSim(t, "vsphere")
}

// startProviderSim runs `goclouds sim --provider provider` in-process on a
// free port until the end of the test and returns what it printed up to
// "listening on".
func startProviderSim(t *testing.T, provider string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--provider", provider, "--listen", "127.0.0.1:0"}, &stdout, &stderr, func(string) string { return "" })
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("sim exit code %d: %s", code, stderr.String())
		}
	})
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(stdout.String(), "listening on ") || !strings.HasSuffix(stdout.String(), "\n") {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("sim exited early with %d: %s", code, stderr.String())
		case <-deadline:
			t.Fatalf("sim did not start: %s", stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return stdout.String()
}

// TestVSphereSimPrintsGOVCExports checks `goclouds sim --provider vsphere`
// prints the exports and the endpoint in the documented form, and that
// the CA file it names exists while it runs.
func TestVSphereSimPrintsGOVCExports(t *testing.T) {
	out := startVSphereSim(t)
	want := regexp.MustCompile(`^export GOVC_URL=(https://127\.0\.0\.1:\d+/sdk)
export GOVC_USERNAME=` + regexp.QuoteMeta(vspheresim.DefaultUsername) + `
export GOVC_PASSWORD=` + regexp.QuoteMeta(vspheresim.DefaultPassword) + `
export GOVC_TLS_CA_CERTS=(\S+)
listening on (https://127\.0\.0\.1:\d+/sdk)
$`)
	m := want.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("sim printed:\n%s", out)
	}
	if m[1] != m[3] {
		t.Errorf("GOVC_URL %s, listening on %s", m[1], m[3])
	}
	if _, err := os.Stat(m[2]); err != nil {
		t.Errorf("CA file: %v", err)
	}
	// The doc shows the same lines (with the default port).
	doc := strings.Join(docLines(t, vsphereDoc, ""), "\n")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		line = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(line, "127.0.0.1:8989")
		line = regexp.MustCompile(`=/\S+$`).ReplaceAllString(line, "=/tmp/vcsim-")
		if !strings.Contains(doc, line) {
			t.Errorf("%s does not show %q", vsphereDoc, line)
		}
	}
}

func TestSimRejectsUnknownProviderAndForeignFlags(t *testing.T) {
	var stdout, stderr syncBuffer
	noEnv := func(string) string { return "" }
	if code := run(context.Background(), []string{"sim", "--provider", "nimbus"}, &stdout, &stderr, noEnv); code != exitUsage {
		t.Errorf("unknown provider: exit code %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), "cloudstack, ec2, openstack, vsphere") {
		t.Errorf("the error does not list the simulators: %s", stderr.String())
	}
	if code := run(context.Background(), []string{"sim", "--provider", "vsphere", "--throttle", "5"}, &stdout, &stderr, noEnv); code != exitUsage {
		t.Errorf("--throttle with vsphere: exit code %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), "--throttle does not apply to the vsphere simulator") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestVSphereTutorialFromTheDocs runs the tutorial flow of
// docs/providers/vsphere.md (images list, sizes list, nodes create toto,
// nodes get, nodes stop, nodes wait, nodes start) line by line, as the doc
// shows it, against `goclouds sim --provider vsphere` with the GOVC_*
// variables it printed. The vsphere driver reads them with os.Getenv, so
// they are set with t.Setenv (the test is not parallel).
func TestVSphereTutorialFromTheDocs(t *testing.T) {
	out := startVSphereSim(t)
	vars := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
	}
	for _, k := range []string{"GOVC_URL", "GOVC_USERNAME", "GOVC_PASSWORD", "GOVC_TLS_CA_CERTS", "GOVC_INSECURE",
		"GOVC_DATACENTER", "GOVC_DATASTORE", "GOVC_RESOURCE_POOL", "GOVC_FOLDER"} {
		t.Setenv(k, vars[k])
	}
	getenv := func(k string) string { return vars[k] }

	lines := docLines(t, vsphereDoc, "goclouds --provider vsphere ")
	var verbs []string
	for _, line := range lines {
		f := strings.Fields(line)
		verbs = append(verbs, strings.Join(f[3:5], " "))
	}
	for _, want := range []string{"images list", "sizes list", "nodes create", "nodes get", "nodes stop", "nodes start"} {
		if !slices.Contains(verbs, want) {
			t.Fatalf("%s lacks `goclouds --provider vsphere %s`: the tutorial flow is %q", vsphereDoc, want, lines)
		}
	}
	ctx := t.Context()
	for _, line := range lines {
		if strings.ContainsAny(line, `"'$\|;&`) {
			t.Fatalf("%q: the test splits doc lines on spaces only", line)
		}
		args := strings.Fields(line)[1:]
		var stdout, stderr syncBuffer
		if code := run(ctx, args, &stdout, &stderr, getenv); code != 0 {
			t.Fatalf("%s: exit code %d: %s%s", line, code, stdout.String(), stderr.String())
		}
		got := stdout.String()
		t.Logf("$ %s\n%s", line, got)
		verb := strings.Join(args[2:4], " ")
		switch {
		case verb == "images list" && !regexp.MustCompile(`(?m)^\S+\s+`+vspheresim.TemplateName+`\s*$`).MatchString(got):
			t.Errorf("%s: no template %s:\n%s", line, vspheresim.TemplateName, got)
		case verb == "sizes list" && !regexp.MustCompile(`(?m)^small\s+Small`).MatchString(got):
			t.Errorf("%s: no size small:\n%s", line, got)
		case verb == "nodes create" && !regexp.MustCompile(`(?m)^\S+\s+toto\s+running\s+-\s+10\.0\.`).MatchString(got):
			t.Errorf("%s: toto is not running with an address:\n%s", line, got)
		case verb == "nodes stop" && !strings.Contains(got, "stopped"),
			verb == "nodes start" && !strings.Contains(got, "started"):
			t.Errorf("%s:\n%s", line, got)
		case verb == "nodes get":
			var n struct{ ID, Name, State string }
			if err := json.Unmarshal([]byte(got), &n); err != nil || n.Name != "toto" || len(n.ID) != 36 || n.State != "running" {
				t.Errorf("%s: %+v, %v:\n%s", line, n, err, got)
			}
		}
	}
	// After the flow, toto runs again.
	var stdout, stderr syncBuffer
	if code := run(ctx, []string{"--provider", "vsphere", "nodes", "get", "toto", "-o", "json"}, &stdout, &stderr, getenv); code != 0 ||
		!strings.Contains(stdout.String(), `"state": "running"`) {
		t.Errorf("toto after the flow (exit code %d): %s%s", code, stdout.String(), stderr.String())
	}
}
