package cloudstack

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// The environment variables FromEnvironment reads: the Terraform
// provider's names (also the goclouds CLI's), then those of Python's cs and
// Ansible.
const (
	EnvAPIURL    = "CLOUDSTACK_API_URL"
	EnvAPIKey    = "CLOUDSTACK_API_KEY"
	EnvSecretKey = "CLOUDSTACK_SECRET_KEY"
	EnvEndpoint  = "CLOUDSTACK_ENDPOINT"
	EnvKey       = "CLOUDSTACK_KEY"
	EnvSecret    = "CLOUDSTACK_SECRET"
)

// Credentials are an endpoint and key pair found by FromEnvironment.
type Credentials struct {
	// URL is the endpoint the source names ("" when it names none).
	URL string
	// Key and Secret are the API key and secret key.
	Key, Secret string
	// Insecure is set when a cmk profile turns certificate checks off.
	Insecure bool
	// Source says where they come from: "env CLOUDSTACK_API_KEY",
	// "env CLOUDSTACK_KEY" or "cmk profile <name> of <file>".
	Source string
}

// String describes the credentials without the secret key.
func (c Credentials) String() string {
	return fmt.Sprintf("Credentials{URL:%q Key:%q Secret:%s Insecure:%v Source:%q}", c.URL, c.Key, redacted(c.Secret), c.Insecure, c.Source)
}

// GoString is as String, so %#v does not reveal the secret either.
func (c Credentials) GoString() string { return c.String() }

// FromEnvironment looks for CloudStack credentials in the ecosystem's
// standard places, in this order, and returns those of the first that
// holds both a key and a secret:
//
//  1. CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY (the
//     Terraform provider's names);
//  2. CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY, CLOUDSTACK_SECRET (Python's cs,
//     Ansible);
//  3. the active profile of cloudmonkey's ~/.cmk/config (url, apikey,
//     secretkey, verifycert).
//
// It returns nil, nil when none has credentials (no file is not an error);
// an unreadable or malformed config file is an error matching
// compute.ErrInvalidArgument. The factory uses it when compute.Config has
// no credentials.
func FromEnvironment() (*Credentials, error) {
	for _, names := range [][3]string{{EnvAPIURL, EnvAPIKey, EnvSecretKey}, {EnvEndpoint, EnvKey, EnvSecret}} {
		key, secret := strings.TrimSpace(os.Getenv(names[1])), strings.TrimSpace(os.Getenv(names[2]))
		if key != "" && secret != "" {
			return &Credentials{URL: strings.TrimSpace(os.Getenv(names[0])), Key: key, Secret: secret, Source: "env " + names[1]}, nil
		}
	}
	path, err := DefaultCmkConfigPath()
	if err != nil {
		return nil, nil // no home directory: no profile
	}
	c, err := ReadCmkConfig(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, invalidConfig(err)
	}
	if _, ok := c.Profiles[c.ActiveProfile("")]; !ok {
		return nil, nil
	}
	p, err := c.Profile("")
	if err != nil {
		return nil, invalidConfig(fmt.Errorf("config file %s: %w", path, err))
	}
	if p.APIKey == "" || p.SecretKey == "" {
		return nil, nil
	}
	p.File = path
	return &Credentials{URL: p.URL, Key: p.APIKey, Secret: p.SecretKey, Insecure: p.Insecure,
		Source: fmt.Sprintf("cmk profile %s of %s", p.Name, p.File)}, nil
}
