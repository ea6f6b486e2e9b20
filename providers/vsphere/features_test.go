package vsphere_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
	gtypes "github.com/goclouds/goclouds/types"
)

// extraConfig returns the VM's extraConfig as a map.
func extraConfig(t *testing.T, s *sim, name string) map[string]string {
	t.Helper()
	vm := s.vmByName(t, name)
	if vm == nil {
		t.Fatalf("no VM %q", name)
	}
	out := map[string]string{}
	for _, b := range vm.Config.ExtraConfig {
		o := b.GetOptionValue()
		if v, ok := o.Value.(string); ok {
			out[o.Key] = v
		}
	}
	return out
}

func TestCreateNodeWithUserDataTagsAndKey(t *testing.T) {
	s := newSim(t, nil)
	d := newDriver(t, s)
	ctx := t.Context()
	userData := []byte("#cloud-config\nruncmd: [echo hi]\n")
	n := create(t, d, s, &compute.CreateNodeRequest{
		Name: "web-1", Size: &compute.Size{ID: "medium"}, UserData: userData,
		Auth:            compute.NodeAuthSSHKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test"),
		Tags:            map[string]string{"env": "prod", "team": "web"},
		ProviderOptions: &vsphere.CreateNodeOptions{Annotation: "made by a test"},
	})
	if n.Size == nil || n.Size.ID != "medium" || n.Extra["num_cpu"] != 2 || n.Extra["memory_mb"] != 4096 {
		t.Errorf("size: %+v, extra %v; want medium (2 vCPU, 4096 MB)", n.Size, n.Extra)
	}
	if n.Tags["env"] != "prod" || n.Tags["team"] != "web" || n.Extra["annotation"] != "made by a test" {
		t.Errorf("tags %v, annotation %v", n.Tags, n.Extra["annotation"])
	}
	ec := extraConfig(t, s, "web-1")
	ud, err := base64.StdEncoding.DecodeString(ec["guestinfo.userdata"])
	if err != nil || string(ud) != string(userData) || ec["guestinfo.userdata.encoding"] != "base64" {
		t.Errorf("guestinfo.userdata = %q (%v), encoding %q", ud, err, ec["guestinfo.userdata.encoding"])
	}
	md, _ := base64.StdEncoding.DecodeString(ec["guestinfo.metadata"])
	var meta struct {
		Hostname string   `json:"local-hostname"`
		Keys     []string `json:"public-keys"`
	}
	if err := json.Unmarshal(md, &meta); err != nil || meta.Hostname != "web-1" || len(meta.Keys) != 1 {
		t.Errorf("guestinfo.metadata = %s (%v)", md, err)
	}

	// Filtering by tag, and several nodes in one call.
	var got []string
	for m, err := range d.IterNodes(ctx, &compute.NodeFilter{Tags: map[string]string{"team": "web"}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.ID)
	}
	if !slices.Equal(got, []string{n.ID}) {
		t.Errorf("IterNodes(team=web) = %v, want [%s]", got, n.ID)
	}
	nodes, err := d.GetNodes(ctx, []string{n.ID, "00000000-0000-4000-8000-00000000dead"})
	if err != nil || len(nodes) != 1 || nodes[0].ID != n.ID {
		t.Errorf("GetNodes = %v, %v", nodes, err)
	}

	// Resize, then snapshots.
	resized, err := d.ResizeNode(ctx, n.ID, &compute.Size{ID: "large"})
	if err != nil || resized.Size == nil || resized.Size.ID != "large" {
		t.Fatalf("ResizeNode(large) = %+v, %v", resized, err)
	}
	if _, err := d.ResizeNode(ctx, n.ID, &compute.Size{ID: "huge"}); !errors.Is(err, compute.ErrNotFound) {
		t.Errorf("ResizeNode to an unknown size: %v, want ErrNotFound", err)
	}
	snap, err := d.ExCreateSnapshot(ctx, n.ID, "before", "a test snapshot", false, false)
	if err != nil || snap.Name != "before" || !snap.Current {
		t.Fatalf("ExCreateSnapshot = %+v, %v", snap, err)
	}
	if _, err := d.ExCreateSnapshot(ctx, n.ID, "after", "", false, false); err != nil {
		t.Fatal(err)
	}
	snaps, err := d.ExListSnapshots(ctx, n.ID)
	if err != nil || len(snaps) != 2 || snaps[1].ParentID != snap.ID {
		t.Fatalf("ExListSnapshots = %+v, %v", snaps, err)
	}
	if err := d.ExRevertSnapshot(ctx, n.ID, snap.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.ExDeleteSnapshot(ctx, n.ID, snap.ID, true); err != nil {
		t.Fatal(err)
	}
	if snaps, err := d.ExListSnapshots(ctx, n.ID); err != nil || len(snaps) != 0 {
		t.Errorf("snapshots after deleting the root with its children: %+v, %v", snaps, err)
	}

	// A stopped node made into a template is an image.
	if err := d.StopNode(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	img, err := d.ExMarkAsTemplate(ctx, n.ID)
	if err != nil || img.ID != n.ID {
		t.Fatalf("ExMarkAsTemplate = %+v, %v", img, err)
	}
	if _, err := d.GetNode(ctx, n.ID); !errors.Is(err, compute.ErrNotFound) {
		t.Errorf("GetNode of a template: %v, want ErrNotFound", err)
	}
	imgs, err := d.ListImages(ctx, &compute.Location{ID: "DC0"})
	if err != nil || len(imgs) != 2 {
		t.Errorf("ListImages(DC0) = %v, %v; want the two templates", imgs, err)
	}
}

func TestCreateNodeRefusals(t *testing.T) {
	s := newSim(t, nil)
	d := newDriver(t, s)
	base := func() *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Name: "no", Image: &compute.Image{ID: s.templateID}, Size: &compute.Size{ID: "small"}}
	}
	for what, c := range map[string]struct {
		change func(*compute.CreateNodeRequest)
		kind   error
	}{
		"a password":       {func(r *compute.CreateNodeRequest) { r.Auth = compute.NodeAuthPassword("x") }, compute.ErrNotSupported},
		"networks":         {func(r *compute.CreateNodeRequest) { r.Networks = []string{"VM Network"} }, compute.ErrNotSupported},
		"security groups":  {func(r *compute.CreateNodeRequest) { r.SecurityGroups = []string{"default"} }, compute.ErrNotSupported},
		"too much data":    {func(r *compute.CreateNodeRequest) { r.UserData = make([]byte, vsphere.MaxUserData+1) }, compute.ErrInvalidArgument},
		"a VM as image":    {func(r *compute.CreateNodeRequest) { r.Image.ID = s.vmByName(t, "DC0_H0_VM0").Config.InstanceUuid }, compute.ErrNotFound},
		"a missing folder": {func(r *compute.CreateNodeRequest) { r.ProviderOptions = vsphere.CreateNodeOptions{Folder: "nope"} }, compute.ErrNotFound},
		"a missing pool":   {func(r *compute.CreateNodeRequest) { r.ProviderOptions = map[string]any{"resource_pool": "nope"} }, compute.ErrNotFound},
	} {
		r := base()
		c.change(r)
		if _, err := d.CreateNode(t.Context(), r); !errors.Is(err, c.kind) {
			t.Errorf("CreateNode with %s: %v, want %v", what, err, c.kind)
		}
	}
	if vm := s.vmByName(t, "no"); vm != nil {
		t.Errorf("a refused CreateNode left VM %s", vm.Self.Value)
	}
	// The placement options are honoured.
	n := create(t, d, s, &compute.CreateNodeRequest{Name: "placed", ProviderOptions: &vsphere.CreateNodeOptions{
		ResourcePool: "DC0_C0/Resources", Datastore: "LocalDS_0", NoPowerOn: true,
	}})
	if n.State != gtypes.NodeStateStopped {
		t.Errorf("NoPowerOn: state %s", n.State)
	}
	vm := s.vmByName(t, "placed")
	if vm.ResourcePool == nil || vm.ResourcePool.Value != s.poolOf(t, "DC0_C0") {
		t.Errorf("the VM runs in pool %v, want DC0_C0's", vm.ResourcePool)
	}
}
