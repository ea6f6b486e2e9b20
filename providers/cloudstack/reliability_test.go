package cloudstack_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/types"
)

// The reliability suite: every fault the simulator can inject, against the
// driver through its public API, with the simulator's request counters as
// the proof of what was sent. docs/reliability.md tabulates the faults and
// names the test that shows each. No timing is asserted beyond generous
// bounds: the jobs and backoffs are short so that the suite stays fast under
// -race on a small machine.

// relBuffer is a goroutine-safe log sink.
type relBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *relBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *relBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// relSim is a simulator served on loopback HTTP, the ids of its catalogue,
// and the debug log every driver made by driver writes to.
type relSim struct {
	sim               *cloudstacksim.Server
	url               string
	logs              *relBuffer
	zone, image, size string
	passwordImage     string
}

// relJobDelay is the simulator's job duration in the suite: long enough for
// a few polls, short enough for -race on two cores.
const relJobDelay = 20 * time.Millisecond

// newRelSim starts a simulator (opts may be nil; JobDelay defaults to
// relJobDelay) and looks up its catalogue.
func newRelSim(t testing.TB, opts *cloudstacksim.Options) *relSim {
	t.Helper()
	var o cloudstacksim.Options
	if opts != nil {
		o = *opts
	}
	if o.JobDelay == 0 {
		o.JobDelay = relJobDelay
	}
	sim, srv := startSim(t, &o)
	r := &relSim{sim: sim, url: srv.URL + cloudstacksim.DefaultPath, logs: &relBuffer{}}
	ids := lookupSimIDs(t, r.driver(t, nil))
	r.zone, r.image, r.passwordImage, r.size = ids.zone1, ids.image, ids.passwordImage, ids.size
	return r
}

// relSettings are fast polls and retries for tests.
func relSettings() cloudstack.Settings {
	return cloudstack.Settings{
		JobTimeout:         time.Minute,
		JobPollInterval:    2 * time.Millisecond,
		JobPollMaxInterval: 10 * time.Millisecond,
		RetryMax:           6,
		RetryWaitMin:       time.Millisecond,
		RetryWaitMax:       20 * time.Millisecond,
		// Far above the short Timeouts some cases set: the faults under
		// test, not the call bound, end their attempts.
		CallTimeout: time.Minute,
	}
}

// driver returns an admin driver with fast settings and debug logging into
// r.logs; mod may change the options.
func (r *relSim) driver(t testing.TB, mod func(*cloudstack.Options)) *cloudstack.Driver {
	t.Helper()
	creds := r.sim.AdminCredentials()
	o := &cloudstack.Options{
		URL: r.url, Key: creds.APIKey, Secret: creds.SecretKey, Timeout: 20 * time.Second,
		Logger:   slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Settings: relSettings(),
	}
	if mod != nil {
		mod(o)
	}
	d, err := cloudstack.New(o)
	require.NoError(t, err)
	return d
}

// request returns a CreateNode request for the tiny VM in the first zone
// (a Location, so that no listZones precedes the deploy).
func (r *relSim) request(name string) *compute.CreateNodeRequest {
	return &compute.CreateNodeRequest{
		Name: name, Image: &compute.Image{ID: r.image}, Size: &compute.Size{ID: r.size},
		Location: &compute.Location{ID: r.zone},
	}
}

// vmsNamed returns the ids of the live VMs named name, as the server has them.
func (r *relSim) vmsNamed(t testing.TB, d *cloudstack.Driver, name string) []string {
	t.Helper()
	nodes, err := d.ExListNodes(context.Background(), &cloudstack.ListNodesOptions{Name: name, SkipAddresses: true})
	require.NoError(t, err)
	ids := make([]string, 0, len(nodes))
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	return ids
}

// requireTyped checks that err is a *compute.Error with a kind, and returns it.
func requireTyped(t testing.TB, err error) *compute.Error {
	t.Helper()
	require.Error(t, err)
	var ce *compute.Error
	require.True(t, errors.As(err, &ce), "error %T is not a *compute.Error: %v", err, err)
	require.NotNil(t, ce.Kind, "error without a kind: %v", err)
	require.Equal(t, types.ProviderCloudStack, ce.Provider)
	return ce
}

