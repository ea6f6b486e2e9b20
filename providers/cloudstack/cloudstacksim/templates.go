package cloudstacksim

import "strings"

// osType is a guest OS type.
type osType struct {
	base
	description  string
	categoryID   string
	categoryName string
}

// osTypeView is the ostype response object.
type osTypeView struct {
	ID            string `json:"id"`
	Description   string `json:"description"`
	Name          string `json:"name"`
	OSCategoryID  string `json:"oscategoryid"`
	OSCategory    string `json:"oscategoryname"`
	IsUserDefined bool   `json:"isuserdefined"`
}

func viewOSType(o *osType) any {
	return osTypeView{ID: o.id, Description: o.description, Name: o.description, OSCategoryID: o.categoryID, OSCategory: o.categoryName}
}

// template is a VM template. Public built-in templates are in every zone and
// listed once per zone; templates made from snapshots live in one zone.
type template struct {
	base
	owned
	name, displayText string
	os                *osType
	format            string
	hypervisor        string
	size              int64 // bytes
	passwordEnabled   bool
	sshKeyEnabled     bool
	public, featured  bool
	ready             bool
	zones             []*zone // nil: every zone
	templateType      string  // BUILTIN, USER
	dynamic           bool
	extractable       bool
	bootable          bool
}

// inZone reports whether the template is available in z.
func (t *template) inZone(z *zone) bool { return t.zones == nil || contains(t.zones, z) }

// templateView is the template response object.
type templateView struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	DisplayText     string `json:"displaytext"`
	IsPublic        bool   `json:"ispublic"`
	Created         string `json:"created"`
	IsReady         bool   `json:"isready"`
	PasswordEnabled bool   `json:"passwordenabled"`
	Format          string `json:"format"`
	IsFeatured      bool   `json:"isfeatured"`
	CrossZones      bool   `json:"crossZones"`
	OSTypeID        string `json:"ostypeid"`
	OSTypeName      string `json:"ostypename"`
	ownerFields
	ZoneID                string         `json:"zoneid,omitempty"`
	ZoneName              string         `json:"zonename,omitempty"`
	Status                string         `json:"status"`
	Size                  int64          `json:"size,omitempty"`
	TemplateType          string         `json:"templatetype"`
	Hypervisor            string         `json:"hypervisor"`
	IsExtractable         bool           `json:"isextractable"`
	Bootable              bool           `json:"bootable"`
	SSHKeyEnabled         bool           `json:"sshkeyenabled"`
	IsDynamicallyScalable bool           `json:"isdynamicallyscalable"`
	DirectDownload        bool           `json:"directdownload"`
	DeployAsIs            bool           `json:"deployasis"`
	RequiresHVM           bool           `json:"requireshvm"`
	Tags                  []resourceTagV `json:"tags"`
	DownloadDetails       []any          `json:"downloaddetails"`
	ChildTemplates        []any          `json:"childtemplates"`
	HasAnnotations        bool           `json:"hasannotations"`
}

func (c *call) viewTemplate(t *template, z *zone) any {
	v := templateView{ID: t.id, Name: t.name, DisplayText: t.displayText, IsPublic: t.public,
		Created: fmtDate(t.created), IsReady: t.ready, PasswordEnabled: t.passwordEnabled, Format: t.format,
		IsFeatured: t.featured, CrossZones: t.zones == nil, ownerFields: ownerView(t.acct),
		TemplateType: t.templateType, Hypervisor: t.hypervisor, IsExtractable: t.extractable, Bootable: t.bootable,
		SSHKeyEnabled: t.sshKeyEnabled, IsDynamicallyScalable: t.dynamic, RequiresHVM: true,
		Tags: c.tagViews(t.id), DownloadDetails: []any{}, ChildTemplates: []any{}}
	if t.os != nil {
		v.OSTypeID, v.OSTypeName = t.os.id, t.os.description
	}
	if z != nil {
		v.ZoneID, v.ZoneName = z.id, z.name
	}
	if t.ready {
		v.Status, v.Size = "Download Complete", t.size
	} else {
		v.Status = "47% Downloaded"
	}
	return v
}

// templateRow is one row of listTemplates: a template in a zone.
type templateRow struct {
	t *template
	z *zone
}

