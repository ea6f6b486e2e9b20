package cloudstack_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// TestEndpointPath: a trailing slash after the API path works (the real
// servlet is mapped to /api/*, the simulator trims it); a path with no API
// behind it (the web server's 404) says to check the path.
func TestEndpointPath(t *testing.T) {
	sim, srv := newSim(t, 0)
	cred := sim.UserCredentials()
	connect := func(path string) *cloudstack.Driver {
		d, err := cloudstack.New(&cloudstack.Options{URL: srv.URL + path, Key: cred.APIKey, Secret: cred.SecretKey, Settings: simSettings()})
		require.NoError(t, err)
		return d
	}
	zones, err := connect(cloudstacksim.DefaultPath + "/").ListLocations(t.Context())
	require.NoError(t, err)
	assert.Len(t, zones, 2)

	for _, path := range []string{"/client", "/", "/client/api/v2"} {
		_, err = connect(path).ListLocations(t.Context())
		require.ErrorIs(t, err, compute.ErrInvalidArgument, path)
		assert.Contains(t, err.Error(), "check its path, usually /client/api", path)
		var ae *cloudstack.APIError
		require.True(t, errors.As(err, &ae), path)
		assert.Equal(t, 404, ae.HTTPStatus)
	}
}