// clearLatencyOnArrival removes the latency of command as soon as the first
// request for it has arrived, so that only that request is slow.
func clearLatencyOnArrival(t testing.TB, sim *cloudstacksim.Server, command string) {
	t.Helper()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for sim.RequestCount(command) == 0 {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
		sim.SetLatency(command, 0)
	}()
	t.Cleanup(func() {
		close(done)
		<-stopped
		sim.SetLatency(command, 0)
	})
}

// settledState returns the state of VM id once no job is changing it: a job
// accepted before its answer was lost still runs, and a VM whose command
// never arrived stays Running (checked again after a few job durations).
func settledState(t *testing.T, d *cloudstack.Driver, id string) types.NodeState {
	t.Helper()
	get := func() types.NodeState {
		n, err := d.ExGetNode(context.Background(), id, &cloudstack.ListNodesOptions{IncludeDestroyed: true, SkipAddresses: true})
		require.NoError(t, err)
		return n.State
	}
	settled := func(s types.NodeState) bool {
		return s == types.NodeStateRunning || s == types.NodeStateStopped || s == types.NodeStateTerminated
	}
	var state types.NodeState
	require.Eventually(t, func() bool { state = get(); return settled(state) }, 10*time.Second, 5*time.Millisecond)
	if state == types.NodeStateRunning {
		time.Sleep(3 * relJobDelay) // a job accepted just now would have started
		require.Eventually(t, func() bool { state = get(); return settled(state) }, 10*time.Second, 5*time.Millisecond)
	}
	return state
}

// relFault is one fault the simulator can inject, with what it means for a
// state-changing command.
type relFault struct {
	name string
	// effect reports whether the command takes effect despite the fault.
	effect bool
	// refused means the server refuses the command before running it (429):
	// every command, writes included, is sent again after the wait.
	refused bool
	// arm injects the fault for command; it may return a driver option
	// change (a short request timeout) the fault needs.
	arm func(t testing.TB, sim *cloudstacksim.Server, command string)
	// timeout, when set, is the driver's per-request timeout for the case.
	timeout time.Duration
}

// slowLatency is how long a "slow" answer takes: far past slowTimeout.
const (
	slowLatency = 30 * time.Second
	slowTimeout = 400 * time.Millisecond
)

// relFaults are the faults that hit a single request: each is armed for
// one request (the throttle and the latency are lifted after it).
func relFaults() []relFault {
	once := func(f cloudstacksim.Fault) func(testing.TB, *cloudstacksim.Server, string) {
		return func(_ testing.TB, sim *cloudstacksim.Server, command string) {
			f.Times = 1
			sim.InjectFault(command, f)
		}
	}
	return []relFault{
		{name: "dropped before effect", arm: once(cloudstacksim.Fault{Kind: cloudstacksim.FaultDropBefore})},
		{name: "dropped after effect", effect: true, arm: once(cloudstacksim.Fault{Kind: cloudstacksim.FaultDropAfter})},
		{name: "503 answer", arm: once(cloudstacksim.Fault{Kind: cloudstacksim.FaultError, Status: 503})},
		{name: "truncated body", effect: true, arm: once(cloudstacksim.Fault{Kind: cloudstacksim.FaultTruncatedBody})},
		{name: "malformed JSON", effect: true, arm: once(cloudstacksim.Fault{Kind: cloudstacksim.FaultMalformedJSON})},
		{name: "429 on the command", refused: true, arm: once(cloudstacksim.Fault{Status: 429, CSErrorCode: 9999,
			Text: "The given user has reached his/her account api limit, please retry after [300] ms."})},
		{name: "429 with a wait", refused: true, arm: func(t testing.TB, sim *cloudstacksim.Server, _ string) {
			// One request per 300 ms window, and that one is spent here,
			// so the next request (the command) is throttled.
			sim.SetThrottle(cloudstacksim.Throttle{Max: 1, Interval: 300 * time.Millisecond})
			t.Cleanup(func() { sim.SetThrottle(cloudstacksim.Throttle{}) })
			burnThrottle(t, sim)
		}},
		{name: "slow answer past the timeout", timeout: slowTimeout, arm: func(t testing.TB, sim *cloudstacksim.Server, command string) {
			sim.SetLatency(command, slowLatency)
			clearLatencyOnArrival(t, sim, command)
		}},
	}
}

