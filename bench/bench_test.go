package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// TestGoClientsDoTheWork runs the Go clients' workloads in process against a
// small simulator and checks that they did what the report says: every row
// across pages, every VM running, no errors, times measured.
func TestGoClientsDoTheWork(t *testing.T) {
	sim := cloudstacksim.New(&cloudstacksim.Options{VMs: 1234, JobDelay: 20 * time.Millisecond, SSHKeyBits: 1024})
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		sim.Close()
		srv.Close()
	})
	creds := sim.AdminCredentials()
	run := func(c workloadClient, w string, n int) *result {
		t.Helper()
		a := &clientArgs{endpoint: srv.URL + cloudstacksim.DefaultPath, key: creds.APIKey, secret: creds.SecretKey, n: n, tag: c.name() + "-" + w}
		require.NoError(t, c.prepare(w, a))
		r := &result{Client: c.name(), Workload: w, N: n}
		c.run(w, a, r)
		assert.Zero(t, r.Errors, "%s %s: %s", c.name(), w, r.FirstError)
		assert.Positive(t, r.WallS)
		return r
	}
	for _, c := range []func() workloadClient{
		func() workloadClient { return &gocloudsClient{} },
		func() workloadClient { return &rawClient{} },
	} {
		assert.Equal(t, 2, run(c(), wlZones, 3).Rows, "two zones")
		assert.Equal(t, 1234, run(c(), wlList, 1234).Rows, "every VM across three pages")
	}
	r := run(&gocloudsClient{}, wlCreatePar, 4)
	assert.Equal(t, 4, r.Rows, "every VM running")
	assert.Positive(t, r.LatMedianS)
	assert.GreaterOrEqual(t, r.LatMaxS, r.LatMedianS)
	r = run(&rawClient{}, wlCreateSeq, 1)
	assert.Equal(t, 1, r.Rows)
	stream := run(&gocloudsClient{}, wlMemStream, 0)
	full := run(&gocloudsClient{}, wlMemFull, 0)
	assert.Equal(t, 1234+5, stream.Rows, "the listing and the created VMs")
	assert.Equal(t, stream.Rows, full.Rows)
	assert.Positive(t, stream.PeakHeap)
	assert.Positive(t, full.PeakHeap)
}

