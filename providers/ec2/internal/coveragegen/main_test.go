package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/internal/docsplice"
	"github.com/goclouds/goclouds/types"
)

// driverDir is providers/ec2, from this package's directory.
var driverDir = filepath.Join("..", "..")

// TestDocUpToDate fails when docs/ec2-coverage.md's tables are stale.
func TestDocUpToDate(t *testing.T) {
	path := filepath.Join(driverDir, "..", "..", "docs", "ec2-coverage.md")
	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	table, err := render(driverDir)
	require.NoError(t, err)
	want, err := docsplice.Splice(doc, beginMarker, endMarker, table)
	require.NoError(t, err)
	if string(want) != string(doc) {
		t.Fatal("docs/ec2-coverage.md is stale: run go generate ./providers/ec2")
	}
	for _, line := range []string{
		"| `RunInstances` | `CreateNode` | yes |",
		"| `GetNode` | `DescribeInstances` |",
		"| `ListSizes` | `DescribeInstanceTypeOfferings`, `DescribeInstanceTypes` |",
		"| `AcceptAddressTransfer` |  |  |",
	} {
		assert.Contains(t, table, line+"\n")
	}
}

func TestMarkdownTotals(t *testing.T) {
	md := markdown([]string{"A", "B", "C", "D"}, map[string][]string{"M": {"A", "B"}, "N": {"B"}}, []string{"B", "C"})
	for _, line := range []string{
		"| Typed driver methods | 2 | 50.0 % |",
		"| ec2sim | 2 | 50.0 % |",
		"| Typed and simulated | 1 | 25.0 % |",
		"| `Client()` only (the SDK's client) | 2 | 50.0 % |",
		"| `B` | `M`, `N` | yes |",
		"| `C` |  | yes |",
		"| `D` |  |  |",
		"| `M` | `A`, `B` |",
	} {
		assert.Contains(t, md, line+"\n")
	}
}

// TestScanFindsWhatMethodsCall runs driver methods against the simulator
// and fails when one calls an operation the scan did not attribute to it:
// the scan would then under-report.
func TestScanFindsWhatMethodsCall(t *testing.T) {
	m, err := ec2sim.LoadModel()
	require.NoError(t, err)
	scanned, err := scanDriver(driverDir, func(s string) bool { return m.Operations[s] != nil })
	require.NoError(t, err)

	sim, err := ec2sim.New(&ec2sim.Options{RSAKeyBits: 1024, TransitionDelay: time.Millisecond})
	require.NoError(t, err)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	drv, err := ec2.Factory(compute.Config{URL: srv.URL, Key: sim.AccessKey(), Secret: sim.SecretKey(),
		Region: sim.Region(), ProviderOptions: &aws.Config{}})
	require.NoError(t, err)
	d := drv.(*ec2.Driver)
	ctx := context.Background()
	var node *compute.Node
	var vol *compute.Volume
	calls := []struct {
		method string
		do     func() error
	}{
		{"ListSizes", func() error { _, err := d.ListSizes(ctx, nil); return err }},
		{"ListImages", func() error { _, err := d.ListImages(ctx, nil); return err }},
		{"ListLocations", func() error { _, err := d.ListLocations(ctx); return err }},
		{"CreateNode", func() (err error) {
			node, err = d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "scan", Image: &compute.Image{ID: "ami-0453ec754f44f9a4a"},
				Size: &compute.Size{ID: "t3.micro"}, SecurityGroups: []string{"default"},
				Auth: compute.NodeAuth{SSHKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3Y8TqrHnzfp1Jm1MrCTFb3Gj4t5a/8kqZ+9GsoYgQ8 a"}})
			return err
		}},
		{"GetNode", func() error {
			_, err := compute.WaitForState(ctx, d, node.ID, types.NodeStateRunning, &compute.WaitOptions{Interval: 5 * time.Millisecond})
			return err
		}},
		{"ListNodes", func() error { _, err := d.ListNodes(ctx); return err }},
		{"CreateVolume", func() (err error) {
			vol, err = d.CreateVolume(ctx, &compute.CreateVolumeRequest{Name: "v", Size: 1, Location: &compute.Location{ID: "us-east-1a"}})
			return err
		}},
		{"ListVolumes", func() error {
			vols, err := d.ListVolumes(ctx)
			assert.True(t, slices.ContainsFunc(vols, func(v *compute.Volume) bool { return v.ID == vol.ID }))
			return err
		}},
		{"StopNode", func() error { return d.StopNode(ctx, node.ID) }},
		{"DestroyNode", func() error { return d.DestroyNode(ctx, node.ID) }},
		{"ListKeyPairs", func() error { _, err := d.ListKeyPairs(ctx); return err }},
	}
	for _, c := range calls {
		sim.ResetRequestCounts()
		require.NoError(t, c.do(), c.method)
		for action := range sim.RequestCounts() {
			assert.True(t, slices.Contains(scanned[c.method], action), "%s called %s; the scan found only %s",
				c.method, action, strings.Join(scanned[c.method], ", "))
		}
	}
	assert.Zero(t, sim.Bugs())
}
