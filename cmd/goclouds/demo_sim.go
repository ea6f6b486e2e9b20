package main

import (
	"context"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
	"github.com/goclouds/goclouds/types"
)

// demoSimulators start the simulator `goclouds demo --provider` runs on,
// by provider; jobDelay is how long its async jobs or state transitions
// take.
var demoSimulators = map[types.Provider]func(jobDelay time.Duration) (*demoSim, error){
	types.ProviderCloudStack: startCloudStackDemo,
	types.ProviderEC2:        startEC2Demo,
	types.ProviderOpenStack:  startOpenStackDemo,
}

// startCloudStackDemo starts the CloudStack simulator on a free loopback
// port, serving until the returned demoSim is closed. The demo signs in as
// the simulator's normal (non-admin) account, as a cloud's user would.
func startCloudStackDemo(jobDelay time.Duration) (*demoSim, error) {
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: jobDelay})
	creds := sim.UserCredentials()
	return serveDemo(sim.Serve, func(endpoint string) *demoSim {
		return &demoSim{provider: types.ProviderCloudStack, constant: "types.ProviderCloudStack", title: "CloudStack",
			url: endpoint, cfg: compute.Config{URL: endpoint, Key: creds.APIKey, Secret: creds.SecretKey}}
	})
}

// startEC2Demo starts the EC2 simulator on a free loopback port, serving
// until the returned demoSim is closed. The driver gets an empty base AWS
// configuration, so no AWS file or variable of the user's reaches it.
func startEC2Demo(jobDelay time.Duration) (*demoSim, error) {
	sim, err := ec2sim.New(&ec2sim.Options{TransitionDelay: jobDelay})
	if err != nil {
		return nil, err
	}
	return serveDemo(sim.Serve, func(endpoint string) *demoSim {
		return &demoSim{provider: types.ProviderEC2, constant: "types.ProviderEC2", title: "EC2",
			url: endpoint, cfg: compute.Config{URL: endpoint, Key: sim.AccessKey(), Secret: sim.SecretKey(),
				Region: sim.Region(), ProviderOptions: &aws.Config{}}}
	})
}

// startOpenStackDemo starts the OpenStack simulator on a free loopback
// port, serving until the returned demoSim is closed. The demo signs in as
// the simulator's member user with Keystone password auth; the credentials
// in the Config keep OS_* variables and clouds.yaml out.
func startOpenStackDemo(jobDelay time.Duration) (*demoSim, error) {
	sim := openstacksim.NewServer(&openstacksim.Options{TransitionDelay: jobDelay})
	c := sim.UserCredentials()
	return serveDemo(sim.Serve, func(authURL string) *demoSim {
		return &demoSim{provider: types.ProviderOpenStack, constant: "types.ProviderOpenStack", title: "OpenStack", url: authURL,
			cfg: compute.Config{URL: authURL, Username: c.Username, Password: c.Password, Domain: c.UserDomainName,
				Project: c.ProjectName, ProjectDomain: c.ProjectDomainName, Region: c.Region}}
	})
}

// serveDemo runs serve on a free loopback port and returns the demoSim
// describe makes of its endpoint, whose close stops serving.
func serveDemo(serve func(context.Context, net.Listener, func(string)) error, describe func(endpoint string) *demoSim) (*demoSim, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, func(endpoint string) { ready <- endpoint }) }()
	select {
	case endpoint := <-ready:
		sim := describe(endpoint)
		sim.close = func() {
			cancel()
			<-done
		}
		return sim, nil
	case err := <-done:
		cancel()
		return nil, err
	}
}
