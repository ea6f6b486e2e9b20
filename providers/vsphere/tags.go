package vsphere

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// Node tags are vSphere custom attributes (custom fields): a tag's key is
// the attribute's name, created for VirtualMachine objects when missing,
// and its value the VM's value of it. ESXi without vCenter has no custom
// attributes: nodes there have no tags, and CreateNode with tags fails
// with compute.ErrNotSupported.

// fieldNames returns the custom attribute names by key, or nil on ESXi.
func fieldNames(ctx context.Context, vc *vim25.Client) (map[int32]string, error) {
	m, err := object.GetCustomFieldsManager(vc)
	if err != nil {
		return nil, nil // ESXi: no custom attributes
	}
	defs, err := m.Field(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int32]string, len(defs))
	for _, f := range defs {
		names[f.Key] = f.Name
	}
	return names, nil
}

// tagsOf returns the VM's custom attribute values by name; nil when it has
// none.
func tagsOf(v *vmInfo, names map[int32]string) map[string]string {
	if len(v.custom) == 0 || names == nil {
		return nil
	}
	tags := make(map[string]string, len(v.custom))
	for k, val := range v.custom {
		if name, ok := names[k]; ok {
			tags[name] = val
		}
	}
	if len(tags) == 0 {
		return nil
	}
	return tags
}

// setTags sets the VM's custom attributes, creating the attributes that do
// not exist yet.
func setTags(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	m, err := object.GetCustomFieldsManager(vc)
	if err != nil {
		return kindError{kind: compute.ErrNotSupported, err: errors.New("tags are custom attributes, which need vCenter")}
	}
	defs, err := m.Field(ctx)
	if err != nil {
		return err
	}
	keys := map[string]int32{}
	for _, f := range defs {
		if f.ManagedObjectType == "" || f.ManagedObjectType == "VirtualMachine" {
			keys[f.Name] = f.Key
		}
	}
	for _, name := range sortedKeys(tags) {
		key, ok := keys[name]
		if !ok {
			def, err := m.Add(ctx, name, "VirtualMachine", nil, nil)
			if _, dup := faultOf(err).(*types.DuplicateName); dup { // added meanwhile
				key, err = m.FindKey(ctx, name)
			} else if err == nil {
				key = def.Key
			}
			if err != nil {
				return err
			}
		}
		if err := m.Set(ctx, ref, key, tags[name]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range maps.Keys(m) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
