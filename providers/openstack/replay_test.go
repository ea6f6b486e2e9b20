package openstack_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/openstack"
	"github.com/goclouds/goclouds/types"
)

// replayProject is the project id in the recorded token's catalogue.
const replayProject = "9c4693dce56b493b9b83197d900f7fba"

// fixture reads a recorded Libcloud answer.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "libcloud", name))
	require.NoError(t, err)
	return string(b)
}

// replayCloud serves Libcloud's recorded answers: the Keystone v3 token
// (its catalogue pointed at this server), and the given paths. It counts
// token requests.
func replayCloud(t *testing.T, routes map[string]string) (string, *atomic.Int32) {
	t.Helper()
	var tokens atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/identity/v3/auth/tokens" && r.Method == http.MethodPost {
			tokens.Add(1)
			body := fixture(t, "_v3__auth.json")
			for _, old := range []string{"http://192.168.18.100:8774", "http://192.168.18.100:8776", "http://192.168.18.100:9696", "http://192.168.18.100:9292"} {
				body = strings.ReplaceAll(body, old, srv.URL+"/"+old[len(old)-4:])
			}
			w.Header().Set("X-Subject-Token", "recorded-token")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(body))
			return
		}
		key := r.Method + " " + r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		name, ok := routes[key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"itemNotFound": {"code": 404, "message": "no recording for ` + key + `"}}`))
			return
		}
		_, _ = w.Write([]byte(fixture(t, name)))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/identity/v3", &tokens
}

func replayDriver(t *testing.T, authURL string) *openstack.Driver {
	t.Helper()
	d, err := openstack.New(&openstack.Options{AuthURL: authURL, Username: "u", Password: "p", UserDomainName: "Default",
		ProjectName: "demo", Region: "regionOne", NoEnvironment: true})
	require.NoError(t, err)
	return d
}

func TestReplayServer(t *testing.T) {
	u, _ := replayCloud(t, map[string]string{
		"GET /8774/v2/" + replayProject + "/servers/26f7fbee-8ce1-4c28-887a-bfe8e4bb10fe": "_servers_26f7fbee_8ce1_4c28_887a_bfe8e4bb10fe.json",
	})
	d := replayDriver(t, u)
	n, err := d.GetNode(t.Context(), "26f7fbee-8ce1-4c28-887a-bfe8e4bb10fe")
	require.NoError(t, err)
	assert.Equal(t, types.NodeStatePending, n.State) // BUILD
	assert.Equal(t, "1", n.Size.ID)                  // microversion 2.1 (no versions document): flavor by id
	assert.Equal(t, "fcf5582a-ad13-4d98-90a6-742116f1793c", n.Image.ID)
	assert.Equal(t, "testaz", n.Location.ID)
	assert.Equal(t, map[string]string{"My Server Name": "Apache1"}, n.Tags)
	assert.Equal(t, []string{}, n.PublicIPs)
}

func TestReplayErrorStateServer(t *testing.T) {
	u, _ := replayCloud(t, map[string]string{
		"GET /8774/v2/" + replayProject + "/servers/detail": "_servers_detail_ERROR_STATE.json",
	})
	nodes, err := replayDriver(t, u).ListNodes(t.Context())
	require.NoError(t, err)
	require.Len(t, nodes, 1)
	assert.Equal(t, types.NodeStateError, nodes[0].State)
	assert.Contains(t, nodes[0].Extra["fault"], "erred")
}

func TestReplayKeyPairs(t *testing.T) {
	u, _ := replayCloud(t, map[string]string{"GET /8774/v2/" + replayProject + "/os-keypairs": "_os_keypairs.json"})
	kps, err := replayDriver(t, u).ListKeyPairs(t.Context())
	require.NoError(t, err)
	require.Len(t, kps, 2)
	assert.Equal(t, "key1", kps[0].ID)
	assert.Equal(t, "22:0e:d6:f7:bd:5e:ee:49:cf:1f:10:d5:9c:a8:35:64", kps[0].Fingerprint)
}

func TestReplayUnauthorized(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(fixture(t, "_v3__auth_unauthorized.json")))
	}))
	defer srv.Close()
	_, err := replayDriver(t, srv.URL+"/identity/v3").ListNodes(context.Background())
	require.ErrorIs(t, err, compute.ErrPermissionDenied)
	var api *openstack.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "Unauthorized", api.Type)
	assert.Equal(t, "The request you have made requires authentication.", api.Message)
	var raw gophercloud.ErrUnexpectedResponseCode
	require.True(t, errors.As(err, &raw), "the raw gophercloud error is reachable")
	assert.Equal(t, http.StatusUnauthorized, raw.Actual)
	assert.NotContains(t, err.Error(), "\"p\"")
}
