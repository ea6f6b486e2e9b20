package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Workload names, shared by every client (the Python ones too).
const (
	wlZones      = "zones"        // n sequential listZones calls
	wlList       = "list"         // one listing of every VM
	wlCreateSeq  = "create-seq"   // n CreateNode calls one after another
	wlCreatePar  = "create-par"   // n CreateNode calls at once
	wlMemStream  = "mem-stream"   // every VM through the streaming iterator
	wlMemFull    = "mem-full"     // every VM as one list
	simZone      = "sim-zone-1"   // the simulator's first zone
	simTemplate  = "tiny Linux"   // its small template
	simOffering  = "tinyOffering" // its small offering
	heapSampling = time.Millisecond
)

// clientArgs are the flags of every client process.
type clientArgs struct {
	endpoint, key, secret string
	n                     int
	tag                   string
}

// result is what a client process prints as one JSON line: the workload's
// wall time and the process's CPU time during it (getrusage(RUSAGE_SELF)
// after minus before: every thread, the garbage collector included, start-up
// excluded).
type result struct {
	Client   string  `json:"client"`
	Version  string  `json:"version,omitempty"`
	Workload string  `json:"workload"`
	N        int     `json:"n"`
	WallS    float64 `json:"wall_s"`
	CPUS     float64 `json:"cpu_s"`
	// Rows is the number of rows the last call returned (listings), or the
	// number of VMs that reached Running (creates).
	Rows   int `json:"rows"`
	Errors int `json:"errors"`
	// LatMedianS and LatMaxS are the per-create durations (creates).
	LatMedianS float64 `json:"lat_median_s,omitempty"`
	LatMaxS    float64 `json:"lat_max_s,omitempty"`
	// PeakHeap is the largest heap (bytes of heap objects, sampled every
	// millisecond) during the workload (Go clients).
	PeakHeap uint64 `json:"peak_heap_bytes,omitempty"`
	// FirstError is the first error met, if any.
	FirstError string `json:"first_error,omitempty"`
}

// cpuNow returns the process's user plus system CPU time so far.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs fn and fills the result's wall and CPU times.
func measure(r *result, fn func()) {
	cpu0, t0 := cpuNow(), time.Now()
	fn()
	r.WallS = time.Since(t0).Seconds()
	r.CPUS = (cpuNow() - cpu0).Seconds()
}

// heapSampler tracks the peak of the heap's object bytes.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if v := sample[0].Value; v.Kind() == metrics.KindUint64 && v.Uint64() > h.peak {
			h.peak = v.Uint64()
		}
	}
	go func() {
		defer close(h.done)
		t := time.NewTicker(heapSampling)
		defer t.Stop()
		for {
			read()
			select {
			case <-h.stop:
				read()
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	<-h.done
	return h.peak
}

// errorCounter counts errors and keeps the first.
type errorCounter struct {
	mu    sync.Mutex
	n     int
	first string
}

func (e *errorCounter) add(err error) {
	if err == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	if e.first == "" {
		e.first = err.Error()
	}
}

func (e *errorCounter) fill(r *result) {
	r.Errors, r.FirstError = e.n, e.first
}

// latencies collects per-create durations.
type latencies struct {
	mu sync.Mutex
	d  []float64
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d.Seconds())
	l.mu.Unlock()
}

func (l *latencies) fill(r *result) {
	if len(l.d) == 0 {
		return
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	r.LatMedianS, r.LatMaxS = median(s), s[len(s)-1]
}

// runCreates runs n creates, one after another (create-seq) or all at once
// (create-par), measuring the whole and each create; create(i) reports
// whether VM i reached Running.
func runCreates(w string, n int, r *result, errs *errorCounter, create func(i int) (bool, error)) {
	var (
		lat     latencies
		mu      sync.Mutex
		running int
	)
	one := func(i int) {
		t0 := time.Now()
		ok, err := create(i)
		lat.add(time.Since(t0))
		errs.add(err)
		if ok {
			mu.Lock()
			running++
			mu.Unlock()
		}
	}
	measure(r, func() {
		if w == wlCreateSeq {
			for i := range n {
				one(i)
			}
			return
		}
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { one(i) })
		}
		wg.Wait()
	})
	r.Rows = running
	lat.fill(r)
}

// workloadClient is one Go client's implementation of the workloads.
type workloadClient interface {
	name() string
	prepare(w string, a *clientArgs) error
	run(w string, a *clientArgs, r *result)
}

// clientMain is `bench client goclouds|raw WORKLOAD flags`.
func clientMain(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("want: client goclouds|raw WORKLOAD [flags]")
	}
	var c workloadClient
	switch args[0] {
	case "goclouds":
		c = &gocloudsClient{}
	case "raw":
		c = &rawClient{}
	default:
		return fmt.Errorf("unknown client %q", args[0])
	}
	w := args[1]
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	a := &clientArgs{}
	fs.StringVar(&a.endpoint, "endpoint", "", "API endpoint URL")
	fs.StringVar(&a.key, "key", "", "API key")
	fs.StringVar(&a.secret, "secret", "", "secret key")
	fs.IntVar(&a.n, "n", 1, "number of calls or creates (list: the expected number of rows)")
	fs.StringVar(&a.tag, "tag", "bench", "prefix of the names of created VMs")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the workload to this file")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the workload to this file")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	if err := c.prepare(w, a); err != nil {
		return err
	}
	r := &result{Client: c.name(), Version: runtime.Version(), Workload: w, N: a.n}
	runtime.GC()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	c.run(w, a, r)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}
