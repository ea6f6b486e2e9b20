package csapi

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pollFast() Poll { return Poll{Min: time.Millisecond, Max: 2 * time.Millisecond} }

func TestWaitJob_Success(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		answer(200, `{"queryasyncjobresultresponse":{"jobid":"j1","jobstatus":0}}`),
		answer(503, `busy`), // a transient poll failure is polled through
		drop,
		answer(200, `{"queryasyncjobresultresponse":{"jobid":"j1","jobstatus":"0"}}`),
		answer(200, `{"queryasyncjobresultresponse":{"jobid":"j1","jobstatus":1,"jobresultcode":0,"jobresulttype":"object","jobresult":{"virtualmachine":{"id":"vm1","state":"Running"}}}}`),
	}}
	c, _ := newTestClient(t, s, nil)
	job, err := c.WaitJob(t.Context(), "deployVirtualMachine", "j1", "vm1", pollFast())
	require.NoError(t, err)
	var vm struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	require.NoError(t, job.Result("deployVirtualMachine", "virtualmachine", &vm))
	assert.Equal(t, "vm1", vm.ID)
	assert.Equal(t, "Running", vm.State)
	for _, r := range s.reqs {
		assert.Equal(t, "queryAsyncJobResult", r.Get("command"))
		assert.Equal(t, "j1", r.Get("jobid"))
	}
	// The single object in a result is taken whatever its key.
	var other struct{ ID string }
	require.NoError(t, job.Result("x", "vm", &other))
	assert.Equal(t, "vm1", other.ID)
}

func TestWaitJob_Failure(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want Error
	}{
		"modern": {`{"queryasyncjobresultresponse":{"jobid":"j2","jobstatus":2,"jobresultcode":530,"jobresulttype":"object","jobresult":{"errorcode":533,"cserrorcode":4325,"errortext":"Insufficient capacity"}}}`,
			Error{HTTPStatus: 200, ErrorCode: 533, CSErrorCode: 4325, ErrorText: "Insufficient capacity", Command: "deployVirtualMachine", JobID: "j2"}},
		"libcloud 17177": {`{ "queryasyncjobresultresponse" : {"jobid":17177,"jobstatus":2} }`,
			Error{HTTPStatus: 200, ErrorCode: 530, ErrorText: "job ended with status 2 and no error text", Command: "deployVirtualMachine", JobID: "17177"}},
		"text": {`{"queryasyncjobresultresponse":{"jobid":"j3","jobstatus":2,"jobresultcode":530,"jobresulttype":"text","jobresult":"went wrong"}}`,
			Error{HTTPStatus: 200, ErrorCode: 530, ErrorText: "went wrong", Command: "deployVirtualMachine", JobID: "j3"}},
		"cancelled": {`{"queryasyncjobresultresponse":{"jobid":"j4","jobstatus":3}}`,
			Error{HTTPStatus: 200, ErrorCode: 530, ErrorText: "job cancelled", Command: "deployVirtualMachine", JobID: "j4"}},
	} {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, tc.body)}}
			c, _ := newTestClient(t, s, nil)
			_, err := c.WaitJob(t.Context(), "deployVirtualMachine", "j", "", pollFast())
			var ae *Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, &tc.want, ae)
		})
	}
}

func TestWaitJob_Timeout(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, `{"queryasyncjobresultresponse":{"jobid":"j1","jobstatus":0}}`)}}
	c, _ := newTestClient(t, s, nil)
	p := pollFast()
	p.Timeout = 20 * time.Millisecond
	_, err := c.WaitJob(t.Context(), "deployVirtualMachine", "j1", "vm-1", p)
	var pe *JobPendingError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "vm-1", pe.ResourceID)
	assert.Equal(t, "j1", pe.JobID)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "job timeout")

	ctx, cancel := context.WithCancel(t.Context())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	_, err = c.WaitJob(ctx, "deployVirtualMachine", "j1", "vm-1", pollFast())
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, errors.As(err, &pe))
}

func TestWaitJob_UnknownJob(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(431, `{"queryasyncjobresultresponse":{"errorcode":431,"cserrorcode":9999,"errortext":"Unable to execute API command queryasyncjobresult due to invalid value. Invalid parameter jobid value=nope due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class."}}`)}}
	c, _ := newTestClient(t, s, nil)
	_, err := c.WaitJob(t.Context(), "x", "nope", "", pollFast())
	var ae *Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 431, ae.ErrorCode)
	assert.Equal(t, 1, s.count())
}
