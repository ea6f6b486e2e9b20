package cloudstack_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/types"
)

// simHarness runs the conformance suite against cloudstacksim served by
// httptest, with short job delays and polls.
type simHarness struct {
	sim     *cloudstacksim.Server
	srv     *httptest.Server
	cred    cloudstacksim.Credentials
	fixture computetest.Fixtures
}

// simSettings are fast settings for a simulator with millisecond jobs.
func simSettings() cloudstack.Settings {
	return cloudstack.Settings{
		JobPollInterval: 2 * time.Millisecond, JobPollMaxInterval: 10 * time.Millisecond,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	}
}

// newSim starts a simulator with the given job delay.
func newSim(t testing.TB, jobDelay time.Duration) (*cloudstacksim.Server, *httptest.Server) {
	t.Helper()
	return startSim(t, &cloudstacksim.Options{JobDelay: jobDelay})
}

// simDriver connects a driver to a simulator with cred.
func simDriver(t testing.TB, srv *httptest.Server, cred cloudstacksim.Credentials) *cloudstack.Driver {
	t.Helper()
	d, err := cloudstack.New(&cloudstack.Options{URL: srv.URL + cloudstacksim.DefaultPath, Key: cred.APIKey, Secret: cred.SecretKey, Settings: simSettings()})
	require.NoError(t, err)
	return d
}

// catalogue returns the ids of the seeded tiny Linux template, tinyOffering
// and first zone.
func catalogue(t testing.TB, d *cloudstack.Driver) (image, size, zone string) {
	t.Helper()
	ids := lookupSimIDs(t, d)
	return ids.image, ids.size, ids.zone1
}

func newSimHarness(user bool) computetest.HarnessMaker {
	return func(ctx context.Context, t *testing.T) (computetest.Harness, error) {
		sim, srv := newSim(t, 5*time.Millisecond)
		cred := sim.AdminCredentials()
		if user {
			cred = sim.UserCredentials()
		}
		h := &simHarness{sim: sim, srv: srv, cred: cred}
		image, size, zone := catalogue(t, simDriver(t, srv, cred))
		h.fixture = computetest.Fixtures{
			ImageID: image, SizeID: size, LocationID: zone,
			AddressInterface: compute.PrivateIPs, // simulated guest networks are private
			WaitInterval:     5 * time.Millisecond, WaitTimeout: 20 * time.Second,
			// 32768 base64 characters, the server's default limit.
			MaxUserData: cloudstack.DefaultUserDataMaxLength / 4 * 3,
		}
		return h, nil
	}
}

func (h *simHarness) MakeDriver(ctx context.Context) (compute.Driver, error) {
	return cloudstack.New(&cloudstack.Options{URL: h.srv.URL + cloudstacksim.DefaultPath, Key: h.cred.APIKey, Secret: h.cred.SecretKey, Settings: simSettings()})
}

func (h *simHarness) Fixtures() computetest.Fixtures { return h.fixture }

func (h *simHarness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{
		StartStop: true, Volumes: true, VolumeResize: true, Snapshots: true, VolumesFromSnapshots: true,
		KeyPairs: true, Images: true, NodeResize: true, Tags: true, UserData: true,
	}
}

// MakeThrottledDriver throttles the simulator to 3 requests per 100 ms
// window for the harness's account and returns a driver that gives up at
// the first refusal (ThrottleMaxWait negative), so that refusals reach the
// suite (computetest.ThrottlingHarness).
func (h *simHarness) MakeThrottledDriver(ctx context.Context) (compute.Driver, error) {
	h.sim.SetThrottle(cloudstacksim.Throttle{Max: 3, Interval: 100 * time.Millisecond})
	settings := simSettings()
	settings.ThrottleMaxWait = -1
	return cloudstack.New(&cloudstack.Options{URL: h.srv.URL + cloudstacksim.DefaultPath, Key: h.cred.APIKey, Secret: h.cred.SecretKey, Settings: settings})
}

