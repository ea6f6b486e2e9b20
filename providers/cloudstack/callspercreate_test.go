package cloudstack_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/types"
)

// defaultPollDriver is a driver with the default job polling (200 ms
// first delay), as users have it.
func defaultPollDriver(t testing.TB, url string, cred cloudstacksim.Credentials, s cloudstack.Settings) *cloudstack.Driver {
	t.Helper()
	s.RetryWaitMin, s.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	d, err := cloudstack.New(&cloudstack.Options{URL: url + cloudstacksim.DefaultPath, Key: cred.APIKey, Secret: cred.SecretKey, Settings: s})
	require.NoError(t, err)
	return d
}

// vmSeq numbers the VMs createMany names.
var vmSeq atomic.Int64

// createMany runs n concurrent CreateNode calls (in loc, nil for the
// default zone) and returns their errors and longest duration.
func createMany(t *testing.T, d *cloudstack.Driver, n int, image, size string, loc *compute.Location) ([]error, time.Duration) {
	t.Helper()
	_, errs, longest := createManyWith(t, d, n, func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}, Location: loc}
	})
	return errs, longest
}

// createManyWith runs n concurrent CreateNode calls of the requests req
// makes (named by createManyWith) and returns their nodes, errors and
// longest duration.
func createManyWith(t *testing.T, d *cloudstack.Driver, n int, req func() *compute.CreateNodeRequest) ([]*compute.Node, []error, time.Duration) {
	t.Helper()
	nodes := make([]*compute.Node, n)
	errs := make([]error, n)
	var longest atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := req()
			r.Name = fmt.Sprintf("vm-%d", vmSeq.Add(1))
			start := time.Now()
			nodes[i], errs[i] = d.CreateNode(t.Context(), r)
			el := int64(time.Since(start))
			for {
				cur := longest.Load()
				if el <= cur || longest.CompareAndSwap(cur, el) {
					break
				}
			}
		})
	}
	wg.Wait()
	return nodes, errs, time.Duration(longest.Load())
}

// sumCounts adds up the simulator's request counters.
func sumCounts(counts map[string]int) int {
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// TestCallsPerCreate measures the API calls of 100 concurrent creates with
// 1 s jobs and the default zone: one listZones for all (catalogue cache),
// one deploy each, and the looks at the VMs (listVirtualMachines ids=...)
// shared by all, which also carry each deploy's result.
func TestCallsPerCreate(t *testing.T) {
	sim, srv := newSim(t, time.Second)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, _ := catalogue(t, d)
	sim.ResetRequestCounts()
	const n = 100
	start := time.Now()
	errs, longest := createMany(t, d, n, image, size, nil)
	wall := time.Since(start)
	for _, err := range errs {
		require.NoError(t, err)
	}
	counts := sim.RequestCounts()
	total := sumCounts(counts)
	t.Logf("%d creates, 1 s jobs: wall %v, longest create %v, %d calls (%.2f per create): %v",
		n, wall.Round(time.Millisecond), longest.Round(time.Millisecond), total, float64(total)/n, counts)
	assert.Equal(t, 1, counts["listZones"], "100 concurrent creates share one default-zone look-up")
	assert.Equal(t, n, counts["deployVirtualMachine"])
	assert.Zero(t, counts["queryAsyncJobResult"], "a running VM's record is its deploy's result")
	assert.Positive(t, counts["listVirtualMachines"])
	assert.LessOrEqual(t, float64(total)/n, 1.3, "calls per create")
}

// TestCallsPerCreate_Throttled measures the proof: 100 concurrent
// creates on one driver (default settings) for a user account throttled
// at 25 requests/s, 1 s jobs: every create succeeds, and every request the
// server saw, refused ones included, is at most 1.3 per create.
func TestCallsPerCreate_Throttled(t *testing.T) {
	sim, srv := newSim(t, time.Second)
	d := defaultPollDriver(t, srv.URL, sim.UserCredentials(), cloudstack.Settings{})
	image, size, _ := catalogue(t, d)
	sim.SetThrottle(cloudstacksim.Throttle{Max: 25, Interval: time.Second})
	time.Sleep(time.Second) // a fresh window
	sim.ResetRequestCounts()
	const n = 100
	start := time.Now()
	_, errs, longest := createManyWith(t, d, n, func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}}
	})
	wall := time.Since(start)
	counts, refused := sim.RequestCounts(), sim.ThrottledCount()
	for _, err := range errs {
		require.NoError(t, err)
	}
	total := sumCounts(counts)
	t.Logf("%d creates throttled at 25/s, 1 s jobs: wall %v (longest create %v), %d calls (%.2f per create), %d refused: %v",
		n, wall.Round(time.Millisecond), longest.Round(time.Millisecond), total, float64(total)/n, refused, counts)
	assert.Zero(t, counts["queryAsyncJobResult"])
	assert.LessOrEqual(t, float64(total)/n, 1.3, "calls per create")
}