// burnThrottle spends the current throttle window's only request.
func burnThrottle(t testing.TB, sim *cloudstacksim.Server) {
	t.Helper()
	before := sim.RequestCount("listCapabilities")
	creds := sim.AdminCredentials()
	// A signed request straight to the handler counts against the window.
	req := httptest.NewRequest("GET", cloudstacksim.DefaultPath+"?"+cloudstacksim.SignValues(
		map[string][]string{"command": {"listCapabilities"}}, creds.APIKey, creds.SecretKey).Encode(), nil)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	require.Equal(t, before+1, sim.RequestCount("listCapabilities"))
}

// TestReliabilityReadsRecover: under every fault, a read (listVirtualMachines
// through ListNodes) is retried and returns the same inventory as without
// the fault; the counters show the retry.
func TestReliabilityReadsRecover(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, &cloudstacksim.Options{VMs: 7})
	ctx := context.Background()
	want := nodeIDs(t, r.driver(t, nil), ctx)
	require.Len(t, want, 7)
	for _, f := range relFaults() {
		t.Run(f.name, func(t *testing.T) {
			d := r.driver(t, func(o *cloudstack.Options) {
				if f.timeout > 0 {
					o.Timeout = f.timeout
				}
			})
			r.sim.ResetRequestCounts()
			f.arm(t, r.sim, "listVirtualMachines")
			got := nodeIDs(t, d, ctx)
			assert.Equal(t, want, got)
			assert.GreaterOrEqual(t, r.sim.RequestCount("listVirtualMachines"), 2, "the read was retried")
			if f.timeout == 0 && f.name != "429 with a wait" {
				assert.Equal(t, 2, r.sim.RequestCount("listVirtualMachines"), "one failed attempt and one retry")
			}
		})
	}
	t.Run("persistent 503 gives up typed", func(t *testing.T) {
		d := r.driver(t, nil)
		r.sim.ResetRequestCounts()
		r.sim.InjectFault("listZones", cloudstacksim.Fault{Status: 503})
		t.Cleanup(r.sim.ClearFaults)
		_, err := d.ListLocations(ctx)
		ce := requireTyped(t, err)
		assert.ErrorIs(t, err, compute.ErrUnavailable)
		assert.Equal(t, "ListLocations", ce.Op)
		var ae *cloudstack.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.ErrorCode)
		assert.Equal(t, relSettings().RetryMax+1, r.sim.RequestCount("listZones"), "every retry used, no more")
	})
	t.Run("530 is not retried", func(t *testing.T) {
		d := r.driver(t, nil)
		r.sim.ResetRequestCounts()
		r.sim.InjectFault("listZones", cloudstacksim.Fault{Status: 530, Times: 1})
		_, err := d.ListLocations(ctx)
		requireTyped(t, err)
		assert.ErrorIs(t, err, compute.ErrInternal)
		assert.Equal(t, 1, r.sim.RequestCount("listZones"), "an API error the server meant is final")
	})
}

func nodeIDs(t testing.TB, d *cloudstack.Driver, ctx context.Context) []string {
	t.Helper()
	nodes, err := d.ListNodes(ctx)
	require.NoError(t, err)
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	slices.Sort(ids)
	return ids
}

