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
