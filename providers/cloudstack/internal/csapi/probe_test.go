package csapi

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeProbe answers looks from a table of objects (resource id -> result;
// absent: not listed), counting the looks.
type fakeProbe struct {
	mu      sync.Mutex
	objects map[string]ProbeResult
	looks   int
	maxIDs  int
	err     error // answered while errs > 0 (decremented)
	errs    int
}

func newFakeProbe(ids ...string) *fakeProbe {
	f := &fakeProbe{objects: map[string]ProbeResult{}}
	for _, id := range ids {
		f.objects[id] = ProbeResult{Outcome: ProbePending}
	}
	return f
}

func (f *fakeProbe) set(id string, r ProbeResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.objects[id] = r
}

func (f *fakeProbe) remove(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.objects, id)
}

func (f *fakeProbe) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.looks
}

func (f *fakeProbe) probe() *Probe {
	return &Probe{Key: "vms", Look: func(_ context.Context, ids []string) (map[string]ProbeResult, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.looks++
		f.maxIDs = max(f.maxIDs, len(ids))
		if f.errs > 0 {
			f.errs--
			return nil, f.err
		}
		out := map[string]ProbeResult{}
		for _, id := range ids {
			if r, ok := f.objects[id]; ok {
				out[id] = r
			}
		}
		return out, nil
	}}
}

// waitProbed waits for jobs ids (resource "vm-<id>") with probe.
func waitProbed(ctx context.Context, c *Client, ids []string, p Poll, probe *Probe) (map[string]*Job, map[string]error) {
	var mu sync.Mutex
	jobs, errs := map[string]*Job{}, map[string]error{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			j, err := c.WaitJobProbed(ctx, "deployVirtualMachine", id, "vm-"+id, p, probe)
			mu.Lock()
			jobs[id], errs[id] = j, err
			mu.Unlock()
		})
	}
	wg.Wait()
	return jobs, errs
}

// fastPoll polls every 10 ms; a probed job is checked after 200 ms.
var fastPoll = Poll{Min: 10 * time.Millisecond, Max: 10 * time.Millisecond}

func TestProbe_FollowsJobsThroughObjects(t *testing.T) {
	s := newJobServer()
	ids := []string{"ok", "failed", "gone", "late"}
	for _, id := range ids {
		s.add(id, &fakeJob{})
	}
	f := newFakeProbe("vm-ok", "vm-failed", "vm-gone", "vm-late")
	c, _ := newTestClient(t, s, nil)
	vm := json.RawMessage(`{"virtualmachine":{"id":"vm-ok","state":"Running"}}`)
	time.AfterFunc(50*time.Millisecond, func() {
		f.set("vm-ok", ProbeResult{Outcome: ProbeDone, Result: vm}) // the job itself is never asked
		s.end("failed", JobFailed, `{"errorcode":533,"cserrorcode":4250,"errortext":"Insufficient capacity"}`)
		f.set("vm-failed", ProbeResult{Outcome: ProbeQuery})
		s.end("gone", JobSucceeded, `{"virtualmachine":{"id":"vm-gone"}}`)
		f.remove("vm-gone")
		// The object shows the failure before the job ends (the server's
		// order): the query finds the job pending, and the wait goes on.
		f.set("vm-late", ProbeResult{Outcome: ProbeQuery})
		time.AfterFunc(20*time.Millisecond, func() { s.end("late", JobFailed, `{"errorcode":530,"errortext":"boom"}`) })
	})
	jobs, errs := waitProbed(t.Context(), c, ids, fastPoll, f.probe())
	require.NoError(t, errs["ok"])
	assert.JSONEq(t, string(vm), string(jobs["ok"].JobResult), "the probe's result is the job's")
	assert.Equal(t, "ok", jobs["ok"].JobID)
	require.NoError(t, errs["gone"])
	var ae *Error
	require.ErrorAs(t, errs["failed"], &ae, "a job failing among probed ones gives its typed error")
	assert.Equal(t, Error{HTTPStatus: 200, ErrorCode: 533, CSErrorCode: 4250, ErrorText: "Insufficient capacity", Command: "deployVirtualMachine", JobID: "failed"}, *ae)
	require.ErrorAs(t, errs["late"], &ae)
	assert.Equal(t, "boom", ae.ErrorText)

	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Zero(t, s.queried["ok"])
	assert.Equal(t, 1, s.queried["failed"])
	assert.Equal(t, 1, s.queried["gone"])
	assert.GreaterOrEqual(t, s.queried["late"], 2, "queried again once the object still says so")
	assert.Zero(t, s.calls["listAsyncJobs"], "probed jobs are not listed")
	assert.Equal(t, len(ids), f.maxIDs, "one look answers for every waiting job")
	pollerIdle(t, c)
}

