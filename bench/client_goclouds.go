package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/types"
)

// gocloudsClient does the workloads through goclouds' public API with the
// driver's default settings.
type gocloudsClient struct {
	d     *cloudstack.Driver
	zone  *compute.Location
	image *compute.Image
	size  *compute.Size
}

func (c *gocloudsClient) name() string { return "goclouds" }

func (c *gocloudsClient) prepare(w string, a *clientArgs) error {
	d, err := cloudstack.New(&cloudstack.Options{URL: a.endpoint, Key: a.key, Secret: a.secret})
	if err != nil {
		return err
	}
	c.d = d
	if w != wlCreateSeq && w != wlCreatePar && w != wlCreateThrottled {
		return nil
	}
	// The catalogue lookups happen before the measurement, as for every client.
	ctx := context.Background()
	locs, err := d.ListLocations(ctx)
	if err != nil {
		return err
	}
	for _, l := range locs {
		if l.Name == simZone {
			c.zone = l
		}
	}
	images, err := d.ListImages(ctx, c.zone)
	if err != nil {
		return err
	}
	for _, i := range images {
		if i.Name == simTemplate {
			c.image = i
		}
	}
	sizes, err := d.ListSizes(ctx, c.zone)
	if err != nil {
		return err
	}
	for _, s := range sizes {
		if s.Name == simOffering {
			c.size = s
		}
	}
	if c.zone == nil || c.image == nil || c.size == nil {
		return fmt.Errorf("the catalogue lacks %s, %s or %s", simZone, simTemplate, simOffering)
	}
	return nil
}

func (c *gocloudsClient) run(w string, a *clientArgs, r *result) {
	ctx := context.Background()
	var errs errorCounter
	defer errs.fill(r)
	switch w {
	case wlZones:
		measure(r, func() {
			for range a.n {
				locs, err := c.d.ListLocations(ctx)
				errs.add(err)
				r.Rows = len(locs)
			}
		})
	case wlList:
		measure(r, func() {
			nodes, err := c.d.ListNodes(ctx)
			errs.add(err)
			r.Rows = len(nodes)
		})
	case wlCreateSeq, wlCreatePar, wlCreateThrottled:
		runCreates(w, a.n, r, &errs, func(i int) (bool, error) {
			n, err := c.d.CreateNode(ctx, &compute.CreateNodeRequest{
				Name: fmt.Sprintf("%s-%d", a.tag, i), Image: c.image, Size: c.size, Location: c.zone,
			})
			return err == nil && n.State == types.NodeStateRunning, err
		})
	case wlMemStream:
		h := startHeapSampler()
		measure(r, func() {
			for n, err := range c.d.ExIterNodes(ctx, nil) {
				errs.add(err)
				if n != nil {
					r.Rows++
				}
			}
		})
		r.PeakHeap = h.Stop()
	case wlMemFull:
		h := startHeapSampler()
		var nodes []*compute.Node
		measure(r, func() {
			var err error
			nodes, err = c.d.ListNodes(ctx)
			errs.add(err)
		})
		r.PeakHeap = h.Stop()
		r.Rows = len(nodes)
		runtime.KeepAlive(nodes)
	default:
		errs.add(fmt.Errorf("unknown workload %q", w))
	}
}
