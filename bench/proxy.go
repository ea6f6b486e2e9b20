package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// countingProxy forwards requests to a simulator and counts them per
// command, as the simulator's own counters (Server.RequestCount) do in
// process: `goclouds sim` runs in its own process, so the benchmark counts
// at its door. It is used only for the create workloads, whose time is
// dominated by one-second jobs, so the extra loopback hop does not matter.
type countingProxy struct {
	srv      *http.Server
	endpoint string
	mu       sync.Mutex
	counts   map[string]int
	// refused counts the answers with HTTP 429 (refused for rate).
	refused int
}

func newCountingProxy(target string) (*countingProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	rp.Transport = tr
	rp.ErrorLog = nil
	var p *countingProxy
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode == http.StatusTooManyRequests {
			p.mu.Lock()
			p.refused++
			p.mu.Unlock()
		}
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p = &countingProxy{counts: map[string]int{}, endpoint: "http://" + ln.Addr().String() + u.Path}
	p.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.observe(r)
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// observe counts the request's command, read from its query string or
// form body (putting the body back).
func (p *countingProxy) observe(r *http.Request) {
	cmd := r.URL.Query().Get("command")
	if cmd == "" && r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if v, err := url.ParseQuery(string(body)); err == nil {
			cmd = v.Get("command")
		}
	}
	p.mu.Lock()
	p.counts[cmd]++
	p.mu.Unlock()
}

// reset sets every counter to zero.
func (p *countingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts = map[string]int{}
	p.refused = 0
}

// totals returns the requests of every command and the 429 answers since
// the last reset.
func (p *countingProxy) totals() (calls, refused int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.counts {
		calls += n
	}
	return calls, p.refused
}

// get returns the number of requests for command since the last reset.
func (p *countingProxy) get(command string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[command]
}

func (p *countingProxy) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = p.srv.Shutdown(ctx)
}
