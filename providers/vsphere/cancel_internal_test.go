package vsphere

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// A clone that completes although the caller's context ended (the cancel
// came too late) is undone: await hands its result to undo, which destroys
// the VM.
func TestAwaitUndoesATaskThatCompletedAfterCancel(t *testing.T) {
	simulator.Test(func(ctx context.Context, vc *vim25.Client) {
		d := &Driver{opts: Options{CleanupTimeout: time.Minute}, logger: slog.New(slog.DiscardHandler)}
		vm, err := find.NewFinder(vc).VirtualMachine(ctx, "DC0_H0_VM0")
		if err != nil {
			t.Fatal(err)
		}
		folders, err := object.NewDatacenter(vc, mustDC(ctx, t, vc)).Folders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		task, err := vm.Clone(ctx, folders.VmFolder, "late", types.VirtualMachineCloneSpec{})
		if err != nil {
			t.Fatal(err)
		}
		if err := task.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		done, cancel := context.WithCancel(ctx)
		cancel()
		var undone types.AnyType
		_, err = d.await(done, vc, task.Reference(), "CreateNode", "late", func(ctx context.Context, result types.AnyType) {
			undone = result
			if ref, ok := result.(types.ManagedObjectReference); ok {
				d.destroyQuietly(ctx, vc, ref)
			}
		})
		if err != context.Canceled {
			t.Fatalf("await with a cancelled context: %v, want context.Canceled", err)
		}
		if undone == nil {
			t.Fatal("undo was not called for a task that completed")
		}
		if _, err := find.NewFinder(vc).VirtualMachine(ctx, "late"); err == nil {
			t.Fatal("the VM of the undone clone still exists")
		}
	})
}

func mustDC(ctx context.Context, t *testing.T, vc *vim25.Client) types.ManagedObjectReference {
	t.Helper()
	dc, err := find.NewFinder(vc).Datacenter(ctx, "DC0")
	if err != nil {
		t.Fatal(err)
	}
	return dc.Reference()
}
