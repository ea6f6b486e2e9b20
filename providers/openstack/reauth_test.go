package openstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/openstack"
)

// TestTokenReissuedAfterExpiry: when Keystone's tokens expire, the next
// call gets a 401, gophercloud reissues the token and the call succeeds.
func TestTokenReissuedAfterExpiry(t *testing.T) {
	sim, u := startSim(t, nil)
	d := simDriver(t, sim, u)
	_, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	before := sim.RequestCount("identity:IssueToken")
	sim.ExpireTokens()
	_, err = d.ListNodes(t.Context())
	require.NoError(t, err)
	assert.Greater(t, sim.RequestCount("identity:IssueToken"), before, "a new token was issued")
}

// TestWrongPasswordIsPermissionDenied: Keystone's 401 maps to
// ErrPermissionDenied and the password is not in the error.
func TestWrongPasswordIsPermissionDenied(t *testing.T) {
	sim, u := startSim(t, nil)
	o := simOptions(u, sim.AdminCredentials())
	o.Password = "wrong-password-xyz"
	d, err := openstack.New(o)
	require.NoError(t, err)
	_, err = d.ListNodes(t.Context())
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	assert.NotContains(t, err.Error(), "wrong-password-xyz")
}

// TestNewDoesNoIO: New does not contact the cloud.
func TestNewDoesNoIO(t *testing.T) {
	sim, u := startSim(t, nil)
	_ = simDriver(t, sim, u)
	assert.Empty(t, sim.RequestCounts())
}
