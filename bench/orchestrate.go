package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The credentials the benchmark's simulators are started with.
const (
	benchKey    = "bench-api-key"
	benchSecret = "bench-secret-key"
)

// config is the run's flags.
type config struct {
	goclouds, python, dir, out string
	rounds, createRounds       int
	memRounds                  int
	zonesN, listN, createN     int
	memN                       int
	jobDelay                   time.Duration
	// quick is a smoke run with small numbers.
	quick bool
	// only, when not empty, limits the run to these workload groups.
	only map[string]bool
	// gobin is the go command, which runs the vSphere benchmark.
	gobin string
}

// want reports whether the run includes the workload group g (zones, list,
// create-seq, create-par, create-throttled, mem).
func (c *config) want(g string) bool { return len(c.only) == 0 || c.only[g] }

// clientSpec is one of the four clients: how to start its process.
type clientSpec struct {
	key, label string
	argv       func(workload string, a *clientArgs) []string
	// env is added to the process's environment.
	env []string
}

// sample is one client process's run.
type sample struct {
	res result
	// procCPU is the whole process's user+system CPU (start-up included),
	// from the parent's rusage of the child.
	procCPU float64
	// maxRSS is the child's peak resident set, in bytes.
	maxRSS int64
	// polls (queryAsyncJobResult, listAsyncJobs and listVirtualMachines)
	// and deploys are the requests the simulator received during the run
	// (creates).
	polls, deploys int
	// calls and refused are all the requests the simulator received during
	// the run (catalogue look-ups and refused ones included) and those it
	// refused with 429 (creates).
	calls, refused int
}

// bench holds the run's state and results.
type bench struct {
	cfg     config
	clients []clientSpec
	// vsphere is the vSphere benchmark's result (nil until it ran).
	vsphere *goBenchResult
	// openstack is the OpenStack benchmark's result (nil until it ran).
	openstack *goBenchResult
	// openstackList is the OpenStack listing benchmark's result (nil until
	// it ran).
	openstackList *goBenchResult
	// ec2Get and ec2List are the EC2 benchmarks' results (nil until they ran).
	ec2Get  *ec2Get
	ec2List *ec2List
	oneProc []clientSpec
	mu      sync.Mutex
	samples map[string]map[string][]sample // workload -> client key -> runs
	log     io.Writer
}

func runMain(args []string) error {
	var cfg config
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&cfg.goclouds, "goclouds", "", "path of the goclouds binary (runs `goclouds sim`)")
	fs.StringVar(&cfg.python, "python", "/usr/bin/python3", "the Python with python3-libcloud and python3-cs")
	fs.StringVar(&cfg.dir, "dir", "bench", "the directory of the Python clients")
	fs.StringVar(&cfg.gobin, "go", "go", "the go command (runs the vSphere benchmark, from the module's root)")
	fs.StringVar(&cfg.out, "out", "bench/results.md", "where to write the markdown report (-quick, -only: nowhere unless set)")
	fs.IntVar(&cfg.rounds, "rounds", 5, "rounds of the listZones and listing workloads")
	fs.IntVar(&cfg.createRounds, "create-rounds", 3, "rounds of the concurrent create workload")
	fs.IntVar(&cfg.memRounds, "mem-rounds", 3, "rounds of the memory workload")
	fs.IntVar(&cfg.zonesN, "zones", 1000, "listZones calls per run")
	fs.IntVar(&cfg.listN, "list", 20000, "VMs to list")
	fs.IntVar(&cfg.createN, "creates", 100, "CreateNode calls per create run")
	fs.IntVar(&cfg.memN, "mem", 100000, "VMs of the memory workload")
	fs.DurationVar(&cfg.jobDelay, "job-delay", time.Second, "duration of async jobs")
	quick := fs.Bool("quick", false, "a quick smoke run (small numbers, one round)")
	only := fs.String("only", "", "comma-separated workload groups to run (zones, list, create-seq, create-par, create-throttled, mem, vsphere, openstack, ec2); default all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *only != "" {
		cfg.only = map[string]bool{}
		for _, g := range strings.Split(*only, ",") {
			switch g = strings.TrimSpace(g); g {
			case wlZones, wlList, wlCreateSeq, wlCreatePar, wlCreateThrottled, "mem", wlVSphere, wlOpenStack, wlEC2:
				cfg.only[g] = true
			default:
				return fmt.Errorf("-only: unknown workload group %q", g)
			}
		}
	}
	outSet := false
	fs.Visit(func(f *flag.Flag) { outSet = outSet || f.Name == "out" })
	if (*quick || *only != "") && !outSet {
		cfg.out = "" // a smoke or partial run does not replace the committed results
	}
	if *quick {
		cfg.quick = true
		cfg.rounds, cfg.createRounds, cfg.memRounds = 1, 1, 1
		cfg.zonesN, cfg.listN, cfg.createN, cfg.memN = 50, 2000, 5, 5000
	}
	if cfg.goclouds == "" {
		return errors.New("-goclouds is required")
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b := &bench{cfg: cfg, samples: map[string]map[string][]sample{}, log: os.Stderr}
	goArgv := func(client string) func(string, *clientArgs) []string {
		return func(w string, a *clientArgs) []string {
			return append([]string{self, "client", client, w}, a.flags()...)
		}
	}
	pyArgv := func(script string) func(string, *clientArgs) []string {
		return func(w string, a *clientArgs) []string {
			return append([]string{cfg.python, "-B", filepath.Join(cfg.dir, script), w}, a.flags()...)
		}
	}
	b.clients = []clientSpec{
		{key: "goclouds", label: "goclouds", argv: goArgv("goclouds")},
		{key: "raw", label: "raw net/http", argv: goArgv("raw")},
		{key: "libcloud", label: "Libcloud", argv: pyArgv("libcloud_client.py")},
		{key: "cs", label: "cs", argv: pyArgv("cs_client.py")},
	}
	// The Go clients again on one P: how much of their per-call CPU is the
	// runtime handing goroutines between threads (listZones only).
	b.oneProc = []clientSpec{
		{key: "goclouds-1p", label: "goclouds (GOMAXPROCS=1)", argv: goArgv("goclouds"), env: []string{"GOMAXPROCS=1"}},
		{key: "raw-1p", label: "raw net/http (GOMAXPROCS=1)", argv: goArgv("raw"), env: []string{"GOMAXPROCS=1"}},
	}
	return b.run()
}

