package openstack

import (
	"context"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
)

// cacheTTL is how long the flavor names and external networks are kept.
const cacheTTL = 5 * time.Minute

// lookups caches what node conversion needs beside the server itself.
type lookups struct {
	mu        sync.Mutex
	flavors   map[string]string // flavor name → id
	flavorsAt time.Time
	ext       map[string]bool // external network names
	extIDs    map[string]bool // external network ids
	extAt     time.Time
}

// flavorIDs returns flavor names → ids when a server in list embeds its
// flavor without an id (microversion 2.47+), listing the flavors when the
// cache is stale or lacks a name; nil when no server needs it. A failed
// listing leaves the names as ids.
func (d *Driver) flavorIDs(ctx context.Context, c *conn, list []servers.Server) map[string]string {
	var names []string
	for _, s := range list {
		if _, ok := s.Flavor["id"]; !ok {
			if n := str(s.Flavor["original_name"]); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	fresh := time.Since(c.cache.flavorsAt) < cacheTTL
	missing := false
	for _, n := range names {
		if _, ok := c.cache.flavors[n]; !ok {
			missing = true
		}
	}
	if fresh && !missing {
		return c.cache.flavors
	}
	pages, err := flavors.ListDetail(c.compute, flavors.ListOpts{AccessType: flavors.AllAccess}).AllPages(ctx)
	if err == nil {
		var all []flavors.Flavor
		if all, err = flavors.ExtractFlavors(pages); err == nil {
			m := make(map[string]string, len(all))
			for _, f := range all {
				m[f.Name] = f.ID
			}
			c.cache.flavors, c.cache.flavorsAt = m, time.Now()
		}
	}
	if err != nil {
		d.logger.Debug("openstack: listing flavors for server sizes", "error", err)
	}
	return c.cache.flavors
}

// externalNetworks returns the names of the networks Neutron marks
// router:external, cached; empty when Neutron is missing or fails.
func (d *Driver) externalNetworks(ctx context.Context, c *conn) map[string]bool {
	names, _ := d.externalNets(ctx, c)
	return names
}

// externalNets returns the names and the ids of the external networks,
// cached; empty when Neutron is missing or fails.
func (d *Driver) externalNets(ctx context.Context, c *conn) (names, ids map[string]bool) {
	if c.network == nil {
		return nil, nil
	}
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	if c.cache.ext != nil && time.Since(c.cache.extAt) < cacheTTL {
		return c.cache.ext, c.cache.extIDs
	}
	yes := true
	opts := external.ListOptsExt{ListOptsBuilder: networks.ListOpts{}, External: &yes}
	names, ids = map[string]bool{}, map[string]bool{}
	pages, err := networks.List(c.network, opts).AllPages(ctx)
	if err == nil {
		var all []networks.Network
		if all, err = networks.ExtractNetworks(pages); err == nil {
			for _, n := range all {
				names[n.Name], ids[n.ID] = true, true
			}
		}
	}
	if err != nil {
		d.logger.Debug("openstack: listing external networks", "error", err)
	}
	c.cache.ext, c.cache.extIDs, c.cache.extAt = names, ids, time.Now()
	return names, ids
}
