package cloudstack_test

import (
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
	errs := make([]error, n)
	var longest atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			start := time.Now()
			_, errs[i] = d.CreateNode(t.Context(), &compute.CreateNodeRequest{
				Name: fmt.Sprintf("vm-%d", vmSeq.Add(1)), Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}, Location: loc,
			})
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
	return errs, time.Duration(longest.Load())
}

// TestCallsPerCreate measures the API calls of 100 concurrent creates with
// 1 s jobs and the default zone: one listZones for all (catalogue cache),
// one deploy and one queryAsyncJobResult each, and listings shared by all.
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
	total := 0
	for _, c := range counts {
		total += c
	}
	t.Logf("%d creates, 1 s jobs: wall %v, longest create %v, %d calls (%.2f per create): %v",
		n, wall.Round(time.Millisecond), longest.Round(time.Millisecond), total, float64(total)/n, counts)
	assert.Equal(t, 1, counts["listZones"], "100 concurrent creates share one default-zone look-up")
	assert.Equal(t, n, counts["deployVirtualMachine"])
	assert.LessOrEqual(t, counts["queryAsyncJobResult"], n+n/10, "about one query per job, for its result")
	assert.LessOrEqual(t, float64(total)/n, 2.5, "calls per create")
}

func TestBatchedPolling_50PendingJobs(t *testing.T) {
	sim, srv := newSim(t, 2*time.Second)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	sim.ResetRequestCounts()
	const n = 50
	start := time.Now()
	errs, _ := createMany(t, d, n, image, size, &compute.Location{ID: zone})
	elapsed := time.Since(start)
	for _, err := range errs {
		require.NoError(t, err)
	}
	lists, queries := sim.RequestCount("listAsyncJobs"), sim.RequestCount("queryAsyncJobResult")
	t.Logf("%d creates with 2 s jobs in %v: %d listAsyncJobs, %d queryAsyncJobResult", n, elapsed.Round(time.Millisecond), lists, queries)
	// Polling from 200 ms, a quarter of the time waited, gives about 10
	// polls over 2 s: per job before, per interval now.
	assert.Positive(t, lists)
	assert.LessOrEqual(t, lists, 2*int(elapsed/(180*time.Millisecond)), "one listing per interval at most")
	assert.LessOrEqual(t, queries, n+n/5, "one query per job for its result, not one per job per interval")
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
	assert.Positive(t, sim.RequestCount("listAsyncJobs"), "the jobs were polled together")
}

func TestBatchedPolling_Latency(t *testing.T) {
	// A 1 s job is seen within 1.3 s (the poll after 1 s comes at most a
	// quarter of the time waited later), alone or among others. The
	// assertion leaves room for a loaded CI machine; the log has the figure.
	sim, srv := newSim(t, time.Second)
	d := defaultPollDriver(t, srv.URL, sim.AdminCredentials(), cloudstack.Settings{})
	image, size, zone := catalogue(t, d)
	loc := &compute.Location{ID: zone}
	_, alone := createMany(t, d, 1, image, size, loc)
	_, among := createMany(t, d, 20, image, size, loc)
	t.Logf("1 s job seen after %v alone, %v at worst among 20", alone.Round(time.Millisecond), among.Round(time.Millisecond))
	assert.Less(t, alone, 2*time.Second)
	assert.Less(t, among, 2500*time.Millisecond)
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