func (a *clientArgs) flags() []string {
	return []string{"--endpoint", a.endpoint, "--key", a.key, "--secret", a.secret, "--n", strconv.Itoa(a.n), "--tag", a.tag}
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func (b *bench) run() error {
	start := time.Now()
	cfg := b.cfg
	b.logf("starting the simulators (%d VMs, %d VMs, and one per client for creates)", cfg.listN, cfg.memN)
	var (
		sims []*simProc
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	startOne := func(args ...string) *simProc {
		s, err := startSim(cfg.goclouds, args...)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		sims = append(sims, s)
		return s
	}
	defer func() {
		for _, s := range sims {
			s.stop()
		}
	}()
	var listSim, memSim *simProc
	createSims := make([]*simProc, len(b.clients))
	wg.Go(func() { listSim = startOne("--vms", strconv.Itoa(cfg.listN)) })
	wg.Go(func() { memSim = startOne("--vms", strconv.Itoa(cfg.memN)) })
	for i := range b.clients {
		wg.Go(func() { createSims[i] = startOne("--job-delay", cfg.jobDelay.String()) })
	}
	// The throttled creates: one simulator per client (not the raw
	// baseline), rate-limited like a public cloud, used as "user".
	throttled := b.throttledClients()
	throttledSims := make([]*simProc, len(throttled))
	if cfg.want(wlCreateThrottled) {
		for i := range throttled {
			wg.Go(func() {
				throttledSims[i] = startOne("--job-delay", cfg.jobDelay.String(), "--throttle", strconv.Itoa(throttleRate))
			})
		}
	}
	wg.Wait()
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	proxies := make([]*countingProxy, len(b.clients))
	for i, s := range createSims {
		p, err := newCountingProxy(s.endpoint)
		if err != nil {
			return err
		}
		defer p.close()
		proxies[i] = p
	}

	b.logf("warm-up: every client lists zones")
	for _, c := range b.clients {
		s, err := b.runClient(c, wlZones, &clientArgs{endpoint: listSim.endpoint, n: 10})
		if err == nil && s.res.Errors > 0 {
			err = errors.New(s.res.FirstError)
		}
		if err != nil {
			return fmt.Errorf("warm-up of %s: %w", c.label, err)
		}
	}

	// The sequential creates spend their time waiting for 1 s jobs (a few
	// requests a second each): they run in the background, each client on
	// its own simulator, while the memory, listZones and listing workloads
	// run in the foreground.
	if cfg.want(wlCreateSeq) {
		b.logf("%d sequential creates per client, in the background", cfg.createN)
	}
	seqErr := make(chan error, len(b.clients))
	for i, c := range b.clients {
		go func() {
			if !cfg.want(wlCreateSeq) {
				seqErr <- nil
				return
			}
			seqErr <- b.record(c, wlCreateSeq, &clientArgs{endpoint: proxies[i].endpoint, n: cfg.createN, tag: "seq-" + c.key}, proxies[i])
		}()
	}

	for r := range cfg.memRounds {
		if !cfg.want("mem") {
			break
		}
		b.logf("memory round %d/%d (%d VMs)", r+1, cfg.memRounds, cfg.memN)
		order := []string{wlMemStream, wlMemFull}
		if r%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, w := range order {
			if err := b.record(b.clients[0], w, &clientArgs{endpoint: memSim.endpoint, n: cfg.memN}, nil); err != nil {
				return err
			}
		}
	}
	if err := b.rounds(wlZones, fmt.Sprintf("listZones (%d calls per client)", cfg.zonesN), listSim.endpoint, cfg.zonesN, b.oneProc...); err != nil {
		return err
	}
	if err := b.rounds(wlList, fmt.Sprintf("listing (%d VMs)", cfg.listN), listSim.endpoint, cfg.listN); err != nil {
		return err
	}
	b.logf("waiting for the sequential creates")
	for range b.clients {
		if err := <-seqErr; err != nil {
			return err
		}
	}
	for r := range cfg.createRounds {
		if !cfg.want(wlCreatePar) {
			break
		}
		b.logf("concurrent creates round %d/%d (%d at once per client)", r+1, cfg.createRounds, cfg.createN)
		for _, c := range rotate(b.clients, r) {
			i := b.index(c.key)
			a := &clientArgs{endpoint: proxies[i].endpoint, n: cfg.createN, tag: fmt.Sprintf("par-%s-%d", c.key, r)}
			if err := b.record(c, wlCreatePar, a, proxies[i]); err != nil {
				return err
			}
		}
	}
	if err := b.throttledRounds(throttled, throttledSims); err != nil {
		return err
	}
	if err := b.runVSphere(); err != nil {
		return err
	}
	if err := b.runOpenStack(); err != nil {
		return err
	}
	if err := b.runEC2(); err != nil {
		return err
	}
	b.logf("done in %s", time.Since(start).Round(time.Second))
	report := b.report(time.Since(start))
	fmt.Print(report)
	if b.cfg.out == "" {
		return nil
	}
	return os.WriteFile(b.cfg.out, []byte(report), 0o644)
}

// rounds runs workload w for every client (and the extra ones),
// cfg.rounds times, starting each round with another client.
func (b *bench) rounds(w, what, endpoint string, n int, extra ...clientSpec) error {
	if !b.cfg.want(w) {
		return nil
	}
	clients := append(append([]clientSpec(nil), b.clients...), extra...)
	for r := range b.cfg.rounds {
		b.logf("%s round %d/%d", what, r+1, b.cfg.rounds)
		for _, c := range rotate(clients, r) {
			if err := b.record(c, w, &clientArgs{endpoint: endpoint, n: n}, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *bench) index(key string) int {
	for i, c := range b.clients {
		if c.key == key {
			return i
		}
	}
	return -1
}

// rotate returns the clients starting at round r, so that no client always
// runs first or last.
func rotate(cs []clientSpec, r int) []clientSpec {
	k := r % len(cs)
	return append(append([]clientSpec(nil), cs[k:]...), cs[:k]...)
}

// record runs one client process and keeps its sample; with a proxy, the
// requests the simulator received during the run are counted.
func (b *bench) record(c clientSpec, w string, a *clientArgs, p *countingProxy) error {
	if p != nil {
		p.reset()
	}
	s, err := b.runClient(c, w, a)
	if err != nil {
		return fmt.Errorf("%s %s: %w", c.label, w, err)
	}
	if p != nil {
		// goclouds follows a starting VM's deploy through listVirtualMachines
		// and several jobs through listAsyncJobs: every one is a poll.
		s.polls = p.get("queryAsyncJobResult") + p.get("listAsyncJobs") + p.get("listVirtualMachines")
		s.deploys = p.get("deployVirtualMachine")
		s.calls, s.refused = p.totals()
	}
	if s.res.Errors > 0 {
		b.logf("  %s %s: %d errors, first: %s", c.label, w, s.res.Errors, s.res.FirstError)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.samples[w] == nil {
		b.samples[w] = map[string][]sample{}
	}
	b.samples[w][c.key] = append(b.samples[w][c.key], *s)
	return nil
}

// runClient runs one client process and parses its result line.
func (b *bench) runClient(c clientSpec, w string, a *clientArgs) (*sample, error) {
	if a.key == "" {
		a.key, a.secret = benchKey, benchSecret
	}
	if a.tag == "" {
		a.tag = "bench"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	argv := c.argv(w, a)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), c.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, tail(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	s := &sample{}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s.res); err != nil {
		return nil, fmt.Errorf("no result line (%v): %s %s", err, tail(stdout.String()), tail(stderr.String()))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.procCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		s.maxRSS = ru.Maxrss * 1024
	}
	return s, nil
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	return s
}

// simProc is a running `goclouds sim`.
type simProc struct {
	cmd      *exec.Cmd
	endpoint string
}

// startSim starts `goclouds sim` on a free loopback port with the bench
// credentials and extra flags, and waits for its "listening on" line.
func startSim(goclouds string, extra ...string) (*simProc, error) {
	args := append([]string{"sim", "--listen", "127.0.0.1:0", "--api-key", benchKey, "--secret-key", benchSecret}, extra...)
	cmd := exec.Command(goclouds, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if ep, ok := strings.CutPrefix(sc.Text(), "listening on "); ok {
				found <- strings.TrimSpace(ep)
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case ep := <-found:
		return &simProc{cmd: cmd, endpoint: ep}, nil
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("goclouds sim %v did not start: %s", extra, tail(stderr.String()))
	}
}

// stop interrupts the simulator (it shuts down cleanly on SIGINT) and waits.
func (s *simProc) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}
