package csapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// script is a test server answering each request with the next step.
type script struct {
	mu    sync.Mutex
	steps []func(w http.ResponseWriter, r *http.Request)
	reqs  []url.Values
	meths []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Form)
	s.meths = append(s.meths, r.Method)
	var step func(http.ResponseWriter, *http.Request)
	if len(s.steps) > 0 {
		step = s.steps[0]
		if len(s.steps) > 1 {
			s.steps = s.steps[1:]
		}
	}
	s.mu.Unlock()
	if step != nil {
		step(w, r)
	}
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func answer(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// drop closes the connection without answering.
func drop(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// truncated announces a longer body than it sends.
func truncated(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(200)
	io.WriteString(w, `{"listzonesresponse":`)
}

func newTestClient(t *testing.T, h http.Handler, logger *slog.Logger) (*Client, *httptest.Server) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL + "/client/api")
	require.NoError(t, err)
	return NewClient(Config{
		Endpoint: u, Signer: &Signer{APIKey: "key", SecretKey: "topsecret"}, HTTPClient: srv.Client(),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Logger: logger,
	}), srv
}

const zones = `{"listzonesresponse":{"count":1,"zone":[{"id":"z1","name":"Zone 1"}]}}`

func TestClient_RetriesReads(t *testing.T) {
	for name, fault := range map[string]func(http.ResponseWriter, *http.Request){
		"dropped":   drop,
		"truncated": truncated,
		"503":       answer(503, "busy"),
		"malformed": answer(200, `{"listzonesresponse":{`),
		"html":      answer(200, `<html>proxy</html>`),
		"429":       answer(429, `{"listzonesresponse":{"errorcode":429,"cserrorcode":9999,"errortext":"The given user has reached his/her account api limit, please retry after [3] ms."}}`),
		"534":       answer(534, `{"listzonesresponse":{"errorcode":534,"errortext":"unavailable"}}`),
	} {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(http.ResponseWriter, *http.Request){fault, fault, answer(200, zones)}}
			c, _ := newTestClient(t, s, nil)
			var out struct {
				Zone []struct {
					ID string `json:"id"`
				} `json:"zone"`
			}
			require.NoError(t, c.Read(t.Context(), "listZones", nil, func(resp *Response) error { return Decode(resp, &out) }))
			assert.Equal(t, 3, s.count())
			assert.Equal(t, "z1", out.Zone[0].ID)
			// Each attempt is signed afresh and GET is used for reads.
			for i, r := range s.reqs {
				assert.Equal(t, "3", r.Get("signatureversion"))
				assert.NotEmpty(t, r.Get("signature"))
				assert.Equal(t, http.MethodGet, s.meths[i])
			}
		})
	}
}

func TestClient_ReadSendsStateChangingOnce(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, `{"deployvirtualmachineresponse":{`)}}
	c, _ := newTestClient(t, s, nil)
	err := c.Read(t.Context(), "deployVirtualMachine", nil, func(resp *Response) error { return Decode(resp, nil) })
	var me *MalformedResponseError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, 1, s.count())
}

func TestClient_DoesNotRetryAPIErrors(t *testing.T) {
	for _, code := range []int{401, 431, 432, 530, 531, 532, 533, 535, 536, 537} {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){
			answer(code, fmt.Sprintf(`{"listzonesresponse":{"uuidList":[],"errorcode":%d,"cserrorcode":4350,"errortext":"nope"}}`, code)),
		}}
		c, _ := newTestClient(t, s, nil)
		resp, err := c.Do(t.Context(), "listZones", nil)
		require.NoError(t, err)
		assert.Equal(t, 1, s.count(), "code %d", code)
		err = Decode(resp, nil)
		var ae *Error
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, &Error{HTTPStatus: code, ErrorCode: code, CSErrorCode: 4350, ErrorText: "nope", Command: "listZones"}, ae)
	}
}

func TestClient_StateChangingSentOnce(t *testing.T) {
	for name, fault := range map[string]func(http.ResponseWriter, *http.Request){
		"dropped":   drop,
		"truncated": truncated,
		"503":       answer(503, "busy"),
	} {
		t.Run(name, func(t *testing.T) {
			s := &script{steps: []func(http.ResponseWriter, *http.Request){fault, answer(200, `{"deployvirtualmachineresponse":{"id":"vm1","jobid":"j1"}}`)}}
			c, _ := newTestClient(t, s, nil)
			resp, err := c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"x"}, "userdata": {"c2VjcmV0"}})
			assert.Equal(t, 1, s.count(), "a state-changing command is never sent twice")
			assert.Equal(t, http.MethodPost, s.meths[0])
			assert.Equal(t, "c2VjcmV0", s.reqs[0].Get("userdata"))
			if err != nil {
				var te *TransportError
				require.ErrorAs(t, err, &te)
				assert.True(t, te.Sent)
				assert.False(t, te.Idempotent)
				assert.Contains(t, te.Error(), "deployVirtualMachine: outcome unknown")
				return
			}
			assert.NotEqual(t, 200, resp.Status)
		})
	}
}

