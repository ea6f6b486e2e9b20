package csapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"time"
)

// Job statuses of queryAsyncJobResult.
const (
	JobPending   = 0
	JobSucceeded = 1
	JobFailed    = 2
	JobCancelled = 3
)

// Job is a queryAsyncJobResult answer.
type Job struct {
	JobID           string          `json:"jobid"`
	JobStatus       int             `json:"jobstatus"`
	JobProcStatus   int             `json:"jobprocstatus"`
	JobResultCode   int             `json:"jobresultcode"`
	JobResultType   string          `json:"jobresulttype"`
	JobResult       json.RawMessage `json:"jobresult"`
	JobInstanceType string          `json:"jobinstancetype"`
	JobInstanceID   string          `json:"jobinstanceid"`
	Cmd             string          `json:"cmd"`
	Extra           map[string]any
}

// Submitted is the answer to an async command: the job, and for
// create-style commands the id of the object being created.
type Submitted struct {
	JobID string `json:"jobid"`
	ID    string `json:"id"`
	Extra map[string]any
}

// LooksLikeJob reports whether a command's answer is an async submission:
// it has a jobid and at most an id beside it.
func (s *Submitted) LooksLikeJob() bool {
	return s.JobID != "" && len(s.Extra) == 0
}

// Poll tunes WaitJob's polling: the delay between polls is a quarter of the
// time waited so far, kept between Min and Max, with ±10% jitter. A job of
// duration T is thus seen within about 25% of T (at most Max late), with
// few polls: a 1 s job takes 5 or 6 polls with Min 200 ms. While several
// jobs wait, a poll of one (a listing) refreshes them all and each is
// rescheduled from it.
type Poll struct {
	// Min is the first and smallest delay; default 200ms.
	Min time.Duration
	// Max caps the delay; default 5s.
	Max time.Duration
	// Timeout bounds the wait; 0 means only the context does.
	Timeout time.Duration
}

// Defaults of Poll.
const (
	DefaultPollMin = 200 * time.Millisecond
	DefaultPollMax = 5 * time.Second
)

func (p Poll) delay(waited time.Duration) time.Duration {
	lo, hi := p.Min, p.Max
	if lo <= 0 {
		lo = DefaultPollMin
	}
	if hi <= 0 {
		hi = DefaultPollMax
	}
	if hi < lo {
		hi = lo
	}
	d := max(lo, min(waited/4, hi))
	// ±10% jitter spreads the polls of many concurrent jobs.
	j := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return d + j
}

// WaitJob waits until the job ends, returning it when it succeeded. A
// failed job gives an *Error with the job's errorcode and errortext; a wait
// ended by ctx or p.Timeout gives a *JobPendingError (which wraps the
// context error). command and resourceID only label errors. Transient poll
// failures (no answer, 5xx, 429) are tolerated until the wait ends.
//
// The job is polled on p's schedule. While several jobs of the Client
// wait, one listAsyncJobs call refreshes all of them (see jobPoller); a
// single job is polled with queryAsyncJobResult, as is each job once it
// has ended, for its result.
func (c *Client) WaitJob(ctx context.Context, command, jobID, resourceID string, p Poll) (*Job, error) {
	if p.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, p.Timeout, fmt.Errorf("job timeout of %s reached: %w", p.Timeout, context.DeadlineExceeded))
		defer cancel()
	}
	w := c.jobs.register(c, jobID, p)
	defer c.jobs.deregister(w)
	var lastErr error
	for {
		var sig jobSignal
		select {
		case <-ctx.Done():
			return nil, c.pending(ctx, command, jobID, resourceID, lastErr)
		case sig = <-w.signal:
		}
		job := sig.job
		if job == nil {
			var err error
			job, err = c.queryJob(ctx, jobID)
			if err != nil {
				if ctx.Err() != nil {
					return nil, c.pending(ctx, command, jobID, resourceID, err)
				}
				if transient(err) {
					lastErr = err
					c.jobs.requeue(w, false)
					continue
				}
				return nil, err
			}
		}
		switch job.JobStatus {
		case JobPending:
			c.jobs.requeue(w, sig.missing)
			continue
		case JobSucceeded:
			return job, nil
		default:
			return nil, jobError(command, job)
		}
	}
}

// queryJob asks queryAsyncJobResult for one job.
func (c *Client) queryJob(ctx context.Context, jobID string) (*Job, error) {
	resp, err := c.Do(ctx, "queryAsyncJobResult", url.Values{"jobid": {jobID}})
	var job Job
	if err == nil {
		err = Decode(resp, &job)
	}
	if err != nil {
		return nil, err
	}
	if job.JobID == "" {
		job.JobID = jobID
	}
	return &job, nil
}

func (c *Client) pending(ctx context.Context, command, jobID, resourceID string, last error) error {
	cause := context.Cause(ctx)
	if cause == nil {
		cause = ctx.Err()
	}
	if last != nil {
		cause = fmt.Errorf("%w (last poll: %v)", cause, last)
	}
	return &JobPendingError{Command: command, JobID: jobID, ResourceID: resourceID, Err: cause}
}

// transient reports poll errors worth polling through.
func transient(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return true
	}
	var me *MalformedResponseError
	if errors.As(err, &me) {
		return true
	}
	var ae *Error
	if errors.As(err, &ae) {
		switch c := ae.ErrorCode; {
		case c == 429, c == 534, c >= 500 && c < 530:
			return true
		}
	}
	return false
}

// jobError turns a failed (or cancelled) job into an *Error with the job's
// own errorcode, cserrorcode and errortext.
func jobError(command string, job *Job) *Error {
	var ef struct {
		ErrorCode   int    `json:"errorcode"`
		CSErrorCode int    `json:"cserrorcode"`
		ErrorText   string `json:"errortext"`
	}
	var text string
	if len(job.JobResult) > 0 {
		if err := decodeRaw(job.JobResult, &ef); err != nil {
			// jobresulttype "text" on old servers: the result is the message.
			_ = decodeRaw(job.JobResult, &text)
		}
	}
	e := &Error{HTTPStatus: 200, ErrorCode: ef.ErrorCode, CSErrorCode: ef.CSErrorCode, ErrorText: ef.ErrorText, Command: command, JobID: job.JobID}
	if e.ErrorCode == 0 {
		e.ErrorCode = job.JobResultCode
	}
	if e.ErrorText == "" {
		e.ErrorText = text
	}
	if e.ErrorCode == 0 {
		e.ErrorCode = 530
	}
	if e.ErrorText == "" {
		e.ErrorText = fmt.Sprintf("job ended with status %d and no error text", job.JobStatus)
		if job.JobStatus == JobCancelled {
			e.ErrorText = "job cancelled"
		}
	}
	return e
}

// Result decodes the job's result into out: the member resultKey of the
// jobresult object when resultKey is not "" (matched case-insensitively;
// when absent and the result holds a single object member, that one), else
// the whole jobresult.
func (j *Job) Result(command, resultKey string, out any) error {
	if out == nil {
		return nil
	}
	bad := func(err error) error {
		return &MalformedResponseError{Command: command, HTTPStatus: 200, Snippet: snippet(j.JobResult), Err: err}
	}
	if len(j.JobResult) == 0 {
		if resultKey == "" {
			return nil
		}
		return bad(errors.New("the job has no result"))
	}
	if resultKey == "" {
		if err := decodeRaw(j.JobResult, out); err != nil {
			return bad(err)
		}
		return nil
	}
	raw, err := member(j.JobResult, resultKey)
	if err != nil {
		return bad(err)
	}
	if err := decodeRaw(raw, out); err != nil {
		return bad(err)
	}
	return nil
}