func init() {
	register(
		cmdDef{Name: "listTemplates", ReadOnly: true, IDKind: kindTemplate, Handler: listTemplates, ItemKey: "template"},
		cmdDef{Name: "listOsTypes", ReadOnly: true, IDKind: kindOSType, Handler: listOsTypes, ItemKey: "ostype"},
		cmdDef{Name: "listHypervisors", ReadOnly: true, Handler: listHypervisors, ItemKey: "hypervisor"},
		cmdDef{Name: "createTemplate", Create: true, Handler: createTemplate, InstanceType: "Template", ItemKey: "template",
			JobClass: "org.apache.cloudstack.api.command.user.template.CreateTemplateCmd"},
		cmdDef{Name: "deleteTemplate", IDKind: kindTemplate, Handler: deleteTemplate, InstanceType: "Template", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.template.DeleteTemplateCmd"},
	)
}

func listTemplates(c *call) (reply, error) {
	ids := refsAs[*template](c, "ids")
	hypervisor, hasHypervisor := c.str("hypervisor")
	return c.listImages("template", "templatefilter", "", c.st.templates.list, nil, func(t *template) bool {
		return c.has("ids") && !contains(ids, t) ||
			hasHypervisor && !strings.EqualFold(t.hypervisor, hypervisor)
	})
}

func listOsTypes(c *call) (reply, error) {
	id, _ := refAs[*osType](c, "id")
	desc, hasDesc := c.str("description")
	cat, hasCat := c.str("oscategoryid")
	keyword, hasKeyword := c.str("keyword")
	keep := func(o *osType) bool {
		switch {
		case id != nil && o != id,
			hasDesc && o.description != desc,
			hasCat && o.categoryID != cat,
			hasKeyword && !keywordMatch(keyword, o.description):
			return false
		}
		return true
	}
	return listItems(c, "ostype", c.st.osTypes.list, keep, viewOSType), nil
}

func listHypervisors(c *call) (reply, error) {
	type hv struct {
		Name string `json:"name"`
	}
	return listItems(c, "hypervisor", []string{"KVM", "Simulator"}, nil, func(n string) any { return hv{n} }), nil
}

func createTemplate(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	snap, _ := refAs[*snapshot](c, "snapshotid")
	vol, _ := refAs[*volume](c, "volumeid")
	switch {
	case snap == nil && vol == nil:
		return nil, invalidParam("Failed to create private template record, need to either specify volumeId or snapshotId")
	case snap != nil && vol != nil:
		return nil, invalidParam("Failed to create private template record, please specify only one of volumeId and snapshotId")
	}
	var z *zone
	var size int64
	if snap != nil {
		if err := c.checkAccess(snap.acct, "Snapshot "+snap.id); err != nil {
			return nil, err
		}
		if snap.state != "BackedUp" {
			return nil, invalidParam("Snapshot id=%s is not in BackedUp state yet and can't be used for template creation", snap.id)
		}
		z, size = snap.zone, snap.size
	} else {
		if err := c.checkAccess(vol.acct, "Volume "+vol.id); err != nil {
			return nil, err
		}
		if vol.vm != nil && vol.vm.state != "Stopped" {
			return nil, invalidParam("VM %s must be stopped before creating a template from its volume", vol.vm.name)
		}
		z, size = vol.zone, vol.size
	}
	os, _ := refAs[*osType](c, "ostypeid")
	t := &template{base: c.st.newBase(), owned: owned{acct: owner}, name: c.str0("name"),
		displayText: c.str0("displaytext"), os: os, format: "QCOW2", hypervisor: "KVM", size: size,
		passwordEnabled: c.boolean("passwordenabled", false), sshKeyEnabled: c.boolean("sshkeyenabled", false),
		public: c.boolean("ispublic", false) && owner.isRootAdmin(), featured: c.boolean("isfeatured", false) && owner.isRootAdmin(),
		zones: []*zone{z}, templateType: "USER", dynamic: c.boolean("isdynamicallyscalable", false), bootable: true}
	c.st.templates.insert(t)
	return &asyncReply{id: t.id, instance: t, run: func() (reply, error) {
		t.ready = true
		return objReply{"template", c.viewTemplate(t, z)}, nil
	}, fail: func() { c.st.templates.remove(t.id) }}, nil
}

func deleteTemplate(c *call) (reply, error) {
	t, _ := refAs[*template](c, "id")
	if err := c.checkAccess(t.acct, "Template "+t.id); err != nil {
		return nil, err
	}
	if t.templateType == "BUILTIN" && !c.caller.isRootAdmin() {
		return nil, permissionDenied("Domain Admin and regular users can modify only their own Public templates")
	}
	return &asyncReply{instance: t, run: func() (reply, error) {
		for _, v := range c.st.vms.list {
			if v.template == t && v.state != "Destroyed" && v.state != "Expunging" && !c.boolean("forced", false) {
				return nil, invalidParam("Unable to delete template with id: %s because VM instances: [%s] are using it.", t.id, v.name)
			}
		}
		drop(c.st, &c.st.templates, t.id)
		return successReply{}, nil
	}}, nil
}

// templateSizeGB returns the template's size in whole GB (at least 1).
func templateSizeGB(t *template) int64 {
	gb := (t.size + (1<<30 - 1)) >> 30
	if gb < 1 {
		gb = 1
	}
	return gb
}
