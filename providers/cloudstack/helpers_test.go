package cloudstack_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// Shared set-up of the simulator tests: a simulator served by httptest and
// the ids of its seeded catalogue.

// startSim starts a simulator with o (nil for the defaults; SSH keys of
// 1024 bits unless o sets SSHKeyBits) on an httptest server, both closed
// when the test ends.
func startSim(t testing.TB, o *cloudstacksim.Options) (*cloudstacksim.Server, *httptest.Server) {
	t.Helper()
	var opts cloudstacksim.Options
	if o != nil {
		opts = *o
	}
	if opts.SSHKeyBits == 0 {
		opts.SSHKeyBits = 1024
	}
	sim := cloudstacksim.New(&opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		sim.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return sim, srv
}

// simIDs are the ids of the simulator's seeded catalogue entries that the
// tests use.
type simIDs struct {
	zone1, zone2  string // cloudstacksim.ZoneName1 (basic), ZoneName2 (advanced)
	image         string // cloudstacksim.TemplateTinyLinux
	passwordImage string // "Ubuntu 22.04 LTS", password enabled
	size          string // cloudstacksim.OfferingTiny
}

// lookupSimIDs looks the seeded catalogue up through d; every entry must be
// found.
func lookupSimIDs(t testing.TB, d *cloudstack.Driver) simIDs {
	t.Helper()
	var ids simIDs
	ctx := context.Background()
	locs, err := d.ListLocations(ctx)
	require.NoError(t, err)
	for _, l := range locs {
		switch l.Name {
		case cloudstacksim.ZoneName1:
			ids.zone1 = l.ID
		case cloudstacksim.ZoneName2:
			ids.zone2 = l.ID
		}
	}
	images, err := d.ListImages(ctx, nil)
	require.NoError(t, err)
	for _, i := range images {
		switch i.Name {
		case cloudstacksim.TemplateTinyLinux:
			ids.image = i.ID
		case "Ubuntu 22.04 LTS":
			ids.passwordImage = i.ID
		}
	}
	sizes, err := d.ListSizes(ctx, nil)
	require.NoError(t, err)
	for _, s := range sizes {
		if s.Name == cloudstacksim.OfferingTiny {
			ids.size = s.ID
		}
	}
	require.NotEmpty(t, ids.zone1, "zone %s", cloudstacksim.ZoneName1)
	require.NotEmpty(t, ids.zone2, "zone %s", cloudstacksim.ZoneName2)
	require.NotEmpty(t, ids.image, "template %s", cloudstacksim.TemplateTinyLinux)
	require.NotEmpty(t, ids.passwordImage, "a password-enabled template")
	require.NotEmpty(t, ids.size, "offering %s", cloudstacksim.OfferingTiny)
	return ids
}
