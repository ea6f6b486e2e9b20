package vsphere_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/goclouds/goclouds/compute"
)

// Cancelling CreateNode while the clone runs returns context.Canceled and
// cancels the clone task on the server.
func TestCreateNodeCancelsTheClone(t *testing.T) {
	s := newSim(t, nil)
	d := newDriver(t, s)
	// Every clone takes a second (simulator.TaskDelay is global: no test of
	// this package runs in parallel).
	simulator.TaskDelay.MethodDelay = map[string]int{"CloneVm": 1000}
	t.Cleanup(func() { simulator.TaskDelay.MethodDelay = nil })
	// vcsim (unlike vCenter) runs a cancelled task to its end anyway: wait
	// for its VM, so that the delay is reset after the task read it, and
	// remove it.
	t.Cleanup(func() {
		deadline := time.Now().Add(30 * time.Second)
		for s.vmByName(t, "cancelme") == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if vm := s.vmByName(t, "cancelme"); vm != nil {
			if err := d.DestroyNode(context.Background(), vm.Config.InstanceUuid); err != nil {
				t.Error(err)
			}
		}
	})

	ctx, cancel := context.WithCancel(t.Context())
	go func() { // cancel once the clone task runs
		defer cancel()
		for ctx.Err() == nil {
			if len(s.cloneTasks(t)) > 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err := d.CreateNode(ctx, &compute.CreateNodeRequest{
		Name: "cancelme", Image: &compute.Image{ID: s.templateID}, Size: &compute.Size{ID: "small"},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateNode cancelled during the clone: %v, want context.Canceled", err)
	}

	// The driver cancelled the clone task.
	cancelled := false
	for _, info := range s.cloneTasks(t) {
		cancelled = cancelled || info.Cancelled
	}
	if !cancelled {
		t.Error("no cancelled clone task on the server")
	}
}

// cloneTasks returns the clone tasks the server knows.
func (s *sim) cloneTasks(t *testing.T) []types.TaskInfo {
	var tm mo.TaskManager
	pc := s.client.PropertyCollector()
	if err := pc.RetrieveOne(context.Background(), *s.client.ServiceContent.TaskManager, []string{"recentTask"}, &tm); err != nil {
		t.Error(err)
		return nil
	}
	if len(tm.RecentTask) == 0 {
		return nil
	}
	var tasks []mo.Task
	if err := pc.Retrieve(context.Background(), tm.RecentTask, []string{"info"}, &tasks); err != nil {
		t.Error(err)
		return nil
	}
	var out []types.TaskInfo
	for _, task := range tasks {
		if task.Info.DescriptionId == "VirtualMachine.cloneVm" {
			out = append(out, task.Info)
		}
	}
	return out
}
