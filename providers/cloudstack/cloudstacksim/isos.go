package cloudstacksim

import (
	"net/url"
	"strings"
)

// ISOs are templates of format ISO kept in their own table (the server keeps
// both in vm_template but lists them with different commands). A registered
// ISO downloads for as long as an async job takes (the job delay) and is
// then ready.

// kindISO is the entity kind of ISO ids.
const kindISO = "iso"

func init() {
	registerKind(kindISO, lookupIn(func(st *state) *table[*template] { return &st.isos }))
	registerTaggable("ISO", kindISO)
	register(
		cmdDef{Name: "registerIso", Handler: registerIso, ItemKey: "iso"},
		cmdDef{Name: "listIsos", ReadOnly: true, IDKind: kindISO, Handler: listIsos, ItemKey: "iso"},
		cmdDef{Name: "deleteIso", IDKind: kindISO, Handler: deleteIso, InstanceType: "Iso", ItemKey: "(success)",
			JobClass: "org.apache.cloudstack.api.command.user.iso.DeleteIsoCmd"},
	)
}

// isoURLSuffixes are the endings UriUtils accepts for the ISO format.
var isoURLSuffixes = []string{".iso", ".iso.zip", ".iso.bz2", ".iso.gz"}

// validISOURL checks an ISO URL as UriUtils.validateUrl does: http or https,
// a host, and a path ending in .iso (possibly compressed).
func validISOURL(raw string) *apiError {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return invalidParam("Please specify a valid URL. URL:%s is invalid", raw)
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return invalidParam("Unsupported scheme for url: %s", raw)
	}
	path := strings.ToLower(u.Path)
	for _, suffix := range isoURLSuffixes {
		if strings.HasSuffix(path, suffix) {
			return nil
		}
	}
	return invalidParam("Please specify a valid URL. URL:%s is an invalid for the format iso", raw)
}

// isoReady returns a copy of iso with ready set when its download (one job
// delay long) is over; lists call it under the shared lock, so the stored
// ISO is never written.
func (c *call) isoReady(iso *template) *template {
	cp := *iso
	cp.ready = iso.ready || !c.st.now().Before(iso.created.Add(c.s.JobDelay()))
	return &cp
}

func registerIso(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	if e := validISOURL(c.str0("url")); e != nil {
		return nil, e
	}
	bootable := c.boolean("bootable", true)
	ost, _ := refAs[*osType](c, "ostypeid")
	if bootable && ost == nil {
		return nil, invalidParam("Please pass a valid GuestOS Id")
	}
	var zones []*zone // nil: every zone (zoneid=-1)
	if z, ok := refAs[*zone](c, "zoneid"); ok {
		zones = []*zone{z}
	}
	if err := c.checkLimits(owner, map[int]int64{resTemplate: 1}); err != nil {
		return nil, err
	}
	iso := &template{base: c.st.newBase(), owned: owned{acct: owner}, name: c.str0("name"),
		displayText: c.str0("displaytext"), os: ost, format: "ISO", bootable: bootable,
		public:          c.boolean("ispublic", false),
		featured:        c.boolean("isfeatured", false) && c.caller.isRootAdmin(),
		extractable:     c.boolean("isextractable", false),
		passwordEnabled: c.boolean("passwordenabled", false),
		dynamic:         c.boolean("isdynamicallyscalable", false),
		zones:           zones, templateType: "USER"}
	c.st.isos.insert(iso)
	rows := c.imageRows(c.isoReady(iso), nil)
	return listItems(c, "iso", rows, nil, func(r templateRow) any { return c.viewTemplate(r.t, r.z) }), nil
}

func listIsos(c *call) (reply, error) {
	return c.listImages("iso", "isofilter", "selfexecutable", c.st.isos.list, c.isoReady, func(t *template) bool {
		return c.has("bootable") && t.bootable != c.boolean("bootable", false) ||
			c.has("ispublic") && t.public != c.boolean("ispublic", false) ||
			c.has("isready") && t.ready != c.boolean("isready", false)
	})
}

func deleteIso(c *call) (reply, error) {
	iso, _ := refAs[*template](c, "id")
	if err := c.checkAccess(iso.acct, "Iso "+iso.id); err != nil {
		return nil, err
	}
	z, _ := refAs[*zone](c, "zoneid")
	if z != nil && !iso.inZone(z) {
		return nil, invalidParam("Failed to find ISO %s in zone %s", iso.id, z.id)
	}
	return &asyncReply{instance: iso, run: func() (reply, error) {
		if z != nil && len(iso.zones) > 1 {
			iso.zones = removeFrom(iso.zones, z)
			return successReply{}, nil
		}
		drop(c.st, &c.st.isos, iso.id)
		return successReply{}, nil
	}}, nil
}
