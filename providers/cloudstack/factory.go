package cloudstack

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"

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
// means seconds. An unknown key or a bad value is an error.
func DecodeSettings(m map[string]any, s *Settings) error {
	return decodeMap(m, s)
}

// decodeMap is the mapstructure decoding shared by DecodeSettings and
// ParseCreateNodeOptions.
func decodeMap(m map[string]any, out any) error {
	if len(m) == 0 {
		return nil
	}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           out,
		WeaklyTypedInput: true,
		ErrorUnused:      true,
		MatchName:        func(key, field string) bool { return normalizeKey(key) == normalizeKey(field) },
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			secondsToDuration,
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
			stringToMap,
		),
	})
	if err != nil {
		return err
	}
	if err := dec.Decode(m); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	return nil
}

func normalizeKey(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// secondsToDuration reads a plain number given for a duration as seconds.
func secondsToDuration(from, to reflect.Type, data any) (any, error) {
	if to != reflect.TypeFor[time.Duration]() {
		return data, nil
	}
	switch v := data.(type) {
	case int:
		return time.Duration(v) * time.Second, nil
	case int64:
		return time.Duration(v) * time.Second, nil
	case float64:
		return time.Duration(v * float64(time.Second)), nil
	}
	return data, nil
}

// stringToMap reads "k=v,k2=v2" given for a map[string]string.
func stringToMap(from, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok || to != reflect.TypeFor[map[string]string]() {
		return data, nil
	}
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want key=value", pair)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}