func TestClient_RetriesStateChangingWhenNothingWasSent(t *testing.T) {
	// A port nothing listens on: the dial fails, so the request never left.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	u, _ := url.Parse("http://" + addr + "/client/api")
	c := NewClient(Config{Endpoint: u, Signer: &Signer{APIKey: "k", SecretKey: "s"}, RetryMax: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	_, err = c.Do(t.Context(), "deployVirtualMachine", url.Values{"name": {"x"}})
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.Sent)
	assert.Equal(t, 3, te.Attempts)
	assert.NotContains(t, err.Error(), "signature")
	assert.NotContains(t, err.Error(), "http://")
}

func TestClient_RetryAfterFromText(t *testing.T) {
	body := []byte(`{"x":{"errortext":"The given user has reached his/her account api limit, please retry after [250] ms."}}`)
	assert.Equal(t, 250*time.Millisecond, retryAfter(http.Header{}, body))
	assert.Equal(t, 2*time.Second, retryAfter(http.Header{"Retry-After": {"2"}}, []byte(`x`)))
	assert.Equal(t, 2*time.Second, retryAfter(http.Header{"Retry-After": {"2"}}, body), "the longer wait wins")
	assert.Equal(t, time.Duration(0), retryAfter(http.Header{}, []byte(`{}`)))
}

func TestClient_ContextCancel(t *testing.T) {
	block := make(chan struct{})
	s := &script{steps: []func(http.ResponseWriter, *http.Request){func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}}}
	c, _ := newTestClient(t, s, nil)
	defer close(block)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, "listZones", nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestClient_LongReadsArePosted(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, zones)}}
	c, _ := newTestClient(t, s, nil)
	_, err := c.Do(t.Context(), "listVirtualMachines", url.Values{"ids": {strings.Repeat("0123456789abcdef,", 200)}})
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, s.meths[0])
	assert.Equal(t, strings.Repeat("0123456789abcdef,", 200), s.reqs[0].Get("ids"))
}

func TestClient_SeveralValuesAreAList(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){answer(200, zones)}}
	c, _ := newTestClient(t, s, nil)
	_, err := c.Do(t.Context(), "listVirtualMachines", url.Values{"ids": {"a", "b"}, "bad": {"\xff"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a,b"}, s.reqs[0]["ids"])
	assert.Equal(t, "\ufffd", s.reqs[0].Get("bad"))
}

func TestClient_LogsRedacted(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := &script{steps: []func(http.ResponseWriter, *http.Request){drop, answer(200, `{"deployvirtualmachineresponse":{"id":"a","jobid":"b"}}`)}}
	c, _ := newTestClient(t, s, logger)
	_, _ = c.Do(t.Context(), "deployVirtualMachine", url.Values{"password": {"hunter2"}, "userdata": {"dXNlcmRhdGE="}, "privatekey": {"PRIV"}})
	_, _ = c.Do(t.Context(), "listZones", nil)
	logs := buf.String()
	assert.Contains(t, logs, "deployVirtualMachine")
	assert.Contains(t, logs, "listZones")
	for _, secret := range []string{"hunter2", "dXNlcmRhdGE", "PRIV", "topsecret"} {
		assert.NotContains(t, logs, secret)
	}
	for _, r := range s.reqs {
		assert.NotContains(t, logs, url.QueryEscape(r.Get("signature")))
		assert.NotContains(t, logs, Encode(r.Get("signature")))
	}
}

func TestClient_Concurrent(t *testing.T) {
	var n atomic.Int64
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 {
			drop(w, r)
			return
		}
		answer(200, zones)(w, r)
	}), nil)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			resp, err := c.Do(t.Context(), "listZones", nil)
			if assert.NoError(t, err) {
				assert.NoError(t, Decode(resp, nil))
			}
		})
	}
	wg.Wait()
}

