package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSim_ServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sim", "--listen", "127.0.0.1:0", "--path", "/compute", "--job-delay", "0s", "--vms", "3"},
			&stdout, &stderr, func(string) string { return "" })
	}()
	var endpoint string
	for endpoint == "" {
		select {
		case code := <-done:
			t.Fatalf("sim exited early with %d: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if strings.HasPrefix(line, "listening on ") {
				endpoint = strings.TrimPrefix(line, "listening on ")
			}
		}
	}
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || !strings.HasSuffix(endpoint, "/compute") {
		t.Fatalf("endpoint %q", endpoint)
	}
	if !strings.Contains(stdout.String(), cloudstacksim.DefaultAPIKey) {
		t.Errorf("default API key not printed: %s", stdout.String())
	}
	v := cloudstacksim.SignValues(url.Values{"command": {"listVirtualMachines"}}, cloudstacksim.DefaultAPIKey, cloudstacksim.DefaultSecretKey)
	resp, err := http.Get(endpoint + "?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"count":3`) {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sim did not stop after cancellation")
	}
}

func TestSim_RejectsBadFlags(t *testing.T) {
	var stdout, stderr syncBuffer
	if code := run(context.Background(), []string{"sim", "--vms", "-1"}, &stdout, &stderr, func(string) string { return "" }); code == 0 {
		t.Fatal("negative --vms accepted")
	}
	if code := run(context.Background(), []string{"sim", "--listen", "256.0.0.1:http-nope"}, &stdout, &stderr, func(string) string { return "" }); code == 0 {
		t.Fatal("bad --listen accepted")
	}
}

// startSimCmd runs `goclouds` with args (a sim command) in-process and
// returns its endpoint; the server stops at the end of the test.
func startSimCmd(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &stdout, &stderr, func(string) string { return "" }) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	for {
		select {
		case code := <-done:
			t.Fatalf("sim exited early with %d: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if endpoint, ok := strings.CutPrefix(line, "listening on "); ok {
				return endpoint
			}
		}
	}
}

// simGet sends a signed listZones with the given keys and returns the status
// and body.
func simGet(t *testing.T, endpoint, apiKey, secretKey string) (int, string) {
	t.Helper()
	v := cloudstacksim.SignValues(url.Values{"command": {"listZones"}}, apiKey, secretKey)
	resp, err := http.Get(endpoint + "?" + v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestSim_Throttle runs the documented `goclouds sim --throttle 25` (on a
// free port): the user account's requests over 25 in a second get the real
// server's 429 and text, while the root admin is exempt; --throttle-admin
// throttles the admin too.
func TestSim_Throttle(t *testing.T) {
	sim := cloudstacksim.New(nil)
	usr := sim.UserCredentials()
	sim.Close()
	for _, admin := range []bool{false, true} {
		args := []string{"sim", "--throttle", "25", "--listen", "127.0.0.1:0"}
		if admin {
			args = append(args, "--throttle-admin")
		}
		endpoint := startSimCmd(t, args...)
		count429 := func(key, secret string) (int, string) {
			n, text := 0, ""
			for range 40 {
				if code, body := simGet(t, endpoint, key, secret); code == http.StatusTooManyRequests {
					n, text = n+1, body
				}
			}
			return n, text
		}
		// 40 requests as fast as possible: at least 15 beyond the 25 of the
		// window (fewer if the window turned, which takes a second).
		n, body := count429(usr.APIKey, usr.SecretKey)
		if n < 5 {
			t.Errorf("user: %d of 40 requests refused, want about 15", n)
		}
		if !strings.Contains(body, `"errorcode":429`) || !strings.Contains(body, `"cserrorcode":9999`) ||
			!strings.Contains(body, "The given user has reached his/her account api limit, please retry after [") {
			t.Errorf("429 answer: %s", body)
		}
		n, _ = count429(cloudstacksim.DefaultAPIKey, cloudstacksim.DefaultSecretKey)
		if admin && n < 5 || !admin && n != 0 {
			t.Errorf("admin (--throttle-admin %v): %d of 40 requests refused", admin, n)
		}
	}
}
