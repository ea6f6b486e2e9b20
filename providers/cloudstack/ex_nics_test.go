package cloudstack_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
)

// The tests of this file run the NIC and affinity Ex methods against
// Libcloud's recorded answers, checking what is sent and what is decoded.

func TestFixtures_ExListNics(t *testing.T) {
	d, fs := newFixtureDriver(t)
	nics, err := d.ExListNics(t.Context(), "903897b7-9241-4f93-bd08-3453c36a3c99", nil)
	require.NoError(t, err)
	require.Len(t, nics, 1)
	n := nics[0]
	assert.Equal(t, "15418e74-25e8-42d3-9bd7-eb55e57825fe", n.ID)
	assert.Equal(t, "de45b0ed-b5ae-4374-ac7c-aff3fb2aefa2", n.NetworkID)
	assert.Equal(t, "255.255.255.0", n.Netmask)
	assert.Equal(t, "10.1.1.1", n.Gateway)
	assert.Equal(t, "10.1.1.136", n.IPAddress)
	assert.True(t, n.IsDefault)
	assert.Equal(t, "02:00:00:b9:01:1a", n.MACAddress)
	r := only(t, fs, "listNics")
	assert.Equal(t, http.MethodGet, r.method)
	assert.Equal(t, url.Values{"command": {"listNics"}, "virtualmachineid": {"903897b7-9241-4f93-bd08-3453c36a3c99"},
		"page": {"1"}, "pagesize": {"500"}}, apiParams(r))

	fs.reset()
	_, err = d.ExListNics(t.Context(), "vm", &cloudstack.ListNicsOptions{NetworkID: "net", NICID: "nic", Keyword: "k"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"command": {"listNics"}, "virtualmachineid": {"vm"}, "networkid": {"net"}, "nicid": {"nic"},
		"keyword": {"k"}, "page": {"1"}, "pagesize": {"500"}}, apiParams(only(t, fs, "listNics")))
}

func TestFixtures_ExAttachNicToNode(t *testing.T) {
	d, fs := newFixtureDriver(t)
	nic, err := d.ExAttachNicToNode(t.Context(), "903897b7-9241-4f93-bd08-3453c36a3c99", "f59ee08a-66b5-40c6-baa7-392394c6cea9",
		&cloudstack.AttachNicOptions{IPAddress: "10.1.1.253", DHCPOptions: map[int]string{66: "tftp.example.com", 114: "http://x"}})
	require.NoError(t, err)
	assert.Equal(t, "f71e48da-fe40-458d-9033-ea27a3a92de1", nic.ID)
	assert.Equal(t, "f59ee08a-66b5-40c6-baa7-392394c6cea9", nic.NetworkID)
	assert.Equal(t, "node_cellar_network", nic.NetworkName)
	assert.Equal(t, "10.1.1.253", nic.IPAddress)
	assert.False(t, nic.IsDefault)
	assert.Equal(t, "903897b7-9241-4f93-bd08-3453c36a3c99", nic.VirtualMachineID, "filled in from the request")
	r := only(t, fs, "addNicToVirtualMachine")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"addNicToVirtualMachine"}, "virtualmachineid": {"903897b7-9241-4f93-bd08-3453c36a3c99"},
		"networkid": {"f59ee08a-66b5-40c6-baa7-392394c6cea9"}, "ipaddress": {"10.1.1.253"},
		"dhcpoptions[0].dhcp:66": {"tftp.example.com"}, "dhcpoptions[0].dhcp:114": {"http://x"}}, apiParams(r))
	assert.Equal(t, "addnictovm", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	// A job result without a NIC on the network is an error, not a nil NIC.
	_, err = d.ExAttachNicToNode(t.Context(), "903897b7-9241-4f93-bd08-3453c36a3c99", "other-network", nil)
	require.ErrorIs(t, err, compute.ErrInternal)
}

func TestFixtures_ExDetachNicFromNode(t *testing.T) {
	d, fs := newFixtureDriver(t)
	require.NoError(t, d.ExDetachNicFromNode(t.Context(), "f71e48da-fe40-458d-9033-ea27a3a92de1", "903897b7-9241-4f93-bd08-3453c36a3c99"))
	r := only(t, fs, "removeNicFromVirtualMachine")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"removeNicFromVirtualMachine"}, "nicid": {"f71e48da-fe40-458d-9033-ea27a3a92de1"},
		"virtualmachineid": {"903897b7-9241-4f93-bd08-3453c36a3c99"}}, apiParams(r))
	assert.Equal(t, "removenic", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))
}

func TestFixtures_ExUpdateNodeAffinityGroup(t *testing.T) {
	d, fs := newFixtureDriver(t)
	node, err := d.ExUpdateNodeAffinityGroup(t.Context(), "19253fbf-abb7-4013-a8a1-97df3b93f206", []string{"11112"})
	require.NoError(t, err)
	assert.Equal(t, "19253fbf-abb7-4013-a8a1-97df3b93f206", node.ID)
	assert.Equal(t, "TestNode", node.Name)
	assert.Equal(t, []string{"11112"}, node.Extra["affinity_group"])
	assert.Equal(t, []string{"10.2.2.8"}, node.PrivateIPs)
	r := only(t, fs, "updateVMAffinityGroup")
	assert.Equal(t, http.MethodPost, r.method)
	assert.Equal(t, url.Values{"command": {"updateVMAffinityGroup"}, "id": {"19253fbf-abb7-4013-a8a1-97df3b93f206"},
		"affinitygroupids": {"11112"}}, apiParams(r))
	assert.Equal(t, "1300006", only(t, fs, "queryAsyncJobResult").params.Get("jobid"))

	// An empty list clears the groups: the parameter is sent, empty.
	fs.reset()
	_, err = d.ExUpdateNodeAffinityGroup(t.Context(), "19253fbf-abb7-4013-a8a1-97df3b93f206", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, only(t, fs, "updateVMAffinityGroup").params["affinitygroupids"])
}

func TestFixtures_ExNicArgumentErrors(t *testing.T) {
	d, fs := newFixtureDriver(t)
	ctx := t.Context()
	_, err := d.ExListNics(ctx, " ", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExAttachNicToNode(ctx, "vm", "", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExAttachNicToNode(ctx, "", "net", nil)
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExDetachNicFromNode(ctx, "", "vm"), compute.ErrInvalidArgument)
	assert.ErrorIs(t, d.ExDetachNicFromNode(ctx, "nic", ""), compute.ErrInvalidArgument)
	_, err = d.ExUpdateNodeAffinityGroup(ctx, "vm", []string{"a,b"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	_, err = d.ExUpdateNodeAffinityGroup(ctx, "", []string{"a"})
	assert.ErrorIs(t, err, compute.ErrInvalidArgument)
	assert.Empty(t, fs.commands(), "nothing is sent for bad arguments")
}
