package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/types"
)

// isolateAWS points the AWS default configuration at nothing.
func isolateAWS(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(v, "")
	}
}

func TestFactoryRefusals(t *testing.T) {
	isolateAWS(t)
	for what, cfg := range map[string]compute.Config{
		"a token":              {Token: "t", Region: "us-east-1"},
		"a password":           {Username: "u", Password: "p", Region: "us-east-1"},
		"half a key pair":      {Key: "AKID", Region: "us-east-1"},
		"no region":            {Key: "AKID", Secret: "s"},
		"a URL without scheme": {URL: "ec2.example.com", Region: "us-east-1"},
		"foreign options":      {Region: "us-east-1", ProviderOptions: 42},
		"unknown settings":     {Region: "us-east-1", Options: map[string]any{"nope": 1}},
	} {
		_, err := ec2.Factory(cfg)
		assert.ErrorIs(t, err, compute.ErrInvalidArgument, what)
	}
}

// TestFactorySources: the registry finds the factory; region and
// credentials come from the environment (the AWS default chain) when the
// Config has none; an *aws.Config works as ProviderOptions; nothing is
// sent before the first call.
func TestFactorySources(t *testing.T) {
	isolateAWS(t)
	sim, srv := startSim(t, nil)
	f, err := providers.GetDriver(types.ProviderEC2)
	require.NoError(t, err)

	t.Setenv("AWS_REGION", sim.Region())
	t.Setenv("AWS_ACCESS_KEY_ID", sim.AccessKey())
	t.Setenv("AWS_SECRET_ACCESS_KEY", sim.SecretKey())
	d, err := f(compute.Config{URL: srv.URL})
	require.NoError(t, err)
	assert.Equal(t, 0, sim.RequestCount("DescribeAvailabilityZones")+sim.RequestCount(""), "the factory sent a request")
	assert.Equal(t, sim.Region(), d.(*ec2.Driver).Region())
	locs, err := d.ListLocations(t.Context())
	require.NoError(t, err)
	assert.NotEmpty(t, locs)

	isolateAWS(t)
	base := aws.Config{Region: sim.Region(), Credentials: credentials.NewStaticCredentialsProvider(sim.AccessKey(), sim.SecretKey(), "")}
	d, err = f(compute.Config{URL: srv.URL, ProviderOptions: &base})
	require.NoError(t, err)
	_, err = d.ListLocations(t.Context())
	require.NoError(t, err)

	// Config's fields override the aws.Config's.
	d, err = f(compute.Config{URL: srv.URL, Region: "us-east-1", Key: sim.AccessKey(), Secret: "wrong", ProviderOptions: base})
	require.NoError(t, err)
	_, err = d.ListLocations(t.Context())
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
}

func TestCreateNodeRefusals(t *testing.T) {
	sim, srv := startSim(t, nil)
	d := simDriver(t, sim, srv, nil)
	req := request("pw")
	req.Auth = compute.NodeAuthPassword("hunter2-secret")
	_, err := d.CreateNode(t.Context(), req)
	require.ErrorIs(t, err, compute.ErrNotSupported)
	assert.NotContains(t, err.Error(), "hunter2")
	req = request("nets")
	req.Networks = []string{"subnet-1", "subnet-2"}
	_, err = d.CreateNode(t.Context(), req)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Equal(t, 0, sim.RequestCount("RunInstances"))
}
