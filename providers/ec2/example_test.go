package ec2_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/types"
)

// Example connects to the EC2 simulator through the registry, creates an
// instance with an idempotency key and waits until it runs.
func Example() {
	sim, _ := ec2sim.New(&ec2sim.Options{RSAKeyBits: 1024})
	srv := httptest.NewServer(sim)
	defer srv.Close()

	factory, _ := providers.GetDriver(types.ProviderEC2)
	d, err := factory(compute.Config{URL: srv.URL, Region: sim.Region(), Key: sim.AccessKey(), Secret: sim.SecretKey()})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	images, _ := d.ListImages(ctx, nil)
	n, err := d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "web-1", Image: images[0],
		Size: &compute.Size{ID: "t3.micro"}, IdempotencyKey: "web-1-order-42"})
	if err != nil {
		fmt.Println(err)
		return
	}
	running, err := compute.WaitUntilRunning(ctx, d, []*compute.Node{n}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(running[0].Node.Name, running[0].Node.State)
	// Output: web-1 running
}
