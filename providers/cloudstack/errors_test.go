package cloudstack

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
)

func TestAPIError_Kind(t *testing.T) {
	const missing = "Unable to execute API command listvirtualmachines due to invalid value. Invalid parameter id value=00000000-0000-4000-8000-00000000dead due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."
	cases := []struct {
		code int
		text string
		want error
	}{
		{401, "unable to verify user credentials and/or request signature", compute.ErrPermissionDenied},
		{403, "This API is deprecated", compute.ErrPermissionDenied},
		{404, "Not Found", compute.ErrInvalidArgument},
		{405, "Please use HTTP POST", compute.ErrNotSupported},
		{411, "2FA", compute.ErrPermissionDenied},
		{429, "The given user has reached his/her account api limit, please retry after [218] ms.", compute.ErrThrottled},
		{430, "Malformed map parameter", compute.ErrInvalidArgument},
		{431, missing, compute.ErrNotFound},
		{431, "Unable to find service offering: 104", compute.ErrNotFound},
		{431, "A key pair with name 'x' does not exist for account admin in specified domain id", compute.ErrNotFound},
		{431, "A key pair with name 'x' already exists.", compute.ErrAlreadyExists},
		{431, "Unable to execute API command deployvirtualmachine due to missing parameter zoneid", compute.ErrInvalidArgument},
		{431, "Public key is invalid", compute.ErrInvalidArgument},
		{432, "The given command does not exist or it is not available for the user", compute.ErrNotSupported},
		{500, "Internal Server Error", compute.ErrUnavailable},
		{501, "Not Implemented", compute.ErrNotSupported},
		{502, "Bad Gateway", compute.ErrUnavailable},
		{503, "Service Unavailable", compute.ErrUnavailable},
		{511, "2FA required", compute.ErrPermissionDenied},
		{530, "Template 205 has not been completely downloaded to zone 1", compute.ErrInternal},
		{530, "Internal error executing command, please contact your system administrator", compute.ErrInternal},
		{531, "Failed to authenticate user", compute.ErrPermissionDenied},
		{532, "Maximum number of resources of type 'user_vm' for account name=x has been exceeded.", compute.ErrQuotaExceeded},
		{533, "Insufficient capacity", compute.ErrQuotaExceeded},
		{534, "Resource unavailable", compute.ErrUnavailable},
		{535, "Resource allocation error", compute.ErrInternal},
		{536, "Volume is in use", compute.ErrConflict},
		{537, "The range specified conflicts with rule", compute.ErrConflict},
		{537, "A rule already exists", compute.ErrAlreadyExists},
		{599, "?", compute.ErrInternal},
		{600, "?", compute.ErrInternal},
	}
	for _, c := range cases {
		e := &APIError{HTTPStatus: c.code, ErrorCode: c.code, ErrorText: c.text, Command: "x"}
		assert.Equal(t, c.want, e.Kind(), "%d %s", c.code, c.text)
	}
}

func TestWrap(t *testing.T) {
	d := &Driver{provider: "cloudstack"}
	ae := &csapi.Error{HTTPStatus: 431, ErrorCode: 431, CSErrorCode: 9999, ErrorText: "entity does not exist", Command: "destroyVirtualMachine"}
	err := d.wrap("DestroyNode", "vm-1", ae)
	var ce *compute.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "DestroyNode", ce.Op)
	assert.Equal(t, "vm-1", ce.ID)
	assert.ErrorIs(t, err, compute.ErrNotFound)
	var got *APIError
	require.ErrorAs(t, err, &got)
	assert.Equal(t, &APIError{HTTPStatus: 431, ErrorCode: 431, CSErrorCode: 9999, ErrorText: "entity does not exist", Command: "destroyVirtualMachine"}, got)
	assert.Equal(t, `compute: cloudstack: DestroyNode "vm-1": not found: destroyVirtualMachine: error 431/9999: entity does not exist`, err.Error())

	// Context errors pass through.
	assert.Same(t, context.Canceled, d.wrap("ListNodes", "", context.Canceled))
	wrapped := fmt.Errorf("x: %w", context.DeadlineExceeded)
	assert.Equal(t, wrapped, d.wrap("ListNodes", "", wrapped))

	// A job still running when the wait ended names the resource and still
	// matches the context error.
	err = d.wrap("CreateNode", "", &csapi.JobPendingError{Command: "deployVirtualMachine", JobID: "j1", ResourceID: "vm-9", Err: context.DeadlineExceeded})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "vm-9", ce.ID)
	assert.ErrorIs(t, err, compute.ErrUnavailable)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pe *JobPendingError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "j1", pe.JobID())
	assert.Equal(t, "vm-9", pe.ResourceID())
	assert.Equal(t, "deployVirtualMachine", pe.Command())

	// A lost answer to a state-changing command.
	err = d.wrap("StopNode", "vm-2", &csapi.TransportError{Command: "stopVirtualMachine", Sent: true, Err: errors.New("EOF")})
	assert.ErrorIs(t, err, compute.ErrUnavailable)
	assert.Contains(t, err.Error(), "stopVirtualMachine: outcome unknown")
	assert.Contains(t, err.Error(), `"vm-2"`)

	// A malformed answer.
	err = d.wrap("ListNodes", "", &csapi.MalformedResponseError{Command: "listVirtualMachines", HTTPStatus: 200, Err: errors.New("bad")})
	assert.ErrorIs(t, err, compute.ErrInternal)
}

func TestNodeState(t *testing.T) {
	for in, want := range map[string]string{
		"Running": "running", "Starting": "starting", "Stopping": "stopping", "Stopped": "stopped",
		"Migrating": "migrating", "Destroyed": "terminated", "Expunging": "terminated", "Error": "error",
		"Unknown": "unknown", "Shutdown": "stopped", "Shutdowned": "stopped", "Restoring": "pending",
		"running": "running", "Something new": "unknown", "": "unknown",
	} {
		assert.Equal(t, want, string(NodeState(in)), in)
	}
	assert.Equal(t, "inuse", string(VolumeState("Ready", true)))
	assert.Equal(t, "available", string(VolumeState("Allocated", false)))
	assert.Equal(t, "deleting", string(VolumeState("Destroying", false)))
	assert.Equal(t, "unknown", string(VolumeState("Whatever", true)))
	assert.Equal(t, "available", string(SnapshotState("BackedUp")))
	assert.Equal(t, "unknown", string(SnapshotState("x")))
}
