package openstack

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/stretchr/testify/assert"

	"github.com/goclouds/goclouds/compute"
)

func TestErrorMapping(t *testing.T) {
	d := &Driver{}
	retry := http.Header{"Retry-After": []string{"3"}}
	for _, tc := range []struct {
		status int
		header http.Header
		body   string
		kind   error
		typ    string
	}{
		{404, nil, `{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}`, compute.ErrNotFound, "itemNotFound"},
		{409, nil, `{"conflictingRequest": {"code": 409, "message": "Key pair 'k' already exists."}}`, compute.ErrAlreadyExists, "conflictingRequest"},
		{409, nil, `{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance while it is in vm_state stopped"}}`, compute.ErrConflict, "conflictingRequest"},
		{403, nil, `{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}`, compute.ErrQuotaExceeded, "forbidden"},
		{403, nil, `{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:servers:create"}}`, compute.ErrPermissionDenied, "forbidden"},
		{401, nil, `{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}`, compute.ErrPermissionDenied, "Unauthorized"},
		{413, retry, `{"overLimit": {"code": 413, "message": "This request was rate-limited."}}`, compute.ErrThrottled, "overLimit"},
		{413, nil, `{"overLimit": {"code": 413, "message": "Quota exceeded for cores"}}`, compute.ErrQuotaExceeded, "overLimit"},
		{429, retry, `{"overLimit": {"code": 429, "message": "This request was rate-limited."}}`, compute.ErrThrottled, "overLimit"},
		{400, nil, `{"badRequest": {"code": 400, "message": "Invalid flavorRef provided."}}`, compute.ErrInvalidArgument, "badRequest"},
		{400, nil, `{"badRequest": {"code": 400, "message": "Invalid volume: Volume status must be available, but current status is: in-use."}}`, compute.ErrConflict, "badRequest"},
		{404, nil, `{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found.", "detail": ""}}`, compute.ErrNotFound, "NetworkNotFound"},
		{404, nil, "<html><body><h1>404 Not Found</h1>\nNo image found with ID x\n</body></html>", compute.ErrNotFound, ""},
		{503, nil, `{"computeFault": {"code": 503, "message": "Service Unavailable"}}`, compute.ErrUnavailable, "computeFault"},
		{500, nil, `{"computeFault": {"code": 500, "message": "Unexpected API Error."}}`, compute.ErrInternal, "computeFault"},
	} {
		raw := gophercloud.ErrUnexpectedResponseCode{Actual: tc.status, Body: []byte(tc.body), ResponseHeader: tc.header}
		err := d.wrap("Op", "id", raw)
		assert.ErrorIs(t, err, tc.kind, tc.body)
		var api *APIError
		if assert.ErrorAs(t, err, &api, tc.body) {
			assert.Equal(t, tc.typ, api.Type, tc.body)
			assert.NotEmpty(t, api.Message, tc.body)
		}
		var got gophercloud.ErrUnexpectedResponseCode
		assert.True(t, errors.As(err, &got), "the raw error is reachable")
		assert.Equal(t, tc.status, got.Actual)
	}
	// Reissuing the token failed: the reissue's own answer decides.
	re := gophercloud.ErrUnableToReauthenticate{ErrOriginal: errors.New("401"),
		ErrReauth: gophercloud.ErrUnexpectedResponseCode{Actual: 401, Body: []byte(`{"error": {"code": 401, "message": "m", "title": "Unauthorized"}}`)}}
	assert.ErrorIs(t, d.wrap("Op", "", re), compute.ErrPermissionDenied)
}

func TestNovaStates(t *testing.T) {
	for status := range novaStates {
		assert.NotEqual(t, "", string(nodeState(status, "")), status)
	}
	assert.Equal(t, "stopping", string(nodeState("ACTIVE", "powering-off")))
	assert.Equal(t, "starting", string(nodeState("SHUTOFF", "powering-on")))
	assert.Equal(t, "unknown", string(nodeState("SOMETHING_NEW", "")))
	assert.Equal(t, "running", string(nodeState("VERIFY_RESIZE", "")))
}

func TestSplitAddresses(t *testing.T) {
	addrs := map[string]any{
		"private": []any{
			map[string]any{"addr": "10.0.0.5", "version": 4.0, "OS-EXT-IPS:type": "fixed"},
			map[string]any{"addr": "172.24.4.9", "version": 4.0, "OS-EXT-IPS:type": "floating"},
			map[string]any{"addr": "fd00::5", "version": 6.0, "OS-EXT-IPS:type": "fixed"},
		},
		"public":   []any{map[string]any{"addr": "172.24.4.20", "version": 4.0}},
		"provider": []any{map[string]any{"addr": "8.8.4.4", "version": 4.0}},
	}
	pub, priv := splitAddresses(addrs, map[string]bool{"public": true})
	assert.Equal(t, []string{"172.24.4.9", "8.8.4.4", "172.24.4.20"}, pub)
	assert.Equal(t, []string{"10.0.0.5", "fd00::5"}, priv)
}
