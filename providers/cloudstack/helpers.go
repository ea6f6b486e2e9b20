package cloudstack

import (
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/goclouds/goclouds/compute"
)

func itoa(i int) string { return strconv.Itoa(i) }

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// asAPIError finds the *APIError in err.
func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

// isKind reports whether err matches the compute error kind.
func isKind(err, kind error) bool { return errors.Is(err, kind) }

// withID sets the resource id of a *compute.Error that has none.
func (d *Driver) withID(err error, id string) error {
	var ce *compute.Error
	if id == "" || !errors.As(err, &ce) || ce.ID != "" {
		return err
	}
	c := *ce
	c.ID = id
	return &c
}

// tagMap returns tags as a key -> value map.
func tagMap(tags []Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
