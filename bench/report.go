package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// jobDelay renders the job duration ("1 s").
func (b *bench) jobDelay() string { return fmt.Sprintf("%g s", b.cfg.jobDelay.Seconds()) }

// median returns the median of sorted values (0 for none).
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// med returns the median of f over a client's runs of a workload.
func (b *bench) med(w, client string, f func(s sample) float64) (float64, bool) {
	runs := b.samples[w][client]
	if len(runs) == 0 {
		return 0, false
	}
	v := make([]float64, len(runs))
	for i, s := range runs {
		v[i] = f(s)
	}
	slices.Sort(v)
	return median(v), true
}

// cell formats a client's median for the table ("—" when it did not run).
func (b *bench) cell(w, client string, digits int, f func(s sample) float64) string {
	v, ok := b.med(w, client, f)
	if !ok {
		return "—"
	}
	return num(v, digits)
}

func num(v float64, digits int) string {
	s := fmt.Sprintf("%.*f", digits, v)
	// Thousands separators for the integer part.
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var out []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, intPart[i])
	}
	s = string(out)
	if neg {
		s = "-" + s
	}
	if frac != "" {
		s += "." + frac
	}
	return s
}

// target is one of the targets with its measured value.
type target struct {
	what, limit, measured string
	met, known            bool
}

func (b *bench) ratio(w, num, den string, f func(s sample) float64) (float64, bool) {
	a, ok1 := b.med(w, num, f)
	c, ok2 := b.med(w, den, f)
	if !ok1 || !ok2 || c == 0 {
		return 0, false
	}
	return a / c, true
}

func (b *bench) targets() []target {
	perCall := func(s sample) float64 { return s.res.WallS / float64(s.res.N) }
	cpuPerCall := func(s sample) float64 { return s.res.CPUS / float64(s.res.N) }
	wall := func(s sample) float64 { return s.res.WallS }
	cpu := func(s sample) float64 { return s.res.CPUS }
	heap := func(s sample) float64 { return float64(s.res.PeakHeap) }
	var out []target
	add := func(what, limit string, v float64, ok bool, max float64, format string) {
		out = append(out, target{what: what, limit: limit, measured: fmt.Sprintf(format, v), met: ok && v <= max, known: ok})
	}
	r, ok := b.ratio(wlZones, "goclouds", "raw", perCall)
	add("listZones: wall time per call, goclouds / raw", "≤ 1.25×", r, ok, 1.25, "%.2f×")
	r, ok = b.ratio(wlZones, "goclouds", "libcloud", cpuPerCall)
	add("listZones: client CPU per call, goclouds / Libcloud", "≤ 0.20×", r, ok, 0.2, "%.3f×")
	r, ok = b.ratio(wlList, "goclouds", "raw", wall)
	add(fmt.Sprintf("List %s VMs: wall time, goclouds / raw (serial)", num(float64(b.cfg.listN), 0)), "≤ 0.80×", r, ok, 0.8, "%.2f×")
	r, ok = b.ratio(wlList, "goclouds", "cs", cpu)
	add(fmt.Sprintf("List %s VMs: client CPU, goclouds / cs", num(float64(b.cfg.listN), 0)), "≤ 0.50×", r, ok, 0.5, "%.2f×")
	v, ok := b.med(wlCreateSeq, "goclouds", func(s sample) float64 { return s.res.LatMedianS })
	add(fmt.Sprintf("%s job detected (median time per sequential create)", b.jobDelay()), fmt.Sprintf("≤ %.2f s", 1.3*b.cfg.jobDelay.Seconds()), v, ok, 1.3*b.cfg.jobDelay.Seconds(), "%.3f s")
	v, ok = b.med(wlCreateSeq, "goclouds", func(s sample) float64 { return float64(s.polls) / float64(s.res.N) })
	add("job polls per sequential create", "≤ 6", v, ok, 6, "%.2f")
	v, ok = b.med(wlCreatePar, "goclouds", wall)
	add(fmt.Sprintf("%d creates at once: time to all running", b.cfg.createN), fmt.Sprintf("≤ %.1f s", 2.5*b.cfg.jobDelay.Seconds()), v, ok, 2.5*b.cfg.jobDelay.Seconds(), "%.2f s")
	v, ok = b.med(wlCreateThrottled, "goclouds", wall)
	add(fmt.Sprintf("%d creates at once, throttled at %d requests/s: time to all running", b.cfg.createN, throttleRate),
		fmt.Sprintf("≤ %.1f s", throttledWallLimit(b.cfg)), v, ok, throttledWallLimit(b.cfg), "%.2f s")
	v, ok = b.med(wlCreateThrottled, "goclouds", callsPerCreate)
	add("throttled creates: API calls per create (429s included)", "≤ 1.3", v, ok, 1.3, "%.2f")
	v, ok = b.med(wlCreateThrottled, "goclouds", func(s sample) float64 { return float64(s.res.N - s.res.Rows + s.res.Errors) })
	add("throttled creates: creates not running or failed", "0", v, ok, 0, "%.0f")
	s, ok1 := b.med(wlMemStream, "goclouds", heap)
	f, ok2 := b.med(wlMemFull, "goclouds", heap)
	ok = ok1 && ok2 && f > 0
	r = 0
	if ok {
		r = s / f
	}
	add(fmt.Sprintf("List %s VMs: peak heap, streaming / full list", num(float64(b.cfg.memN), 0)), "< 0.20×", r, ok, 0.2, "%.3f×")
	r = 0
	if b.vsphere != nil {
		r = b.vsphere.ratio
	}
	add("vSphere: list 1,000 VMs on vcsim, wall time, goclouds driver / govmomi", fmt.Sprintf("≤ %.1f×", vsphereTarget), r, b.vsphere != nil, vsphereTarget, "%.2f×")
	b.openstackTargets(add)
	b.ec2Targets(add)
	return out
}