func TestProbe_SingleJob(t *testing.T) {
	s := newJobServer()
	s.add("j", &fakeJob{})
	f := newFakeProbe("vm-j")
	c, _ := newTestClient(t, s, nil)
	time.AfterFunc(50*time.Millisecond, func() {
		f.set("vm-j", ProbeResult{Outcome: ProbeDone, Result: json.RawMessage(`{"virtualmachine":{}}`)})
	})
	_, errs := waitProbed(t.Context(), c, []string{"j"}, fastPoll, f.probe())
	require.NoError(t, errs["j"])
	assert.Positive(t, f.count())
	assert.Zero(t, s.count("queryAsyncJobResult"), "a single probed job is looked at too")
	pollerIdle(t, c)
}

func TestProbe_PendingObjectChecksJob(t *testing.T) {
	// A job that failed while its object still looks pending is found by
	// a job query once it waited probeCheckAfter Poll.Min.
	s := newJobServer()
	s.add("j", &fakeJob{})
	s.end("j", JobFailed, `{"errorcode":530,"errortext":"management server restarted"}`)
	f := newFakeProbe("vm-j")
	c, _ := newTestClient(t, s, nil)
	_, errs := waitProbed(t.Context(), c, []string{"j"}, fastPoll, f.probe())
	var ae *Error
	require.ErrorAs(t, errs["j"], &ae)
	assert.Equal(t, "management server restarted", ae.ErrorText)
	assert.Equal(t, 1, s.count("queryAsyncJobResult"))
	assert.Greater(t, f.count(), 5, "looked at until then")
	pollerIdle(t, c)
}

func TestProbe_LookFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		err     error
		looksOn bool
	}{
		"transient": {err: &TransportError{Command: "listVirtualMachines", Err: context.DeadlineExceeded}, looksOn: true},
		"permanent": {err: &Error{HTTPStatus: 432, ErrorCode: 432, ErrorText: "not allowed"}, looksOn: false},
	} {
		t.Run(name, func(t *testing.T) {
			s := newJobServer()
			ids := []string{"a", "b"}
			for _, id := range ids {
				s.add(id, &fakeJob{})
			}
			f := newFakeProbe("vm-a", "vm-b")
			f.err, f.errs = tc.err, 1
			c, _ := newTestClient(t, s, nil)
			time.AfterFunc(60*time.Millisecond, func() {
				for _, id := range ids {
					s.end(id, JobSucceeded, `{"virtualmachine":{}}`)
					f.set("vm-"+id, ProbeResult{Outcome: ProbeDone, Result: json.RawMessage(`{"virtualmachine":{}}`)})
				}
			})
			_, errs := waitProbed(t.Context(), c, ids, fastPoll, f.probe())
			for id, err := range errs {
				require.NoError(t, err, id)
			}
			if tc.looksOn {
				assert.Greater(t, f.count(), 1, "looks resume after a transient failure")
			} else {
				assert.Equal(t, 1, f.count(), "a permanent failure turns the probe off")
				assert.Positive(t, s.count("listAsyncJobs"), "and the jobs are listed instead")
			}
			assert.GreaterOrEqual(t, s.count("queryAsyncJobResult"), len(ids), "the failed look fell back to queries")
			pollerIdle(t, c)
		})
	}
}

func TestSlackOf(t *testing.T) {
	lo := 200 * time.Millisecond
	assert.Equal(t, 100*time.Millisecond, slackOf(lo, lo), "young jobs share rounds every 1.5 lo")
	assert.Equal(t, 50*time.Millisecond, slackOf(250*time.Millisecond, lo), "a 1 s job's poll is at most 50 ms late")
	assert.Equal(t, time.Second, slackOf(5*time.Second, lo))
}
