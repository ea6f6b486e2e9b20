package csapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeJob is a job of jobServer.
type fakeJob struct {
	status int
	result string // the jobresult JSON of an ended job
	// listedWhenDone lists the ended job (as a server that does not mark
	// finished jobs removed would), with its result unless noResult.
	listedWhenDone, noResult bool
	// unlisted keeps the job out of every listing.
	unlisted bool
}

// jobServer answers listAsyncJobs and queryAsyncJobResult from a table of
// jobs, counting the calls.
type jobServer struct {
	mu       sync.Mutex
	jobs     map[string]*fakeJob
	order    []string
	listFail int // answer listAsyncJobs with an error while > 0 (decremented)
	listCode int // that error's code
	calls    map[string]int
	queried  map[string]int
	dates    []string
}

func newJobServer() *jobServer {
	return &jobServer{jobs: map[string]*fakeJob{}, calls: map[string]int{}, queried: map[string]int{}}
}

func (s *jobServer) add(id string, j *fakeJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[id] = j
	s.order = append(s.order, id)
}

func (s *jobServer) end(id string, status int, result string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[id].status, s.jobs[id].result = status, result
}

func (s *jobServer) count(command string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[command]
}

func (s *jobServer) view(id string, j *fakeJob, withResult bool) string {
	v := fmt.Sprintf(`{"jobid":%q,"jobstatus":%d,"accountid":"a1","created":"2025-01-02T10:00:00+0000"`, id, j.status)
	if j.status != JobPending && withResult {
		v += `,"jobresulttype":"object","jobresult":` + j.result
	}
	return v + "}"
}

func (s *jobServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	cmd := r.Form.Get("command")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[cmd]++
	switch cmd {
	case "listAsyncJobs":
		s.dates = append(s.dates, r.Form.Get("startdate"))
		if s.listFail > 0 {
			s.listFail--
			w.WriteHeader(s.listCode)
			fmt.Fprintf(w, `{"listasyncjobsresponse":{"errorcode":%d,"cserrorcode":9999,"errortext":"no"}}`, s.listCode)
			return
		}
		var rows []string
		for _, id := range s.order {
			j := s.jobs[id]
			if j.unlisted || j.status != JobPending && !j.listedWhenDone {
				continue
			}
			rows = append(rows, s.view(id, j, !j.noResult))
		}
		fmt.Fprintf(w, `{"listasyncjobsresponse":{"count":%d,"asyncjobs":[%s]}}`, len(rows), strings.Join(rows, ","))
	case "queryAsyncJobResult":
		id := r.Form.Get("jobid")
		s.queried[id]++
		j, ok := s.jobs[id]
		if !ok {
			w.WriteHeader(431)
			fmt.Fprint(w, `{"queryasyncjobresultresponse":{"errorcode":431,"errortext":"no such job"}}`)
			return
		}
		fmt.Fprintf(w, `{"queryasyncjobresultresponse":%s}`, s.view(id, j, true))
	default:
		w.WriteHeader(432)
	}
}

