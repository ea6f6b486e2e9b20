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
}

// Factory is the dummy provider's [compute.Factory], registered as
// types.ProviderDummy. The endpoint and credential fields of cfg are ignored,
// except that, as with Libcloud's DummyNodeDriver(creds), a Key that is a
// positive integer sets the number of initial nodes. cfg.Options may hold
// (decoded by compute.DecodeOptions: values typed or strings, keys ignoring
// case, '-' and '_'):
//
//	nodes            Options.Nodes (overrides Key)
//	transition_delay Options.TransitionDelay: a Go duration such as "50ms",
//	                 or a number of seconds
//	public_ip        Options.PublicIP, an IP address
//	ssh_port         Options.SSHPort, 1 to 65535
//	key_type         Options.KeyType, "ed25519" or "rsa"
//	rsa_bits         Options.RSABits, 2048 to 8192
//
// Unknown keys and bad values give an error matching
// compute.ErrInvalidArgument.
func Factory(cfg compute.Config) (compute.Driver, error) {
	opts, err := optionsFromConfig(cfg)
	if err != nil {
		return nil, compute.NewError(types.ProviderDummy, "New", "", compute.ErrInvalidArgument, err)
	}
	return New(opts), nil
}

func optionsFromConfig(cfg compute.Config) (*Options, error) {
	var co configOptions
	if err := compute.DecodeOptions(cfg.Options, &co); err != nil {
		return nil, err
	}
	o := &Options{
		TransitionDelay: co.TransitionDelay,
		PublicIP:        co.PublicIP,
		SSHPort:         co.SSHPort,
		KeyType:         KeyType(strings.ToLower(string(co.KeyType))),
		RSABits:         co.RSABits,
	}
	switch {
	case co.Nodes != nil:
		o.Nodes = *co.Nodes
	case cfg.Key != "":
		if n, err := strconv.Atoi(strings.TrimSpace(cfg.Key)); err == nil && n > 0 {
			o.Nodes = n
		}
	}
	return o, o.validate()
}

// validate reports the first unusable option.
func (o *Options) validate() error {
	const maxNodes = 1 << 20
	switch {
	case o.Nodes > maxNodes:
		return fmt.Errorf("nodes %d: at most %d", o.Nodes, maxNodes)
	case o.TransitionDelay < 0:
		return fmt.Errorf("transition_delay %s is negative", o.TransitionDelay)
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
