package vspheresim

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// toolsInterval is how often the Tools stand-in looks for powered-on VMs
// without an address.
const toolsInterval = 5 * time.Millisecond

// runTools starts the VMware Tools stand-in on the session vc: every
// toolsInterval, each powered-on VM without a guest address gets one
// (10.0.x.y) and Tools "running", through vcsim's SET.guest.* extraConfig
// hook. Errors go to logf when set. The returned function stops it and
// waits for it.
func runTools(vc *vim25.Client, logf func(string, ...any)) (stop func()) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		v, err := view.NewManager(vc).CreateContainerView(ctx, vc.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
		if err != nil {
			logf("vspheresim tools: %v", err)
			return
		}
		next := 1
		for ctx.Err() == nil {
			var vms []mo.VirtualMachine
			if err := v.Retrieve(ctx, []string{"VirtualMachine"}, []string{"runtime.powerState", "guest.ipAddress"}, &vms); err != nil && ctx.Err() == nil {
				logf("vspheresim tools: %v", err)
			}
			for _, vm := range vms {
				if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOn || (vm.Guest != nil && vm.Guest.IpAddress != "") {
					continue
				}
				ip := fmt.Sprintf("10.0.%d.%d", next/250, next%250+2)
				next++
				if err := setGuest(ctx, object.NewVirtualMachine(vc, vm.Self), ip); err != nil && ctx.Err() == nil {
					logf("vspheresim tools: %s: %v", vm.Self.Value, err)
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(toolsInterval):
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// setGuest gives the VM the guest address ip and Tools "running".
func setGuest(ctx context.Context, vm *object.VirtualMachine, ip string) error {
	task, err := vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{
		ExtraConfig: []types.BaseOptionValue{
			&types.OptionValue{Key: "SET.guest.ipAddress", Value: ip},
			&types.OptionValue{Key: "SET.guest.toolsRunningStatus", Value: string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)},
		},
	})
	if err != nil {
		return err
	}
	return task.Wait(ctx)
}