// waitAll waits for jobs ids concurrently and returns their outcomes.
func waitAll(ctx context.Context, c *Client, ids []string, p Poll) map[string]error {
	var mu sync.Mutex
	out := map[string]error{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			_, err := c.WaitJob(ctx, "deployVirtualMachine", id, "vm-"+id, p)
			mu.Lock()
			out[id] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// pollerIdle waits until the client's poller goroutine has ended.
func pollerIdle(t *testing.T, c *Client) {
	t.Helper()
	require.Eventually(t, func() bool {
		c.jobs.mu.Lock()
		defer c.jobs.mu.Unlock()
		return !c.jobs.running && len(c.jobs.waiters) == 0
	}, 5*time.Second, time.Millisecond, "the poller goroutine must end once no job waits")
}

func TestJobPoller_ListingRefreshesAll(t *testing.T) {
	s := newJobServer()
	ids := []string{"j1", "j2", "j3", "j4"}
	for _, id := range ids {
		s.add(id, &fakeJob{})
	}
	s.add("other", &fakeJob{}) // another caller's job: listed, never asked about
	c, _ := newTestClient(t, s, nil)
	p := Poll{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}
	go func() {
		time.Sleep(100 * time.Millisecond)
		s.end("j1", JobSucceeded, `{"virtualmachine":{"id":"vm-j1"}}`)
		s.end("j2", JobFailed, `{"errorcode":533,"cserrorcode":4250,"errortext":"Insufficient capacity"}`)
		s.mu.Lock()
		s.jobs["j3"].listedWhenDone = true // listed with its result: no query needed
		s.jobs["j4"].listedWhenDone, s.jobs["j4"].noResult = true, true
		s.mu.Unlock()
		s.end("j3", JobSucceeded, `{"virtualmachine":{"id":"vm-j3"}}`)
		s.end("j4", JobSucceeded, `{"virtualmachine":{"id":"vm-j4"}}`)
	}()
	errs := waitAll(t.Context(), c, ids, p)
	require.NoError(t, errs["j1"])
	require.NoError(t, errs["j3"])
	require.NoError(t, errs["j4"])
	var ae *Error
	require.ErrorAs(t, errs["j2"], &ae, "a job failing in a batch gives its typed error")
	assert.Equal(t, Error{HTTPStatus: 200, ErrorCode: 533, CSErrorCode: 4250, ErrorText: "Insufficient capacity", Command: "deployVirtualMachine", JobID: "j2"}, *ae)

	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Equal(t, 1, s.queried["j1"], "a job missing from the listing (ended) is asked once for its result")
	assert.Equal(t, 1, s.queried["j2"])
	assert.Equal(t, 0, s.queried["j3"], "a job listed with its result needs no query")
	assert.Equal(t, 1, s.queried["j4"], "a job listed as ended without its result is asked for it")
	assert.Zero(t, s.queried["other"])
	assert.Greater(t, s.calls["listAsyncJobs"], 3, "pending jobs are refreshed by listings")
	for _, d := range s.dates {
		// startdate is the earliest start less the margin, in CloudStack's format.
		ts, err := time.Parse(startDateLayout, d)
		require.NoError(t, err, d)
		assert.WithinDuration(t, time.Now().Add(-listStartMargin), ts, time.Minute)
	}
	pollerIdle(t, c)
}

func TestJobPoller_SingleJobQueries(t *testing.T) {
	s := newJobServer()
	s.add("j1", &fakeJob{})
	c, _ := newTestClient(t, s, nil)
	time.AfterFunc(50*time.Millisecond, func() { s.end("j1", JobSucceeded, `{"virtualmachine":{"id":"vm"}}`) })
	_, err := c.WaitJob(t.Context(), "deployVirtualMachine", "j1", "vm", Poll{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond})
	require.NoError(t, err)
	assert.Zero(t, s.count("listAsyncJobs"), "a single job keeps queryAsyncJobResult")
	assert.Greater(t, s.count("queryAsyncJobResult"), 1)
	pollerIdle(t, c)
}

func TestJobPoller_ListingFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		code    int
		fails   int
		listsOn bool // listings resume after the failure
	}{
		"transient": {code: 503, fails: 3, listsOn: true},
		"permanent": {code: 432, fails: 1, listsOn: false}, // e.g. a role without listAsyncJobs
	} {
		t.Run(name, func(t *testing.T) {
			s := newJobServer()
			s.listFail, s.listCode = tc.fails, tc.code
			ids := []string{"a", "b", "c"}
			for _, id := range ids {
				s.add(id, &fakeJob{})
			}
			c, _ := newTestClient(t, s, nil)
			c.rc.RetryMax = 0 // a failed listing fails at once
			time.AfterFunc(300*time.Millisecond, func() {
				for _, id := range ids {
					s.end(id, JobSucceeded, `{"virtualmachine":{}}`)
				}
			})
			for id, err := range waitAll(t.Context(), c, ids, Poll{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}) {
				require.NoError(t, err, id)
			}
			lists := s.count("listAsyncJobs")
			if tc.listsOn {
				assert.Greater(t, lists, tc.fails+3, "listings resume after a transient failure")
			} else {
				assert.Equal(t, tc.fails, lists, "a permanent listing error turns listings off")
			}
			// Failed listings fell back to one query per due job.
			assert.GreaterOrEqual(t, s.count("queryAsyncJobResult"), len(ids)+tc.fails)
			pollerIdle(t, c)
		})
	}
}

