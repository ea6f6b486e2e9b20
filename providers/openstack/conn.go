package openstack

import (
	"context"
	"fmt"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"

	"github.com/goclouds/goclouds/compute"
)

// conn is an authenticated session: the provider client (which reissues
// its token) and the service clients found in the catalogue.
type conn struct {
	provider *gophercloud.ProviderClient
	compute  *gophercloud.ServiceClient
	// minor is the compute microversion's minor number in use (2.minor);
	// 1 when the cloud has no microversions.
	minor int
	// image, volume and network are nil when the catalogue lacks the
	// service; imageErr, volumeErr and networkErr then say why.
	image, volume, network *gophercloud.ServiceClient
	// cache holds flavor names and external networks.
	cache                           lookups
	imageErr, volumeErr, networkErr error
}

// atLeast reports whether the compute microversion in use is 2.minor or
// later.
func (c *conn) atLeast(minor int) bool { return c.minor >= minor }

// connect authenticates with Keystone v3 (version discovery for an
// unversioned URL), finds the services in the catalogue and negotiates the
// compute microversion: the pinned one, or the cloud's maximum when that is
// lower.
func (d *Driver) connect(ctx context.Context) (*conn, error) {
	pc, err := openstack.NewClient(d.opts.AuthURL)
	if err != nil {
		return nil, fmt.Errorf("%w: auth URL: %v", compute.ErrInvalidArgument, err)
	}
	pc.HTTPClient = *d.http
	pc.UserAgent.Prepend("goclouds")
	pc.RetryBackoffFunc = d.throttleBackoff
	pc.MaxBackoffRetries = 1000 // bounded by ThrottleMaxWait instead
	if d.opts.ReauthBefore > 0 {
		pc.ReauthBeforeTokenExpiration = d.opts.ReauthBefore
	}
	if err := openstack.Authenticate(ctx, pc, d.authOptions()); err != nil {
		return nil, err
	}
	eo := gophercloud.EndpointOpts{Region: d.opts.Region, Availability: gophercloud.Availability(d.opts.Interface)}
	c := &conn{provider: pc, minor: 1}
	if c.compute, err = openstack.NewComputeV2(pc, eo); err != nil {
		return nil, fmt.Errorf("compute service: %w", err)
	}
	c.image, c.imageErr = openstack.NewImageV2(pc, eo)
	c.volume, c.volumeErr = openstack.NewBlockStorageV3(pc, eo)
	c.network, c.networkErr = openstack.NewNetworkV2(pc, eo)
	// gophercloud returns a half-built client beside an error.
	for _, p := range []struct {
		sc  **gophercloud.ServiceClient
		err error
	}{{&c.image, c.imageErr}, {&c.volume, c.volumeErr}, {&c.network, c.networkErr}} {
		if p.err != nil {
			*p.sc = nil
		}
	}
	if err := d.negotiate(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// negotiate sets the compute microversion: the pinned one when the cloud
// supports it, else the cloud's maximum; a cloud without a versions
// document (or without microversions) is spoken to at 2.1, the base.
func (d *Driver) negotiate(ctx context.Context, c *conn) error {
	_, want, _ := utils.ParseMicroversion(d.opts.ComputeMicroversion)
	mv, err := utils.GetSupportedMicroversions(ctx, c.compute)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.logger.Debug("openstack: no compute microversions; using 2.1", "error", err)
		return nil
	}
	got := want
	if mv.MaxMajor == 2 && mv.MaxMinor < want {
		got = mv.MaxMinor
		d.logger.Info("openstack: the cloud's compute API is older than the driver's pin",
			"pinned", d.opts.ComputeMicroversion, "using", fmt.Sprintf("2.%d", got))
	}
	if got > 1 {
		c.minor = got
		c.compute.Microversion = fmt.Sprintf("2.%d", got)
	}
	return nil
}

// authOptions builds Keystone v3 options from the driver's credentials.
// Tokens are reissued (AllowReauth) for every kind but a pre-issued token.
func (d *Driver) authOptions() gophercloud.AuthOptions {
	o := d.opts
	ao := gophercloud.AuthOptions{IdentityEndpoint: o.AuthURL, AllowReauth: true}
	switch {
	case o.Token != "":
		ao.TokenID, ao.AllowReauth = o.Token, false
		if o.ProjectID != "" || o.ProjectName != "" {
			ao.Scope = d.scope()
		}
	case o.ApplicationCredentialID != "" || o.ApplicationCredentialName != "":
		ao.ApplicationCredentialID = o.ApplicationCredentialID
		ao.ApplicationCredentialName = o.ApplicationCredentialName
		ao.ApplicationCredentialSecret = o.ApplicationCredentialSecret
		ao.Username, ao.UserID = o.Username, o.UserID
		ao.DomainName, ao.DomainID = o.UserDomainName, o.UserDomainID
	default:
		ao.Username, ao.UserID, ao.Password = o.Username, o.UserID, o.Password
		ao.DomainName, ao.DomainID = o.UserDomainName, o.UserDomainID
		if o.UserID != "" {
			ao.DomainName, ao.DomainID = "", ""
		}
		if o.ProjectID != "" || o.ProjectName != "" {
			ao.Scope = d.scope()
		}
	}
	return ao
}

// scope is the project scope: by id, or by name in the project's domain
// (default the user's).
func (d *Driver) scope() *gophercloud.AuthScope {
	o := d.opts
	if o.ProjectID != "" {
		return &gophercloud.AuthScope{ProjectID: o.ProjectID}
	}
	s := &gophercloud.AuthScope{ProjectName: o.ProjectName, DomainName: o.ProjectDomainName, DomainID: o.ProjectDomainID}
	if s.DomainName == "" && s.DomainID == "" {
		s.DomainName, s.DomainID = o.UserDomainName, o.UserDomainID
	}
	return s
}
