package ec2_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

func request(name string) *compute.CreateNodeRequest {
	return &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: simImage}, Size: &compute.Size{ID: simSize},
		Location: &compute.Location{ID: simZone}}
}

// countNamed returns how many live instances are named name.
func countNamed(t *testing.T, d *ec2.Driver, name string) int {
	t.Helper()
	nodes, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	n := 0
	for _, node := range nodes {
		if node.Name == name {
			n++
		}
	}
	return n
}

// TestCreateResendSameKey: a create resent with the same IdempotencyKey
// (the same ClientToken) gives the first instance, not a second.
func TestCreateResendSameKey(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	req := request("idem")
	req.IdempotencyKey = "order-42"
	first, err := d.CreateNode(t.Context(), req)
	require.NoError(t, err)
	again, err := d.CreateNode(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, 1, countNamed(t, d, "idem"))
	assert.Equal(t, "order-42", first.Extra["client_token"])

	// A key longer than EC2's 64 characters maps to the same token each time.
	req = request("idem-long")
	req.IdempotencyKey = string(make([]byte, 100)) + "é"
	a, err := d.CreateNode(t.Context(), req)
	require.NoError(t, err)
	b, err := d.CreateNode(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, a.ID, b.ID)
	assert.LessOrEqual(t, len(a.Extra["client_token"].(string)), 64)
}

// TestCreateLostAnswer: the simulator starts the instance and drops the
// connection before answering; the SDK's retryer sends RunInstances
// again with the same ClientToken and gets the same instance: one instance.
func TestCreateLostAnswer(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, map[string]any{"retry_max_backoff": "10ms"})
	sim.InjectFault("RunInstances", ec2sim.Fault{Kind: ec2sim.FaultDropAfter, Times: 1})
	n, err := d.CreateNode(t.Context(), request("lost"))
	require.NoError(t, err)
	assert.Equal(t, 2, sim.RequestCount("RunInstances"), "the SDK should have resent RunInstances once")
	assert.Equal(t, 1, countNamed(t, d, "lost"))
	got, err := d.GetNode(t.Context(), n.ID)
	require.NoError(t, err)
	assert.Equal(t, "lost", got.Name)

	// Without retries the outcome is unknown: the error says so and names
	// the token to resend with, and resending gets the same instance.
	d1 := simDriver(t, sim, srv, map[string]any{"retry_max_attempts": 1})
	sim.InjectFault("RunInstances", ec2sim.Fault{Kind: ec2sim.FaultDropAfter, Times: 1})
	req := request("lost-once")
	req.IdempotencyKey = "resend-me"
	_, err = d1.CreateNode(t.Context(), req)
	require.ErrorIs(t, err, compute.ErrUnavailable)
	assert.Contains(t, err.Error(), `IdempotencyKey "resend-me"`)
	_, err = d1.CreateNode(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, 1, countNamed(t, d, "lost-once"))
}

// TestNewInstanceBrieflyUnknown: right after a create EC2 may not know the
// new id yet; the driver retries for a while instead of saying not found.
// An id it did not create gets no such grace.
func TestNewInstanceBrieflyUnknown(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	n, err := d.CreateNode(t.Context(), request("fresh"))
	require.NoError(t, err)
	notFound := ec2sim.Fault{Status: 400, Code: "InvalidInstanceID.NotFound", Message: "The instance ID '" + n.ID + "' does not exist", Times: 2}
	sim.InjectFault("DescribeInstances", notFound)
	got, err := d.GetNode(t.Context(), n.ID)
	require.NoError(t, err)
	assert.Equal(t, n.ID, got.ID)
	sim.InjectFault("StopInstances", notFound)
	require.NoError(t, d.StopNode(t.Context(), n.ID))

	other := simDriver(t, sim, srv, nil)
	sim.InjectFault("DescribeInstances", ec2sim.Fault{Status: 400, Code: "InvalidInstanceID.NotFound", Times: 1})
	_, err = other.GetNode(t.Context(), n.ID)
	require.ErrorIs(t, err, compute.ErrNotFound)
}