func TestJobPoller_UnlistedPendingJob(t *testing.T) {
	// A server that leaves a pending job out (startdate read differently):
	// the job is queried, found pending, and later listings drop startdate.
	s := newJobServer()
	s.add("seen", &fakeJob{})
	s.add("hidden", &fakeJob{unlisted: true})
	c, _ := newTestClient(t, s, nil)
	time.AfterFunc(200*time.Millisecond, func() {
		s.end("seen", JobSucceeded, `{}`)
		s.end("hidden", JobSucceeded, `{}`)
	})
	for id, err := range waitAll(t.Context(), c, []string{"seen", "hidden"}, Poll{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}) {
		require.NoError(t, err, id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	require.NotEmpty(t, s.dates)
	assert.NotEmpty(t, s.dates[0], "the first listing is filtered by startdate")
	assert.Empty(t, s.dates[len(s.dates)-1], "after a pending job was missing, listings go without startdate")
	pollerIdle(t, c)
}

func TestJobPoller_CancelOneWaiter(t *testing.T) {
	s := newJobServer()
	ids := []string{"a", "b", "c", "gone"}
	for _, id := range ids {
		s.add(id, &fakeJob{})
	}
	c, _ := newTestClient(t, s, nil)
	p := Poll{Min: 5 * time.Millisecond, Max: 5 * time.Millisecond}
	ctx, cancel := context.WithCancel(t.Context())
	var goneErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, goneErr = c.WaitJob(ctx, "deployVirtualMachine", "gone", "vm-gone", p)
	}()
	time.AfterFunc(50*time.Millisecond, cancel)
	time.AfterFunc(200*time.Millisecond, func() {
		for _, id := range ids[:3] {
			s.end(id, JobSucceeded, `{}`)
		}
	})
	errs := waitAll(t.Context(), c, ids[:3], p)
	<-done
	for id, err := range errs {
		require.NoError(t, err, "%s: another waiter's cancellation must not disturb this one", id)
	}
	var pe *JobPendingError
	require.ErrorAs(t, goneErr, &pe)
	assert.Equal(t, "gone", pe.JobID)
	assert.True(t, errors.Is(goneErr, context.Canceled))
	pollerIdle(t, c)
}

func TestJobPoller_ListsOnePerInterval(t *testing.T) {
	// 50 jobs waiting together: each poll interval costs one listing, not
	// one query per job.
	s := newJobServer()
	var ids []string
	for i := range 50 {
		id := fmt.Sprintf("j%02d", i)
		ids = append(ids, id)
		s.add(id, &fakeJob{})
	}
	c, _ := newTestClient(t, s, nil)
	p := Poll{Min: 20 * time.Millisecond, Max: 20 * time.Millisecond}
	time.AfterFunc(500*time.Millisecond, func() {
		for _, id := range ids {
			s.end(id, JobSucceeded, `{}`)
		}
	})
	start := time.Now()
	for id, err := range waitAll(t.Context(), c, ids, p) {
		require.NoError(t, err, id)
	}
	elapsed := time.Since(start)
	lists, queries := s.count("listAsyncJobs"), s.count("queryAsyncJobResult")
	t.Logf("50 jobs over %v: %d listAsyncJobs, %d queryAsyncJobResult", elapsed.Round(time.Millisecond), lists, queries)
	intervals := int(elapsed/(18*time.Millisecond)) + 1 // the delay less its jitter
	assert.LessOrEqual(t, lists, intervals, "at most one listing per interval")
	assert.LessOrEqual(t, queries, len(ids)+5, "one query per job, for its result (a few more while the waiters registered)")
	pollerIdle(t, c)
}

func TestStartDateLayout(t *testing.T) {
	// CloudStack's own rendering of dates, as in "created".
	ts := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	assert.Equal(t, "2025-01-02T03:04:05+0000", ts.Format(startDateLayout))
}