// TestCallsPerCreate_StoppedVMsPollJobs: VMs created stopped (startvm=false)
// are followed through their jobs, by listAsyncJobs.
func TestCallsPerCreate_StoppedVMsPollJobs(t *testing.T) {
	sim, srv := newSim(t, 500*time.Millisecond)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	sim.ResetRequestCounts()
	start := false
	nodes, errs, _ := createManyWith(t, d, 10, func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
			Location: &compute.Location{ID: zone}, ProviderOptions: &cloudstack.CreateNodeOptions{StartVM: &start}}
	})
	for i, err := range errs {
		require.NoError(t, err)
		assert.Equal(t, types.NodeStateStopped, nodes[i].State)
	}
	assert.Zero(t, sim.RequestCount("listVirtualMachines"), "a stopped VM looks like a pending deploy: jobs are polled")
	assert.Positive(t, sim.RequestCount("listAsyncJobs"))
	assert.Equal(t, 10, sim.RequestCount("queryAsyncJobResult"), "one query per job, for its result")
}

// TestCallsPerCreate_PasswordFromJob: a password-enabled template's deploy
// still returns the generated password, which only its job's result holds.
func TestCallsPerCreate_PasswordFromJob(t *testing.T) {
	sim, srv := newSim(t, 300*time.Millisecond)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	ids := lookupSimIDs(t, d)
	require.NotEmpty(t, ids.passwordImage)
	sim.ResetRequestCounts()
	nodes, errs, _ := createManyWith(t, d, 5, func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Image: &compute.Image{ID: ids.passwordImage}, Size: &compute.Size{ID: ids.size},
			Location: &compute.Location{ID: ids.zone1}}
	})
	for i, err := range errs {
		require.NoError(t, err)
		assert.NotEmpty(t, nodes[i].Extra["password"], "the generated password")
		assert.Equal(t, types.NodeStateRunning, nodes[i].State)
	}
	assert.Positive(t, sim.RequestCount("listVirtualMachines"))
	assert.Equal(t, 5, sim.RequestCount("queryAsyncJobResult"), "each running VM's job is asked once, for the password")
}

func TestBatchedPolling_50PendingJobs(t *testing.T) {
	// Deploys are followed through their VMs, other jobs (here deploys of
	// stopped VMs) through listAsyncJobs: both at most one call per
	// interval for all 50.
	for _, started := range []bool{true, false} {
		t.Run(fmt.Sprintf("startvm=%v", started), func(t *testing.T) {
			sim, srv := newSim(t, 2*time.Second)
			d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
			image, size, zone := catalogue(t, d)
			sim.ResetRequestCounts()
			const n = 50
			start := time.Now()
			_, errs, _ := createManyWith(t, d, n, func() *compute.CreateNodeRequest {
				return &compute.CreateNodeRequest{Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
					Location: &compute.Location{ID: zone}, ProviderOptions: &cloudstack.CreateNodeOptions{StartVM: &started}}
			})
			elapsed := time.Since(start)
			for _, err := range errs {
				require.NoError(t, err)
			}
			command := "listAsyncJobs"
			if started {
				command = "listVirtualMachines"
			}
			polls, queries := sim.RequestCount(command), sim.RequestCount("queryAsyncJobResult")
			t.Logf("%d creates with 2 s jobs in %v: %d %s, %d queryAsyncJobResult", n, elapsed.Round(time.Millisecond), polls, command, queries)
			// Polling from 200 ms, a quarter of the time waited, gives about
			// 10 polls over 2 s: per job before, per interval now.
			assert.Positive(t, polls)
			assert.LessOrEqual(t, polls, 2*int(elapsed/(180*time.Millisecond)), "one poll per interval at most")
			if started {
				assert.Zero(t, queries)
			} else {
				assert.LessOrEqual(t, queries, n+n/5, "one query per job for its result, not one per job per interval")
			}
		})
	}
}

