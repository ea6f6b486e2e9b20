package cloudstack

import (
	"context"
	"net/url"
	"strings"

	"github.com/goclouds/goclouds/compute"
)

// ListOSTypesOptions filters ExListOSTypes. Zero values are not sent.
type ListOSTypesOptions struct {
	// ID lists one OS type.
	ID string
	// Description lists the OS type with this description.
	Description string
	// OSCategoryID lists the OS types of a category.
	OSCategoryID string
	// Keyword is CloudStack's keyword search.
	Keyword string
}

// ExListOSTypes lists the guest OS types, every page (listOsTypes), as
// Libcloud's ex_list_os_types, typed rather than raw dictionaries. Not
// portable.
func (d *Driver) ExListOSTypes(ctx context.Context, opts *ListOSTypesOptions) ([]OSType, error) {
	p := url.Values{}
	if o := opts; o != nil {
		setString(p, "id", o.ID)
		setString(p, "description", o.Description)
		setString(p, "oscategoryid", o.OSCategoryID)
		setString(p, "keyword", o.Keyword)
	}
	return listAll[OSType](ctx, d, "ExListOSTypes", "listOsTypes", p, "ostype")
}

// RegisterISOOptions are the options of ExRegisterISO. Nil flags are not
// sent (the server's defaults apply: an ISO is bootable by default).
type RegisterISOOptions struct {
	// ZoneID is the zone the ISO is registered in ("-1": every zone);
	// default the driver's ZoneID or the first zone listed.
	ZoneID string
	// DisplayText describes the ISO; default its name.
	DisplayText string
	// Bootable says whether VMs can boot from the ISO.
	Bootable *bool
	// OSTypeID is the ISO's OS type, required unless Bootable is false.
	OSTypeID string
	// IsPublic, IsFeatured, IsExtractable, PasswordEnabled,
	// IsDynamicallyScalable and DirectDownload set those flags.
	IsPublic              *bool
	IsFeatured            *bool
	IsExtractable         *bool
	PasswordEnabled       *bool
	IsDynamicallyScalable *bool
	DirectDownload        *bool
	// Checksum is the ISO's checksum ("{md5}...", "{sha256}...").
	Checksum string
	// OwnerOptions register the ISO for a project or another account.
	OwnerOptions
}

// ExRegisterISO registers an ISO image downloaded from isoURL
// (registerIso) and returns it (the server describes ISOs with its template
// record), as Libcloud's ex_register_iso. Not portable.
func (d *Driver) ExRegisterISO(ctx context.Context, name, isoURL string, opts *RegisterISOOptions) (*Template, error) {
	const op = "ExRegisterISO"
	switch {
	case strings.TrimSpace(name) == "":
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "an ISO name is required")
	case strings.TrimSpace(isoURL) == "":
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "an ISO URL is required")
	}
	if opts == nil {
		opts = &RegisterISOOptions{}
	}
	if opts.OSTypeID == "" && (opts.Bootable == nil || *opts.Bootable) {
		return nil, d.errorf(op, name, compute.ErrInvalidArgument, "a bootable ISO needs an OSTypeID (or set Bootable to false)")
	}
	p := d.ownerParams(url.Values{"name": {name}, "url": {isoURL}}, opts.OwnerOptions)
	p.Set("displaytext", name)
	setString(p, "displaytext", opts.DisplayText)
	zoneID := opts.ZoneID
	if zoneID == "" {
		var err error
		if zoneID, err = d.defaultZone(ctx, op); err != nil {
			return nil, err
		}
	}
	p.Set("zoneid", zoneID)
	setBool(p, "bootable", opts.Bootable)
	setString(p, "ostypeid", opts.OSTypeID)
	setBool(p, "ispublic", opts.IsPublic)
	setBool(p, "isfeatured", opts.IsFeatured)
	setBool(p, "isextractable", opts.IsExtractable)
	setBool(p, "passwordenabled", opts.PasswordEnabled)
	setBool(p, "isdynamicallyscalable", opts.IsDynamicallyScalable)
	setBool(p, "directdownload", opts.DirectDownload)
	setString(p, "checksum", opts.Checksum)
	isos, err := listAll[Template](ctx, d, op, "registerIso", p, "iso")
	if err != nil {
		return nil, d.withID(err, name)
	}
	if len(isos) == 0 {
		return nil, d.errorf(op, name, compute.ErrInternal, "the server registered the ISO but returned no ISO")
	}
	return &isos[0], nil
}