// TestErrorsKeepTheAPIError: the AWS error (code, message, request id) is
// reachable through errors.As.
func TestErrorsKeepTheAPIError(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	_, err := d.GetNode(t.Context(), missingInstance)
	require.ErrorIs(t, err, compute.ErrNotFound)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "InvalidInstanceID.NotFound", ae.ErrorCode())
	assert.Contains(t, ae.ErrorMessage(), missingInstance)
	assert.Contains(t, err.Error(), "RequestID: ")

	_, err = d.ImportKeyPair(t.Context(), "dup", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3Y8TqrHnzfp1Jm1MrCTFb3Gj4t5a/8kqZ+9GsoYgQ8 a")
	require.NoError(t, err)
	_, err = d.ImportKeyPair(t.Context(), "dup", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3Y8TqrHnzfp1Jm1MrCTFb3Gj4t5a/8kqZ+9GsoYgQ8 a")
	require.ErrorIs(t, err, compute.ErrAlreadyExists)

	wrong, err := ec2.Factory(compute.Config{URL: srv.URL, Key: sim.AccessKey(), Secret: "wrong", Region: sim.Region()})
	require.NoError(t, err)
	_, err = wrong.ListNodes(t.Context())
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	assert.NotContains(t, err.Error(), "wrong")

	sim.SetInstanceLimit(1)
	_, err = d.CreateNode(t.Context(), request("one"))
	require.NoError(t, err)
	_, err = d.CreateNode(t.Context(), request("two"))
	require.ErrorIs(t, err, compute.ErrQuotaExceeded)

	n, err := d.CreateNode(t.Context(), request("one")) // same limit: refused
	if err == nil {
		t.Fatalf("a second instance %s was started over the limit", n.ID)
	}
	sim.SetInstanceLimit(0)
	sim.SetThrottle(ec2sim.Throttle{Max: 1, Interval: time.Minute})
	throttled := simDriver(t, sim, srv, map[string]any{"retry_max_attempts": 1})
	_, _ = throttled.ListLocations(t.Context())
	_, err = throttled.ListLocations(t.Context())
	require.ErrorIs(t, err, compute.ErrThrottled)
}

// TestKindOfCode checks the error table.
func TestKindOfCode(t *testing.T) {
	for code, want := range map[string]error{
		"InvalidInstanceID.NotFound":   compute.ErrNotFound,
		"InvalidVolume.NotFound":       compute.ErrNotFound,
		"InvalidAMIID.Malformed":       compute.ErrNotFound,
		"InvalidKeyPair.Duplicate":     compute.ErrAlreadyExists,
		"InvalidGroup.Duplicate":       compute.ErrAlreadyExists,
		"RequestLimitExceeded":         compute.ErrThrottled,
		"Throttling":                   compute.ErrThrottled,
		"UnauthorizedOperation":        compute.ErrPermissionDenied,
		"AuthFailure":                  compute.ErrPermissionDenied,
		"InstanceLimitExceeded":        compute.ErrQuotaExceeded,
		"VcpuLimitExceeded":            compute.ErrQuotaExceeded,
		"SomethingNewLimitExceeded":    compute.ErrQuotaExceeded,
		"IncorrectInstanceState":       compute.ErrConflict,
		"VolumeInUse":                  compute.ErrConflict,
		"InvalidParameterValue":        compute.ErrInvalidArgument,
		"MissingParameter":             compute.ErrInvalidArgument,
		"InvalidUserData.Malformed":    compute.ErrInvalidArgument,
		"UnsupportedOperation":         compute.ErrNotSupported,
		"InsufficientInstanceCapacity": compute.ErrUnavailable,
		"InternalError":                compute.ErrUnavailable,
	} {
		assert.Equal(t, want, ec2.KindOfCode(code, 400), code)
	}
	assert.Equal(t, compute.ErrUnavailable, ec2.KindOfCode("NeverHeardOf", 503))
	assert.Equal(t, compute.ErrInvalidArgument, ec2.KindOfCode("NeverHeardOf", 400))
}
