package main

import (
	"context"
	"net"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// startDemoSimulator starts the CloudStack simulator on a free loopback
// port, serving until the returned demoSim is closed. The demo signs in as
// the simulator's normal (non-admin) account, as a cloud's user would.
func startDemoSimulator(jobDelay time.Duration) (*demoSim, error) {
	sim := cloudstacksim.New(&cloudstacksim.Options{JobDelay: jobDelay})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, ln, func(endpoint string) { ready <- endpoint }) }()
	select {
	case endpoint := <-ready:
		creds := sim.UserCredentials()
		return &demoSim{url: endpoint, apiKey: creds.APIKey, secretKey: creds.SecretKey, close: func() {
			cancel()
			<-done
		}}, nil
	case err := <-done:
		cancel()
		return nil, err
	}
}
