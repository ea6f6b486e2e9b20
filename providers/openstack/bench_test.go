package openstack_test

import (
	"context"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcos "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// BenchmarkGetNode measures the driver's overhead over gophercloud: the
// driver's GetNode and gophercloud's servers.Get of the same server at the
// same microversion, against one in-process openstacksim (HTTP on
// loopback), in alternation. make bench reports the ratio (bench/openstack.go).
func BenchmarkGetNode(b *testing.B) {
	sim, u := startSim(b, &openstacksim.Options{Servers: 1})
	d := simDriver(b, sim, u)
	ctx := context.Background()
	nodes, err := d.ListNodes(ctx)
	if err != nil || len(nodes) != 1 {
		b.Fatalf("ListNodes: %d nodes, %v", len(nodes), err)
	}
	id := nodes[0].ID
	sc := gophercloudCompute(b, u, sim.AdminCredentials())
	direct := func() {
		if s, err := servers.Get(ctx, sc, id).Extract(); err != nil || s.ID != id {
			b.Fatalf("servers.Get: %v", err)
		}
	}
	direct()
	if _, err := d.GetNode(ctx, id); err != nil { // fills the driver's caches
		b.Fatal(err)
	}
	var tDriver, tDirect time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := d.GetNode(ctx, id); err != nil {
			b.Fatal(err)
		}
		tDriver += time.Since(start)
		start = time.Now()
		direct()
		tDirect += time.Since(start)
	}
	b.ReportMetric(float64(tDriver.Nanoseconds())/float64(b.N)/1e6, "ms-driver/op")
	b.ReportMetric(float64(tDirect.Nanoseconds())/float64(b.N)/1e6, "ms-gophercloud/op")
	b.ReportMetric(float64(tDriver)/float64(tDirect), "driver/gophercloud")
}

// gophercloudCompute returns a gophercloud compute client for cred at the
// driver's microversion, authenticated at authURL.
func gophercloudCompute(b *testing.B, authURL string, cred openstacksim.Credentials) *gophercloud.ServiceClient {
	b.Helper()
	pc, err := gcos.AuthenticatedClient(context.Background(), gophercloud.AuthOptions{
		IdentityEndpoint: authURL, Username: cred.Username, Password: cred.Password, DomainName: cred.UserDomainName,
		Scope: &gophercloud.AuthScope{ProjectName: cred.ProjectName, DomainName: cred.ProjectDomainName},
	})
	if err != nil {
		b.Fatal(err)
	}
	sc, err := gcos.NewComputeV2(pc, gophercloud.EndpointOpts{Region: cred.Region})
	if err != nil {
		b.Fatal(err)
	}
	sc.Microversion = openstack.DefaultMicroversion
	return sc
}
