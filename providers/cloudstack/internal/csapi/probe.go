package csapi

import (
	"context"
	"encoding/json"
)

// Probe follows jobs of one kind through the objects they work on instead
// of through the job list: CloudStack's listAsyncJobs shows pending jobs
// only, so a job followed by listings still costs one queryAsyncJobResult
// when it ends, while the object (a deployed VM) may show both that the job
// ended and its result. One Look call answers for every waiting job with
// the same Key; see jobPoller for when it is called.
type Probe struct {
	// Key groups the jobs one Look call answers for (for instance the
	// command and the scope of the list that looks).
	Key string
	// Look reports what it sees of the objects ids (the resource ids of
	// the waiting jobs). An id missing from the answer is ProbeQuery. An
	// error makes the due jobs be queried this time; a permanent error
	// turns the probe off for a while (see listOffFor).
	Look func(ctx context.Context, ids []string) (map[string]ProbeResult, error)
}

// ProbeOutcome is what a Probe concluded about one job.
type ProbeOutcome int

// Outcomes of a Probe's look.
const (
	// ProbeQuery: the object does not tell (it failed, is gone, or the
	// result needs the job itself): the job is queried once.
	ProbeQuery ProbeOutcome = iota
	// ProbePending: the job still runs.
	ProbePending
	// ProbeDone: the job succeeded and Result is its jobresult.
	ProbeDone
)

// ProbeResult is a Probe's answer for one object.
type ProbeResult struct {
	Outcome ProbeOutcome
	// Result is the job's jobresult when Outcome is ProbeDone, as
	// queryAsyncJobResult would give it (such as {"virtualmachine":{...}}).
	Result json.RawMessage
}

// probeCheckAfter is how many Poll.Min a probed job waits before a look
// that finds it pending queries the job instead (4 s by default), then
// again each time its wait doubled: a job that ended without its object
// showing it (a server that failed the job and left the object in a
// pending-looking state) is noticed at a cost of a few queries per long
// job and none for short ones.
const probeCheckAfter = 20
