package openstack

import (
	"strings"

	"github.com/goclouds/goclouds/types"
)

// novaStates maps every Nova server status to a node state; Libcloud's
// OpenStack driver maps them the same way, except RESIZE and REVERT_RESIZE
// (reconfiguring here, pending in Libcloud) and MIGRATING (migrating).
var novaStates = map[string]types.NodeState{
	"ACTIVE":            types.NodeStateRunning,
	"BUILD":             types.NodeStatePending,
	"REBUILD":           types.NodeStatePending,
	"SHUTOFF":           types.NodeStateStopped,
	"SUSPENDED":         types.NodeStateSuspended,
	"PAUSED":            types.NodeStatePaused,
	"SHELVED":           types.NodeStateStopped,
	"SHELVED_OFFLOADED": types.NodeStateStopped,
	"RESIZE":            types.NodeStateReconfiguring,
	"VERIFY_RESIZE":     types.NodeStateRunning,
	"REVERT_RESIZE":     types.NodeStateReconfiguring,
	"REBOOT":            types.NodeStateRebooting,
	"HARD_REBOOT":       types.NodeStateRebooting,
	"PASSWORD":          types.NodeStateRunning,
	"RESCUE":            types.NodeStatePending,
	"MIGRATING":         types.NodeStateMigrating,
	"ERROR":             types.NodeStateError,
	"DELETED":           types.NodeStateTerminated,
	"SOFT_DELETED":      types.NodeStateTerminated,
	"UNKNOWN":           types.NodeStateUnknown,
}

// nodeState returns the node state of a Nova status, refined by the task
// state while a server powers off (stopping), powers on (starting) or is
// being deleted (terminated... once gone; stopping meanwhile). Unknown
// statuses are NodeStateUnknown.
func nodeState(status, taskState string) types.NodeState {
	st, ok := novaStates[strings.ToUpper(status)]
	if !ok {
		return types.NodeStateUnknown
	}
	switch strings.ToLower(taskState) {
	case "powering-off":
		return types.NodeStateStopping
	case "powering-on":
		return types.NodeStateStarting
	case "deleting":
		return types.NodeStateStopping
	}
	return st
}
