package dummy

import (
	"errors"

	"github.com/goclouds/goclouds/compute"
)

// Factory builds a dummy driver from a compute.Config. (placeholder: replaced by the real provider)
func Factory(cfg compute.Config) (compute.Driver, error) {
	return nil, errors.New("dummy: not yet implemented")
}
