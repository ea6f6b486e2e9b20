package main

import (
	"errors"
	"time"
)

// startDemoSimulator starts the CloudStack simulator on a free loopback
// port. (Wired to cloudstacksim once it lands.)
func startDemoSimulator(jobDelay time.Duration) (*demoSim, error) {
	return nil, errors.New("the CloudStack simulator is not available yet")
}