// ReadUserData reads a VM's user data back with listVirtualMachines
// userdata=true (computetest.UserDataReader).
func (h *simHarness) ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error) {
	cs, ok := compute.As[*cloudstack.Driver](d)
	if !ok {
		return nil, fmt.Errorf("driver %T is not a *cloudstack.Driver", d)
	}
	raw, err := cs.ExRawRequest(ctx, "listVirtualMachines", url.Values{"id": {id}, "userdata": {"true"}, "listall": {"true"}})
	if err != nil {
		return nil, err
	}
	var out struct {
		VirtualMachine []struct {
			UserData string `json:"userdata"`
		} `json:"virtualmachine"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	if len(out.VirtualMachine) != 1 {
		return nil, fmt.Errorf("listVirtualMachines id=%s gave %d VMs", id, len(out.VirtualMachine))
	}
	return base64.StdEncoding.DecodeString(out.VirtualMachine[0].UserData)
}

func (h *simHarness) Close() {}

// exTests reach the Ex methods through the suite's wrapper with compute.As.
var exTests = []computetest.ExTest{
	{Name: "StartStop", Test: func(t *testing.T, h computetest.Harness, d compute.Driver) {
		cs, ok := compute.As[*cloudstack.Driver](d)
		require.True(t, ok)
		f := h.Fixtures()
		n, err := cs.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "ex-startstop", Image: &compute.Image{ID: f.ImageID},
			Size: &compute.Size{ID: f.SizeID}, Location: &compute.Location{ID: f.LocationID}})
		require.NoError(t, err)
		defer cs.ExDestroyNode(context.WithoutCancel(t.Context()), n.ID, &cloudstack.DestroyNodeOptions{Expunge: true})
		state, err := cs.ExStop(t.Context(), n.ID, &cloudstack.StopOptions{Forced: true})
		require.NoError(t, err)
		assert.Equal(t, "Stopped", state)
		state, err = cs.ExStart(t.Context(), n.ID)
		require.NoError(t, err)
		assert.Equal(t, "Running", state)
	}},
	{Name: "RawRequest", Test: func(t *testing.T, h computetest.Harness, d compute.Driver) {
		cs, _ := compute.As[*cloudstack.Driver](d)
		raw, err := cs.ExRawRequest(t.Context(), "listZones", nil)
		require.NoError(t, err)
		assert.Contains(t, string(raw), cloudstacksim.ZoneName1)
		_, err = cs.ExRawRequest(t.Context(), "listVirtualMachines", map[string][]string{"id": {computetest.DefaultMissingID}})
		assert.ErrorIs(t, err, compute.ErrNotFound)
	}},
}

// TestConformance runs the portable conformance suite against the
// simulator, as the root admin (who sees destroyed VMs until they are
// expunged) and as a normal user.
func TestConformance(t *testing.T) {
	t.Run("admin", func(t *testing.T) { computetest.RunConformanceTests(t, newSimHarness(false), exTests) })
	t.Run("user", func(t *testing.T) { computetest.RunConformanceTests(t, newSimHarness(true), nil) })
}

// TestConformanceLive runs the suite against a real CloudStack when
// CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY are set
// (and CLOUDSTACK_IMAGE_ID, CLOUDSTACK_SIZE_ID, CLOUDSTACK_ZONE_ID name what
// to create nodes from; CLOUDSTACK_CAPABILITIES lists the optional features
// to exercise, comma-separated: startstop,volumes,resize,snapshots,
// volumesfromsnapshots,keypairs,images).
func TestConformanceLive(t *testing.T) {
	url, key, secret := os.Getenv("CLOUDSTACK_API_URL"), os.Getenv("CLOUDSTACK_API_KEY"), os.Getenv("CLOUDSTACK_SECRET_KEY")
	if url == "" || key == "" || secret == "" {
		t.Skip("CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY are not set")
	}
	caps := map[string]bool{}
	for _, c := range strings.Split(os.Getenv("CLOUDSTACK_CAPABILITIES"), ",") {
		caps[strings.TrimSpace(strings.ToLower(c))] = true
	}
	computetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (computetest.Harness, error) {
		return &liveHarness{url: url, key: key, secret: secret, caps: caps}, nil
	}, exTests)
}

type liveHarness struct {
	url, key, secret string
	caps             map[string]bool
}

func (h *liveHarness) MakeDriver(ctx context.Context) (compute.Driver, error) {
	return cloudstack.New(&cloudstack.Options{URL: h.url, Key: h.key, Secret: h.secret})
}

func (h *liveHarness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{
		ImageID: os.Getenv("CLOUDSTACK_IMAGE_ID"), SizeID: os.Getenv("CLOUDSTACK_SIZE_ID"), LocationID: os.Getenv("CLOUDSTACK_ZONE_ID"),
		AddressInterface: compute.AddressInterface(os.Getenv("CLOUDSTACK_ADDRESS_INTERFACE")),
		WaitInterval:     5 * time.Second, WaitTimeout: 15 * time.Minute, ParallelCreates: 2,
	}
}

func (h *liveHarness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{
		StartStop: h.caps["startstop"], Volumes: h.caps["volumes"], VolumeResize: h.caps["resize"],
		Snapshots: h.caps["snapshots"], VolumesFromSnapshots: h.caps["volumesfromsnapshots"],
		KeyPairs: h.caps["keypairs"], Images: h.caps["images"],
	}
}

func (h *liveHarness) Close() {}

// TestSim_FaultsReadsRetried: reads recover from every transient fault the
// simulator injects.
func TestSim_FaultsReadsRetried(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.AdminCredentials())
	for _, f := range []cloudstacksim.Fault{
		{Kind: cloudstacksim.FaultDropBefore, Times: 2},
		{Kind: cloudstacksim.FaultTruncatedBody, Times: 2},
		{Kind: cloudstacksim.FaultMalformedJSON, Times: 2},
		{Kind: cloudstacksim.FaultError, Status: 503, Times: 2},
		{Kind: cloudstacksim.FaultError, Status: 429, Text: "The given user has reached his/her account api limit, please retry after [2] ms.", Times: 2},
	} {
		t.Run(fmt.Sprint(f.Kind, f.Status), func(t *testing.T) {
			sim.ResetRequestCounts()
			sim.InjectFault("listZones", f)
			locs, err := d.ListLocations(t.Context())
			require.NoError(t, err)
			assert.Len(t, locs, 2)
			assert.Equal(t, 3, sim.RequestCount("listZones"))
		})
	}
}

// TestSim_DroppedDeploySentOnce: a deploy whose answer is lost is not sent
// again; the error matches ErrUnavailable, names the command and carries
// the id of the VM that exists.
func TestSim_DroppedDeploySentOnce(t *testing.T) {
	for _, kind := range []cloudstacksim.FaultKind{cloudstacksim.FaultDropAfter, cloudstacksim.FaultTruncatedBody, cloudstacksim.FaultMalformedJSON} {
		t.Run(fmt.Sprint(kind), func(t *testing.T) {
			sim, srv := newSim(t, 0)
			d := simDriver(t, srv, sim.AdminCredentials())
			image, size, zone := catalogue(t, d)
			sim.ResetRequestCounts()
			sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: kind, Times: 1})
			_, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "dropped", Image: &compute.Image{ID: image},
				Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
			require.Error(t, err)
			assert.Equal(t, 1, sim.RequestCount("deployVirtualMachine"), "a deploy is never sent twice")
			assert.ErrorIs(t, err, compute.ErrUnavailable)
			assert.Contains(t, err.Error(), "deployVirtualMachine")
			var ce *compute.Error
			require.ErrorAs(t, err, &ce)
			nodes, lerr := d.ExListNodes(t.Context(), &cloudstack.ListNodesOptions{Name: "dropped"})
			require.NoError(t, lerr)
			require.Len(t, nodes, 1, "the deploy took effect")
			assert.Equal(t, nodes[0].ID, ce.ID, "the error names the VM that exists")
		})
	}
}

// TestSim_StateChangingFaultsSentOnce: a state-changing command is sent
// once whatever the fault (connection dropped, 503): nothing tells the
// driver that it did not run. (A 429 does: see TestReliabilityWritesThrottled.)
func TestSim_StateChangingFaultsSentOnce(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.AdminCredentials())
	image, size, zone := catalogue(t, d)
	n, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "victim", Image: &compute.Image{ID: image},
		Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
	require.NoError(t, err)
	for _, f := range []cloudstacksim.Fault{
		{Kind: cloudstacksim.FaultDropBefore, Times: 1},
		{Kind: cloudstacksim.FaultError, Status: 503, Times: 1},
	} {
		sim.ResetRequestCounts()
		sim.InjectFault("rebootVirtualMachine", f)
		err := d.RebootNode(t.Context(), n.ID)
		assert.ErrorIs(t, err, compute.ErrUnavailable, "%v", f)
		assert.Equal(t, 1, sim.RequestCount("rebootVirtualMachine"), "%v", f)
		assert.Contains(t, err.Error(), n.ID)
	}
}

// TestSim_JobFailureKeepsCodes: a failed job gives the job's errorcode and
// errortext, and CreateNode's error names the VM created at submit.
func TestSim_JobFailureKeepsCodes(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.AdminCredentials())
	image, size, zone := catalogue(t, d)
	sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultJobError, Status: 533, CSErrorCode: 4325, Text: "no capacity", Times: 1})
	_, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "nocap", Image: &compute.Image{ID: image},
		Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
	var ae *cloudstack.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 533, ae.ErrorCode)
	assert.Equal(t, "no capacity", ae.ErrorText)
	assert.NotEmpty(t, ae.JobID)
	assert.ErrorIs(t, err, compute.ErrQuotaExceeded)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.NotEmpty(t, ce.ID)
}

// TestSim_JobTimeoutNamesVM: a deploy still running when the job timeout
// passes reports the VM's id and matches context.DeadlineExceeded.
func TestSim_JobTimeoutNamesVM(t *testing.T) {
	sim, srv := newSim(t, time.Hour)
	cred := sim.AdminCredentials()
	s := simSettings()
	s.JobTimeout = 50 * time.Millisecond
	d, err := cloudstack.New(&cloudstack.Options{URL: srv.URL + cloudstacksim.DefaultPath, Key: cred.APIKey, Secret: cred.SecretKey, Settings: s})
	require.NoError(t, err)
	image, size, zone := catalogue(t, d)
	_, err = d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "slow", Image: &compute.Image{ID: image},
		Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}})
	assert.ErrorIs(t, err, compute.ErrUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pe *cloudstack.JobPendingError
	require.ErrorAs(t, err, &pe)
	nodes, lerr := d.ExListNodes(t.Context(), &cloudstack.ListNodesOptions{Name: "slow"})
	require.NoError(t, lerr)
	require.Len(t, nodes, 1)
	assert.Equal(t, nodes[0].ID, pe.ResourceID())
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, nodes[0].ID, ce.ID)
}

// TestSim_PagingAndStreaming lists more VMs than one page holds, in full and
// streamed, and with the address lookups.
func TestSim_PagingAndStreaming(t *testing.T) {
	sim, srv := newSim(t, 0)
	require.NoError(t, sim.PopulateVMs(1234))
	d := simDriver(t, srv, sim.AdminCredentials())
	nodes, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	require.Len(t, nodes, 1234)
	seen := map[string]bool{}
	for _, n := range nodes {
		assert.False(t, seen[n.ID], "duplicate %s", n.ID)
		seen[n.ID] = true
		assert.Equal(t, types.NodeStateRunning, n.State)
		assert.NotEmpty(t, n.PrivateIPs)
	}
	streamed := 0
	for n, err := range d.ExIterNodes(t.Context(), nil) {
		require.NoError(t, err)
		require.True(t, seen[n.ID])
		streamed++
	}
	assert.Equal(t, 1234, streamed)
	assert.Equal(t, 6, sim.RequestCount("listVirtualMachines"), "3 pages of 500 listed, then the same 3 streamed")
}

// TestSim_CreateNodeFeatures: the generated password comes back in Extra,
// an SSH key is installed through a key pair, and large user data is
// POSTed.
func TestSim_CreateNodeFeatures(t *testing.T) {
	sim, srv := newSim(t, 0)
	d := simDriver(t, srv, sim.AdminCredentials())
	_, size, zone := catalogue(t, d)
	images, err := d.ListImages(t.Context(), &compute.Location{ID: zone})
	require.NoError(t, err)
	var pwImage string
	for _, i := range images {
		if i.Extra["password_enabled"] == true && i.Extra["is_ready"] == true {
			pwImage = i.ID
		}
	}
	require.NotEmpty(t, pwImage)
	userData := strings.Repeat("#cloud-config\n", 1000) // 14 KB: too big for GET
	key := "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7hsOcrVVxIY8ZAk49oEv3CpgMXD4o/6o9nXzv25cTTUzisRCAGpX8XUmMQzkZeVcKy8Kxkvt1q2CW0mrQH5DVZ9w8oZgTmbL5Fd7PuS5WxZnYX7uGcHOO8YU1STFe29UcdXUFgzFfcwSxqapScgaQrD//3913UwJOfilG18CbBvM6/DYxWRz7XCnTfr9vtyeiDo4+EJCykqSnguLabrbqBXSSEAstu358S9Z4V+dWV1vWGtdyQzwwnHhRh1bZOqDVw1n8WwwSlyEl4HerRRr9t6jwBn26HzgkVTJAhWj6EZ+m2WOxh6bdODexlhHAsZcB6kbQxqpKPnmTevxubq4t me"
	n, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{
		Name: "pw", Image: &compute.Image{ID: pwImage}, Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone},
		Auth: compute.NodeAuthSSHKey(key), ProviderOptions: &cloudstack.CreateNodeOptions{UserData: userData, DisplayName: "Password VM"},
	})
	require.NoError(t, err)
	assert.NotEmpty(t, n.Extra["password"], "the generated password")
	assert.Regexp(t, `^goclouds-`, n.Extra["key_name"])
	kp, err := d.GetKeyPair(t.Context(), n.Extra["key_name"].(string))
	require.NoError(t, err)
	assert.Equal(t, "0d:b2:c0:d9:0d:87:0c:8f:b0:e6:fc:96:bd:89:82:b4", kp.Fingerprint)

	// The same key again reuses the key pair.
	n2, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{
		Name: "pw2", Image: &compute.Image{ID: pwImage}, Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone},
		Auth: compute.NodeAuthSSHKey(key),
	})
	require.NoError(t, err)
	assert.Equal(t, n.Extra["key_name"], n2.Extra["key_name"])
	assert.Equal(t, 1, sim.RequestCount("registerSSHKeyPair"))

	// Without a location: the first zone, as Libcloud.
	n3, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "nozone", Image: &compute.Image{ID: pwImage}, Size: &compute.Size{ID: size}})
	require.NoError(t, err)
	locs, err := d.ListLocations(t.Context())
	require.NoError(t, err)
	assert.Equal(t, locs[0].ID, n3.Location.ID)
}
