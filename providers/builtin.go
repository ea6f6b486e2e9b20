package providers

import (
	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/providers/vsphere"
	"github.com/goclouds/goclouds/types"
)

// builtin holds the providers compiled into goclouds.
var builtin = map[types.Provider]compute.Factory{
	types.ProviderDummy:         dummy.Factory,
	types.ProviderCloudStack:    cloudstack.Factory,
	types.ProviderExoscale:      cloudstack.PresetFactory(types.ProviderExoscale),
	types.ProviderIkoula:        cloudstack.PresetFactory(types.ProviderIkoula),
	types.ProviderAuroraCompute: cloudstack.PresetFactory(types.ProviderAuroraCompute),
	types.ProviderEC2:           ec2.Factory,
	types.ProviderVSphere:       vsphere.Factory,
	types.ProviderOpenStack:     openstack.Factory,
}
