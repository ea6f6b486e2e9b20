package cloudstack

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

func TestNew_Endpoints(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		want string
		p    types.Provider
	}{
		{"url", Options{URL: "https://cloud.example.com/client/api"}, "https://cloud.example.com/client/api", types.ProviderCloudStack},
		{"url without path", Options{URL: "http://10.0.0.1:8080"}, "http://10.0.0.1:8080/client/api", types.ProviderCloudStack},
		{"url keeps http", Options{URL: "http://ms:8080/client/api"}, "http://ms:8080/client/api", types.ProviderCloudStack},
		{"libcloud host/path", Options{Host: "api.dummy.com", Path: "/test/path"}, "https://api.dummy.com/test/path", types.ProviderCloudStack},
		{"libcloud port", Options{Host: "api.dummy.com", Port: 8080, Path: "test/path"}, "https://api.dummy.com:8080/test/path", types.ProviderCloudStack},
		{"libcloud secure=False", Options{Host: "api.dummy.com", Port: 8080, Path: "/client/api", Insecure: true}, "http://api.dummy.com:8080/client/api", types.ProviderCloudStack},
		{"host default path", Options{Host: "ms"}, "https://ms/client/api", types.ProviderCloudStack},
		{"exoscale", Options{Preset: types.ProviderExoscale}, "https://api.exoscale.com/compute", types.ProviderExoscale},
		{"ikoula", Options{Preset: types.ProviderIkoula}, "https://cloudstack.ikoula.com/client/api", types.ProviderIkoula},
		{"aurora default region", Options{Preset: types.ProviderAuroraCompute}, "https://api.auroracompute.eu/ams", types.ProviderAuroraCompute},
		{"aurora region", Options{Preset: "AuroraCompute", Region: "TYO"}, "https://api.auroracompute.eu/tyo", types.ProviderAuroraCompute},
		{"preset with own url", Options{Preset: types.ProviderIkoula, URL: "https://other.example/api"}, "https://other.example/api", types.ProviderIkoula},
		{"cloudstack preset", Options{Preset: types.ProviderCloudStack, URL: "https://x/client/api"}, "https://x/client/api", types.ProviderCloudStack},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.o.Key, c.o.Secret = "k", "s"
			d, err := New(&c.o)
			require.NoError(t, err)
			assert.Equal(t, c.want, d.Endpoint())
			assert.Equal(t, c.p, d.Provider())
		})
	}
	for _, r := range AuroraComputeRegions {
		d, err := New(&Options{Preset: types.ProviderAuroraCompute, Region: r, Key: "k", Secret: "s"})
		require.NoError(t, err)
		assert.Equal(t, "https://api.auroracompute.eu/"+r, d.Endpoint())
	}
}

func TestNew_Invalid(t *testing.T) {
	for name, o := range map[string]*Options{
		"nil":              nil,
		"no key":           {URL: "https://x/client/api", Secret: "s"},
		"no secret":        {URL: "https://x/client/api", Key: "k"},
		"no endpoint":      {Key: "k", Secret: "s"},
		"bad scheme":       {URL: "ftp://x/client/api", Key: "k", Secret: "s"},
		"no host":          {URL: "https:///client/api", Key: "k", Secret: "s"},
		"credentials":      {URL: "https://user:pw@x/client/api", Key: "k", Secret: "s"},
		"query":            {URL: "https://x/client/api?command=x", Key: "k", Secret: "s"},
		"host is url":      {Host: "https://x", Key: "k", Secret: "s"},
		"bad port":         {Host: "x", Port: 70000, Key: "k", Secret: "s"},
		"unknown preset":   {Preset: "ninefold", Key: "k", Secret: "s"},
		"unknown region":   {Preset: types.ProviderAuroraCompute, Region: "par", Key: "k", Secret: "s"},
		"region elsewhere": {URL: "https://x/client/api", Region: "ams", Key: "k", Secret: "s"},
		"page size":        {URL: "https://x/client/api", Key: "k", Secret: "s", Settings: Settings{PageSize: 501}},
		"negative timeout": {URL: "https://x/client/api", Key: "k", Secret: "s", Timeout: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(o)
			require.Error(t, err)
			assert.ErrorIs(t, err, compute.ErrInvalidArgument)
			var ce *compute.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "New", ce.Op)
			if o != nil && o.Secret != "" {
				assert.NotContains(t, err.Error(), "pw")
			}
		})
	}
}

