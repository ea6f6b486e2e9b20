//go:build unix

package openstack_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/goclouds/goclouds/providers/internal/benchkit"
	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// benchSimEnv, set to a server count, makes the test binary serve
// openstacksim with that many servers instead of running tests: the listing
// benchmark runs the simulator in a child process, so the CPU time and the
// heap it measures are the client's alone, as against a real cloud.
const benchSimEnv = "GOCLOUDS_OPENSTACK_BENCH_SIM"

func TestMain(m *testing.M) {
	if n := os.Getenv(benchSimEnv); n != "" {
		os.Exit(serveBenchSim(n))
	}
	os.Exit(m.Run())
}

// serveBenchSim serves openstacksim with n servers on a free loopback
// port, printing its openrc, until stdin closes.
func serveBenchSim(n string) int {
	count, err := strconv.Atoi(n)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the parent goes
		cancel()
	}()
	if err := openstacksim.Run(ctx, openstacksim.Config{Addr: "127.0.0.1:0", Servers: count}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// childSim starts the simulator with n servers in a child process and
// returns its Keystone URL and admin credentials (from the openrc it
// prints); the child ends with the benchmark.
func childSim(b *testing.B, n int) (string, openstacksim.Credentials) {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchSimEnv+"="+strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	vars := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			vars[k] = v
		}
		if strings.HasPrefix(line, "listening on ") {
			break
		}
	}
	if vars["OS_AUTH_URL"] == "" {
		b.Fatalf("the simulator printed no OS_AUTH_URL (%v)", sc.Err())
	}
	return vars["OS_AUTH_URL"], openstacksim.Credentials{Username: vars["OS_USERNAME"], Password: vars["OS_PASSWORD"],
		ProjectName: vars["OS_PROJECT_NAME"], UserDomainName: vars["OS_USER_DOMAIN_NAME"],
		ProjectDomainName: vars["OS_PROJECT_DOMAIN_NAME"], Region: vars["OS_REGION_NAME"]}
}

// benchListN is how many servers BenchmarkListNodes10000 lists.
const benchListN = 10000

// BenchmarkListNodes10000 lists 10,000 servers (Nova's pages of 1,000) on
// a simulator in a child process. It times the driver's ListNodes against
// gophercloud's servers.List(...).AllPages and ExtractServers at the same
// microversion, alternating (wall and client CPU time), and measures the
// peak heap of streaming (IterNodes, each node dropped once seen) against
// ListNodes, each above the heap before it (the median over the
// iterations: a GC that falls behind on a loaded machine lets one listing's
// garbage pile up).
func BenchmarkListNodes10000(b *testing.B) {
	u, cred := childSim(b, benchListN)
	d, err := openstack.New(simOptions(u, cred))
	if err != nil {
		b.Fatal(err)
	}
	sc := gophercloudCompute(b, u, cred)
	ctx := context.Background()
	full := func() int {
		nodes, err := d.ListNodes(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return len(nodes)
	}
	direct := func() int {
		pages, err := servers.List(sc, servers.ListOpts{}).AllPages(ctx)
		if err != nil {
			b.Fatal(err)
		}
		list, err := servers.ExtractServers(pages)
		if err != nil {
			b.Fatal(err)
		}
		return len(list)
	}
	stream := func() int {
		n := 0
		for node, err := range d.IterNodes(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			if node.ID != "" {
				n++
			}
		}
		return n
	}
	for _, f := range []func() int{full, direct, stream} { // warm up connections and caches
		if n := f(); n != benchListN {
			b.Fatalf("listed %d servers, want %d", n, benchListN)
		}
	}
	var wallDriver, wallDirect, cpuDriver, cpuDirect time.Duration
	var peaksStream, peaksFull []uint64
	check := func(what string, n int) {
		if n != benchListN {
			b.Fatalf("%s listed %d servers, want %d", what, n, benchListN)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		w, c := time.Now(), benchkit.CPUTime()
		check("ListNodes", full())
		wallDriver += time.Since(w)
		cpuDriver += benchkit.CPUTime() - c
		w, c = time.Now(), benchkit.CPUTime()
		check("gophercloud", direct())
		wallDirect += time.Since(w)
		cpuDirect += benchkit.CPUTime() - c
		var n int
		peaksStream = append(peaksStream, benchkit.PeakHeap(func() { n = stream() }))
		check("IterNodes", n)
		peaksFull = append(peaksFull, benchkit.PeakHeap(func() { n = full() }))
		check("ListNodes", n)
	}
	ms := func(t time.Duration) float64 { return float64(t.Nanoseconds()) / 1e6 / float64(b.N) }
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	peakStream, peakFull := median(peaksStream), median(peaksFull)
	b.ReportMetric(ms(wallDriver), "ms-driver/op")
	b.ReportMetric(ms(wallDirect), "ms-gophercloud/op")
	b.ReportMetric(float64(wallDriver)/float64(wallDirect), "driver/gophercloud")
	b.ReportMetric(ms(cpuDriver), "ms-cpu-driver/op")
	b.ReportMetric(ms(cpuDirect), "ms-cpu-gophercloud/op")
	b.ReportMetric(float64(cpuDriver)/float64(max(cpuDirect, 1)), "cpu-driver/gophercloud")
	b.ReportMetric(mib(peakStream), "MiB-stream")
	b.ReportMetric(mib(peakFull), "MiB-full")
	b.ReportMetric(float64(peakStream)/float64(max(peakFull, 1)), "stream/full")
}

// median is the middle of vs (the upper one of an even count).
func median(vs []uint64) uint64 {
	vs = slices.Clone(vs)
	slices.Sort(vs)
	return vs[len(vs)/2]
}
