package csapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lister serves listVirtualMachines over n rows with CloudStack's paging
// rules, and counts requests and the most in flight at once.
type lister struct {
	n         int
	omitCount bool
	badCount  int // count to announce instead of n, when not 0
	maxPage   int // pagesize above this gives 431, as default.page.size
	failPage  int
	reqs      atomic.Int64
	inflight  atomic.Int64
	maxIn     atomic.Int64
	mu        sync.Mutex
	pages     []int
}

func (l *lister) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.reqs.Add(1)
	in := l.inflight.Add(1)
	defer l.inflight.Add(-1)
	for {
		m := l.maxIn.Load()
		if in <= m || l.maxIn.CompareAndSwap(m, in) {
			break
		}
	}
	time.Sleep(time.Millisecond)
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("pagesize"))
	l.mu.Lock()
	l.pages = append(l.pages, page)
	l.mu.Unlock()
	if size > l.maxPage || (page == 0) != (size == 0) {
		w.WriteHeader(431)
		fmt.Fprintf(w, `{"listvirtualmachinesresponse":{"errorcode":431,"errortext":"Page size can't exceed max allowed page size value: %d"}}`, l.maxPage)
		return
	}
	if page == l.failPage {
		w.WriteHeader(530)
		fmt.Fprint(w, `{"listvirtualmachinesresponse":{"errorcode":530,"errortext":"boom"}}`)
		return
	}
	if page == 0 {
		page, size = 1, l.maxPage
	}
	from := min((page-1)*size, l.n)
	to := min(from+size, l.n)
	count := l.n
	if l.badCount != 0 {
		count = l.badCount
	}
	var b strings.Builder
	b.WriteString(`{"listvirtualmachinesresponse":{`)
	if l.n == 0 {
		b.WriteString(`}}`)
		fmt.Fprint(w, b.String())
		return
	}
	if !l.omitCount {
		fmt.Fprintf(&b, `"count":%d`, count)
	}
	if from < to {
		if !l.omitCount {
			b.WriteString(",")
		}
		b.WriteString(`"virtualmachine":[`)
		for i := from; i < to; i++ {
			if i > from {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"vm-%d","name":"n%d"}`, i, i)
		}
		b.WriteString("]")
	}
	b.WriteString("}}")
	fmt.Fprint(w, b.String())
}

type row struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func checkRows(t *testing.T, rows []row, n int) {
	t.Helper()
	require.Len(t, rows, n)
	for i, r := range rows {
		if r.ID != fmt.Sprintf("vm-%d", i) {
			t.Fatalf("row %d is %q", i, r.ID)
		}
	}
}

func TestList_AllPages(t *testing.T) {
	for _, tc := range []struct {
		n, size           int
		omitCount         bool
		badCount          int
		wantMaxConcurrent int64
	}{
		{n: 0, size: 500}, {n: 1, size: 500}, {n: 499, size: 500}, {n: 500, size: 500}, {n: 501, size: 500},
		{n: 2345, size: 500}, {n: 2345, size: 100}, {n: 1000, size: 100, omitCount: true},
		{n: 1234, size: 100, badCount: 150}, {n: 250, size: 100, badCount: 9999},
	} {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) {
			l := &lister{n: tc.n, maxPage: 500, omitCount: tc.omitCount, badCount: tc.badCount}
			c, _ := newTestClient(t, l, nil)
			rows, err := List[row](t.Context(), c, "listVirtualMachines", url.Values{"listall": {"true"}}, "virtualmachine", Paging{PageSize: tc.size, Concurrency: 3})
			require.NoError(t, err)
			checkRows(t, rows, tc.n)
			assert.LessOrEqual(t, l.maxIn.Load(), int64(3), "concurrency is bounded")
			assert.NotNil(t, rows)

			var streamed []row
			for r, err := range Seq[row](t.Context(), c, "listVirtualMachines", nil, "virtualmachine", Paging{PageSize: tc.size}) {
				require.NoError(t, err)
				streamed = append(streamed, r)
			}
			checkRows(t, streamed, tc.n)
		})
	}
}

func TestList_NoTruncationAt500(t *testing.T) {
	l := &lister{n: 1200, maxPage: 500}
	c, _ := newTestClient(t, l, nil)
	rows, err := List[row](t.Context(), c, "listVirtualMachines", nil, "virtualmachine", Paging{})
	require.NoError(t, err)
	checkRows(t, rows, 1200)
	assert.Equal(t, int64(3), l.reqs.Load(), "count lets the last page be known: no extra request")
}

func TestList_CallerPageMeansOnePage(t *testing.T) {
	l := &lister{n: 1200, maxPage: 500}
	c, _ := newTestClient(t, l, nil)
	rows, err := List[row](t.Context(), c, "listVirtualMachines", url.Values{"page": {"2"}, "pagesize": {"10"}}, "virtualmachine", Paging{})
	require.NoError(t, err)
	require.Len(t, rows, 10)
	assert.Equal(t, "vm-10", rows[0].ID)
}

func TestList_ErrorStopsEverything(t *testing.T) {
	l := &lister{n: 5000, maxPage: 500, failPage: 4}
	c, _ := newTestClient(t, l, nil)
	_, err := List[row](t.Context(), c, "listVirtualMachines", nil, "virtualmachine", Paging{})
	var ae *Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 530, ae.ErrorCode)

	var seqErr error
	n := 0
	for _, err := range Seq[row](t.Context(), c, "listVirtualMachines", nil, "virtualmachine", Paging{}) {
		if err != nil {
			seqErr = err
			break
		}
		n++
	}
	assert.Equal(t, 1500, n, "the rows before the failing page are yielded")
	assert.True(t, errors.As(seqErr, &ae))
}

func TestSeq_StopsEarly(t *testing.T) {
	l := &lister{n: 5000, maxPage: 500}
	c, _ := newTestClient(t, l, nil)
	n := 0
	for _, err := range Seq[row](t.Context(), c, "listVirtualMachines", nil, "virtualmachine", Paging{}) {
		require.NoError(t, err)
		n++
		if n == 10 {
			break
		}
	}
	assert.LessOrEqual(t, l.reqs.Load(), int64(2), "at most one page is fetched ahead")
}

func TestList_CanceledContext(t *testing.T) {
	l := &lister{n: 5000, maxPage: 500}
	c, _ := newTestClient(t, l, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := List[row](ctx, c, "listVirtualMachines", nil, "virtualmachine", Paging{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestPoll_Schedule(t *testing.T) {
	// A 1 s job is seen within 1.3 s with at most 6 polls, whatever the
	// jitter (ignoring round trips), and long waits stay within Max.
	p := Poll{}
	for range 2000 {
		var waited time.Duration
		polls := 0
		for waited < time.Second {
			waited += p.delay(waited)
			polls++
		}
		require.LessOrEqual(t, polls, 6)
		require.LessOrEqual(t, waited, 1300*time.Millisecond)
	}
	assert.LessOrEqual(t, p.delay(time.Hour), DefaultPollMax+DefaultPollMax/10)
	assert.GreaterOrEqual(t, Poll{Min: time.Millisecond}.delay(0), 900*time.Microsecond)
}