func TestNew_InsecureWarnsOnce(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	_, err := New(&Options{URL: "https://self-signed.example/client/api", Insecure: true, Key: "k", Secret: "s", Logger: logger})
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(buf.String(), "level=WARN"))
	assert.Contains(t, buf.String(), "TLS certificate verification is turned off")
	buf.Reset()
	_, err = New(&Options{URL: "https://ok.example/client/api", Key: "k", Secret: "s", Logger: logger})
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestOptions_StringHidesSecret(t *testing.T) {
	o := Options{URL: "https://x", Key: "k", Secret: "hunter2"}
	for _, s := range []string{o.String(), fmt.Sprintf("%v %+v %#v %s", o, o, o, &o)} {
		assert.NotContains(t, s, "hunter2")
	}
}

func TestDecodeSettings(t *testing.T) {
	var s Settings
	require.NoError(t, DecodeSettings(map[string]any{
		"job_timeout": "90s", "Job-Poll-Interval": 2, "page_size": "200", "list_all": "true",
		"ProjectID": "p1", "legacy_signature": true, "retry_max": -1, "expunge": "1",
	}, &s))
	assert.Equal(t, Settings{
		JobTimeout: 90 * time.Second, JobPollInterval: 2 * time.Second, PageSize: 200, ListAll: true,
		ProjectID: "p1", LegacySignature: true, RetryMax: -1, Expunge: true,
	}, s)
	assert.Error(t, DecodeSettings(map[string]any{"job_timeuot": "1s"}, &s), "unknown keys are errors")
	assert.Error(t, DecodeSettings(map[string]any{"page_size": "lots"}, &s))
}

func TestFactory(t *testing.T) {
	d, err := Factory(compute.Config{URL: "https://x/client/api", Key: "k", Secret: "s", Options: map[string]any{"zone_id": "z1"}})
	require.NoError(t, err)
	cs, ok := compute.As[*Driver](d)
	require.True(t, ok)
	assert.Equal(t, "z1", cs.Settings().ZoneID)
	assert.Equal(t, DefaultJobTimeout, cs.Settings().JobTimeout)

	_, err = Factory(compute.Config{URL: "https://x/client/api", Key: "k", Secret: "s", Options: map[string]any{"nope": 1}})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	d, err = Factory(compute.Config{Key: "k"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Nil(t, d, "no typed nil")

	for _, p := range []types.Provider{types.ProviderExoscale, types.ProviderIkoula, types.ProviderAuroraCompute} {
		d, err := PresetFactory(p)(compute.Config{Key: "k", Secret: "s"})
		require.NoError(t, err)
		assert.Equal(t, p, d.Provider())
	}
	d, err = PresetFactory(types.ProviderAuroraCompute)(compute.Config{Key: "k", Secret: "s", Region: "mia"})
	require.NoError(t, err)
	assert.Equal(t, "https://api.auroracompute.eu/mia", d.(*Driver).Endpoint())
	_, err = PresetFactory(types.ProviderExoscale)(compute.Config{Key: "k", Secret: "s", Options: map[string]any{"x": 1}})
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, types.ProviderExoscale, ce.Provider)
}

func TestFactory_HTTPClientAndTimeout(t *testing.T) {
	hc := &http.Client{}
	d, err := New(&Options{URL: "https://x/client/api", Key: "k", Secret: "s", HTTPClient: hc})
	require.NoError(t, err)
	assert.NotNil(t, d.api)
}

func TestParseCreateNodeOptions(t *testing.T) {
	o, err := ParseCreateNodeOptions(map[string]any{
		"network_ids": "n1,n2", "start_vm": "false", "details": "cpuNumber=2,memory=1024", "root_disk_size": "20",
		"key-pairs": []string{"a", "b"}, "user_data": "#cloud-config",
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"n1", "n2"}, o.NetworkIDs)
	require.NotNil(t, o.StartVM)
	assert.False(t, *o.StartVM)
	assert.Equal(t, map[string]string{"cpuNumber": "2", "memory": "1024"}, o.Details)
	assert.Equal(t, 20, o.RootDiskSize)
	assert.Equal(t, []string{"a", "b"}, o.KeyPairs)
	_, err = ParseCreateNodeOptions(map[string]any{"flavour": "x"})
	assert.Error(t, err)
}
