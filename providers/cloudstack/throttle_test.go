package cloudstack_test

import (
	"context"
	"errors"
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

// throttledDriver connects a driver with cred and the test settings changed
// by mod.
func throttledDriver(t testing.TB, url string, cred cloudstacksim.Credentials, mod func(*cloudstack.Settings)) *cloudstack.Driver {
	t.Helper()
	s := simSettings()
	if mod != nil {
		mod(&s)
	}
	d, err := cloudstack.New(&cloudstack.Options{URL: url, Key: cred.APIKey, Secret: cred.SecretKey, Settings: s})
	require.NoError(t, err)
	return d
}

// TestThrottle_BudgetExhausted: a deploy refused for rate past
// ThrottleMaxWait gives ErrThrottled (not ErrUnavailable) with the server's
// 429 APIError, and no VM exists: every attempt was refused before running.
func TestThrottle_BudgetExhausted(t *testing.T) {
	t.Parallel()
	sim, srv := newSim(t, 0)
	url := srv.URL + cloudstacksim.DefaultPath
	image, size, zone := catalogue(t, simDriver(t, srv, sim.AdminCredentials()))
	d := throttledDriver(t, url, sim.AdminCredentials(), func(s *cloudstack.Settings) { s.ThrottleMaxWait = 300 * time.Millisecond })
	sim.ResetRequestCounts()
	sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Status: 429, CSErrorCode: 9999,
		Text: "The given user has reached his/her account api limit, please retry after [100] ms."})
	t.Cleanup(sim.ClearFaults)
	start := time.Now()
	_, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "refused", Image: &compute.Image{ID: image},
		Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
	t.Logf("CreateNode took %s", time.Since(start))
	assert.Less(t, time.Since(start), 5*time.Second, "the budget bounds the wait")
	assert.ErrorIs(t, err, compute.ErrThrottled)
	assert.NotErrorIs(t, err, compute.ErrUnavailable)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "CreateNode", ce.Op)
	var ae *cloudstack.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 429, ae.ErrorCode)
	assert.Equal(t, 429, ae.HTTPStatus)
	assert.Equal(t, 9999, ae.CSErrorCode)
	n := sim.RequestCount("deployVirtualMachine")
	// 100 ms waits in a 300 ms budget: 3 or 4 sends on an idle machine, at
	// least 2 on a loaded one (slow answers eat the budget), never more
	// than the budget allows.
	assert.GreaterOrEqual(t, n, 2, "retried within the budget")
	assert.LessOrEqual(t, n, 5, "and no more")
	sim.ClearFaults()
	nodes, lerr := d.ExListNodes(t.Context(), &cloudstack.ListNodesOptions{Name: "refused"})
	require.NoError(t, lerr)
	assert.Empty(t, nodes, "nothing ran")
}

// TestThrottle_PacingHoldsRate: Options.RateLimit bounds every request of
// the driver together (listings with their look-ups, from 8 goroutines):
// over 5 s the simulator sees the paced rate within 10%. The limiter can
// only be slow on a loaded machine, never fast; 8 goroutines asking
// without pause keep it busy.
func TestThrottle_PacingHoldsRate(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("5 s")
	}
	sim, srv := newSim(t, 0)
	const perSecond, window = 20.0, 5 * time.Second
	d := throttledDriver(t, srv.URL+cloudstacksim.DefaultPath, sim.AdminCredentials(), func(s *cloudstack.Settings) { s.RateLimit = perSecond })
	ctx, cancel := context.WithTimeout(t.Context(), window)
	defer cancel()
	sim.ResetRequestCounts()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := d.ListNodes(ctx); err != nil && ctx.Err() == nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, n := range sim.RequestCounts() {
		total += n
	}
	want := perSecond*window.Seconds() + 1 // the burst of 1, then the rate
	assert.InEpsilon(t, want, float64(total), 0.10, "%d requests in %s at %g/s", total, window, perSecond)
}

// TestThrottle_BurstSettles: 100 concurrent creates on one driver against a
// simulator throttled at 25 requests/s for the account: every create
// succeeds, each VM exists once, and the driver, learning the limit, is
// refused only a bounded number of times (about 10; the bound is generous).
func TestThrottle_BurstSettles(t *testing.T) {
	t.Parallel()
	sim, srv := newSim(t, 200*time.Millisecond)
	cred := sim.UserCredentials()
	url := srv.URL + cloudstacksim.DefaultPath
	image, size, zone := catalogue(t, simDriver(t, srv, cred))
	d := throttledDriver(t, url, cred, func(s *cloudstack.Settings) {
		s.JobPollInterval, s.JobPollMaxInterval = 200*time.Millisecond, time.Second
	})
	sim.SetThrottle(cloudstacksim.Throttle{Max: 25, Interval: time.Second})
	sim.ResetRequestCounts()
	const n = 100
	var failed atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: fmt.Sprintf("burst-%03d", i),
				Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
			if err != nil {
				failed.Add(1)
				t.Error(err)
			}
		})
	}
	wg.Wait()
	refused := sim.ThrottledCount()
	counts := sim.RequestCounts()
	t.Logf("refused %d, requests %v", refused, counts)
	assert.Zero(t, failed.Load())
	assert.Less(t, refused, 30, "the driver learns the limit instead of hammering it")
	deploys := counts["deployVirtualMachine"]
	assert.GreaterOrEqual(t, deploys, n)
	assert.LessOrEqual(t, deploys-n, refused, "a deploy is sent again only when refused")
	sim.SetThrottle(cloudstacksim.Throttle{})
	nodes, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	names := map[string]int{}
	for _, nd := range nodes {
		names[nd.Name]++
	}
	for i := range n {
		assert.Equal(t, 1, names[fmt.Sprintf("burst-%03d", i)], "burst-%03d exists once", i)
	}
}

// TestThrottle_SettingsByName: the throttling settings are set through
// compute.Config.Options by their documented names; bad values are typed.
func TestThrottle_SettingsByName(t *testing.T) {
	var s cloudstack.Settings
	require.NoError(t, cloudstack.DecodeSettings(map[string]any{"rate_limit": "12.5", "rate_burst": 3, "throttle_max_wait": "30s"}, &s))
	assert.Equal(t, 12.5, s.RateLimit)
	assert.Equal(t, 3, s.RateBurst)
	assert.Equal(t, 30*time.Second, s.ThrottleMaxWait)
	_, err := cloudstack.New(&cloudstack.Options{URL: "http://127.0.0.1:1/client/api", Key: "k", Secret: "s", Settings: cloudstack.Settings{RateLimit: -1}})
	assert.True(t, errors.Is(err, compute.ErrInvalidArgument), "%v", err)
	d, err := cloudstack.New(&cloudstack.Options{URL: "http://127.0.0.1:1/client/api", Key: "k", Secret: "s"})
	require.NoError(t, err)
	assert.Equal(t, 2*time.Minute, d.Settings().ThrottleMaxWait, "the default")
}
