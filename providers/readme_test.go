package providers_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// simEndpoint is the endpoint `goclouds sim` serves by default, as the
// README's CloudStack program names it.
const simEndpoint = "http://127.0.0.1:8080/client/api"

// readmePrograms returns the complete Go programs (blocks starting with
// "package main") of the README, in order.
func readmePrograms(t *testing.T) []string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var progs []string
	for _, block := range regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(text), -1) {
		if strings.HasPrefix(block[1], "package main\n") {
			progs = append(progs, block[1])
		}
	}
	return progs
}

// expectedOutput turns the program's last comment line (its output, as the
// README shows it) into a pattern in which any IPv4 address matches any.
func expectedOutput(t *testing.T, prog string) *regexp.Regexp {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(prog), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if c, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "// "); ok {
			pat := regexp.QuoteMeta(c)
			pat = regexp.MustCompile(`\d+\\\.\d+\\\.\d+\\\.\d+`).ReplaceAllString(pat, `\d+\.\d+\.\d+\.\d+`)
			return regexp.MustCompile("^" + pat + "\n$")
		}
	}
	t.Fatalf("the program has no output comment:\n%s", prog)
	return nil
}

// TestREADME runs the README's programs as written: the quick start on the
// dummy provider, and the CloudStack one against the simulator `goclouds
// sim` serves (started here in-process with the same defaults; the only
// change to the program is the port of its endpoint, chosen free).
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the README's programs")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run the README's programs: %v", err)
	}
	progs := readmePrograms(t)
	if len(progs) != 2 {
		t.Fatalf("the README has %d complete programs, want 2 (the quick start and the CloudStack one)", len(progs))
	}
	for i, prog := range progs {
		name := []string{"QuickStart", "CloudStackSim"}[i]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
			defer cancel()
			if strings.Contains(prog, "types.ProviderCloudStack") {
				if !strings.Contains(prog, simEndpoint) {
					t.Fatalf("the CloudStack program does not use %s", simEndpoint)
				}
				prog = strings.Replace(prog, simEndpoint, startSim(t, ctx), 1)
			}
			file := filepath.Join(t.TempDir(), "main.go")
			if err := os.WriteFile(file, []byte(prog), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(ctx, goTool, "run", file)
			cmd.Dir = ".." // the module
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go run of the README's %s program: %v\n%s", name, err, stderr.String())
			}
			if want := expectedOutput(t, prog); !want.Match(out) {
				t.Errorf("the README's %s program printed %q, want %s", name, out, want)
			}
		})
	}
}

// startSim serves the simulator as `goclouds sim` does (default accounts,
// jobs pending for 1s) on a free port and returns its endpoint.
func startSim(t *testing.T, ctx context.Context) string {
	t.Helper()
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: time.Second})
	ctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- sim.ListenAndServe(ctx, "127.0.0.1:0", func(e string) { ready <- e }) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("the simulator: %v", err)
		}
	})
	select {
	case e := <-ready:
		return e
	case err := <-done:
		t.Fatalf("the simulator did not start: %v", err)
	}
	return ""
}
