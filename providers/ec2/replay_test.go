package ec2_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/ec2"
	"github.com/goclouds/goclouds/types"
)

// replay serves Libcloud's recorded EC2 answers (testdata/libcloud-ec2,
// Apache-2.0) by Action: files[action] names the file ("" for the
// action's snake_case name); an error document is served with HTTP 400.
type replay struct {
	mu      sync.Mutex
	files   map[string]string
	actions []string
}

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if err := req.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := req.Form.Get("Action")
	r.mu.Lock()
	r.actions = append(r.actions, action)
	name, ok := r.files[action]
	r.mu.Unlock()
	if !ok {
		http.Error(w, "no fixture for "+action, http.StatusNotImplemented)
		return
	}
	body, err := os.ReadFile(filepath.Join("testdata", "libcloud-ec2", name))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	if strings.Contains(string(body), "<Errors>") {
		w.WriteHeader(http.StatusBadRequest)
	}
	_, _ = w.Write(body)
}

// replayDriver returns a driver talking to a replay of files.
func replayDriver(t *testing.T, files map[string]string) (*ec2.Driver, *replay) {
	t.Helper()
	r := &replay{files: files}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	d, err := ec2.Factory(compute.Config{URL: srv.URL, Key: "AKIDEXAMPLE", Secret: "secret", Region: "us-east-1",
		Options: map[string]any{"retry_max_attempts": 1}})
	require.NoError(t, err)
	return d.(*ec2.Driver), r
}

func TestReplayNodes(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{"DescribeInstances": "describe_instances.xml"})
	nodes, err := d.ListNodes(t.Context())
	require.NoError(t, err)
	require.NotEmpty(t, nodes)
	first := nodes[0]
	assert.Equal(t, "i-4382922a", first.ID)
	assert.Equal(t, types.NodeStateStopped, first.State)
	assert.Equal(t, []string{"1.2.3.4"}, first.PublicIPs)
	assert.Equal(t, []string{"10.211.11.211"}, first.PrivateIPs)
	assert.Equal(t, "m1.small", first.Size.ID)
	assert.Equal(t, "ami-3215fe5a", first.Image.ID)
	assert.Equal(t, "us-east-1d", first.Location.ID)
	assert.Equal(t, "fauxkey", first.Extra["key_name"])
	assert.Equal(t, 2013, first.CreatedAt.Year())
	var named *compute.Node
	for _, n := range nodes {
		if n.Name == "Test Server 2" {
			named = n
		}
	}
	require.NotNil(t, named, "the Name tag is the node's name")
	assert.Equal(t, "Test Server 2", named.Tags["Name"])
}

func TestReplayCreateAndLifecycle(t *testing.T) {
	d, r := replayDriver(t, map[string]string{
		"RunInstances": "run_instances.xml", "TerminateInstances": "terminate_instances.xml",
		"StartInstances": "start_instances.xml", "StopInstances": "stop_instances.xml",
		"RebootInstances": "reboot_instances.xml", "ModifyInstanceAttribute": "modify_instance_attribute.xml",
	})
	n, err := d.CreateNode(t.Context(), &compute.CreateNodeRequest{Name: "web", Image: &compute.Image{ID: "ami-be3adfd7"},
		Size: &compute.Size{ID: "m1.small"}, UserData: []byte("#!/bin/sh\n"), Tags: map[string]string{"role": "web"}})
	require.NoError(t, err)
	assert.Equal(t, "i-2ba64342", n.ID)
	assert.Equal(t, "web", n.Name)
	assert.Equal(t, "web", n.Tags["role"])
	assert.Equal(t, types.NodeStatePending, n.State)
	require.NoError(t, d.RebootNode(t.Context(), "i-4382922a"))
	require.NoError(t, d.StartNode(t.Context(), "i-4382922a"))
	require.NoError(t, d.StopNode(t.Context(), "i-4382922a"))
	require.NoError(t, d.DestroyNode(t.Context(), "i-4382922a"))
	assert.Equal(t, []string{"RunInstances", "RebootInstances", "StartInstances", "StopInstances", "TerminateInstances"}, r.actions)
}

func TestReplayIdempotency(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{"RunInstances": "run_instances_idem.xml"})
	req := &compute.CreateNodeRequest{Name: "idem", Image: &compute.Image{ID: "ami-be3adfd7"}, Size: &compute.Size{ID: "m1.small"},
		IdempotencyKey: "testclienttoken"}
	n, err := d.CreateNode(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, "testclienttoken", n.Extra["client_token"])

	d, _ = replayDriver(t, map[string]string{"RunInstances": "run_instances_idem_mismatch.xml"})
	_, err = d.CreateNode(t.Context(), req)
	require.ErrorIs(t, err, compute.ErrConflict)
	assert.Contains(t, err.Error(), "IdempotentParameterMismatch")
}