// TestReliabilityPollsRecover: faults on queryAsyncJobResult while a deploy
// is awaited are polled through; the deploy itself is sent once.
func TestReliabilityPollsRecover(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, &cloudstacksim.Options{JobDelay: 50 * time.Millisecond})
	ctx := context.Background()
	for i, f := range relFaults() {
		if f.name == "429 with a wait" {
			continue // throttling is per account: it would hit the deploy (see the write test)
		}
		t.Run(f.name, func(t *testing.T) {
			d := r.driver(t, func(o *cloudstack.Options) {
				if f.timeout > 0 {
					o.Timeout = f.timeout
				}
			})
			r.sim.ResetRequestCounts()
			f.arm(t, r.sim, "queryAsyncJobResult")
			name := fmt.Sprintf("poll-fault-%d", i)
			n, err := d.CreateNode(ctx, r.request(name))
			require.NoError(t, err)
			assert.Equal(t, types.NodeStateRunning, n.State)
			assert.Equal(t, 1, r.sim.RequestCount("deployVirtualMachine"))
			assert.GreaterOrEqual(t, r.sim.RequestCount("queryAsyncJobResult"), 2)
			assert.Equal(t, []string{n.ID}, r.vmsNamed(t, d, name))
		})
	}
}

// relWrite is a state-changing operation under test.
type relWrite struct {
	name, command string
	// setup prepares the target (a VM to stop) with a clean driver and
	// returns its id ("" when none).
	setup func(t *testing.T, r *relSim, d *cloudstack.Driver, tag string) string
	// run performs the operation.
	run func(ctx context.Context, r *relSim, d *cloudstack.Driver, tag, target string) error
	// effect reports whether the operation took effect, and the id the
	// error should carry when it did.
	effect func(t *testing.T, r *relSim, d *cloudstack.Driver, tag, target string) (bool, string)
	// knownID is the id the error carries whatever happened (nil: "",
	// CreateKeyPair: the key pair's name).
	knownID func(tag, target string) string
}

func relWrites() []relWrite {
	return []relWrite{
		{
			name: "CreateNode", command: "deployVirtualMachine",
			run: func(ctx context.Context, r *relSim, d *cloudstack.Driver, tag, _ string) error {
				_, err := d.CreateNode(ctx, r.request(tag))
				return err
			},
			effect: func(t *testing.T, r *relSim, d *cloudstack.Driver, tag, _ string) (bool, string) {
				ids := r.vmsNamed(t, d, tag)
				require.LessOrEqual(t, len(ids), 1, "a second VM was created")
				if len(ids) == 1 {
					return true, ids[0]
				}
				return false, ""
			},
		},
		{
			name: "StopNode", command: "stopVirtualMachine",
			setup: func(t *testing.T, r *relSim, d *cloudstack.Driver, tag string) string {
				n, err := d.CreateNode(context.Background(), r.request(tag))
				require.NoError(t, err)
				return n.ID
			},
			run: func(ctx context.Context, _ *relSim, d *cloudstack.Driver, _, target string) error {
				return d.StopNode(ctx, target)
			},
			effect: func(t *testing.T, _ *relSim, d *cloudstack.Driver, _, target string) (bool, string) {
				return settledState(t, d, target) == types.NodeStateStopped, target
			},
			knownID: func(_, target string) string { return target },
		},
		{
			name: "DestroyNode", command: "destroyVirtualMachine",
			setup: func(t *testing.T, r *relSim, d *cloudstack.Driver, tag string) string {
				n, err := d.CreateNode(context.Background(), r.request(tag))
				require.NoError(t, err)
				return n.ID
			},
			run: func(ctx context.Context, _ *relSim, d *cloudstack.Driver, _, target string) error {
				return d.DestroyNode(ctx, target)
			},
			effect: func(t *testing.T, _ *relSim, d *cloudstack.Driver, _, target string) (bool, string) {
				return settledState(t, d, target) == types.NodeStateTerminated, target
			},
			knownID: func(_, target string) string { return target },
		},
		{
			name: "CreateKeyPair", command: "createSSHKeyPair",
			run: func(ctx context.Context, _ *relSim, d *cloudstack.Driver, tag, _ string) error {
				_, err := d.CreateKeyPair(ctx, tag)
				return err
			},
			effect: func(t *testing.T, r *relSim, d *cloudstack.Driver, tag, _ string) (bool, string) {
				_, err := d.GetKeyPair(context.Background(), tag)
				if errors.Is(err, compute.ErrNotFound) {
					return false, ""
				}
				require.NoError(t, err)
				return true, tag
			},
			knownID: func(tag, _ string) string { return tag },
		},
	}
}

