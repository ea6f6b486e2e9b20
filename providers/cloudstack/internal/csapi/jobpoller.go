package csapi

import (
	"context"
	"net/url"
	"sync"
	"time"
)

// Batched job polling.
//
// Every WaitJob of a Client registers with the Client's jobPoller, which
// decides when each job is looked at again, on the schedule of Poll.delay
// measured from the job's registration. While two or more jobs wait, one
// listAsyncJobs call (the account's pending jobs created since the earliest
// waiting job's start, less a margin) answers for all of them: a job still
// listed as pending is rescheduled without a call of its own. A job missing
// from the listing has ended (CloudStack lists pending jobs only: a
// finished job is marked removed) and its waiter fetches its result with
// one queryAsyncJobResult; so does a job listed as ended without its
// jobresult. A listing that does list a finished job with its result ends
// that wait without any further call. A single waiting job, a failed
// listing, or listings turned off (see listOffFor) fall back to
// queryAsyncJobResult per due job, which each waiter sends itself under its
// own context. The poller's goroutine runs only while jobs wait.

// Tuning of the batched polling.
const (
	// listStartMargin is subtracted from the earliest waiting job's start
	// to form listAsyncJobs' startdate. CloudStack 4.18 reads only the date
	// part ("yyyy-MM-dd") of startdate, as midnight in the management
	// server's time zone, which may be up to 12 hours behind UTC; the rest
	// covers clock skew between client and server.
	listStartMargin = 14 * time.Hour
	// listOffFor is how long listings stay off after a permanent listing
	// error (such as a role that does not allow listAsyncJobs), or after a
	// listing needed more pages than jobs were waiting.
	listOffFor = 10 * time.Minute
	// startDateLayout is CloudStack's date format (as "created" shows it).
	startDateLayout = "2006-01-02T15:04:05-0700"
)

// jobPoller schedules the polls of one Client's waiting jobs. The zero
// value is ready to use.
type jobPoller struct {
	mu      sync.Mutex
	waiters map[*jobWaiter]struct{}
	running bool
	wake    chan struct{} // cap 1: a waiter came, left or is due again
	ctx     context.Context
	cancel  context.CancelFunc
	// listOff holds listings off until then.
	listOff time.Time
	// wide lists without startdate: a pending job was once missing from a
	// listing (a server reading startdate differently).
	wide bool
}

// jobWaiter is one WaitJob's registration.
type jobWaiter struct {
	jobID string
	poll  Poll
	start time.Time
	due   time.Time
	// busy means the signal was sent and its owner has not come back
	// (requeue): it is not scheduled meanwhile.
	busy   bool
	signal chan jobSignal // cap 1
}

// jobSignal tells a waiter what to do: with job set, the job ended and
// that is its answer; otherwise query the job (missing: it was not in a
// listing).
type jobSignal struct {
	job     *Job
	missing bool
}

// register adds a waiter for jobID, first due after p's first delay, and
// starts the poller's goroutine if it is not running.
func (p *jobPoller) register(c *Client, jobID string, poll Poll) *jobWaiter {
	now := time.Now()
	w := &jobWaiter{jobID: jobID, poll: poll, start: now, signal: make(chan jobSignal, 1)}
	w.due = now.Add(poll.delay(0))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiters == nil {
		p.waiters = map[*jobWaiter]struct{}{}
		p.wake = make(chan struct{}, 1)
	}
	p.waiters[w] = struct{}{}
	if !p.running {
		p.running = true
		p.ctx, p.cancel = context.WithCancel(context.Background())
		go p.run(c)
	} else {
		p.poke()
	}
	return w
}

// deregister removes a waiter; the last one leaving cancels the poller's
// listing in flight, and the goroutine ends.
func (p *jobPoller) deregister(w *jobWaiter) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.waiters, w)
	if len(p.waiters) == 0 && p.cancel != nil {
		p.cancel()
	}
	p.poke()
}