func TestReplayCatalogue(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{"DescribeImages": "describe_images.xml",
		"DescribeAvailabilityZones": "describe_availability_zones.xml"})
	images, err := d.ListImages(t.Context(), nil)
	require.NoError(t, err)
	require.NotEmpty(t, images)
	assert.Equal(t, "ami-57ba933a", images[0].ID)
	assert.Equal(t, "Test Image", images[0].Name)
	img, err := d.GetImage(t.Context(), "ami-57ba933a")
	require.NoError(t, err)
	assert.Equal(t, "Test Image", img.Name)
	locs, err := d.ListLocations(t.Context())
	require.NoError(t, err)
	require.Len(t, locs, 2)
	assert.Equal(t, "eu-west-1a", locs[0].ID)
}

func TestReplayVolumesAndSnapshots(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{
		"DescribeVolumes": "describe_volumes.xml", "CreateVolume": "create_volume.xml",
		"AttachVolume": "attach_volume.xml", "DetachVolume": "detach_volume.xml", "DeleteVolume": "delete_volume.xml",
		"ModifyVolume": "modify_volume.xml", "DescribeSnapshots": "describe_snapshots.xml",
		"CreateSnapshot": "create_snapshot.xml", "DeleteSnapshot": "delete_snapshot.xml",
	})
	vols, err := d.ListVolumes(t.Context())
	require.NoError(t, err)
	require.Len(t, vols, 3)
	assert.Equal(t, types.VolumeStateAvailable, vols[0].State)
	assert.Equal(t, 1, vols[0].Size)
	assert.Equal(t, types.VolumeStateInUse, vols[1].State)
	assert.Equal(t, types.VolumeStateUnknown, vols[2].State, "an unknown EBS state maps to unknown")
	v, err := d.CreateVolume(t.Context(), &compute.CreateVolumeRequest{Name: "data", Size: 10, Location: &compute.Location{ID: "us-east-1a"}})
	require.NoError(t, err)
	assert.NotEmpty(t, v.ID)
	require.NoError(t, d.AttachVolume(t.Context(), v.ID, "i-4382922a", "/dev/sdh"))
	require.NoError(t, d.DetachVolume(t.Context(), v.ID))
	require.NoError(t, d.DestroyVolume(t.Context(), v.ID))
	snaps, err := d.ListVolumeSnapshots(t.Context(), "")
	require.NoError(t, err)
	require.NotEmpty(t, snaps)
	assert.Equal(t, "snap-428abd35", snaps[0].ID)
	assert.Equal(t, types.SnapshotStateCreating, snaps[0].State)
	s, err := d.CreateVolumeSnapshot(t.Context(), v.ID, "backup")
	require.NoError(t, err)
	assert.NotEmpty(t, s.ID)
	require.NoError(t, d.DestroyVolumeSnapshot(t.Context(), s.ID))
}

func TestReplayKeyPairs(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{"DescribeKeyPairs": "describe_key_pairs.xml",
		"CreateKeyPair": "create_key_pair.xml", "ImportKeyPair": "import_key_pair.xml"})
	pairs, err := d.ListKeyPairs(t.Context())
	require.NoError(t, err)
	require.NotEmpty(t, pairs)
	assert.Equal(t, "gsg-keypair", pairs[0].Name)
	kp, err := d.CreateKeyPair(t.Context(), "my-key-pair")
	require.NoError(t, err)
	assert.Equal(t, "my-key-pair", kp.Name)
	assert.Contains(t, kp.PrivateKey, "PRIVATE KEY")
	kp, err = d.ImportKeyPair(t.Context(), "keypair", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3Y8TqrHnzfp1Jm1MrCTFb3Gj4t5a/8kqZ+9GsoYgQ8 a")
	require.NoError(t, err)
	assert.Equal(t, "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00", kp.Extra["ec2_fingerprint"])
	assert.True(t, strings.HasPrefix(kp.Fingerprint, "SHA256:"), kp.Fingerprint)

	d, _ = replayDriver(t, map[string]string{"DescribeKeyPairs": "describe_key_pairs_doesnt_exist.xml"})
	_, err = d.GetKeyPair(t.Context(), "test-key-pair")
	require.ErrorIs(t, err, compute.ErrNotFound)
	require.ErrorIs(t, d.DeleteKeyPair(t.Context(), "test-key-pair"), compute.ErrNotFound)
}

func TestReplayImages(t *testing.T) {
	d, _ := replayDriver(t, map[string]string{"CreateImage": "create_image.xml", "DescribeImages": "describe_images.xml",
		"DeregisterImage": "deregister_image.xml"})
	img, err := d.CreateImage(t.Context(), "i-4382922a", "Test Image", "")
	require.NoError(t, err)
	assert.NotEmpty(t, img.ID)
	require.NoError(t, d.DeleteImage(t.Context(), img.ID))
}