// TestReliabilityWritesSentOnce: under every fault, a state-changing command
// is sent exactly once (the simulator's counter), the error matches
// compute.ErrUnavailable, carries the id of what exists when the server or
// the request told it, and the server's state is what the fault implies:
// changed only by faults that strike after the command took effect.
func TestReliabilityWritesSentOnce(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, nil)
	ctx := context.Background()
	clean := r.driver(t, nil)
	for wi, w := range relWrites() {
		for fi, f := range relFaults() {
			if f.refused {
				continue // TestReliabilityWritesThrottled
			}
			t.Run(w.name+"/"+f.name, func(t *testing.T) {
				d := r.driver(t, func(o *cloudstack.Options) {
					if f.timeout > 0 {
						o.Timeout = f.timeout
					}
				})
				tag := fmt.Sprintf("rel-%d-%d", wi, fi)
				target := ""
				if w.setup != nil {
					target = w.setup(t, r, clean, tag)
				}
				r.sim.ResetRequestCounts()
				f.arm(t, r.sim, w.command)
				err := w.run(ctx, r, d, tag, target)
				ce := requireTyped(t, err)
				assert.ErrorIs(t, err, compute.ErrUnavailable, "%v", err)
				assert.Equal(t, 1, r.sim.RequestCount(w.command), "%s sent exactly once", w.command)
				took, id := w.effect(t, r, clean, tag, target)
				assert.Equal(t, f.effect, took, "the command took effect")
				wantID := ""
				if w.knownID != nil {
					wantID = w.knownID(tag, target)
				}
				if took && id != "" {
					wantID = id
				}
				assert.Equal(t, wantID, ce.ID, "the error names what exists: %v", err)
			})
		}
	}
}

// TestReliabilityWritesThrottled: a state-changing command refused for rate
// (the simulator's real 429, "retry after [N] ms") did not run, so it is
// sent again after the announced wait: it succeeds, the server received it
// twice (refused, then run) and what it creates exists once.
func TestReliabilityWritesThrottled(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, nil)
	ctx := context.Background()
	clean := r.driver(t, nil)
	for wi, w := range relWrites() {
		for fi, f := range relFaults() {
			if !f.refused {
				continue
			}
			t.Run(w.name+"/"+f.name, func(t *testing.T) {
				d := r.driver(t, nil)
				tag := fmt.Sprintf("rel-throttled-%d-%d", wi, fi)
				target := ""
				if w.setup != nil {
					target = w.setup(t, r, clean, tag)
				}
				r.sim.ResetRequestCounts()
				f.arm(t, r.sim, w.command)
				start := time.Now()
				require.NoError(t, w.run(ctx, r, d, tag, target))
				assert.GreaterOrEqual(t, time.Since(start), 250*time.Millisecond, "the announced wait was honoured")
				if f.name == "429 on the command" {
					assert.Equal(t, 2, r.sim.RequestCount(w.command), "%s refused once, then run once", w.command)
				} else {
					// The throttle refuses whichever request comes first.
					assert.GreaterOrEqual(t, r.sim.RequestCount(w.command), 1)
				}
				r.sim.SetThrottle(cloudstacksim.Throttle{})
				took, _ := w.effect(t, r, clean, tag, target)
				assert.True(t, took, "the command took effect (once: effect checks for a second VM)")
			})
		}
	}
}