// callsPerCreate is every request the simulator received during a create
// run (catalogue look-ups, refused requests and polls included) per create.
func callsPerCreate(s sample) float64 { return float64(s.calls) / float64(s.res.N) }

// throttledWallLimit is the throttled creates' wall-time target: 1.3 times
// the floor of sending every deploy at the server's rate, then one job.
func throttledWallLimit(cfg config) float64 {
	return 1.3 * (float64(cfg.createN)/throttleRate + cfg.jobDelay.Seconds())
}

// report renders the markdown report.
func (b *bench) report(took time.Duration) string {
	var sb strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&sb, format+"\n", args...) }
	version := func(client, fallback string) string {
		for _, runs := range b.samples {
			for _, s := range runs[client] {
				if s.res.Version != "" {
					return s.res.Version
				}
			}
		}
		return fallback
	}
	p("# goclouds benchmark results")
	p("")
	p("Generated by `make bench` (bench/run.sh); docs/performance.md explains each figure and how to reproduce it.")
	p("")
	p("- Measured %s on %s, %d CPU(s); %s; Python %s, Libcloud %s, cs %s; goclouds commit %s.",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), cpuModel(), runtime.NumCPU(), runtime.Version(),
		pythonVersion(b.cfg.python), version("libcloud", "?"), version("cs", "?"), commit())
	p("- Server: `goclouds sim` on loopback (one process per data set), %s async jobs. Each client runs as its own process;", b.jobDelay())
	p("  wall and CPU (user + system, from the process's own getrusage) cover the workload only, not start-up or imports.")
	p("- Medians of %d rounds (listZones, listing), %d rounds (concurrent creates), %d rounds (memory); clients alternate,", b.cfg.rounds, b.cfg.createRounds, b.cfg.memRounds)
	p("  starting with a different one each round. Sequential creates: one run per client, the four at once on their own")
	p("  simulators. Job polls (queryAsyncJobResult, listAsyncJobs, listVirtualMachines) are counted on the server side. Whole run: %s.", took.Round(time.Second))
	p("")
	cols := []string{"goclouds", "raw", "libcloud", "cs"}
	p("| Workload | Measure | goclouds | raw net/http | Libcloud %s | cs %s |", version("libcloud", ""), version("cs", ""))
	p("|---|---|---:|---:|---:|---:|")
	row := func(workload, measure, w string, digits int, f func(s sample) float64) {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = b.cell(w, c, digits, f)
		}
		p("| %s | %s | %s |", workload, measure, strings.Join(cells, " | "))
	}
	n := func(v int) string { return num(float64(v), 0) }
	zw := fmt.Sprintf("%s × listZones, sequential", n(b.cfg.zonesN))
	row(zw, "wall per call (µs)", wlZones, 0, func(s sample) float64 { return 1e6 * s.res.WallS / float64(s.res.N) })
	row("", "client CPU per call (µs)", wlZones, 0, func(s sample) float64 { return 1e6 * s.res.CPUS / float64(s.res.N) })
	row("", "process CPU per call, start-up included (µs)", wlZones, 0, func(s sample) float64 { return 1e6 * s.procCPU / float64(s.res.N) })
	if _, ok := b.med(wlZones, "goclouds-1p", func(sample) float64 { return 0 }); ok {
		perCall := func(s sample) float64 { return 1e6 * s.res.CPUS / float64(s.res.N) }
		p("|  | client CPU per call, Go clients on one P (GOMAXPROCS=1) (µs) | %s | %s | — | — |",
			b.cell(wlZones, "goclouds-1p", 0, perCall), b.cell(wlZones, "raw-1p", 0, perCall))
	}
	lw := fmt.Sprintf("List %s VMs", n(b.cfg.listN))
	row(lw, "wall (ms)", wlList, 0, func(s sample) float64 { return 1e3 * s.res.WallS })
	row("", "client CPU (ms)", wlList, 0, func(s sample) float64 { return 1e3 * s.res.CPUS })
	row("", "rows returned", wlList, 0, func(s sample) float64 { return float64(s.res.Rows) })
	sw := fmt.Sprintf("%s × CreateNode one after another (%s jobs)", n(b.cfg.createN), b.jobDelay())
	row(sw, "median time per create (s)", wlCreateSeq, 3, func(s sample) float64 { return s.res.LatMedianS })
	row("", "slowest create (s)", wlCreateSeq, 3, func(s sample) float64 { return s.res.LatMaxS })
	row("", "job polls per create", wlCreateSeq, 2, func(s sample) float64 { return float64(s.polls) / float64(s.res.N) })
	row("", "client CPU per create (ms)", wlCreateSeq, 2, func(s sample) float64 { return 1e3 * s.res.CPUS / float64(s.res.N) })
	row("", "VMs running", wlCreateSeq, 0, func(s sample) float64 { return float64(s.res.Rows) })
	pw := fmt.Sprintf("%s × CreateNode at once (%s jobs)", n(b.cfg.createN), b.jobDelay())
	row(pw, "time to all running (s)", wlCreatePar, 2, func(s sample) float64 { return s.res.WallS })
	row("", "job polls", wlCreatePar, 0, func(s sample) float64 { return float64(s.polls) })
	row("", "client CPU (ms)", wlCreatePar, 0, func(s sample) float64 { return 1e3 * s.res.CPUS })
	row("", "VMs running", wlCreatePar, 0, func(s sample) float64 { return float64(s.res.Rows) })
	if len(b.samples[wlCreateThrottled]) > 0 {
		tw := fmt.Sprintf("%s × CreateNode at once, `goclouds sim --throttle %d` as user (%s jobs)", n(b.cfg.createN), throttleRate, b.jobDelay())
		row(tw, "time to all running (s)", wlCreateThrottled, 2, func(s sample) float64 { return s.res.WallS })
		row("", "VMs running", wlCreateThrottled, 0, func(s sample) float64 { return float64(s.res.Rows) })
		row("", "creates failed", wlCreateThrottled, 0, func(s sample) float64 { return float64(s.res.Errors) })
		row("", "API calls per create (429s included)", wlCreateThrottled, 2, callsPerCreate)
		row("", "answers refused with 429", wlCreateThrottled, 0, func(s sample) float64 { return float64(s.refused) })
		row("", "deployVirtualMachine calls", wlCreateThrottled, 0, func(s sample) float64 { return float64(s.deploys) })
	}
	p("")
	p("Libcloud's list_nodes sends one listVirtualMachines without paging, so the server's default page size (500) caps")
	p("its rows; cs and the raw baseline page one page after another; goclouds fetches the remaining pages concurrently")
	p("(at most 4 at once) once the first page has given the count. The raw baseline polls jobs as cloudstack-go does")
	p("(1 s, 2 s, 3 s ... apart), Libcloud every second, cs every 2 s.")
	p("")
	mb := func(v float64) float64 { return v / (1 << 20) }
	if len(b.samples[wlMemStream]) == 0 && len(b.samples[wlMemFull]) == 0 {
		b.vsphereSection(p, false)
		b.openstackSection(p)
		b.ec2Section(p)
		b.targetsSection(p)
		return sb.String()
	}
	p("Memory, listing %s VMs with goclouds (each variant in a fresh process):", n(b.cfg.memN))
	p("")
	p("| Measure | streaming (ExIterNodes) | full list (ListNodes) | streaming / full |")
	p("|---|---:|---:|---:|")
	memRow := func(measure string, digits int, f func(s sample) float64) {
		s, ok1 := b.med(wlMemStream, "goclouds", f)
		full, ok2 := b.med(wlMemFull, "goclouds", f)
		ratio := "—"
		if ok1 && ok2 && full > 0 {
			ratio = fmt.Sprintf("%.3f×", s/full)
		}
		p("| %s | %s | %s | %s |", measure, num(s, digits), num(full, digits), ratio)
	}
	memRow("peak heap (MiB, sampled every ms)", 1, func(s sample) float64 { return mb(float64(s.res.PeakHeap)) })
	memRow("peak resident set (MiB)", 1, func(s sample) float64 { return mb(float64(s.maxRSS)) })
	memRow("wall (s)", 2, func(s sample) float64 { return s.res.WallS })
	memRow("client CPU (s)", 2, func(s sample) float64 { return s.res.CPUS })
	memRow("rows", 0, func(s sample) float64 { return float64(s.res.Rows) })
	b.vsphereSection(p, true)
	b.openstackSection(p)
	b.ec2Section(p)
	b.targetsSection(p)
	return sb.String()
}

// targetsSection renders the targets and any errors the clients met.
func (b *bench) targetsSection(p func(format string, args ...any)) {
	p("")
	p("## Targets")
	p("")
	if b.cfg.quick {
		p("A quick smoke run: its small numbers are dominated by warm-up, so the targets (set for the full sizes) say little.")
		p("")
	}
	p("| Target | Limit | Measured | Met |")
	p("|---|---|---:|---|")
	for _, t := range b.targets() {
		met := "no"
		switch {
		case !t.known:
			met, t.measured = "not measured", "—"
		case t.met:
			met = "yes"
		}
		p("| %s | %s | %s | %s |", t.what, t.limit, t.measured, met)
	}
	var errs []string
	for w, runs := range b.samples {
		for c, ss := range runs {
			for _, s := range ss {
				if s.res.Errors > 0 {
					errs = append(errs, fmt.Sprintf("%s %s: %d errors (first: %s)", c, w, s.res.Errors, s.res.FirstError))
				}
			}
		}
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		p("")
		p("Errors during the run:")
		p("")
		for _, e := range errs {
			p("- %s", e)
		}
	}
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func pythonVersion(python string) string {
	out, err := exec.Command(python, "-c", "import platform; print(platform.python_version())").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