func TestBatchedPolling_FailedJobKeepsItsError(t *testing.T) {
	sim, srv := newSim(t, 500*time.Millisecond)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultJobError, Status: 533, CSErrorCode: 4250, Text: "Insufficient capacity", Times: 1})
	sim.ResetRequestCounts()
	errs, _ := createMany(t, d, 10, image, size, &compute.Location{ID: zone})
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	require.Len(t, failed, 1)
	var ae *cloudstack.APIError
	require.ErrorAs(t, failed[0], &ae)
	assert.Equal(t, 533, ae.ErrorCode)
	assert.Equal(t, "Insufficient capacity", ae.ErrorText)
	assert.NotEmpty(t, ae.JobID, "the error names the failed job")
	var ce *compute.Error
	require.ErrorAs(t, failed[0], &ce)
	assert.NotEmpty(t, ce.ID, "and the VM it created")
	assert.Positive(t, sim.RequestCount("listVirtualMachines"), "the deploys were polled together")
	assert.Equal(t, 1, sim.RequestCount("queryAsyncJobResult"), "only the VM in Error makes its job be queried")
}

func TestBatchedPolling_CancelOneWaiter(t *testing.T) {
	// Cancelling one create's wait ends it alone, with the VM's id; the
	// others, polled with it, succeed.
	sim, srv := newSim(t, time.Second)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	req := func(name string) *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan error, 1)
	go func() {
		_, err := d.CreateNode(ctx, req("cancelled"))
		cancelled <- err
	}()
	time.AfterFunc(400*time.Millisecond, cancel)
	_, errs, _ := createManyWith(t, d, 10, func() *compute.CreateNodeRequest { return req("") })
	for _, err := range errs {
		require.NoError(t, err)
	}
	err := <-cancelled
	require.ErrorIs(t, err, context.Canceled)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.NotEmpty(t, ce.ID, "the cancelled wait names the VM being deployed")
}

func TestBatchedPolling_Latency(t *testing.T) {
	// A 1 s job is seen within 1.3 s (the poll after 1 s comes at most a
	// quarter of the time waited later, plus the slack a shared round may
	// take), alone or among others, whether followed through its VM or its
	// job. The assertion leaves room for a loaded CI machine; the log has
	// the figure.
	sim, srv := newSim(t, time.Second)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	for _, started := range []bool{true, false} {
		mk := func() *compute.CreateNodeRequest {
			return &compute.CreateNodeRequest{Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size},
				Location: &compute.Location{ID: zone}, ProviderOptions: &cloudstack.CreateNodeOptions{StartVM: &started}}
		}
		_, _, alone := createManyWith(t, d, 1, mk)
		_, _, among := createManyWith(t, d, 20, mk)
		t.Logf("startvm=%v: 1 s job seen after %v alone, %v at worst among 20", started, alone.Round(time.Millisecond), among.Round(time.Millisecond))
		// Among 20, a create's time includes its deploy's wait behind the
		// others' on a loaded machine (-race, parallel tests).
		assert.Less(t, alone, 2*time.Second)
		assert.Less(t, among, 3500*time.Millisecond)
	}
}

func TestCatalogCache_DefaultZone(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, _ := catalogue(t, d)
	now := time.Now()
	var mu sync.Mutex
	cloudstack.SetCatalogClock(d, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(by time.Duration) { mu.Lock(); now = now.Add(by); mu.Unlock() }

	sim.ResetRequestCounts()
	errs, _ := createMany(t, d, 100, image, size, nil)
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, sim.RequestCount("listZones"), "100 concurrent creates: one listZones")

	advance(cloudstack.DefaultCatalogCacheTTL - time.Second)
	_, _ = createMany(t, d, 1, image, size, nil)
	assert.Equal(t, 1, sim.RequestCount("listZones"), "kept for the TTL")
	advance(2 * time.Second)
	_, _ = createMany(t, d, 1, image, size, nil)
	assert.Equal(t, 2, sim.RequestCount("listZones"), "fetched again once expired")

	// Errors are not kept.
	advance(2 * cloudstack.DefaultCatalogCacheTTL)
	sim.InjectFault("listZones", cloudstacksim.Fault{Status: 432, Times: 1})
	errs, _ = createMany(t, d, 1, image, size, nil)
	require.Error(t, errs[0])
	errs, _ = createMany(t, d, 1, image, size, nil)
	require.NoError(t, errs[0])
	assert.Equal(t, 4, sim.RequestCount("listZones"))

	// A negative TTL turns the cache off.
	off := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{CatalogCacheTTL: -1})
	sim.ResetRequestCounts()
	_, _ = createMany(t, off, 3, image, size, nil)
	assert.Equal(t, 3, sim.RequestCount("listZones"))
}