// TestReliabilityJobFails: a job that fails gives the job's own error
// (typed, with the job id) and the id of the VM that the deploy created;
// nothing is sent again.
func TestReliabilityJobFails(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, nil)
	ctx := context.Background()
	d := r.driver(t, nil)
	for _, status := range []int{530, 533, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			r.sim.ResetRequestCounts()
			r.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultJobError, Status: status, Times: 1})
			name := fmt.Sprintf("job-fails-%d", status)
			_, err := d.CreateNode(ctx, r.request(name))
			ce := requireTyped(t, err)
			var ae *cloudstack.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, status, ae.ErrorCode)
			assert.NotEmpty(t, ae.JobID, "the failed job is named")
			assert.Equal(t, "deployVirtualMachine", ae.Command)
			assert.Equal(t, ae.Kind(), ce.Kind)
			assert.Equal(t, 1, r.sim.RequestCount("deployVirtualMachine"))
			assert.GreaterOrEqual(t, r.sim.RequestCount("queryAsyncJobResult"), 1)
			// The VM record exists (its job failed): the error names it.
			nodes, lerr := d.ExListNodes(ctx, &cloudstack.ListNodesOptions{Name: name, IncludeDestroyed: true, SkipAddresses: true})
			require.NoError(t, lerr)
			require.Len(t, nodes, 1)
			assert.Equal(t, nodes[0].ID, ce.ID)
		})
	}
	t.Run("stop", func(t *testing.T) {
		n, err := d.CreateNode(ctx, r.request("job-fails-stop"))
		require.NoError(t, err)
		r.sim.ResetRequestCounts()
		r.sim.InjectFault("stopVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultJobError, Times: 1})
		err = d.StopNode(ctx, n.ID)
		ce := requireTyped(t, err)
		assert.Equal(t, n.ID, ce.ID)
		var ae *cloudstack.APIError
		require.ErrorAs(t, err, &ae)
		assert.NotEmpty(t, ae.JobID)
		assert.Equal(t, 1, r.sim.RequestCount("stopVirtualMachine"))
	})
}

// TestReliabilityJobNeverFinishes: the wait for a job that never ends is
// bounded by the context (deadline or cancel) and by JobTimeout; the error
// matches compute.ErrUnavailable and the context error, names the VM the
// deploy created, and comes promptly.
func TestReliabilityJobNeverFinishes(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, &cloudstacksim.Options{JobDelay: time.Hour})
	check := func(t *testing.T, err error, ctxErr error, name string, d *cloudstack.Driver) {
		t.Helper()
		ce := requireTyped(t, err)
		assert.ErrorIs(t, err, compute.ErrUnavailable)
		if ctxErr != nil {
			assert.ErrorIs(t, err, ctxErr)
		}
		var pe *cloudstack.JobPendingError
		require.ErrorAs(t, err, &pe)
		assert.NotEmpty(t, pe.JobID())
		assert.Equal(t, "deployVirtualMachine", pe.Command())
		nodes, lerr := d.ExListNodes(context.Background(), &cloudstack.ListNodesOptions{Name: name, SkipAddresses: true})
		require.NoError(t, lerr)
		require.Len(t, nodes, 1, "the VM being deployed exists")
		assert.Equal(t, nodes[0].ID, ce.ID)
		assert.Equal(t, nodes[0].ID, pe.ResourceID())
		assert.Equal(t, 1, r.sim.RequestCount("deployVirtualMachine"))
	}
	t.Run("deadline", func(t *testing.T) {
		d := r.driver(t, nil)
		r.sim.ResetRequestCounts()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := d.CreateNode(ctx, r.request("never-deadline"))
		assert.Less(t, time.Since(start), 20*time.Second, "the deadline ends the wait")
		check(t, err, context.DeadlineExceeded, "never-deadline", d)
	})
	t.Run("cancel", func(t *testing.T) {
		d := r.driver(t, nil)
		r.sim.ResetRequestCounts()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, err := d.CreateNode(ctx, r.request("never-cancel"))
			done <- err
		}()
		require.Eventually(t, func() bool { return r.sim.RequestCount("queryAsyncJobResult") >= 2 }, 20*time.Second, time.Millisecond)
		cancel()
		select {
		case err := <-done:
			check(t, err, context.Canceled, "never-cancel", d)
		case <-time.After(20 * time.Second):
			t.Fatal("CreateNode still polling long after its context was cancelled")
		}
	})
	t.Run("JobTimeout", func(t *testing.T) {
		d := r.driver(t, func(o *cloudstack.Options) { o.JobTimeout = 200 * time.Millisecond })
		r.sim.ResetRequestCounts()
		_, err := d.CreateNode(context.Background(), r.request("never-jobtimeout"))
		check(t, err, context.DeadlineExceeded, "never-jobtimeout", d)
	})
}

