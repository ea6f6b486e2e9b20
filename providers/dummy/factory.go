package dummy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// configOptions are the keys Factory reads from compute.Config.Options.
type configOptions struct {
	Nodes           *int          `mapstructure:"nodes"`
	TransitionDelay time.Duration `mapstructure:"transition_delay"`
	PublicIP        string        `mapstructure:"public_ip"`
	SSHPort         int           `mapstructure:"ssh_port"`
	KeyType         KeyType       `mapstructure:"key_type"`
	RSABits         int           `mapstructure:"rsa_bits"`
	ThrottleEvery   int           `mapstructure:"throttle_every"`
}

// Factory is the dummy provider's [compute.Factory], registered as
// types.ProviderDummy. The endpoint and credential fields of cfg are ignored
// (the dummy cloud needs no credentials and reads no environment),
// except that, as with Libcloud's DummyNodeDriver(creds), a Key that is a
// positive integer sets the number of initial nodes.
//
// cfg.ProviderOptions may be an *Options (or an Options, or a map of its
// field names, decoded by compute.DecodeOptions); any other type gives
// ErrInvalidArgument. cfg.Options keys, when set, override it. cfg.Options
// may hold (decoded by compute.DecodeOptions: values typed or strings, keys
// ignoring case, '-' and '_'):
//
//	nodes            Options.Nodes (overrides Key)
//	transition_delay Options.TransitionDelay: a Go duration such as "50ms",
//	                 or a number of seconds
//	public_ip        Options.PublicIP, an IP address
//	ssh_port         Options.SSHPort, 1 to 65535
//	key_type         Options.KeyType, "ed25519" or "rsa"
//	rsa_bits         Options.RSABits, 2048 to 8192
//	throttle_every   Options.ThrottleEvery, 0 or more
//
// Unknown keys and bad values give an error matching
// compute.ErrInvalidArgument.
func Factory(cfg compute.Config) (compute.Driver, error) {
	base, err := compute.ProviderOptionsOf[Options](types.ProviderDummy, "New", cfg.ProviderOptions)
	if err != nil {
		return nil, err
	}
	opts, err := optionsFromConfig(*base, cfg)
	if err != nil {
		return nil, compute.NewError(types.ProviderDummy, "New", "", compute.ErrInvalidArgument, err)
	}
	return New(opts), nil
}

// optionsFromConfig returns a copy of base with the settings of cfg's Key
// and Options applied, validated.
func optionsFromConfig(base Options, cfg compute.Config) (*Options, error) {
	var co configOptions
	if err := compute.DecodeOptions(cfg.Options, &co); err != nil {
		return nil, err
	}
	o := &base
	override(&o.TransitionDelay, co.TransitionDelay)
	override(&o.PublicIP, co.PublicIP)
	override(&o.SSHPort, co.SSHPort)
	override(&o.KeyType, KeyType(strings.ToLower(string(co.KeyType))))
	override(&o.RSABits, co.RSABits)
	override(&o.ThrottleEvery, co.ThrottleEvery)
	switch {
	case co.Nodes != nil:
		o.Nodes = *co.Nodes
	case cfg.Key != "" && o.Nodes == 0:
		if n, err := strconv.Atoi(strings.TrimSpace(cfg.Key)); err == nil && n > 0 {
			o.Nodes = n
		}
	}
	return o, o.validate()
}

// override sets *dst to v unless v is the zero value (an option not given).
func override[T comparable](dst *T, v T) {
	var zero T
	if v != zero {
		*dst = v
	}
}

// validate reports the first unusable option.
func (o *Options) validate() error {
	const maxNodes = 1 << 20
	switch {
	case o.Nodes > maxNodes:
		return fmt.Errorf("nodes %d: at most %d", o.Nodes, maxNodes)
	case o.TransitionDelay < 0:
		return fmt.Errorf("transition_delay %s is negative", o.TransitionDelay)
	case o.ThrottleEvery < 0:
		return fmt.Errorf("throttle_every %d is negative", o.ThrottleEvery)
	case o.SSHPort < 0 || o.SSHPort > 65535:
		return fmt.Errorf("ssh_port %d: want 1 to 65535", o.SSHPort)
	}
	if o.PublicIP != "" {
		if _, err := netip.ParseAddr(o.PublicIP); err != nil {
			return fmt.Errorf("public_ip: %w", err)
		}
	}
	d := o.withDefaults()
	return checkKeyParams(d.KeyType, d.RSABits)
}
