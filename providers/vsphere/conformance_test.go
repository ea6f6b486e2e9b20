package vsphere_test

import (
	"context"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/vsphere"
)

// harness serves drivers on one shared simulator to the conformance suite.
type harness struct {
	s       *sim
	drivers []*vsphere.Driver
}

func (h *harness) MakeDriver(context.Context) (compute.Driver, error) {
	d, err := vsphere.New(h.s.options())
	if err != nil {
		return nil, err
	}
	h.drivers = append(h.drivers, d)
	return d, nil
}

func (h *harness) Fixtures() computetest.Fixtures {
	f := computetest.Fixtures{
		ImageID: h.s.templateID, SizeID: "small", LocationID: h.s.dcID,
		AddressInterface: compute.AnyIPs,
		WaitInterval:     5 * time.Millisecond, WaitTimeout: 30 * time.Second,
	}
	if raceEnabled {
		// vcsim races with itself on concurrent destroys (race_on_test.go):
		// the driver's concurrency is still exercised by the suite's
		// readers running beside the create.
		f.ParallelCreates = 1
	}
	return f
}

func (h *harness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{StartStop: true, Volumes: true, Images: true}
}

func (h *harness) Close() {
	for _, d := range h.drivers {
		_ = d.Close()
	}
}

func TestConformance(t *testing.T) {
	s := newSim(t, nil)
	s.startTools(t)
	computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
		return &harness{s: s}, nil
	}, nil)
}
