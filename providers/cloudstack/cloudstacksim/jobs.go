package cloudstacksim

import (
	"encoding/json"
	"errors"
	"time"
)

// Job statuses (JobInfo.Status ordinals).
const (
	jobPending   = 0
	jobSucceeded = 1
	jobFailed    = 2
)

// job is an async job. Its effect runs when it completes, JobDelay after
// submission, under the exclusive lock.
type job struct {
	base
	owned
	usr          *user
	def          *cmdDef
	status       int
	resultCode   int
	result       json.RawMessage
	instanceType string
	instanceID   string
	instance     entity
	completed    time.Time
	run          func() (reply, error)
	fail         func()
	forced       *apiError
	timer        *time.Timer
	next         *job // the job queued behind this one on the same object
}

// asyncReply is what an async command's handler returns: the job to run.
// Handlers do their synchronous part (validation, ACL checks and, for create
// commands, creating the object) before returning it.
type asyncReply struct {
	// id is the new object's id of a create command ({id, jobid} answer).
	id string
	// instance is the object the job works on (jobinstanceid); while the job
	// runs, list answers show its jobid and jobstatus.
	instance entity
	// run applies the command's effect and returns the job result, usually
	// an objReply or a successReply; an error fails the job (jobstatus 2).
	run func() (reply, error)
	// fail, if set, applies the side effects of a failed job (e.g. a VM
	// whose deployment failed goes to Error).
	fail func()
}

func (a *asyncReply) writeBody(*encoder) error {
	return errors.New("cloudstacksim: async reply written directly")
}

// submitResponse is the AsyncJobResponse / CreateCmdResponse of a submitted job.
type submitResponse struct {
	ID    string `json:"id,omitempty"`
	JobID string `json:"jobid"`
}

// submit records the job of an async command and schedules its completion
// (immediately when the job delay is zero). Jobs on the same object run one
// after the other, as the server's per-VM work queue runs them: a job
// submitted while another is pending on its object is queued behind it. The
// caller holds the exclusive lock.
func (s *Server) submit(c *call, a *asyncReply, forced *apiError) *job {
	st := c.st
	j := &job{base: st.newBase(), owned: owned{acct: c.caller}, usr: c.user, def: c.def,
		instanceType: c.def.InstanceType, instance: a.instance, run: a.run, fail: a.fail, forced: forced}
	st.jobs.insert(j)
	if a.instance != nil {
		j.instanceID = a.instance.meta().id
		if head := a.instance.meta().pending; head != nil {
			last := head
			for last.next != nil {
				last = last.next
			}
			last.next = j
			return j
		}
		a.instance.meta().pending = j
	}
	s.schedule(st, j)
	return j
}

// schedule arranges for j to complete after the job delay.
func (s *Server) schedule(st *state, j *job) {
	delay := s.JobDelay()
	if delay <= 0 || s.closed {
		s.finishJob(st, j)
		return
	}
	j.timer = time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if j.status == jobPending {
			s.finishJob(s.st, j)
		}
	})
}

// finishJob runs the job's effect, records its result and starts the next
// job queued on the same object. The caller holds the exclusive lock.
func (s *Server) finishJob(st *state, j *job) {
	var r reply
	var err error
	inst := j.instance
	if inst != nil && inst.meta().pending == j {
		inst.meta().pending = nil // the result shows the object without its finished job
	}
	if j.forced != nil {
		err = j.forced
	} else if j.run != nil {
		r, err = j.run()
	}
	j.completed = st.now()
	if err != nil {
		ae := asAPIError(err)
		j.status, j.resultCode = jobFailed, ae.code
		j.result = mustJSON(map[string]any{"errorcode": ae.code, "errortext": ae.text})
		if j.fail != nil {
			j.fail()
		}
	} else {
		j.status, j.resultCode = jobSucceeded, 0
		e := newEncoder()
		if r == nil {
			r = successReply{}
		}
		if werr := r.writeBody(e); werr != nil {
			j.status, j.resultCode = jobFailed, CodeInternalError
			j.result = mustJSON(map[string]any{"errorcode": CodeInternalError, "errortext": werr.Error()})
		} else {
			j.result = json.RawMessage(e.buf.Bytes())
		}
	}
	next := j.next
	j.run, j.fail, j.instance, j.timer, j.next = nil, nil, nil, nil, nil
	if next != nil {
		if inst != nil {
			inst.meta().pending = next
		}
		s.schedule(st, next)
	}
}

