package cloudstack

import (
	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// Factory builds a plain CloudStack driver from a compute.Config alone:
//
//   - Config.ProviderOptions may hold a *Options or an Options (copied),
//     the base every other field overrides when set;
//   - URL, or Host, Port and Path; Key and Secret; Insecure, Region,
//     Timeout, HTTPClient and Logger as in Options;
//   - Project is the project id (Settings.ProjectID);
//   - Config.Options sets the Settings by name (see DecodeSettings);
//   - Token, SessionToken, Username and Password are refused
//     (ErrInvalidArgument): the driver signs requests with an API key pair;
//   - CAFile is not refused.
//
// When neither Config nor its ProviderOptions has a key or a secret, the
// credentials come from FromEnvironment (CLOUDSTACK_* variables, then the
// active cmk profile), with that source's endpoint when Config names none.
// It does no network I/O.
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
	name := p
	if name == "" {
		name = types.ProviderCloudStack
	}
	base, err := compute.ProviderOptionsOf[Options](name, "New", cfg.ProviderOptions)
	if err != nil {
		return nil, err
	}
	o := *base // the caller's options stay untouched
	overrideOptions(&o, p, cfg)
	if err := DecodeSettings(cfg.Options, &o.Settings); err != nil {
		return nil, compute.NewError(name, "New", "", compute.ErrInvalidArgument, err)
	}
	if cfg.Project != "" {
		o.ProjectID = cfg.Project
	}
	switch {
	case cfg.Token != "", cfg.SessionToken != "":
		return nil, invalid(name, "CloudStack signs requests with an API key and secret key (Key, Secret), not a token")
	case cfg.Username != "", cfg.Password != "":
		return nil, invalid(name, "CloudStack's driver signs requests with an API key and secret key (Key, Secret), not a user name and password: get keys with 'cmk register userkeys id=<user id>' or the UI")
	}
	if o.Key == "" && o.Secret == "" {
		creds, err := FromEnvironment()
		if err != nil {
			return nil, err
		}
		if creds != nil {
			o.Key, o.Secret = creds.Key, creds.Secret
			plain := o.Preset == "" || o.Preset.Normalize() == types.ProviderCloudStack
			if plain && o.URL == "" && o.Host == "" && creds.URL != "" {
				o.URL = creds.URL
				o.Insecure = o.Insecure || creds.Insecure
			}
		}
	}
	d, err := New(&o)
	if err != nil {
		return nil, err // not a typed nil
	}
	return d, nil
}

// overrideOptions sets the fields of o that cfg sets, and the preset p.
func overrideOptions(o *Options, p types.Provider, cfg compute.Config) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.URL, cfg.URL)
	set(&o.Host, cfg.Host)
	set(&o.Path, cfg.Path)
	set(&o.Key, cfg.Key)
	set(&o.Secret, cfg.Secret)
	set(&o.Region, cfg.Region)
	if cfg.Port != 0 {
		o.Port = cfg.Port
	}
	if p != "" {
		o.Preset = p
	}
	o.Insecure = o.Insecure || cfg.Insecure
	if cfg.Timeout != 0 {
		o.Timeout = cfg.Timeout
	}
	if cfg.HTTPClient != nil {
		o.HTTPClient = cfg.HTTPClient
	}
	if cfg.Logger != nil {
		o.Logger = cfg.Logger
	}
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
