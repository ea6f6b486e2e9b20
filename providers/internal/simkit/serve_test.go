package simkit

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
)

func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	stopped := false
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, r.URL.Path) })
	go func() {
		done <- Serve(ctx, ln, h, "/api", func(ep string) { ready <- ep }, func() { stopped = true })
	}()
	ep := <-ready
	if want := "http://" + ln.Addr().String() + "/api"; ep != want {
		t.Fatalf("endpoint %q, want %q", ep, want)
	}
	resp, err := http.Get(ep)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if string(body) != "/api" {
		t.Fatalf("answer %q", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if !stopped {
		t.Error("stopped not called")
	}
	if _, err := http.Get(ep); err == nil {
		t.Error("still serving after cancel")
	}
}