// TestReliabilityConcurrentMixed runs 200 operations at once (creates,
// lists, stops, destroys) against one driver and checks that no VM is lost
// or duplicated: the final inventory is exactly what the client believes,
// in the states it believes, and each state-changing command was sent
// exactly as often as it was asked for.
func TestReliabilityConcurrentMixed(t *testing.T) {
	t.Parallel()
	const (
		initial  = 80
		creates  = 80
		lists    = 40
		stops    = 40
		destroys = 40
	)
	r := newRelSim(t, &cloudstacksim.Options{VMs: initial, JobDelay: 5 * time.Millisecond})
	d := r.driver(t, nil)
	ctx := context.Background()
	before, err := d.ListNodes(ctx)
	require.NoError(t, err)
	require.Len(t, before, initial)
	r.sim.ResetRequestCounts()

	var (
		mu       sync.Mutex
		created  = map[string]string{} // id -> name
		failures []error
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	fail := func(err error) {
		mu.Lock()
		failures = append(failures, err)
		mu.Unlock()
	}
	for i := range creates {
		wg.Go(func() {
			<-start
			name := fmt.Sprintf("mixed-%03d", i)
			n, err := d.CreateNode(ctx, r.request(name))
			if err != nil {
				fail(err)
				return
			}
			mu.Lock()
			created[n.ID] = name
			mu.Unlock()
		})
	}
	for range lists {
		wg.Go(func() {
			<-start
			nodes, err := d.ListNodes(ctx)
			if err != nil {
				fail(err)
				return
			}
			seen := map[string]bool{}
			for _, n := range nodes {
				if seen[n.ID] {
					fail(fmt.Errorf("VM %s listed twice", n.ID))
				}
				seen[n.ID] = true
			}
		})
	}
	for i := range stops {
		id := before[i].ID
		wg.Go(func() {
			<-start
			if err := d.StopNode(ctx, id); err != nil {
				fail(err)
			}
		})
	}
	for i := range destroys {
		id := before[stops+i].ID
		wg.Go(func() {
			<-start
			if err := d.DestroyNode(ctx, id); err != nil {
				fail(err)
			}
		})
	}
	close(start)
	wg.Wait()
	require.Empty(t, failures)

	// What the client believes: the initial VMs less the destroyed ones, plus
	// the created ones; the stopped ones stopped, every other one running.
	believed := map[string]types.NodeState{}
	for i, n := range before {
		switch {
		case i < stops:
			believed[n.ID] = types.NodeStateStopped
		case i < stops+destroys:
		default:
			believed[n.ID] = types.NodeStateRunning
		}
	}
	require.Len(t, created, creates, "every create returned its own VM")
	for id := range created {
		believed[id] = types.NodeStateRunning
	}
	after, err := d.ListNodes(ctx)
	require.NoError(t, err)
	actual := map[string]types.NodeState{}
	names := map[string]int{}
	for _, n := range after {
		_, dup := actual[n.ID]
		require.False(t, dup, "VM %s listed twice", n.ID)
		actual[n.ID] = n.State
		names[n.Name]++
	}
	assert.Equal(t, believed, actual)
	for _, name := range created {
		assert.Equal(t, 1, names[name], "exactly one VM named %s", name)
	}
	assert.Equal(t, creates, r.sim.RequestCount("deployVirtualMachine"))
	assert.Equal(t, stops, r.sim.RequestCount("stopVirtualMachine"))
	assert.Equal(t, destroys, r.sim.RequestCount("destroyVirtualMachine"))
}
