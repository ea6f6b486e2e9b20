package vsphere

import (
	"context"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/progress"
	"github.com/vmware/govmomi/vim25/types"
)

// await waits for a task, logging its progress at debug level. When ctx
// ends first, the task is cancelled (CancelTask) and, under a fresh context
// bounded by CleanupTimeout, awaited until it settles; if it completed
// anyway, undo (when not nil) gets its result, so that a cancelled create
// leaves nothing behind. The error is then ctx's.
func (d *Driver) await(ctx context.Context, vc *vim25.Client, ref types.ManagedObjectReference, op, id string,
	undo func(ctx context.Context, result types.AnyType)) (*types.TaskInfo, error) {
	t := object.NewTask(vc, ref)
	pl := &progressLog{d: d, op: op, id: id}
	info, err := t.WaitForResult(ctx, pl)
	pl.wait()
	if ctx.Err() == nil || (err == nil && info != nil && info.State == types.TaskInfoStateSuccess) {
		return info, err
	}
	cctx, cancel := d.cleanupContext()
	defer cancel()
	if cerr := t.Cancel(cctx); cerr != nil {
		d.logger.Debug("vsphere: cancelling the task failed (it may be done)", "op", op, "id", id, "err", cerr)
	}
	info, werr := t.WaitForResult(cctx)
	if werr == nil && info != nil && info.State == types.TaskInfoStateSuccess && undo != nil {
		d.logger.Debug("vsphere: the cancelled task completed; undoing it", "op", op, "id", id)
		undo(cctx, info.Result)
	}
	return nil, ctx.Err()
}

// cleanupContext returns a context for clean-up after the caller's context
// is done, bounded by CleanupTimeout.
func (d *Driver) cleanupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d.opts.CleanupTimeout)
}

// progressLog logs a task's progress reports at debug level.
type progressLog struct {
	d      *Driver
	op, id string
	done   chan struct{} // closed when the logging goroutine ends
}

// Sink implements progress.Sinker: the waiter closes the channel.
func (p *progressLog) Sink() chan<- progress.Report {
	ch := make(chan progress.Report)
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		for r := range ch {
			p.d.logger.Debug("vsphere: task progress", "op", p.op, "id", p.id, "percent", r.Percentage())
		}
	}()
	return ch
}

// wait returns once the logging goroutine, if started, has ended (the
// waiter closed its channel), so that nothing is logged after the wait.
func (p *progressLog) wait() {
	if p.done != nil {
		<-p.done
	}
}
