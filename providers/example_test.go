package providers_test

import (
	"context"
	"fmt"
	"log"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/types"
)

// What a Libcloud user does first, on the dummy provider: get the driver
// for a provider, construct it with credentials, list images and sizes,
// create a node.
func ExampleGetDriver() {
	ctx := context.Background()

	factory, err := providers.GetDriver(types.ProviderDummy)
	if err != nil {
		log.Fatal(err)
	}
	d, err := factory(compute.Config{Key: "api-key", Secret: "secret-key"})
	if err != nil {
		log.Fatal(err)
	}

	images, err := d.ListImages(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	sizes, err := d.ListSizes(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	node, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
		Name:  "toto",
		Image: images[0],
		Size:  sizes[0],
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(node.Name, node.UUID())
	// Output: toto aef321fde331680846014b121ff377dcb8477731
}

// Providers lists what GetDriver knows, built-ins and registered ones.
func ExampleProviders() {
	for _, p := range providers.Providers() {
		switch p {
		case types.ProviderCloudStack, types.ProviderDummy:
			fmt.Println(p)
		}
	}
	// Output:
	// cloudstack
	// dummy
}