// requeue schedules a waiter again after its owner found the job pending
// (or could not reach it). missing reports that the job was missing from a
// listing although pending: later listings go without startdate.
func (p *jobPoller) requeue(w *jobWaiter, missing bool) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	w.busy = false
	w.due = now.Add(w.poll.delay(now.Sub(w.start)))
	if missing {
		p.wide = true
	}
	p.poke()
}

// poke wakes the goroutine without blocking. The caller holds mu.
func (p *jobPoller) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// dispatch hands a waiter its signal. The caller holds mu.
func (p *jobPoller) dispatch(w *jobWaiter, s jobSignal) {
	w.busy = true
	w.signal <- s // never blocks: one signal per busy period
}

// run is the poller's goroutine: it sleeps until the earliest due waiter
// (or a change), polls, and ends when no waiter is left.
func (p *jobPoller) run(c *Client) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		if len(p.waiters) == 0 {
			p.running = false
			p.cancel()
			p.mu.Unlock()
			return
		}
		if p.ctx.Err() != nil { // the last waiter left and a new one came
			p.ctx, p.cancel = context.WithCancel(context.Background())
		}
		var next time.Time
		for w := range p.waiters {
			if !w.busy && (next.IsZero() || w.due.Before(next)) {
				next = w.due
			}
		}
		ctx := p.ctx
		p.mu.Unlock()
		if next.IsZero() {
			timer.Stop()
		} else {
			timer.Reset(time.Until(next))
		}
		select {
		case <-p.wake:
			continue
		case <-timer.C:
		}
		p.round(ctx, c)
	}
}

// round polls the waiters that are due: by one listing when two or more
// jobs wait, else by signalling each due waiter to query its job.
func (p *jobPoller) round(ctx context.Context, c *Client) {
	now := time.Now()
	p.mu.Lock()
	var due, idle []*jobWaiter
	var since time.Time
	for w := range p.waiters {
		if w.busy {
			continue
		}
		idle = append(idle, w)
		if since.IsZero() || w.start.Before(since) {
			since = w.start
		}
		if !w.due.After(now) {
			due = append(due, w)
		}
	}
	if len(due) == 0 {
		p.mu.Unlock()
		return
	}
	if len(idle) < 2 || now.Before(p.listOff) {
		for _, w := range due {
			p.dispatch(w, jobSignal{})
		}
		p.mu.Unlock()
		return
	}
	params := url.Values{}
	if !p.wide {
		params.Set("startdate", since.Add(-listStartMargin).UTC().Format(startDateLayout))
	}
	p.mu.Unlock()

	pages, err := ListPages[Job](ctx, c, "listAsyncJobs", params, "asyncjobs", Paging{})

	p.mu.Lock()
	defer p.mu.Unlock()
	now = time.Now()
	if err == nil && len(pages) > len(idle) {
		// Paging through other jobs costs more than asking for ours.
		p.listOff = now.Add(listOffFor)
	}
	if err != nil {
		if ctx.Err() == nil && !transient(err) {
			p.listOff = now.Add(listOffFor)
		}
		for _, w := range due {
			if _, ok := p.waiters[w]; ok && !w.busy {
				p.dispatch(w, jobSignal{})
			}
		}
		return
	}
	listed := map[string]*Job{}
	for _, page := range pages {
		for i := range page {
			listed[page[i].JobID] = &page[i]
		}
	}
	// Only the waiters known before the listing was sent: a job submitted
	// since may be missing from it.
	for _, w := range idle {
		if _, ok := p.waiters[w]; !ok || w.busy {
			continue
		}
		j, ok := listed[w.jobID]
		switch {
		case !ok:
			p.dispatch(w, jobSignal{missing: true})
		case j.JobStatus == JobPending:
			w.due = now.Add(w.poll.delay(now.Sub(w.start)))
		case len(j.JobResult) > 0:
			p.dispatch(w, jobSignal{job: j})
		default: // ended, but the listing left its result out
			p.dispatch(w, jobSignal{})
		}
	}
}
