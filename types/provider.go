package types

import "strings"

// Provider names a compute provider. Values are lower-case, as in Libcloud.
type Provider string

// The providers goclouds ships.
const (
	// ProviderDummy is the in-memory provider for tests.
	ProviderDummy Provider = "dummy"
	// ProviderCloudStack is Apache CloudStack, at an endpoint of the user's choosing.
	ProviderCloudStack Provider = "cloudstack"
	// ProviderExoscale is the Exoscale preset of the CloudStack driver.
	ProviderExoscale Provider = "exoscale"
	// ProviderIkoula is the Ikoula preset of the CloudStack driver.
	ProviderIkoula Provider = "ikoula"
	// ProviderAuroraCompute is the Aurora Compute preset of the CloudStack driver.
	ProviderAuroraCompute Provider = "auroracompute"
	// ProviderEC2 is Amazon EC2 (and EC2-compatible clouds, through the URL).
	ProviderEC2 Provider = "ec2"
	// ProviderVSphere is VMware vSphere (vCenter or ESXi) through its SOAP API.
	ProviderVSphere Provider = "vsphere"
	// ProviderOpenStack is OpenStack (Keystone, Nova, Glance, Cinder, Neutron).
	ProviderOpenStack Provider = "openstack"
)

// String returns the provider's name.
func (p Provider) String() string { return string(p) }

// Normalize returns p in lower case with surrounding space removed, the form
// under which providers are registered; names match case-insensitively.
func (p Provider) Normalize() Provider {
	return Provider(strings.ToLower(strings.TrimSpace(string(p))))
}
