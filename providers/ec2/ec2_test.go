package ec2_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/types"
)

// Fixtures of the simulator's catalogue.
const (
	simImage = "ami-0453ec754f44f9a4a" // Amazon Linux 2023 x86_64
	simSize  = "t3.micro"
	simZone  = "us-east-1a"
	// missingInstance is an instance id of EC2's shape no instance has.
	missingInstance = "i-0deadbeefdeadbeef"
)

// startSim starts a simulator with short transitions on an httptest
// server and fails the test if the simulator hit an internal error.
func startSim(t testing.TB, opts *ec2sim.Options) (*ec2sim.Server, *httptest.Server) {
	t.Helper()
	if opts == nil {
		opts = &ec2sim.Options{}
	}
	if opts.RSAKeyBits == 0 {
		opts.RSAKeyBits = 1024
	}
	if opts.TransitionDelay == 0 {
		opts.TransitionDelay = 5 * time.Millisecond
	}
	sim, err := ec2sim.New(opts)
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		if n := sim.Bugs(); n != 0 {
			t.Errorf("the simulator hit %d internal errors", n)
		}
	})
	return sim, srv
}

// simDriver returns a driver for the simulator through the registry's
// path (Factory with a compute.Config), retrying fast.
func simDriver(t testing.TB, sim *ec2sim.Server, srv *httptest.Server, settings map[string]any) *ec2.Driver {
	t.Helper()
	d, err := ec2.Factory(simConfig(sim, srv, settings))
	require.NoError(t, err)
	return d.(*ec2.Driver)
}

func simConfig(sim *ec2sim.Server, srv *httptest.Server, settings map[string]any) compute.Config {
	return compute.Config{URL: srv.URL, Key: sim.AccessKey(), Secret: sim.SecretKey(), Region: sim.Region(),
		Options: settings, ProviderOptions: &aws.Config{}}
}

// simHarness runs the conformance suite against ec2sim.
type simHarness struct {
	sim *ec2sim.Server
	srv *httptest.Server
}

func newSimHarness(ctx context.Context, t *testing.T) (computetest.Harness, error) {
	sim, srv := startSim(t, nil)
	return &simHarness{sim: sim, srv: srv}, nil
}

func (h *simHarness) MakeDriver(ctx context.Context) (compute.Driver, error) {
	return ec2.Factory(simConfig(h.sim, h.srv, nil))
}

func (h *simHarness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{
		ImageID: simImage, SizeID: simSize, LocationID: simZone, MissingID: missingInstance,
		ResizeSizeID: "t3.small", MaxUserData: ec2.MaxUserData,
		WaitInterval: 5 * time.Millisecond, WaitTimeout: 20 * time.Second,
	}
}

func (h *simHarness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{
		StartStop: true, Volumes: true, Snapshots: true, VolumesFromSnapshots: true,
		KeyPairs: true, Images: true, NodeResize: true, Tags: true, UserData: true, IdempotentCreate: true,
	}
}

// MakeThrottledDriver throttles the simulator to 3 requests per second and
// returns a driver whose SDK retryer makes 3 attempts at most 30 ms
// apart, so that some refusals reach the suite and some calls get through
// however fast or slow (a loaded CI machine) the calls are: the fourth
// call of a window is refused, and twenty refused creates span more than a
// window.
func (h *simHarness) MakeThrottledDriver(ctx context.Context) (compute.Driver, error) {
	h.sim.SetThrottle(ec2sim.Throttle{Max: 3, Interval: time.Second})
	return ec2.Factory(simConfig(h.sim, h.srv, map[string]any{"retry_max_attempts": 3, "retry_max_backoff": "30ms"}))
}

// ReadUserData reads an instance's user data back with
// DescribeInstanceAttribute.
func (h *simHarness) ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error) {
	e, ok := compute.As[*ec2.Driver](d)
	if !ok {
		return nil, fmt.Errorf("driver %T is not an *ec2.Driver", d)
	}
	out, err := e.Client().DescribeInstanceAttribute(ctx, &awsec2.DescribeInstanceAttributeInput{
		InstanceId: aws.String(id), Attribute: ec2types.InstanceAttributeNameUserData})
	if err != nil {
		return nil, err
	}
	if out.UserData == nil {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(aws.ToString(out.UserData.Value))
}

func (h *simHarness) Close() {}

// TestConformance runs the portable conformance suite against ec2sim.
func TestConformance(t *testing.T) {
	computetest.RunConformanceTests(t, newSimHarness, exTests)
}

// exTests check EC2-only behaviour through the suite's wrapper.
var exTests = []computetest.ExTest{
	{Name: "TerminatedSaysSo", Test: func(t *testing.T, h computetest.Harness, d compute.Driver) {
		e, ok := compute.As[*ec2.Driver](d)
		require.True(t, ok)
		n, err := e.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "ex-term", Image: &compute.Image{ID: simImage},
			Size: &compute.Size{ID: simSize}})
		require.NoError(t, err)
		require.NoError(t, e.DestroyNode(t.Context(), n.ID))
		assert.Eventually(t, func() bool {
			_, err := e.GetNode(t.Context(), n.ID)
			var te *ec2.TerminatedError
			return errors.Is(err, compute.ErrNotFound) && errors.As(err, &te) && te.Node.ID == n.ID &&
				te.Node.State == types.NodeStateTerminated
		}, 10*time.Second, 10*time.Millisecond)
	}},
}
