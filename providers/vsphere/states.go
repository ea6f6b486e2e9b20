package vsphere

import (
	"github.com/vmware/govmomi/vim25/types"

	gtypes "github.com/goclouds/goclouds/types"
)

// nodeState maps a VM's power state: poweredOn is running, poweredOff
// stopped, suspended suspended; anything else (a VM being created or
// disconnected) unknown.
func nodeState(p types.VirtualMachinePowerState) gtypes.NodeState {
	switch p {
	case types.VirtualMachinePowerStatePoweredOn:
		return gtypes.NodeStateRunning
	case types.VirtualMachinePowerStatePoweredOff:
		return gtypes.NodeStateStopped
	case types.VirtualMachinePowerStateSuspended:
		return gtypes.NodeStateSuspended
	}
	return gtypes.NodeStateUnknown
}
