package openstack_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/openstack"
)

// clearOSEnv unsets every OS_* variable the driver reads for the test.
func clearOSEnv(t *testing.T) {
	for _, k := range []string{openstack.EnvCloud, openstack.EnvClientConfigFile, openstack.EnvAuthURL, openstack.EnvUsername,
		openstack.EnvUserID, openstack.EnvPassword, openstack.EnvUserDomainName, openstack.EnvUserDomainID, openstack.EnvProjectName,
		openstack.EnvProjectID, openstack.EnvTenantName, openstack.EnvTenantID, openstack.EnvProjectDomainName,
		openstack.EnvProjectDomainID, openstack.EnvAppCredID, openstack.EnvAppCredName, openstack.EnvAppCredSecret,
		openstack.EnvToken, openstack.EnvRegionName, openstack.EnvInterface, openstack.EnvCACert, openstack.EnvInsecure,
		openstack.EnvComputeAPIVersion, openstack.EnvEndpointTypeDeprecate} {
		t.Setenv(k, "")
	}
}

func TestOpenrcVariablesDriveTheSimulator(t *testing.T) {
	clearOSEnv(t)
	sim, u := startSim(t, nil)
	c := sim.AdminCredentials()
	t.Setenv(openstack.EnvAuthURL, u)
	t.Setenv(openstack.EnvUsername, c.Username)
	t.Setenv(openstack.EnvPassword, c.Password)
	t.Setenv(openstack.EnvProjectName, c.ProjectName)
	t.Setenv(openstack.EnvUserDomainName, c.UserDomainName)
	t.Setenv(openstack.EnvProjectDomainName, c.ProjectDomainName)
	t.Setenv(openstack.EnvRegionName, c.Region)
	d, err := openstack.Factory(compute.Config{})
	require.NoError(t, err)
	_, err = d.ListSizes(t.Context(), nil)
	require.NoError(t, err)
}

func TestCloudsYAMLWithSecureYAML(t *testing.T) {
	clearOSEnv(t)
	sim, u := startSim(t, nil)
	c := sim.AdminCredentials()
	dir := t.TempDir()
	clouds := "clouds:\n  sim:\n    auth:\n      auth_url: " + u + "\n      username: " + c.Username +
		"\n      project_name: " + c.ProjectName + "\n      user_domain_name: Default\n      project_domain_name: Default\n" +
		"    region_name: " + c.Region + "\n    interface: public\n  other:\n    auth: {}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clouds.yaml"), []byte(clouds), 0o600))
	secure := "clouds:\n  sim:\n    auth:\n      password: " + c.Password + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secure.yaml"), []byte(secure), 0o600))
	t.Setenv(openstack.EnvClientConfigFile, filepath.Join(dir, "clouds.yaml"))
	t.Setenv(openstack.EnvCloud, "sim")
	d, err := openstack.New(nil)
	require.NoError(t, err)
	assert.NotContains(t, d.String(), c.Password)
	_, err = d.ListLocations(t.Context())
	require.NoError(t, err)

	t.Setenv(openstack.EnvCloud, "missing")
	_, err = openstack.New(nil)
	require.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "other, sim")
}

func TestVariablesWinOverCloudsYAML(t *testing.T) {
	clearOSEnv(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "clouds.yaml"),
		[]byte("clouds:\n  c:\n    auth:\n      auth_url: http://file/v3\n      username: fileuser\n    region_name: FileRegion\n"), 0o600))
	t.Setenv(openstack.EnvClientConfigFile, filepath.Join(dir, "clouds.yaml"))
	t.Setenv(openstack.EnvRegionName, "EnvRegion")
	o := openstack.Options{Cloud: "c"}
	require.NoError(t, o.FromEnvironment())
	assert.Equal(t, "EnvRegion", o.Region)
	assert.Equal(t, "fileuser", o.Username)
	assert.Equal(t, "http://file/v3", o.AuthURL)
}

func TestNewRefusesBadConfig(t *testing.T) {
	clearOSEnv(t)
	for name, o := range map[string]openstack.Options{
		"no url":              {Username: "u", Password: "p", UserDomainName: "Default"},
		"no password":         {AuthURL: "http://k/v3", Username: "u", UserDomainName: "Default"},
		"no domain":           {AuthURL: "http://k/v3", Username: "u", Password: "p"},
		"app cred w/o secret": {AuthURL: "http://k/v3", ApplicationCredentialID: "x"},
		"bad interface":       {AuthURL: "http://k/v3", Token: "t", Interface: "private"},
		"bad microversion":    {AuthURL: "http://k/v3", Token: "t", ComputeMicroversion: "latest"},
		"credentials in url":  {AuthURL: "http://u:secretpw@k/v3", Token: "t"},
	} {
		_, err := openstack.New(&o)
		require.ErrorIs(t, err, compute.ErrInvalidArgument, name)
		assert.NotContains(t, err.Error(), "secretpw", name)
	}
}

func TestApplicationCredentialFromConfig(t *testing.T) {
	clearOSEnv(t)
	sim, u := startSim(t, nil)
	c := sim.AdminCredentials()
	d, err := openstack.Factory(compute.Config{URL: u, Key: c.ApplicationCredentialID, Secret: c.ApplicationCredentialSecret, Region: c.Region})
	require.NoError(t, err)
	_, err = d.ListNodes(t.Context())
	require.NoError(t, err)
}
