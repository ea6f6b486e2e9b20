package types

import (
	"errors"
	"fmt"
	"strings"
)

// NodeState is the provider-neutral state of a node, with Libcloud's values.
type NodeState string

// Node states, as Libcloud's NodeState.
const (
	NodeStateRunning       NodeState = "running"
	NodeStateStarting      NodeState = "starting"
	NodeStateRebooting     NodeState = "rebooting"
	NodeStateTerminated    NodeState = "terminated"
	NodeStatePending       NodeState = "pending"
	NodeStateUnknown       NodeState = "unknown"
	NodeStateStopping      NodeState = "stopping"
	NodeStateStopped       NodeState = "stopped"
	NodeStateSuspended     NodeState = "suspended"
	NodeStateError         NodeState = "error"
	NodeStatePaused        NodeState = "paused"
	NodeStateReconfiguring NodeState = "reconfiguring"
	NodeStateMigrating     NodeState = "migrating"
	NodeStateNormal        NodeState = "normal"
	NodeStateUpdating      NodeState = "updating"
)

// NodeStates lists every NodeState in Libcloud's order.
var NodeStates = []NodeState{
	NodeStateRunning, NodeStateStarting, NodeStateRebooting, NodeStateTerminated,
	NodeStatePending, NodeStateUnknown, NodeStateStopping, NodeStateStopped,
	NodeStateSuspended, NodeStateError, NodeStatePaused, NodeStateReconfiguring,
	NodeStateMigrating, NodeStateNormal, NodeStateUpdating,
}

// String returns the state's lower-case name.
func (s NodeState) String() string { return string(s) }

// ParseNodeState returns the NodeState named by text (case-insensitive) or an
// error wrapping ErrUnknownState.
func ParseNodeState(text string) (NodeState, error) { return parse(text, NodeStates, "node") }

// VolumeState is the provider-neutral state of a storage volume, with
// Libcloud's StorageVolumeState values.
type VolumeState string

// Volume states, as Libcloud's StorageVolumeState.
const (
	VolumeStateAvailable VolumeState = "available"
	VolumeStateError     VolumeState = "error"
	VolumeStateInUse     VolumeState = "inuse"
	VolumeStateCreating  VolumeState = "creating"
	VolumeStateDeleting  VolumeState = "deleting"
	VolumeStateDeleted   VolumeState = "deleted"
	VolumeStateBackup    VolumeState = "backup"
	VolumeStateAttaching VolumeState = "attaching"
	VolumeStateUnknown   VolumeState = "unknown"
	VolumeStateMigrating VolumeState = "migrating"
	VolumeStateUpdating  VolumeState = "updating"
)

// VolumeStates lists every VolumeState in Libcloud's order.
var VolumeStates = []VolumeState{
	VolumeStateAvailable, VolumeStateError, VolumeStateInUse, VolumeStateCreating,
	VolumeStateDeleting, VolumeStateDeleted, VolumeStateBackup, VolumeStateAttaching,
	VolumeStateUnknown, VolumeStateMigrating, VolumeStateUpdating,
}

// String returns the state's lower-case name.
func (s VolumeState) String() string { return string(s) }

// ParseVolumeState returns the VolumeState named by text (case-insensitive)
// or an error wrapping ErrUnknownState.
func ParseVolumeState(text string) (VolumeState, error) { return parse(text, VolumeStates, "volume") }

// SnapshotState is the provider-neutral state of a volume snapshot, with
// Libcloud's VolumeSnapshotState values.
type SnapshotState string

// Snapshot states, as Libcloud's VolumeSnapshotState.
const (
	SnapshotStateAvailable SnapshotState = "available"
	SnapshotStateError     SnapshotState = "error"
	SnapshotStateCreating  SnapshotState = "creating"
	SnapshotStateDeleting  SnapshotState = "deleting"
	SnapshotStateRestoring SnapshotState = "restoring"
	SnapshotStateUnknown   SnapshotState = "unknown"
	SnapshotStateUpdating  SnapshotState = "updating"
)

// SnapshotStates lists every SnapshotState in Libcloud's order.
var SnapshotStates = []SnapshotState{
	SnapshotStateAvailable, SnapshotStateError, SnapshotStateCreating, SnapshotStateDeleting,
	SnapshotStateRestoring, SnapshotStateUnknown, SnapshotStateUpdating,
}

// String returns the state's lower-case name.
func (s SnapshotState) String() string { return string(s) }

// ParseSnapshotState returns the SnapshotState named by text
// (case-insensitive) or an error wrapping ErrUnknownState.
func ParseSnapshotState(text string) (SnapshotState, error) {
	return parse(text, SnapshotStates, "snapshot")
}

// ErrUnknownState is wrapped by the Parse functions when the text names no state.
var ErrUnknownState = errors.New("types: unknown state")

func parse[S ~string](text string, all []S, kind string) (S, error) {
	for _, s := range all {
		if strings.EqualFold(string(s), strings.TrimSpace(text)) {
			return s, nil
		}
	}
	var zero S
	return zero, fmt.Errorf("%w: %s state %q", ErrUnknownState, kind, text)
}
