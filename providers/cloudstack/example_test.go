package cloudstack_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/types"
)

// Libcloud's getting-started flow for CloudStack, in Go: get the driver,
// connect with key, secret, host, port and path, list images and sizes,
// create "toto" from the first of each, then stop and start it. A simulator
// stands in for the cloud.
func Example() {
	sim := cloudstacksim.New(nil)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	host, portText, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	port, _ := strconv.Atoi(portText)
	creds := sim.AdminCredentials()

	// cls = get_driver(Provider.CLOUDSTACK)
	factory, err := providers.GetDriver(types.ProviderCloudStack)
	if err != nil {
		log.Fatal(err)
	}
	// driver = cls(key=apikey, secret=secretkey, host=host, port=port,
	//              path="/client/api", secure=False)
	driver, err := factory(compute.Config{
		Key: creds.APIKey, Secret: creds.SecretKey,
		Host: host, Port: port, Path: "/client/api",
		Insecure: true, // the test server speaks plain HTTP
		Options:  map[string]any{"job_poll_interval": "10ms"},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	images, err := driver.ListImages(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	sizes, err := driver.ListSizes(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	node, err := driver.CreateNode(ctx, &compute.CreateNodeRequest{Name: "toto", Image: images[0], Size: sizes[0]})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created %q from %q (%s) with UUID of %d hex digits\n", node.Name, images[0].Name, sizes[0].Name, len(node.UUID()))
	fmt.Println(node.UUID() == (&compute.Node{ID: node.ID, Provider: types.ProviderCloudStack}).UUID())

	// node.ex_stop() and node.ex_start(): Ex methods of the concrete driver.
	cs, ok := compute.As[*cloudstack.Driver](driver)
	if !ok {
		log.Fatal("not a CloudStack driver")
	}
	state, err := cs.ExStop(ctx, node.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(state)
	state, err = cs.ExStart(ctx, node.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(state)
	// Output:
	// created "toto" from "tiny Linux" (tinyOffering) with UUID of 40 hex digits
	// true
	// Stopped
	// Running
}

// Reaching CloudStack-only features from a portable compute.Driver.
func ExampleDriver_ExRawRequest() {
	sim := cloudstacksim.New(nil)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	creds := sim.AdminCredentials()
	d, err := cloudstack.New(&cloudstack.Options{URL: srv.URL + "/client/api", Key: creds.APIKey, Secret: creds.SecretKey})
	if err != nil {
		log.Fatal(err)
	}
	raw, err := d.ExRawRequest(context.Background(), "listZones", map[string][]string{"name": {cloudstacksim.ZoneName1}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(string(raw), `"name":"`+cloudstacksim.ZoneName1+`"`))
	// Output: true
}