// asAPIError converts any handler error to an *apiError (530 for unexpected ones).
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return internalError("%s", err.Error())
}

func mustJSON(v any) json.RawMessage {
	e := newEncoder()
	if err := e.value(v); err != nil {
		panic(err) // only called with maps of strings and ints
	}
	return json.RawMessage(e.buf.Bytes())
}

// jobView is the AsyncJobResponse of queryAsyncJobResult and listAsyncJobs,
// with the fields of the 4.18 spec (account, domainid and domainpath came
// in 4.19).
type jobView struct {
	AccountID       string          `json:"accountid"`
	UserID          string          `json:"userid,omitempty"`
	Cmd             string          `json:"cmd"`
	JobStatus       int             `json:"jobstatus"`
	JobProcStatus   int             `json:"jobprocstatus"`
	JobResultCode   int             `json:"jobresultcode"`
	JobResultType   string          `json:"jobresulttype,omitempty"`
	JobResult       json.RawMessage `json:"jobresult,omitempty"`
	JobInstanceType string          `json:"jobinstancetype,omitempty"`
	JobInstanceID   string          `json:"jobinstanceid,omitempty"`
	Created         string          `json:"created"`
	Completed       string          `json:"completed,omitempty"`
	JobID           string          `json:"jobid"`
}

func viewJob(j *job) jobView {
	v := jobView{AccountID: j.acct.id, Cmd: j.def.jobClass(), JobStatus: j.status, JobResultCode: j.resultCode,
		JobInstanceType: j.instanceType, JobInstanceID: j.instanceID, Created: fmtDate(j.created), JobID: j.id}
	if j.usr != nil {
		v.UserID = j.usr.id
	}
	if j.status != jobPending {
		v.JobResultType = "object"
		v.JobResult = j.result
		v.Completed = fmtDate(j.completed)
	}
	return v
}

func init() {
	register(
		cmdDef{Name: "queryAsyncJobResult", ReadOnly: true, Handler: queryAsyncJobResult, ItemKey: "(flat)"},
		cmdDef{Name: "listAsyncJobs", ReadOnly: true, Handler: listAsyncJobs, ItemKey: "asyncjobs"},
	)
}

func queryAsyncJobResult(c *call) (reply, error) {
	j, _ := refAs[*job](c, "jobid")
	if j == nil {
		return nil, missingParam(c.apiName, "jobid")
	}
	if !c.caller.isRootAdmin() && j.acct != c.caller {
		return nil, permissionDenied("Account %s is not authorized to see job id=%s", c.caller.name, j.id)
	}
	return flatReply{viewJob(j)}, nil
}

// listAsyncJobs lists pending jobs, as the server's searchForAsyncJobs
// does: a job is marked removed when it completes and the listing skips
// removed rows, so finished jobs (and their jobresult) never appear. The
// jobs are those of the caller's account (the account that submitted them,
// also for project resources), or with listall, domainid, account and
// isrecursive those the caller may see; startdate keeps the jobs created
// since midnight (server time, UTC here) of the date it starts with, the
// time of day being ignored; keyword matches the job's cmd (the command's
// class name); rows come oldest first, paged.
func listAsyncJobs(c *call) (reply, error) {
	sc, err := c.scope(false)
	if err != nil {
		return nil, err
	}
	sc.projects = projectsAny // jobs belong to the submitting account, never to a project's
	var since time.Time
	if d, ok := c.str("startdate"); ok {
		since, _ = datePrefix(d) // checked against the spec already
	}
	keyword, hasKeyword := c.str("keyword")
	keep := func(j *job) bool {
		return j.status == jobPending && sc.allows(j.acct) && !j.created.Before(since) &&
			(!hasKeyword || keywordMatch(keyword, j.def.jobClass()))
	}
	return listItems(c, "asyncjobs", c.st.jobs.list, keep, func(j *job) any { return viewJob(j) }), nil
}
