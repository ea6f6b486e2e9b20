package cloudstack

import (
	"errors"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

// Factory builds a CloudStack driver from a compute.Config. (placeholder)
func Factory(cfg compute.Config) (compute.Driver, error) {
	return nil, errors.New("cloudstack: not yet implemented")
}

// PresetFactory returns the factory of a CloudStack-based provider preset. (placeholder)
func PresetFactory(p types.Provider) compute.Factory { return Factory }
