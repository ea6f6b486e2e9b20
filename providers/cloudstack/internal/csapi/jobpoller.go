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
// measured from the job's registration.
//
// A job waited for with a Probe (a deploy whose VM starts) is followed
// through its object: one Probe.Look for all waiting jobs with the same
// Probe.Key (one listVirtualMachines ids=...) tells which still run, which
// succeeded (with their result: no further call) and which must be queried
// once with queryAsyncJobResult (failed, gone, or the result holds what
// the object does not show). A probe is used even for a single job.
//
// The other jobs: while two or more wait, one listAsyncJobs call (the
// account's pending jobs created since the earliest waiting job's start,
// less a margin) answers for all of them: a job still listed as pending is
// rescheduled without a call of its own. A job missing from the listing
// has ended (CloudStack lists pending jobs only: a finished job is marked
// removed) and its waiter fetches its result with one queryAsyncJobResult;
// so does a job listed as ended without its jobresult. A listing that does
// list a finished job with its result ends that wait without any further
// call. A single waiting job, a failed listing or look, or listings turned
// off (see listOffFor) fall back to queryAsyncJobResult per due job, which
// each waiter sends itself under its own context.
//
// Coalescing: while two or more jobs wait, a round is not taken when the
// earliest job is due but as late as every waiting job allows (see
// slackOf), and it serves every job (a look or listing answers for all).
// With jobs submitted continuously (a create loop paced by a rate limit)
// rounds then come every 300 ms (1.5 Poll.Min) instead of every 180-200
// ms, keeping a 1 s job's detection within 1.3 s. The poller's goroutine
// runs only while jobs wait.

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
	// listing needed more pages than jobs were waiting; and how long a
	// probe stays off after a permanent error of its look.
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
	// probeOff holds a probe (by Key) off until then, after a permanent
	// error of its look.
	probeOff map[string]time.Time
}

// jobWaiter is one WaitJob's registration.
type jobWaiter struct {
	jobID string
	poll  Poll
	start time.Time
	due   time.Time
	// slack is how much later than due the waiter may be polled to share
	// a round with others (see slackOf).
	slack time.Duration
	// probe, if set, follows the job through resourceID (see Probe); a
	// look that finds it pending once it waited checkAt queries the job.
	probe      *Probe
	resourceID string
	checkAt    time.Duration
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

// slackOf is how late a poll due after delay d (of a Poll whose smallest
// delay is lo) may come to share a round with others: a fifth of d, and
// while d is near lo, up to 1.5 lo in all. A job last polled at age L is
// thus polled again by max(1.3 L, L + 1.5 lo) (before jitter): a 1 s job
// is seen within 1.3 s even when its poll waited for others, and young
// jobs, whose polls follow the floor lo rather than their age, share
// rounds every 1.5 lo.
func slackOf(d, lo time.Duration) time.Duration { return max(lo*3/2-d, d/5) }

// schedule sets the waiter's next poll from now. The caller holds mu.
func (w *jobWaiter) schedule(now time.Time) {
	d := w.poll.delay(now.Sub(w.start))
	w.due, w.slack = now.Add(d), slackOf(d, w.poll.min())
}

// register adds a waiter for jobID (followed through resourceID by probe
// when probe is not nil), first due after p's first delay, and starts the
// poller's goroutine if it is not running.
func (p *jobPoller) register(c *Client, jobID, resourceID string, poll Poll, probe *Probe) *jobWaiter {
	now := time.Now()
	w := &jobWaiter{jobID: jobID, poll: poll, start: now, signal: make(chan jobSignal, 1)}
	if probe != nil && resourceID != "" {
		w.probe, w.resourceID = probe, resourceID
		w.checkAt = probeCheckAfter * poll.min()
	}
	w.schedule(now)
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
	w.schedule(now)
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
		// The earliest due time, and with two or more idle waiters the
		// latest time that keeps every waiter within its slack.
		var next, coalesced time.Time
		idle := 0
		for w := range p.waiters {
			if w.busy {
				continue
			}
			idle++
			if next.IsZero() || w.due.Before(next) {
				next = w.due
			}
			if late := w.due.Add(w.slack); coalesced.IsZero() || late.Before(coalesced) {
				coalesced = late
			}
		}
		if idle >= 2 {
			next = coalesced
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

// round polls the waiters: the probed ones by their probes' looks, the
// others by one listing when two or more wait, else by signalling each due
// waiter to query its job. A probe looks (and a listing is sent) only when
// one of its waiters is due, and then answers for all of them.
func (p *jobPoller) round(ctx context.Context, c *Client) {
	now := time.Now()
	p.mu.Lock()
	var jobs []*jobWaiter
	probed := map[string][]*jobWaiter{}
	for w := range p.waiters {
		switch {
		case w.busy:
		case w.probe != nil && !now.Before(p.probeOff[w.probe.Key]):
			probed[w.probe.Key] = append(probed[w.probe.Key], w)
		default:
			jobs = append(jobs, w)
		}
	}
	for key, ws := range probed {
		if !anyDue(ws, now) {
			delete(probed, key)
		}
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, ws := range probed {
		wg.Go(func() { p.look(ctx, ws) })
	}
	p.list(ctx, c, jobs, now)
	wg.Wait()
}

// anyDue reports whether one of ws is due at now.
func anyDue(ws []*jobWaiter, now time.Time) bool {
	for _, w := range ws {
		if !w.due.After(now) {
			return true
		}
	}
	return false
}

// look refreshes the waiters ws, which share a probe, with one Probe.Look.
func (p *jobPoller) look(ctx context.Context, ws []*jobWaiter) {
	probe := ws[0].probe
	ids := make([]string, 0, len(ws))
	seen := make(map[string]bool, len(ws))
	for _, w := range ws {
		if !seen[w.resourceID] {
			seen[w.resourceID] = true
			ids = append(ids, w.resourceID)
		}
	}
	res, err := probe.Look(ctx, ids)

	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if err != nil {
		if ctx.Err() == nil && !transient(err) {
			if p.probeOff == nil {
				p.probeOff = map[string]time.Time{}
			}
			p.probeOff[probe.Key] = now.Add(listOffFor)
		}
		for _, w := range ws {
			if _, ok := p.waiters[w]; ok && !w.busy && !w.due.After(now) {
				p.dispatch(w, jobSignal{})
			}
		}
		return
	}
	for _, w := range ws {
		if _, ok := p.waiters[w]; !ok || w.busy {
			continue
		}
		r := res[w.resourceID]
		switch r.Outcome {
		case ProbePending:
			if waited := now.Sub(w.start); waited >= w.checkAt {
				w.checkAt = 2 * waited
				p.dispatch(w, jobSignal{})
			} else {
				w.schedule(now)
			}
		case ProbeDone:
			p.dispatch(w, jobSignal{job: &Job{JobID: w.jobID, JobStatus: JobSucceeded, JobResultType: "object", JobResult: r.Result}})
		default:
			p.dispatch(w, jobSignal{})
		}
	}
}

// list refreshes the waiters ws (not probed) with one listing when two or
// more wait, else signals each due one to query its job.
func (p *jobPoller) list(ctx context.Context, c *Client, ws []*jobWaiter, now time.Time) {
	p.mu.Lock()
	var due, idle []*jobWaiter
	var since time.Time
	for _, w := range ws {
		if _, ok := p.waiters[w]; !ok || w.busy {
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
			w.schedule(now)
		case len(j.JobResult) > 0:
			p.dispatch(w, jobSignal{job: j})
		default: // ended, but the listing left its result out
			p.dispatch(w, jobSignal{})
		}
	}
}
