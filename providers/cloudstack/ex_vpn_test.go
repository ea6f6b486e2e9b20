package cloudstack_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// The tests of this file run the site-to-site VPN Ex methods against
// Libcloud's recorded answers.

func TestFixtures_ExListVPNGateways(t *testing.T) {
	d, fs := newFixtureDriver(t)
	gws, err := d.ExListVPNGateways(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, gws, 1)
	assert.Equal(t, "cffa0cab-d1da-42a7-92f6-41379267a29f", gws[0].ID)
	assert.Equal(t, "1.2.3.4", gws[0].PublicIP)
	assert.Equal(t, "4d25e181-8850-4d52-8ecb-a6f35bbbabde", gws[0].VPCID)
	assert.Equal(t, "some_account", gws[0].Account)
	assert.Equal(t, "9b397dea-25ef-4c5d-b47d-627eaebe8ed8", gws[0].DomainID)
	assert.Equal(t, url.Values{"command": {"listVpnGateways"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listVpnGateways")))

	fs.reset()
	_, err = d.ExListVPNGateways(t.Context(), &cloudstack.ListVPNGatewaysOptions{
		ListScope: cloudstack.ListScope{Account: "a", DomainID: "d", IsRecursive: true, ListAll: true, ProjectID: "p"},
		ID:        "i", VPCID: "v", Keyword: "k", ForDisplay: new(true)})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listVpnGateways"}, "account": {"a"}, "domainid": {"d"}, "isrecursive": {"true"},
		"listall": {"true"}, "projectid": {"p"}, "id": {"i"}, "vpcid": {"v"}, "keyword": {"k"}, "fordisplay": {"true"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVpnGateways")))
}

func TestFixtures_ExCreateVPNGateway(t *testing.T) {
	d, fs := newFixtureDriver(t)
	gw, err := d.ExCreateVPNGateway(t.Context(), "4d25e181-8850-4d52-8ecb-a6f35bbbabde", nil)
	require.NoError(t, err)
	assert.Equal(t, "5ef6794e-cec8-4018-9fef-c4dacbadee14", gw.ID)
	assert.Equal(t, "2.3.4.5", gw.PublicIP)
	assert.Equal(t, "4d25e181-8850-4d52-8ecb-a6f35bbbabde", gw.VPCID)
	r := only(t, fs, "createVpnGateway")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createVpnGateway"}, "vpcid": {"4d25e181-8850-4d52-8ecb-a6f35bbbabde"}}, apiParams(r))
	assert.Equal(t, "createVpnGateway", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.reset()
	_, err = d.ExCreateVPNGateway(t.Context(), "v", new(false))
	require.NoError(t, err)
	assert.Equal(t, "false", only(t, fs, "createVpnGateway").params.Get("fordisplay"))
	_, err = d.ExCreateVPNGateway(t.Context(), "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestFixtures_ExDeleteVPNGateway(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExDeleteVPNGateway(t.Context(), "cffa0cab-d1da-42a7-92f6-41379267a29f"))
	assert.Equal(t, url.Values{"command": {"deleteVpnGateway"}, "id": {"cffa0cab-d1da-42a7-92f6-41379267a29f"}},
		apiParams(only(t, fs, "deleteVpnGateway")))
	assert.Equal(t, "deleteVpnGateway", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
	assert.ErrorIs(t, d.ExDeleteVPNGateway(t.Context(), " "), compute.ErrInvalidArgument)
}

func TestFixtures_ExListVPNCustomerGateways(t *testing.T) {
	d, fs := newFixtureDriver(t)
	gws, err := d.ExListVPNCustomerGateways(t.Context(), nil)
	require.NoError(t, err)
	require.Len(t, gws, 1)
	g := gws[0]
	assert.Equal(t, "ea67eaae-1c2a-4e65-b910-441e77f69bea", g.ID)
	assert.Equal(t, "some_name", g.Name)
	assert.Equal(t, "10.2.2.0/24", g.CIDRList)
	assert.Equal(t, "10.2.2.1", g.Gateway)
	assert.Equal(t, "3des-md5", g.IKEPolicy)
	assert.Equal(t, "3des-md5", g.ESPPolicy)
	assert.Equal(t, int64(86400), g.IKELifetime)
	assert.Equal(t, int64(3600), g.ESPLifetime)
	assert.Equal(t, "some_psk", g.IPsecPSK)
	assert.False(t, g.DPD)
	assert.Equal(t, url.Values{"command": {"listVpnCustomerGateways"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listVpnCustomerGateways")))

	// The pre-shared key stays out of formatted output.
	for _, s := range []string{fmt.Sprint(g), fmt.Sprintf("%+v", g), fmt.Sprintf("%#v", g), fmt.Sprintf("%v", &g)} {
		assert.NotContains(t, s, "some_psk")
		assert.Contains(t, s, "ea67eaae-1c2a-4e65-b910-441e77f69bea")
	}

	fs.reset()
	_, err = d.ExListVPNCustomerGateways(t.Context(), &cloudstack.ListVPNCustomerGatewaysOptions{ID: "i", Keyword: "k",
		ListScope: cloudstack.ListScope{ProjectID: "p"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listVpnCustomerGateways"}, "projectid": {"p"}, "id": {"i"}, "keyword": {"k"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listVpnCustomerGateways")))
}

func TestFixtures_ExCreateVPNCustomerGateway(t *testing.T) {
	var logs bytes.Buffer
	d0, fs := newFixtureDriver(t)
	d, err := cloudstack.New(&cloudstack.Options{URL: d0.Endpoint(), Key: "apikey", Secret: "secret",
		Logger:   slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Settings: cloudstack.Settings{JobPollInterval: time.Millisecond, JobPollMaxInterval: time.Millisecond}})
	require.NoError(t, err)
	req := &cloudstack.CreateVPNCustomerGatewayRequest{Gateway: "10.0.0.1", CIDRList: []string{"10.0.0.0/24"},
		IKEPolicy: "3des-md5", ESPPolicy: "3des-md5", IPsecPSK: "s3cret-psk", IKELifetime: 24 * time.Hour,
		ESPLifetime: time.Hour, DPD: new(false)}
	gw, err := d.ExCreateVPNCustomerGateway(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, "cef3c766-116a-4e83-9844-7d08ab7d3fd4", gw.ID)
	assert.Equal(t, "VPN-10.0.0.1", gw.Name)
	assert.Equal(t, "10.0.0.0/24", gw.CIDRList)
	assert.Equal(t, int64(86400), gw.IKELifetime)
	r := only(t, fs, "createVpnCustomerGateway")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createVpnCustomerGateway"}, "gateway": {"10.0.0.1"}, "cidrlist": {"10.0.0.0/24"},
		"ikepolicy": {"3des-md5"}, "esppolicy": {"3des-md5"}, "ipsecpsk": {"s3cret-psk"}, "ikelifetime": {"86400"},
		"esplifetime": {"3600"}, "dpd": {"false"}}, apiParams(r))
	assert.Equal(t, "createVpnCustomerGateway", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
	assert.NotContains(t, logs.String(), "s3cret-psk", "the pre-shared key is never logged")
	assert.Contains(t, logs.String(), "createVpnCustomerGateway")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", req, *req, req), "s3cret-psk")

	fs.reset()
	_, err = d.ExCreateVPNCustomerGateway(t.Context(), &cloudstack.CreateVPNCustomerGatewayRequest{Name: "office",
		Gateway: "198.51.100.7", CIDRList: []string{"192.168.1.0/24", "192.168.2.0/24"}, IKEPolicy: "aes256-sha256;modp2048",
		ESPPolicy: "aes256-sha256", IPsecPSK: "k", IKEVersion: "ikev2", ForceEncap: new(true), SplitConnections: new(true),
		Owner: cloudstack.OwnerOptions{Account: "bob", DomainID: "dom"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createVpnCustomerGateway"}, "name": {"office"}, "gateway": {"198.51.100.7"},
		"cidrlist": {"192.168.1.0/24,192.168.2.0/24"}, "ikepolicy": {"aes256-sha256;modp2048"}, "esppolicy": {"aes256-sha256"},
		"ipsecpsk": {"k"}, "ikeversion": {"ikev2"}, "forceencap": {"true"}, "splitconnections": {"true"}, "account": {"bob"},
		"domainid": {"dom"}}, apiParams(only(t, fs, "createVpnCustomerGateway")))

	fs.reset()
	good := *req
	for _, mutate := range []func(r *cloudstack.CreateVPNCustomerGatewayRequest){
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.Gateway = "" },
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.CIDRList = nil },
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.IKEPolicy = "" },
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.ESPPolicy = "" },
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.IPsecPSK = "" },
		func(r *cloudstack.CreateVPNCustomerGatewayRequest) { r.ESPLifetime = -time.Second },
	} {
		bad := good
		mutate(&bad)
		_, err := d.ExCreateVPNCustomerGateway(t.Context(), &bad)
		require.ErrorIs(t, err, compute.ErrInvalidArgument)
		assert.NotContains(t, err.Error(), "s3cret-psk")
	}
	_, err = d.ExCreateVPNCustomerGateway(t.Context(), nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Empty(t, fs.commands())
}

func TestFixtures_ExDeleteVPNCustomerGateway(t *testing.T) {
	d, fs := newFixtureDriver(t)
	// Libcloud's fixtures lack this job's result.
	fs.override("queryAsyncJobResult", `{"queryasyncjobresultresponse":{"jobid":"deleteVpnCustomerGateway","jobstatus":1,"jobresult":{"success":true}}}`)
	require.NoError(t, d.ExDeleteVPNCustomerGateway(t.Context(), "ea67eaae-1c2a-4e65-b910-441e77f69bea"))
	assert.Equal(t, url.Values{"command": {"deleteVpnCustomerGateway"}, "id": {"ea67eaae-1c2a-4e65-b910-441e77f69bea"}},
		apiParams(only(t, fs, "deleteVpnCustomerGateway")))
	assert.Equal(t, "deleteVpnCustomerGateway", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
	assert.ErrorIs(t, d.ExDeleteVPNCustomerGateway(t.Context(), ""), compute.ErrInvalidArgument)
}

func TestFixtures_ExListVPNConnections(t *testing.T) {
	d, fs := newFixtureDriver(t)
	conns, err := d.ExListVPNConnections(t.Context(), &cloudstack.ListVPNGatewaysOptions{VPCID: "v"})
	require.NoError(t, err)
	require.Len(t, conns, 1)
	c := conns[0]
	assert.Equal(t, "8f482d9a-6cee-453b-9e78-b0e1338ffce9", c.ID)
	assert.Equal(t, "Connected", c.State)
	assert.False(t, c.Passive)
	assert.Equal(t, "ea67eaae-1c2a-4e65-b910-441e77f69bea", c.CustomerGatewayID)
	assert.Equal(t, "cffa0cab-d1da-42a7-92f6-41379267a29f", c.VPNGatewayID)
	assert.Equal(t, "1.2.3.4", c.PublicIP)
	assert.Equal(t, time.Date(2015, 2, 20, 12, 32, 58, 0, time.UTC), c.Created.UTC())
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", &c)} {
		assert.NotContains(t, s, "IPsecPSK:xxx")
		assert.Contains(t, s, "IPsecPSK:REDACTED")
	}
	assert.Equal(t, url.Values{"command": {"listVpnConnections"}, "vpcid": {"v"}, "page": {"1"}, "pagesize": {"500"}},
		apiParams(only(t, fs, "listVpnConnections")))
}

func TestFixtures_ExCreateVPNConnection(t *testing.T) {
	d, fs := newFixtureDriver(t)
	c, err := d.ExCreateVPNConnection(t.Context(), "201fc1d1-05e1-4e9c-a025-d72e954dd856", "515aefbc-448b-484b-8d6a-ff3b67637bf1",
		&cloudstack.CreateVPNConnectionOptions{Passive: true})
	require.NoError(t, err)
	assert.Equal(t, "f45c3af8-f909-4f16-9d40-ed4409c575f8", c.ID)
	assert.Equal(t, "Connected", c.State)
	assert.Equal(t, "515aefbc-448b-484b-8d6a-ff3b67637bf1", c.VPNGatewayID)
	assert.Equal(t, "201fc1d1-05e1-4e9c-a025-d72e954dd856", c.CustomerGatewayID)
	r := only(t, fs, "createVpnConnection")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"createVpnConnection"}, "s2scustomergatewayid": {"201fc1d1-05e1-4e9c-a025-d72e954dd856"},
		"s2svpngatewayid": {"515aefbc-448b-484b-8d6a-ff3b67637bf1"}, "passive": {"true"}}, apiParams(r))
	assert.Equal(t, "createVpnConnection", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	fs.reset()
	_, err = d.ExCreateVPNConnection(t.Context(), "c", "g", nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"createVpnConnection"}, "s2scustomergatewayid": {"c"}, "s2svpngatewayid": {"g"}},
		apiParams(only(t, fs, "createVpnConnection")), "passive=false is the default and not sent")
	_, err = d.ExCreateVPNConnection(t.Context(), "", "g", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExCreateVPNConnection(t.Context(), "c", "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
}

func TestFixtures_ExDeleteVPNConnection(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExDeleteVPNConnection(t.Context(), "8f482d9a-6cee-453b-9e78-b0e1338ffce9"))
	assert.Equal(t, url.Values{"command": {"deleteVpnConnection"}, "id": {"8f482d9a-6cee-453b-9e78-b0e1338ffce9"}},
		apiParams(only(t, fs, "deleteVpnConnection")))
	assert.Equal(t, "deleteVpnConnection", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
	assert.ErrorIs(t, d.ExDeleteVPNConnection(t.Context(), ""), compute.ErrInvalidArgument)
}