func TestDecode_Envelopes(t *testing.T) {
	type zone struct {
		ID string `json:"id"`
	}
	ok := func(body string) *Response { return &Response{Command: "listZones", Status: 200, Body: []byte(body)} }

	page, err := DecodePage[zone](ok(`{ "listzonesresponse" : { "zone" : [ {"id":1} ] } }`), "zone")
	require.NoError(t, err)
	assert.Equal(t, []zone{{"1"}}, page.Items)
	assert.False(t, page.HasCount)

	page, err = DecodePage[zone](ok(`{"listzonesresponse":{}}`), "zone")
	require.NoError(t, err)
	assert.Empty(t, page.Items)

	page, err = DecodePage[zone](ok(`{"listzonesresponse":{"count":7}}`), "zone")
	require.NoError(t, err)
	assert.Empty(t, page.Items)
	assert.Equal(t, 7, page.Count)

	// A renamed item key is still found when it is the only array.
	page, err = DecodePage[zone](ok(`{"listzonesresponse":{"count":1,"zones":[{"id":"a"}]}}`), "zone")
	require.NoError(t, err)
	assert.Equal(t, []zone{{"a"}}, page.Items)

	// An error object inside an HTTP 200.
	_, err = DecodePage[zone](ok(`{ "deployvirtualmachineresponse" : {"errorcode" : 431, "errortext" : "Unable to find service offering: 104"}  }`), "zone")
	var ae *Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 431, ae.ErrorCode)
	assert.Equal(t, 200, ae.HTTPStatus)
	assert.Equal(t, "Unable to find service offering: 104", ae.ErrorText)

	// A 401 with an empty body.
	err = Decode(&Response{Command: "listZones", Status: 401, Header: http.Header{}}, nil)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 401, ae.ErrorCode)
	assert.Equal(t, "Unauthorized", ae.ErrorText)

	// Not a CloudStack answer.
	for _, body := range []string{`[]`, `{"a":1,"b":2}`, `<xml/>`, ``, `{"listzonesresponse":`} {
		err = Decode(ok(body), nil)
		var me *MalformedResponseError
		assert.True(t, errors.As(err, &me), "%q: %v", body, err)
	}
	// The response key is found whatever it is called.
	var r struct {
		Success bool `json:"success"`
	}
	require.NoError(t, Decode(ok(`{"restorevmresponse":{"success":"true"}}`), &r))
	assert.True(t, r.Success)
	require.NoError(t, Decode(ok(`{"revokesecuritygroupingress":{"success":true}}`), &r))
}

// oneByte reads one byte at a time, and gives io.EOF only on the read
// after the data.
type oneByte struct{ s string }

func (r *oneByte) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.s[0]
	r.s = r.s[1:]
	return 1, nil
}

func TestReadAll(t *testing.T) {
	for _, room := range []int{0, 1, 5, 6, 100} {
		got, err := readAll(&oneByte{"hello"}, make([]byte, 0, room), 5)
		require.NoError(t, err, "room %d", room)
		assert.Equal(t, "hello", string(got))
		got, err = readAll(strings.NewReader("hello"), make([]byte, 0, room), 5)
		require.NoError(t, err, "room %d", room)
		assert.Equal(t, "hello", string(got))

		_, err = readAll(&oneByte{"hello!"}, make([]byte, 0, room), 5)
		assert.ErrorContains(t, err, "answer larger than 5 bytes")
		_, err = readAll(strings.NewReader(strings.Repeat("x", 1000)), make([]byte, 0, room), 5)
		assert.ErrorContains(t, err, "answer larger than 5 bytes")
	}
	_, err := readAll(io.MultiReader(strings.NewReader("ab"), iotestErr{}), nil, 10)
	assert.ErrorContains(t, err, "reading the answer: broken")
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("broken") }

// Answers of every size, with and without Content-Length, come back whole
// and leave the connection reusable.
func TestClient_BodySizes(t *testing.T) {
	for _, size := range []int{0, 1, 511, 512, 4095, 4096, minPooledBody - 1, minPooledBody, 3*minPooledBody + 7} {
		for _, chunked := range []bool{false, true} {
			body := `{"listzonesresponse":{"x":"` + strings.Repeat("y", size) + `"}}`
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				}
				io.WriteString(w, body)
				if chunked {
					w.(http.Flusher).Flush()
				}
			}), nil)
			for range 2 {
				resp, err := c.Do(t.Context(), "listZones", nil)
				require.NoError(t, err)
				assert.Equal(t, body, string(resp.Body), "size %d chunked %v", size, chunked)
				assert.Equal(t, size+len(`{"listzonesresponse":{"x":""}}`) >= minPooledBody || chunked, resp.pooled)
				resp.release()
			}
		}
	}
}
