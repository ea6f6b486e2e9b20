package openstack_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

func init() { openstack.SetResizePoll(5 * time.Millisecond) }

// startSim serves a simulator with the given transition delay on httptest
// and returns it with its Keystone URL.
func startSim(t testing.TB, o *openstacksim.Options) (*openstacksim.Server, string) {
	t.Helper()
	if o == nil {
		o = &openstacksim.Options{}
	}
	if o.KeyBits == 0 {
		o.KeyBits = 1024
	}
	sim := openstacksim.NewServer(o)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL + openstacksim.IdentityPath + "/v3"
}

// simOptions are driver options for a simulator user.
func simOptions(authURL string, cred openstacksim.Credentials) *openstack.Options {
	return &openstack.Options{
		AuthURL: authURL, Username: cred.Username, Password: cred.Password,
		UserDomainName: cred.UserDomainName, ProjectName: cred.ProjectName, ProjectDomainName: cred.ProjectDomainName,
		Region: cred.Region, NoEnvironment: true, ThrottleMaxWait: 5 * time.Second,
	}
}

// simDriver returns a driver for the simulator's admin user.
func simDriver(t testing.TB, sim *openstacksim.Server, authURL string) *openstack.Driver {
	t.Helper()
	d, err := openstack.New(simOptions(authURL, sim.AdminCredentials()))
	require.NoError(t, err)
	return d
}

// simHarness runs the conformance suite on one simulator per subtest.
type simHarness struct {
	sim     *openstacksim.Server
	authURL string
}

func (h *simHarness) MakeDriver(context.Context) (compute.Driver, error) {
	return openstack.New(simOptions(h.authURL, h.sim.AdminCredentials()))
}

func (h *simHarness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{
		ImageID: openstacksim.CirrosImageID, SizeID: "1", LocationID: "nova",
		AddressInterface: compute.PrivateIPs,
		WaitInterval:     5 * time.Millisecond, WaitTimeout: 20 * time.Second,
		MaxUserData: openstack.MaxUserData,
	}
}

func (h *simHarness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{
		StartStop: true, Volumes: true, VolumeResize: true, Snapshots: true, VolumesFromSnapshots: true,
		KeyPairs: true, Images: true, NodeResize: true, Tags: true, UserData: true,
	}
}

func (h *simHarness) Close() {}

// ReadUserData reads OS-EXT-SRV-ATTR:user_data (microversion 2.3+, admin).
func (h *simHarness) ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error) {
	od, ok := compute.As[*openstack.Driver](d)
	if !ok {
		return nil, fmt.Errorf("not an openstack driver: %T", d)
	}
	s, err := od.ExGetServer(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Userdata == nil {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(*s.Userdata)
}

// MakeThrottledDriver throttles the simulator to 3 requests per 100 ms and
// returns a driver that waits at most 20 ms in all after refusals, so that
// refusals reach the suite.
func (h *simHarness) MakeThrottledDriver(context.Context) (compute.Driver, error) {
	h.sim.SetThrottle(openstacksim.Throttle{Max: 3, Interval: 100 * time.Millisecond})
	o := simOptions(h.authURL, h.sim.AdminCredentials())
	o.ThrottleMaxWait = 20 * time.Millisecond
	return openstack.New(o)
}

func TestConformance(t *testing.T) {
	computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
		sim, u := startSim(t, &openstacksim.Options{TransitionDelay: 5 * time.Millisecond})
		return &simHarness{sim: sim, authURL: u}, nil
	}, nil)
}

var _ = gophercloud.ErrUnexpectedResponseCode{}
