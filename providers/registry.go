package providers

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/types"
)

var (
	mu       sync.RWMutex
	registry = maps.Clone(builtin)
)

// aliases maps Libcloud's spellings of provider names that differ from
// goclouds' to goclouds' names, so code and configuration written for
// Libcloud find their provider.
var aliases = map[types.Provider]types.Provider{
	"aurora_compute": types.ProviderAuroraCompute,
}

// resolve returns the registered name p stands for.
func resolve(p types.Provider) types.Provider {
	name := p.Normalize()
	if a, ok := aliases[name]; ok {
		return a
	}
	return name
}

// GetDriver returns the factory registered for the provider p (matched
// case-insensitively; Libcloud's "aurora_compute" is accepted for
// "auroracompute"). For an unknown name the error matches
// compute.ErrNotFound and lists the available providers.
func GetDriver(p types.Provider) (compute.Factory, error) {
	mu.RLock()
	f, ok := registry[resolve(p)]
	mu.RUnlock()
	if !ok {
		var names []string
		for _, n := range Providers() {
			names = append(names, string(n))
		}
		return nil, fmt.Errorf("providers: unknown provider %q (available: %s): %w",
			p, strings.Join(names, ", "), compute.ErrNotFound)
	}
	return f, nil
}

// Register makes a third-party provider available under the name p. It fails
// (with an error matching compute.ErrInvalidArgument or
// compute.ErrAlreadyExists) for an empty name, a nil factory, or a name that
// is already registered, built-in ones and their aliases included.
func Register(p types.Provider, f compute.Factory) error {
	name := p.Normalize()
	if name == "" {
		return fmt.Errorf("providers: Register: empty provider name: %w", compute.ErrInvalidArgument)
	}
	if f == nil {
		return fmt.Errorf("providers: Register %q: nil factory: %w", name, compute.ErrInvalidArgument)
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[resolve(name)]; dup {
		return fmt.Errorf("providers: Register %q: %w", name, compute.ErrAlreadyExists)
	}
	registry[name] = f
	return nil
}

// Providers returns the registered provider names, sorted.
func Providers() []types.Provider {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Sorted(maps.Keys(registry))
}
