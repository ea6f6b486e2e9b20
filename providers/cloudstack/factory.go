package cloudstack

import (
	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// Factory builds a plain CloudStack driver from a compute.Config: URL, or
// Host, Port and Path; Key and Secret; Insecure, Timeout, HTTPClient and
// Logger as in Options; Config.Options sets the Settings by name (see
// DecodeSettings). It does no network I/O.
func Factory(cfg compute.Config) (compute.Driver, error) {
	return newFromConfig("", cfg)
}

// PresetFactory returns the factory of a CloudStack-based provider:
// types.ProviderExoscale, types.ProviderIkoula or types.ProviderAuroraCompute
// (whose Config.Region picks the region). Any other name gives the plain
// CloudStack factory.
func PresetFactory(p types.Provider) compute.Factory {
	if _, ok := presets[p.Normalize()]; !ok {
		return Factory
	}
	return func(cfg compute.Config) (compute.Driver, error) { return newFromConfig(p, cfg) }
}

func newFromConfig(p types.Provider, cfg compute.Config) (compute.Driver, error) {
	o := &Options{
		URL: cfg.URL, Host: cfg.Host, Port: cfg.Port, Path: cfg.Path, Key: cfg.Key, Secret: cfg.Secret,
		Insecure: cfg.Insecure, Preset: p, Region: cfg.Region, Timeout: cfg.Timeout,
		HTTPClient: cfg.HTTPClient, Logger: cfg.Logger,
	}
	if err := DecodeSettings(cfg.Options, &o.Settings); err != nil {
		name := p
		if name == "" {
			name = types.ProviderCloudStack
		}
		return nil, compute.NewError(name, "New", "", compute.ErrInvalidArgument, err)
	}
	d, err := New(o)
	if err != nil {
		return nil, err // not a typed nil
	}
	return d, nil
}

// DecodeSettings sets the fields of s named by the keys of m, such as
// {"job_timeout": "5m", "list_all": "true", "page_size": 200}. Keys match
// the mapstructure tags of Settings ignoring case, '-' and '_'; values may be
// strings ("30s", "true", "200") or typed; a plain number for a duration
// means seconds. An unknown key or a bad value is an error (see
// compute.DecodeOptions, which it uses).
func DecodeSettings(m map[string]any, s *Settings) error {
	return compute.DecodeOptions(m, s)
}