// TestCountingProxy: the proxy forwards requests and counts them by
// command, from the query string or a form body.
func TestCountingProxy(t *testing.T) {
	var got []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		got = append(got, r.Form.Get("command"))
		_, _ = w.Write([]byte(`{"x":{}}`))
	}))
	t.Cleanup(backend.Close)
	p, err := newCountingProxy(backend.URL + "/client/api")
	require.NoError(t, err)
	t.Cleanup(p.close)
	assert.True(t, strings.HasSuffix(p.endpoint, "/client/api"))
	for range 3 {
		resp, err := http.Get(p.endpoint + "?command=queryAsyncJobResult&jobid=1")
		require.NoError(t, err)
		resp.Body.Close()
	}
	resp, err := http.PostForm(p.endpoint, url.Values{"command": {"deployVirtualMachine"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 3, p.get("queryAsyncJobResult"))
	assert.Equal(t, 1, p.get("deployVirtualMachine"))
	assert.Equal(t, []string{"queryAsyncJobResult", "queryAsyncJobResult", "queryAsyncJobResult", "deployVirtualMachine"}, got,
		"the body reached the server intact")
	p.reset()
	assert.Zero(t, p.get("queryAsyncJobResult"))
}

// TestReportArithmetic covers the medians, number formatting, rotation and
// the target verdicts.
func TestReportArithmetic(t *testing.T) {
	assert.Equal(t, 0.0, median(nil))
	assert.Equal(t, 2.0, median([]float64{1, 2, 9}))
	assert.Equal(t, 2.5, median([]float64{1, 2, 3, 9}))
	assert.Equal(t, "1,234,567", num(1234567, 0))
	assert.Equal(t, "-1,000.50", num(-1000.5, 2))
	assert.Equal(t, "999", num(999, 0))
	cs := []clientSpec{{key: "a"}, {key: "b"}, {key: "c"}}
	keys := func(s []clientSpec) string {
		var k []string
		for _, c := range s {
			k = append(k, c.key)
		}
		return strings.Join(k, "")
	}
	assert.Equal(t, "abc", keys(rotate(cs, 0)))
	assert.Equal(t, "cab", keys(rotate(cs, 5)))

	b := &bench{cfg: config{listN: 100, memN: 100, createN: 10, jobDelay: time.Second}, samples: map[string]map[string][]sample{}}
	add := func(w, c string, r result) {
		if b.samples[w] == nil {
			b.samples[w] = map[string][]sample{}
		}
		b.samples[w][c] = append(b.samples[w][c], sample{res: r})
	}
	for _, wall := range []float64{1.0, 1.2, 5.0} { // median 1.2
		add(wlZones, "goclouds", result{N: 1000, WallS: wall, CPUS: 0.1})
	}
	add(wlZones, "raw", result{N: 1000, WallS: 1.0, CPUS: 0.1})
	add(wlZones, "libcloud", result{N: 1000, WallS: 3, CPUS: 0.4})
	targets := b.targets()
	require.NotEmpty(t, targets)
	assert.Equal(t, "1.20×", targets[0].measured)
	assert.True(t, targets[0].met, "1.20 ≤ 1.25")
	assert.False(t, targets[1].met, "0.25 > 0.20")
	assert.False(t, targets[2].known, "no listing measured")
	assert.Contains(t, b.report(time.Minute), "not measured")
}

// TestParseOpenStackBench reads the OpenStack benchmark's line, whose
// metrics name gophercloud, and refuses govmomi's.
func TestParseOpenStackBench(t *testing.T) {
	out := []byte("BenchmarkGetNode-2   \t    2000\t    538465 ns/op\t         1.067 driver/gophercloud\t         0.2779 ms-driver/op\t         0.2603 ms-gophercloud/op\nPASS\n")
	r, err := openstackBench.parse(out)
	require.NoError(t, err)
	assert.Equal(t, 2000, r.n)
	assert.InDelta(t, 0.2779, r.driverMS, 1e-9)
	assert.InDelta(t, 0.2603, r.baseMS, 1e-9)
	assert.InDelta(t, 1.067, r.ratio, 1e-9)
	_, err = openstackBench.parse([]byte("BenchmarkGetNode \t 5\t 1 ns/op\t 0.3 ms-driver/op\t 0.3 ms-govmomi/op\t 1.0 driver/govmomi\n"))
	assert.Error(t, err)
}

// TestParseVSphereBench reads go test's line for the vSphere benchmark and
// refuses output without it or with a metric missing.
func TestParseVSphereBench(t *testing.T) {
	out := []byte("goos: linux\ngoarch: amd64\npkg: github.com/goclouds/goclouds/providers/vsphere\n" +
		"BenchmarkListNodes1000-2   \t       5\t 777000000 ns/op\t       371.2 ms-driver/op\t       406.0 ms-govmomi/op\t         0.9143 driver/govmomi\nPASS\n")
	r, err := vsphereBench.parse(out)
	require.NoError(t, err)
	assert.Equal(t, 5, r.n)
	assert.InDelta(t, 371.2, r.driverMS, 1e-9)
	assert.InDelta(t, 406.0, r.baseMS, 1e-9)
	assert.InDelta(t, 0.9143, r.ratio, 1e-9)
	_, err = vsphereBench.parse([]byte("PASS\n"))
	assert.Error(t, err)
	_, err = vsphereBench.parse([]byte("BenchmarkListNodes1000 \t 5\t 1 ns/op\t 371.2 ms-driver/op\n"))
	assert.Error(t, err)
}

// TestParseOpenStackListBench reads the OpenStack listing benchmark's line
// with its extra metrics into the report's tables and targets, and refuses
// a line without one of them.
func TestParseOpenStackListBench(t *testing.T) {
	out := []byte("BenchmarkListNodes10000-2   \t       3\t9339336319 ns/op\t        64.55 MiB-full\t         5.379 MiB-stream\t" +
		"         0.8197 cpu-driver/gophercloud\t         0.8584 driver/gophercloud\t      1751 ms-cpu-driver/op\t" +
		"      2136 ms-cpu-gophercloud/op\t      1787 ms-driver/op\t      2082 ms-gophercloud/op\t         0.08333 stream/full\nPASS\n")
	r, err := openstackListBench.parse(out)
	require.NoError(t, err)
	assert.Equal(t, 3, r.n)
	assert.InDelta(t, 1787, r.driverMS, 1e-9)
	assert.InDelta(t, 2082, r.baseMS, 1e-9)
	assert.InDelta(t, 0.8584, r.ratio, 1e-9)
	assert.InDelta(t, 1751, r.extra[osCPUDriver], 1e-9)
	assert.InDelta(t, 0.08333, r.extra[osStreamRatio], 1e-9)
	assert.InDelta(t, 5.379, r.extra[osHeapStream], 1e-9)
	b := &bench{openstackList: r}
	report := b.report(time.Minute)
	assert.Contains(t, report, "| peak heap (MiB, sampled every ms) | 5.4 | 64.5 | 0.083× |")
	assert.Contains(t, report, "| client CPU per listing (ms) | 1,751 | 2,136 | 0.82× |")
	var heap, wall *target
	targets := b.targets()
	for i := range targets {
		switch targets[i].what {
		case "OpenStack: list 10,000 servers: peak heap, streaming / full list":
			heap = &targets[i]
		case "OpenStack: list 10,000 servers on openstacksim, wall time, goclouds driver / gophercloud":
			wall = &targets[i]
		}
	}
	require.NotNil(t, heap)
	require.NotNil(t, wall)
	assert.True(t, heap.met && heap.known, "0.083 < 0.2")
	assert.Equal(t, "0.083×", heap.measured)
	assert.True(t, wall.met, "0.86 ≤ 1.15")
	_, err = openstackListBench.parse([]byte("BenchmarkListNodes10000 \t 3\t 1 ns/op\t 1787 ms-driver/op\t 2082 ms-gophercloud/op\t 0.8584 driver/gophercloud\n"))
	assert.Error(t, err)
}

// TestParseEC2Bench reads the EC2 benchmarks' lines (go test prints the
// metrics sorted by unit) and refuses a line with a metric missing; the
// results give the report's EC2 targets.
func TestParseEC2Bench(t *testing.T) {
	out := []byte("BenchmarkGetNode-2   \t     969\t   1105010 ns/op\t         1.053 cpu-driver/sdk\t       457.3 us-cpu-driver/op\t" +
		"       434.3 us-cpu-sdk/op\t       553.8 us-driver/op\t       544.4 us-sdk/op\t         1.017 wall-driver/sdk\n" +
		"BenchmarkListNodes10000-2   \t       2\t5473583181 ns/op\t        36.27 MiB-full\t         4.465 MiB-stream\t         0.1231 stream/full\nPASS\n")
	g, err := parseEC2Get(out)
	require.NoError(t, err)
	assert.Equal(t, 969, g.n)
	assert.InDelta(t, 553.8, g.driverUS, 1e-9)
	assert.InDelta(t, 544.4, g.sdkUS, 1e-9)
	assert.InDelta(t, 457.3, g.cpuDrvUS, 1e-9)
	assert.InDelta(t, 434.3, g.cpuSDK, 1e-9)
	assert.InDelta(t, 1.017, g.wall, 1e-9)
	assert.InDelta(t, 1.053, g.cpu, 1e-9)
	l, err := parseEC2List(out)
	require.NoError(t, err)
	assert.Equal(t, 2, l.n)
	assert.InDelta(t, 4.465, l.streamMiB, 1e-9)
	assert.InDelta(t, 36.27, l.fullMiB, 1e-9)
	assert.InDelta(t, 0.1231, l.ratio, 1e-9)
	_, err = parseEC2Get([]byte("BenchmarkGetNode \t 5\t 1 ns/op\t 0.3 ms-driver/op\t 0.3 ms-gophercloud/op\t 1.0 driver/gophercloud\n"))
	assert.Error(t, err)

	b := &bench{ec2Get: g, ec2List: &ec2List{n: 1, streamMiB: 9.7, fullMiB: 38.6, ratio: 0.25}}
	var met []bool
	b.ec2Targets(func(what, limit string, v float64, ok bool, max float64, format string) {
		met = append(met, ok && v <= max)
	})
	assert.Equal(t, []bool{true, true, false}, met, "1.02× and 1.05× ≤ 1.15×, 0.25× > 0.20×")
	var sb strings.Builder
	b.ec2Section(func(format string, args ...any) { fmt.Fprintf(&sb, format+"\n", args...) })
	assert.Contains(t, sb.String(), "| client CPU per get (µs) | 457 | 434 | 1.05× |")
}
