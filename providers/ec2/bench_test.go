//go:build unix

package ec2_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/internal/benchkit"
)

// benchSimEnv, set to an instance count, makes the test binary serve
// ec2sim with that many instances instead of running tests: the benchmarks
// run the simulator in a child process, so the CPU time and the heap they
// measure are the client's alone, as against a real cloud.
const benchSimEnv = "GOCLOUDS_EC2_BENCH_SIM"

func TestMain(m *testing.M) {
	if n := os.Getenv(benchSimEnv); n != "" {
		os.Exit(serveBenchSim(n))
	}
	os.Exit(m.Run())
}

// serveBenchSim serves ec2sim with n instances on a free loopback port,
// printing its AWS variables, until stdin closes.
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
	if err := ec2sim.Run(ctx, ec2sim.Config{Addr: "127.0.0.1:0", Instances: count}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// benchDriver starts the simulator with n instances in a child process and
// returns a driver for it; the child ends with the benchmark.
func benchDriver(b *testing.B, n int) *ec2.Driver {
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
	if vars["AWS_ENDPOINT_URL"] == "" {
		b.Fatalf("the simulator printed no endpoint (%v)", sc.Err())
	}
	d, err := ec2.Factory(compute.Config{URL: vars["AWS_ENDPOINT_URL"], Key: vars["AWS_ACCESS_KEY_ID"],
		Secret: vars["AWS_SECRET_ACCESS_KEY"], Region: vars["AWS_DEFAULT_REGION"], ProviderOptions: &aws.Config{}})
	if err != nil {
		b.Fatal(err)
	}
	return d.(*ec2.Driver)
}

// BenchmarkGetNode measures the driver's per-call overhead over the SDK:
// GetNode of the one instance against ec2.Client.DescribeInstances of it
// (the driver's own client, so the same signing, retryer and HTTP client),
// alternating, on a simulator in a child process. It reports each side's
// wall and CPU time per call and the driver / SDK ratios.
func BenchmarkGetNode(b *testing.B) {
	d := benchDriver(b, 1)
	ctx := context.Background()
	nodes, err := d.ListNodes(ctx)
	if err != nil || len(nodes) != 1 {
		b.Fatalf("ListNodes: %d nodes, %v", len(nodes), err)
	}
	id := nodes[0].ID
	client := d.Client()
	sdk := func() {
		out, err := client.DescribeInstances(ctx, &awsec2.DescribeInstancesInput{InstanceIds: []string{id}})
		if err != nil || len(out.Reservations) != 1 || len(out.Reservations[0].Instances) != 1 {
			b.Fatalf("DescribeInstances: %v", err)
		}
	}
	driver := func() {
		if n, err := d.GetNode(ctx, id); err != nil || n.ID != id {
			b.Fatalf("GetNode: %v", err)
		}
	}
	for range 50 { // warm up connections and caches
		sdk()
		driver()
	}
	var wallDriver, wallSDK, cpuDriver, cpuSDK time.Duration
	b.ResetTimer()
	for b.Loop() {
		w, c := time.Now(), benchkit.CPUTime()
		driver()
		wallDriver += time.Since(w)
		cpuDriver += benchkit.CPUTime() - c
		w, c = time.Now(), benchkit.CPUTime()
		sdk()
		wallSDK += time.Since(w)
		cpuSDK += benchkit.CPUTime() - c
	}
	us := func(t time.Duration) float64 { return float64(t.Nanoseconds()) / 1e3 / float64(b.N) }
	b.ReportMetric(us(wallDriver), "us-driver/op")
	b.ReportMetric(us(wallSDK), "us-sdk/op")
	b.ReportMetric(us(cpuDriver), "us-cpu-driver/op")
	b.ReportMetric(us(cpuSDK), "us-cpu-sdk/op")
	b.ReportMetric(float64(wallDriver)/float64(wallSDK), "wall-driver/sdk")
	b.ReportMetric(float64(cpuDriver)/float64(max(cpuSDK, 1)), "cpu-driver/sdk")
}

// benchListN is how many instances BenchmarkListNodes10000 lists.
const benchListN = 10000

// BenchmarkListNodes10000 lists 10,000 instances (10 pages of
// DescribeInstances) on a simulator in a child process, streaming
// (IterNodes, each node dropped once seen) and in full (ListNodes), and
// reports each one's peak heap above the heap before it (sampled every
// millisecond, after a GC) and streaming / full.
func BenchmarkListNodes10000(b *testing.B) {
	d := benchDriver(b, benchListN)
	ctx := context.Background()
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
	full := func() int {
		nodes, err := d.ListNodes(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return len(nodes)
	}
	if n := stream(); n != benchListN {
		b.Fatalf("IterNodes: %d nodes, want %d", n, benchListN)
	}
	var peakStream, peakFull uint64
	var nodes int
	b.ResetTimer()
	for b.Loop() {
		var n int
		p := benchkit.PeakHeap(func() { n = stream() })
		peakStream = max(peakStream, p)
		p = benchkit.PeakHeap(func() { nodes = full() })
		peakFull = max(peakFull, p)
		if n != benchListN || nodes != benchListN {
			b.Fatalf("listed %d streaming and %d in full, want %d", n, nodes, benchListN)
		}
	}
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	b.ReportMetric(mib(peakStream), "MiB-stream")
	b.ReportMetric(mib(peakFull), "MiB-full")
	b.ReportMetric(float64(peakStream)/float64(max(peakFull, 1)), "stream/full")
}
