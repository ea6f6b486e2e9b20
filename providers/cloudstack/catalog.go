package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListImages implements compute.Driver.ListImages: the executable templates
// (listTemplates templatefilter=executable), of the location's zone when
// location is not nil. A template offered in several zones is listed once;
// Extra["zone_ids"] lists its zones.
func (d *Driver) ListImages(ctx context.Context, location *compute.Location) ([]*compute.Image, error) {
	p := url.Values{"templatefilter": {"executable"}}
	if location != nil && location.ID != "" {
		p.Set("zoneid", location.ID)
	}
	templates, err := listAll[Template](ctx, d, "ListImages", "listTemplates", d.scoped(p, false), "template")
	if err != nil {
		return nil, err
	}
	return d.toImages(templates), nil
}

// toImages converts templates, merging the per-zone rows of one template.
func (d *Driver) toImages(templates []Template) []*compute.Image {
	images := make([]*compute.Image, 0, len(templates))
	index := make(map[string]int, len(templates))
	for i := range templates {
		t := &templates[i]
		if at, seen := index[t.ID]; seen {
			x := images[at].Extra
			x["zone_ids"] = append(x["zone_ids"].([]string), t.ZoneID)
			continue
		}
		index[t.ID] = len(images)
		images = append(images, d.toImage(t))
	}
	return images
}

// toImage converts a template. Extra has Libcloud's keys (hypervisor,
// format, os, displaytext, size in bytes) and more.
func (d *Driver) toImage(t *Template) *compute.Image {
	zones := []string{}
	if t.ZoneID != "" {
		zones = append(zones, t.ZoneID)
	}
	return &compute.Image{
		ID: t.ID, Name: t.Name, Provider: d.provider,
		Extra: map[string]any{
			"hypervisor":       t.Hypervisor,
			"format":           t.Format,
			"os":               t.OSTypeName,
			"os_type_id":       t.OSTypeID,
			"displaytext":      t.DisplayText,
			"size":             t.Size,
			"is_ready":         t.IsReady,
			"status":           t.Status,
			"password_enabled": t.PasswordEnabled,
			"ssh_key_enabled":  t.SSHKeyEnabled,
			"zone_ids":         zones,
			"template":         t,
		},
	}
}

// GetImage implements compute.Driver.GetImage (listTemplates
// templatefilter=executable id=...).
func (d *Driver) GetImage(ctx context.Context, id string) (*compute.Image, error) {
	const op = "GetImage"
	if strings.TrimSpace(id) == "" {
		return nil, d.errorf(op, id, compute.ErrInvalidArgument, "empty image id")
	}
	p := d.scoped(url.Values{"templatefilter": {"executable"}, "id": {id}}, false)
	templates, err := listAll[Template](ctx, d, op, "listTemplates", p, "template")
	if err != nil {
		return nil, err
	}
	var own []Template
	for _, t := range templates {
		if t.ID == id {
			own = append(own, t)
		}
	}
	if len(own) == 0 {
		return nil, d.errorf(op, id, compute.ErrNotFound, "no executable template with id %q", id)
	}
	return d.toImages(own)[0], nil
}

// ListSizes implements compute.Driver.ListSizes: the service offerings
// (listServiceOfferings), of the location's zone when location is not nil.
// RAM is in MB and Disk the offering's root disk size in GB (0 when the
// template decides); Extra has "cpu" (count), "cpu_speed" (MHz),
// "customized" (the offering takes CPU and memory at deploy time through
// CreateNodeOptions.Details) and the whole record under "offering".
func (d *Driver) ListSizes(ctx context.Context, location *compute.Location) ([]*compute.Size, error) {
	p := url.Values{}
	if location != nil && location.ID != "" {
		p.Set("zoneid", location.ID)
	}
	offerings, err := listAll[ServiceOffering](ctx, d, "ListSizes", "listServiceOfferings", p, "serviceoffering")
	if err != nil {
		return nil, err
	}
	sizes := make([]*compute.Size, len(offerings))
	for i := range offerings {
		o := &offerings[i]
		sizes[i] = &compute.Size{
			ID: o.ID, Name: o.Name, VCPUs: vcpus(o), RAM: o.Memory, Disk: int(o.RootDiskSize), Provider: d.provider,
			Extra: map[string]any{
				"cpu":          o.CPUNumber,
				"cpu_speed":    o.CPUSpeed,
				"customized":   o.IsCustomized,
				"display_text": o.DisplayText,
				"storage_type": o.StorageType,
				"network_rate": o.NetworkRate,
				"offer_ha":     o.OfferHA,
				"offering":     o,
			},
		}
	}
	return sizes, nil
}

// vcpus is the CPU count of an offering: cpunumber, or 0 for a customized
// offering, whose CPU count is chosen at deploy time.
func vcpus(o *ServiceOffering) int {
	if o.IsCustomized {
		return 0
	}
	return o.CPUNumber
}

// ListLocations implements compute.Driver.ListLocations: the zones
// available to the account (listZones available=true). Country is unknown
// to CloudStack and left empty; Extra has the network type, whether
// security groups are enabled, and the whole record under "zone".
func (d *Driver) ListLocations(ctx context.Context) ([]*compute.Location, error) {
	zones, err := listAll[Zone](ctx, d, "ListLocations", "listZones", url.Values{"available": {"true"}}, "zone")
	if err != nil {
		return nil, err
	}
	locs := make([]*compute.Location, len(zones))
	all := make([]compute.Location, len(zones)) // one allocation for all
	for i := range zones {
		z := &zones[i]
		locs[i] = &all[i]
		*locs[i] = compute.Location{
			ID: z.ID, Name: z.Name, Provider: d.provider,
			Extra: map[string]any{
				"network_type":            z.NetworkType,
				"security_groups_enabled": z.SecurityGroupsEnabled,
				"allocation_state":        z.AllocationState,
				"zone":                    z,
			},
		}
	}
	return locs, nil
}

// ListDiskOfferingsOptions filters ExListDiskOfferings.
type ListDiskOfferingsOptions struct {
	// ZoneID lists the offerings of one zone.
	ZoneID string
	// Name lists the offerings with this name.
	Name string
}

// ExListDiskOfferings lists the disk offerings (listDiskOfferings), as
// Libcloud's ex_list_disk_offerings. Not portable.
func (d *Driver) ExListDiskOfferings(ctx context.Context, opts *ListDiskOfferingsOptions) ([]DiskOffering, error) {
	p := url.Values{}
	if opts != nil {
		if opts.ZoneID != "" {
			p.Set("zoneid", opts.ZoneID)
		}
		if opts.Name != "" {
			p.Set("name", opts.Name)
		}
	}
	return listAll[DiskOffering](ctx, d, "ExListDiskOfferings", "listDiskOfferings", p, "diskoffering")
}