// SnapshotTemplateOptions are the options of ExCreateSnapshotTemplate. Nil
// flags are not sent.
type SnapshotTemplateOptions struct {
	// DisplayText describes the template; default its name.
	DisplayText string
	// PasswordEnabled, SSHKeyEnabled, IsPublic, IsFeatured,
	// IsDynamicallyScalable and RequiresHVM set those flags.
	PasswordEnabled       *bool
	SSHKeyEnabled         *bool
	IsPublic              *bool
	IsFeatured            *bool
	IsDynamicallyScalable *bool
	RequiresHVM           *bool
	// Bits is 32 or 64 (0: not sent).
	Bits int
	// TemplateTag tags the template.
	TemplateTag string
	// ProjectID creates the template in a project; default the driver's
	// ProjectID.
	ProjectID string
}

// ExCreateSnapshotTemplate makes a template of a volume snapshot
// (createTemplate snapshotid=..., waiting for the job) and returns it as an
// image, as Libcloud's ex_create_snapshot_template; Extra["template"] holds
// the *Template. Not portable.
func (d *Driver) ExCreateSnapshotTemplate(ctx context.Context, snapshotID, name, osTypeID string, opts *SnapshotTemplateOptions) (*compute.Image, error) {
	const op = "ExCreateSnapshotTemplate"
	if err := d.requireID(op, "snapshot", snapshotID); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(name) == "":
		return nil, d.errorf(op, snapshotID, compute.ErrInvalidArgument, "a template name is required")
	case strings.TrimSpace(osTypeID) == "":
		return nil, d.errorf(op, snapshotID, compute.ErrInvalidArgument, "an OS type id is required")
	}
	if opts == nil {
		opts = &SnapshotTemplateOptions{}
	}
	p := d.ownerParams(url.Values{"snapshotid": {snapshotID}, "name": {name}, "ostypeid": {osTypeID}, "displaytext": {name}},
		OwnerOptions{ProjectID: opts.ProjectID})
	setString(p, "displaytext", opts.DisplayText)
	setBool(p, "passwordenabled", opts.PasswordEnabled)
	setBool(p, "sshkeyenabled", opts.SSHKeyEnabled)
	setBool(p, "ispublic", opts.IsPublic)
	setBool(p, "isfeatured", opts.IsFeatured)
	setBool(p, "isdynamicallyscalable", opts.IsDynamicallyScalable)
	setBool(p, "requireshvm", opts.RequiresHVM)
	if opts.Bits != 0 {
		p.Set("bits", itoa(opts.Bits))
	}
	setString(p, "templatetag", opts.TemplateTag)
	var t Template
	if err := d.callAsync(ctx, op, "createTemplate", p, "template", &t); err != nil {
		return nil, d.withID(err, snapshotID)
	}
	if t.Name == "" {
		t.Name = name
	}
	return d.toImage(&t), nil
}

// GetVolumeOptions are the options of ExGetVolume.
type GetVolumeOptions struct {
	// ProjectID looks in a project; default the driver's ProjectID, then
	// every project.
	ProjectID string
}

// ExGetVolume returns one volume (listVolumes id=...), as Libcloud's
// ex_get_volume. A volume that does not exist or is destroyed gives
// compute.ErrNotFound. Without a project, a volume not found among the
// caller's is looked for among every project's (projectid=-1). Not
// portable.
func (d *Driver) ExGetVolume(ctx context.Context, id string, opts *GetVolumeOptions) (*compute.Volume, error) {
	const op = "ExGetVolume"
	if err := d.requireID(op, "volume", id); err != nil {
		return nil, err
	}
	p := url.Values{"id": {id}, "listall": {"true"}}
	if opts != nil {
		setString(p, "projectid", opts.ProjectID)
	}
	p = d.scoped(p, true)
	find := func() (*Volume, error) {
		vols, err := listAll[Volume](ctx, d, op, "listVolumes", p, "volume")
		if err != nil {
			return nil, err
		}
		for i := range vols {
			if vols[i].ID == id && !volumeGone(&vols[i]) {
				return &vols[i], nil
			}
		}
		return nil, nil
	}
	v, err := find()
	if err == nil && v == nil && !p.Has("projectid") {
		p.Set("projectid", "-1")
		if v, err = find(); isKind(err, compute.ErrInvalidArgument) {
			err = nil // servers without projects
		}
	}
	switch {
	case err != nil:
		return nil, err
	case v == nil:
		return nil, d.errorf(op, id, compute.ErrNotFound, "no volume with id %q", id)
	}
	return d.toVolume(v), nil
}
