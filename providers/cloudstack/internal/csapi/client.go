package csapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Defaults of Config.
const (
	DefaultRetryMax     = 4
	DefaultRetryWaitMin = 250 * time.Millisecond
	DefaultRetryWaitMax = 8 * time.Second
	// DefaultMaxBodyBytes bounds an answer's size.
	DefaultMaxBodyBytes = 1 << 30
	// maxGETLength is the longest URL sent with GET; longer requests are
	// POSTed (servers and proxies limit URL lengths, and CloudStack limits
	// user data sent with GET to 4 KB).
	maxGETLength = 2048
	// maxRetryAfter caps a wait announced by a 429 answer.
	maxRetryAfter = time.Minute
	// maxThrottleScan bounds the body searched for an errorcode 429 sent
	// with a status other than 429.
	maxThrottleScan = 4 << 10
)

// Config configures a Client.
type Config struct {
	// Endpoint is the API URL, such as https://host/client/api.
	Endpoint *url.URL
	// Signer signs every request.
	Signer *Signer
	// HTTPClient sends the requests; it should keep connections alive.
	HTTPClient *http.Client
	// Logger receives debug logs (secrets redacted); nil logs nothing.
	Logger *slog.Logger
	// RetryMax is the number of retries of idempotent commands; negative
	// means none, 0 the default.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries (defaults 250ms and 8s).
	RetryWaitMin, RetryWaitMax time.Duration
	// GETOnly sends every command with GET (for servers or proxies that
	// refuse POST); by default state-changing commands are POSTed.
	GETOnly bool
	// UserAgent is sent as User-Agent.
	UserAgent string
	// MaxBodyBytes bounds an answer's size; default 1 GiB.
	MaxBodyBytes int64
	// RateLimit paces every attempt of every call at most RateLimit per
	// second, with bursts of RateBurst (default 1); 0 means no pace of the
	// user's own (see the package's Throttling section).
	RateLimit float64
	RateBurst int
	// ThrottleMaxWait bounds the time one call spends retrying commands
	// refused for rate (429); default DefaultThrottleMaxWait, negative
	// means a 429 is returned at once.
	ThrottleMaxWait time.Duration
	// CallTimeout bounds one call (Do, Read, one page of a list, one poll
	// of a job) including its retries and the waits between them; 0 means
	// no bound beyond the context. HTTPClient's Timeout bounds each attempt.
	CallTimeout time.Duration
}

// Client sends signed CloudStack API requests: reads are retried on
// connection errors and 5xx answers; anything that may change state is sent
// once, unless refused for rate (429), which every command is sent again
// after; every attempt goes through the Client's governor (throttle.go).
type Client struct {
	cfg Config
	rc  *retryablehttp.Client
	gov *governor
	// template is a GET of the endpoint that each request copies (nil when
	// the endpoint does not parse, which NewRequest then reports).
	template *http.Request
	// endpointLen is the length of the endpoint URL, for the GET limit.
	endpointLen int
	// jobs batches the polls of the jobs WaitJob waits for.
	jobs jobPoller
}

// Response is a complete answer.
type Response struct {
	// Command is the command sent.
	Command string
	// Status is the HTTP status.
	Status int
	// Header holds the answer's headers.
	Header http.Header
	// Body is the whole body.
	Body []byte
	// Attempts is the number of requests sent.
	Attempts int

	pooled bool // Body is a pooled buffer (see release)
}

// minPooledBody is the size from which answers are read into pooled buffers.
const minPooledBody = 64 << 10

var bodyPool sync.Pool // of *[]byte

// release gives a pooled body back; the Body must not be used afterwards.
func (r *Response) release() {
	if r.pooled && r.Body != nil {
		b := r.Body[:0]
		bodyPool.Put(&b)
	}
	r.Body, r.pooled = nil, false
}

// NewClient returns a Client for cfg.
func NewClient(cfg Config) *Client {
	if cfg.RetryMax == 0 {
		cfg.RetryMax = DefaultRetryMax
	}
	if cfg.RetryMax < 0 {
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.ThrottleMaxWait == 0 {
		cfg.ThrottleMaxWait = DefaultThrottleMaxWait
	}
	cfg.HTTPClient = withNoReplay(cfg.HTTPClient)
	c := &Client{cfg: cfg, gov: newGovernor(cfg.RateLimit, cfg.RateBurst)}
	if cfg.Endpoint != nil {
		endpoint := cfg.Endpoint.String()
		c.endpointLen = len(endpoint)
		c.template, _ = http.NewRequest(http.MethodGet, endpoint, nil)
	}
	c.rc = &retryablehttp.Client{
		HTTPClient:     cfg.HTTPClient,
		Logger:         nil, // it would log URLs holding signatures; we log ourselves
		RetryWaitMin:   cfg.RetryWaitMin,
		RetryWaitMax:   cfg.RetryWaitMax,
		RetryMax:       cfg.RetryMax,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logAttempt,
		PrepareRetry:   prepareRetry,
	}
	return c
}

// call is the state of one command across its attempts.
type call struct {
	command    string
	idempotent bool
	method     string
	// params are the parameters sent, sorted by name, one per name,
	// without signature; expires is the index of expires (-1 if none).
	params   []param
	expires  int
	secret   bool   // a parameter carries a secret
	body     string // the encoded form body for POST
	attempts int
	base     int  // attempts of earlier sends (before a 429)
	sent     bool // a request may have reached the server
	resp     []byte
	readErr  error
	signer   *Signer
	maxBody  int64
	pooled   bool // resp is a pooled buffer
	gov      *governor
	holding  bool      // an attempt holds the governor (acquired, not done)
	sentAt   time.Time // when the governor let the last attempt go
}

type callKey struct{}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// Do signs and sends command with params (which it does not modify; a name
// with several values is sent once, its values comma-separated) and
// returns the complete answer, whatever its status. Errors are context
// errors, *EndpointError and *TransportError (also when CallTimeout
// passed).
func (c *Client) Do(ctx context.Context, command string, params url.Values) (*Response, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	return c.do(ctx, command, params, nil)
}

// errCallTimeout is the cause of a call's context when CallTimeout passed.
type errCallTimeout struct{ d time.Duration }

func (e errCallTimeout) Error() string {
	return fmt.Sprintf("the call timeout of %s (CallTimeout) passed", e.d)
}

// Unwrap makes the timeout match context.DeadlineExceeded, as an attempt's
// timeout does.
func (e errCallTimeout) Unwrap() error { return context.DeadlineExceeded }

// bound returns ctx bounded by CallTimeout.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.cfg.CallTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, c.cfg.CallTimeout, errCallTimeout{c.cfg.CallTimeout})
}

// callTimeout returns the cause of ctx's end when CallTimeout ended it
// (not the caller's context), else nil.
func callTimeout(ctx context.Context) error {
	cause := context.Cause(ctx)
	var ct errCallTimeout
	if ctx.Err() != nil && errors.As(cause, &ct) {
		return cause
	}
	return nil
}

// do is Do with extra parameters, which replace those of params with the
// same names. A command refused for rate is sent again (see retryThrottled).
func (c *Client) do(ctx context.Context, command string, params url.Values, extra []param) (*Response, error) {
	cl := c.newCall(command, params, extra)
	cl.gov = c.gov
	ctx = context.WithValue(ctx, callKey{}, cl)
	var start, firstRefusal time.Time
	if c.debug(ctx) {
		start = time.Now()
	}
	for refusals := 0; ; refusals++ {
		out, err := c.send(ctx, cl)
		if err != nil {
			c.logDone(ctx, cl, 0, 0, start, err)
			return nil, err
		}
		if wait, throttled := c.throttled(out, refusals); throttled && c.retryThrottled(ctx, cl, &firstRefusal, wait) {
			out.release()
			continue
		}
		c.logDone(ctx, cl, out.Status, len(out.Body), start, nil)
		return out, nil
	}
}

// send signs cl afresh and sends it, with the retries of checkRetry, each
// attempt let through by the governor. Errors are context errors and
// *TransportError.
func (c *Client) send(ctx context.Context, cl *call) (*Response, error) {
	encoded := cl.encode()
	cl.method = c.method(cl, encoded)
	cl.resp, cl.readErr, cl.pooled, cl.sent, cl.base = nil, nil, false, false, cl.attempts
	req, err := c.newRequest(ctx, cl, encoded)
	if err != nil {
		return nil, &TransportError{Command: cl.command, Err: sanitize(err)}
	}
	req.SetResponseHandler(cl.readBody)
	if err := cl.acquire(ctx); err != nil {
		return nil, err
	}
	resp, err := c.rc.Do(req)
	cl.done(nil, nil) // when retryablehttp returned before checkRetry
	if resp != nil && cl.resp == nil && cl.readErr == nil {
		// Retries ran out on a retryable status: the handler did not run.
		cl.readErr = cl.readBody(resp)
	}
	if resp != nil && cl.readErr == nil {
		return &Response{Command: cl.command, Status: resp.StatusCode, Header: resp.Header, Body: cl.resp, Attempts: cl.attempts, pooled: cl.pooled}, nil
	}
	if err == nil {
		err = cl.readErr
	}
	if cause := callTimeout(ctx); cause != nil {
		err = cause
	} else if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || err == nil) {
		return nil, ctxErr
	}
	if err == nil {
		err = errors.New("no response")
	}
	if hint := permanentHint(err); hint != "" {
		return nil, &EndpointError{Command: cl.command, Hint: hint, Err: sanitize(err)}
	}
	return nil, &TransportError{Command: cl.command, Idempotent: cl.idempotent, Sent: cl.sent, Attempts: cl.attempts, Err: sanitize(err)}
}

// acquire waits for the governor to let an attempt of cl go.
func (cl *call) acquire(ctx context.Context) error {
	t, err := cl.gov.acquire(ctx)
	if err != nil {
		return err
	}
	cl.holding, cl.sentAt = true, t
	return nil
}

// done reports the end of cl's attempt to the governor (once per attempt):
// an answer other than 429 counts as admitted.
func (cl *call) done(resp *http.Response, err error) {
	if !cl.holding {
		return
	}
	cl.holding = false
	cl.gov.release(err == nil && resp != nil && resp.StatusCode != http.StatusTooManyRequests, cl.sentAt)
}

// newCall prepares the parameters of command: params (a name with several
// values becomes one comma-separated value), then extra, command and the
// signer's parameters, each replacing earlier values of its name.
func (c *Client) newCall(command string, params url.Values, extra []param) *call {
	s := c.cfg.Signer
	cl := &call{command: command, idempotent: IsIdempotent(command), signer: s, maxBody: c.cfg.MaxBodyBytes, expires: -1}
	ps := make([]param, 0, len(params)+len(extra)+5)
	for k, v := range params {
		if len(v) == 0 {
			continue
		}
		// The server keeps one value per name: several values are a
		// CloudStack list, comma-separated. It decodes parameters into
		// Java strings, replacing invalid UTF-8, and verifies the
		// signature over those: send what it will see.
		value := v[0]
		if len(v) > 1 {
			value = strings.Join(v, ",")
		}
		ps = append(ps, param{strings.ToValidUTF8(k, "\uFFFD"), strings.ToValidUTF8(value, "\uFFFD")})
	}
	ps = append(ps, extra...)
	n := 0
	for _, p := range ps {
		if p.name == "command" || s != nil && s.owns(p.name) {
			continue
		}
		cl.secret = cl.secret || p.name != "signature" && IsSecretParam(p.name)
		ps[n] = p
		n++
	}
	ps = append(ps[:n], param{"command", command})
	if s != nil {
		ps = s.ownParams(ps)
	}
	sortParams(ps)
	// Keep the last value of each name (names made equal by the UTF-8
	// repair, or replaced by extra).
	n = 0
	for i, p := range ps {
		if i+1 < len(ps) && ps[i+1].name == p.name {
			continue
		}
		if p.name == "expires" && s != nil && !s.Legacy {
			cl.expires = n
		}
		ps[n] = p
		n++
	}
	cl.params = ps[:n]
	return cl
}

// encode signs the parameters (a fresh expires) and returns them encoded.
func (cl *call) encode() string {
	bp := scratch.Get().(*[]byte)
	var sig []byte
	var sigBuf [signatureLen]byte
	buf := (*bp)[:0]
	if cl.signer != nil {
		if cl.expires >= 0 {
			cl.params[cl.expires].value = cl.signer.expires()
		}
		sig, buf = cl.signer.appendSignature(sigBuf[:0], buf, cl.params)
	}
	buf = appendQuery(buf[:0], cl.params, sig, false)
	encoded := string(buf)
	*bp = buf
	scratch.Put(bp)
	return encoded
}

// newRequest builds the request of cl's first attempt.
func (c *Client) newRequest(ctx context.Context, cl *call, encoded string) (*retryablehttp.Request, error) {
	if cl.method == http.MethodPost {
		cl.body = encoded
		req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, c.cfg.Endpoint.String(),
			retryablehttp.ReaderFunc(func() (io.Reader, error) { return strings.NewReader(cl.body), nil }))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		c.setHeaders(req.Header)
		return req, nil
	}
	if c.template == nil {
		u := *c.cfg.Endpoint
		u.RawQuery = encoded
		req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), nil)
		if err != nil {
			return nil, err
		}
		c.setHeaders(req.Header)
		return req, nil
	}
	// A copy of the endpoint's GET: no URL parsing, and no body to wrap.
	r := c.template.WithContext(ctx)
	u := *r.URL
	u.RawQuery = encoded
	r.URL = &u
	r.Header = make(http.Header, 3)
	c.setHeaders(r.Header)
	return retryablehttp.FromRequest(r)
}

// setHeaders sets Accept, Accept-Encoding and User-Agent.
func (c *Client) setHeaders(h http.Header) {
	vals := [3]string{"application/json", "gzip", c.cfg.UserAgent}
	h["Accept"] = vals[0:1:1]
	h["Accept-Encoding"] = vals[1:2:2] // decompressed by readBody
	if c.cfg.UserAgent != "" {
		h["User-Agent"] = vals[2:3:3]
	}
}

// method picks GET for reads and POST for anything that may change state,
// carries secrets, or would make a long URL.
func (c *Client) method(cl *call, encoded string) string {
	switch {
	case c.cfg.GETOnly:
		return http.MethodGet
	case !cl.idempotent, cl.secret, c.endpointLen+1+len(encoded) > maxGETLength:
		return http.MethodPost
	}
	return http.MethodGet
}

// prepareRetry waits for the governor, then signs the request again (a
// fresh expires) before a retry.
func prepareRetry(req *http.Request) error {
	cl := callOf(req.Context())
	if cl == nil {
		return nil
	}
	if err := cl.acquire(req.Context()); err != nil {
		return err
	}
	encoded := cl.encode()
	cl.resp, cl.readErr, cl.pooled = nil, nil, false
	if req.Method == http.MethodPost {
		cl.body = encoded
		req.ContentLength = int64(len(cl.body))
		return nil
	}
	u := *req.URL
	u.RawQuery = encoded
	req.URL = &u
	return nil
}

// readBody reads the whole answer; for reads, an unreadable body makes the
// attempt fail so that it is retried. (A complete body that is not JSON is
// retried by Read, which decodes it only once.)
func (cl *call) readBody(resp *http.Response) error {
	defer resp.Body.Close()
	src, n := io.Reader(resp.Body), resp.ContentLength
	if gzipped(resp) {
		zr, release, err := gunzip(resp.Body)
		if err != nil {
			cl.readErr = fmt.Errorf("reading the answer: %w", err)
			return cl.readErr
		}
		defer release()
		src, n = zr, -1
	}
	var buf []byte
	if (n < 0 || n >= minPooledBody) && n <= cl.maxBody {
		// Large answers (list pages; chunked answers have no length) are
		// read into pooled buffers that Read gives back once decoded,
		// sparing the zeroing and collection of a fresh megabyte per page.
		if p, _ := bodyPool.Get().(*[]byte); p != nil {
			buf = (*p)[:0]
		}
		if size := int(max(n+1, minPooledBody)); cap(buf) < size {
			buf = make([]byte, 0, size)
		}
		cl.pooled = true
	} else if n >= 0 && n <= cl.maxBody {
		// Room for the whole body and the end of input, in one piece.
		buf = make([]byte, 0, n+1)
	}
	body, err := readAll(src, buf, cl.maxBody)
	if err != nil {
		cl.readErr = err
		return cl.readErr
	}
	cl.resp = body
	return nil
}

// readAll reads r to its end into buf, growing it as needed, and fails once
// more than limit bytes have come.
func readAll(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			// Double: an answer of unknown length is copied O(1) times.
			buf = slices.Grow(buf, max(cap(buf), 512))
		}
		room := buf[len(buf):cap(buf)]
		if over := int64(len(buf)) + int64(len(room)) - (limit + 1); over > 0 {
			room = room[:int64(len(room))-over]
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, fmt.Errorf("answer larger than %d bytes", limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, fmt.Errorf("reading the answer: %w", err)
		}
	}
}

// checkRetry is the retry policy: a command that may change state is retried
// only when the connection could not be made (so nothing was sent); reads
// are retried on any transport error, on a malformed 2xx body, and on 5xx
// answers that are not CloudStack API errors (500-529 except 501, and 534
// "resource unavailable"). A 429 ends the attempts: Client.do sends any
// command refused for rate again, after the governor's wait. Errors that
// retrying cannot fix (permanentHint: certificates, plain HTTP, unknown
// host) end the call.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	cl := callOf(ctx)
	if cl != nil {
		cl.done(resp, err)
	}
	if cl != nil && (resp != nil || err != nil && !isDialError(err)) {
		// Also when the context ended: a call timeout then leaves the
		// outcome of a write unknown.
		cl.sent = true
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if cl == nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	if err != nil {
		if permanentHint(err) != "" {
			return false, nil
		}
		return isDialError(err) || cl.idempotent, nil
	}
	if !cl.idempotent {
		return false, nil
	}
	switch s := resp.StatusCode; {
	case s == 534, s >= 500 && s < 530 && s != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// isDialError reports whether err happened while connecting, before any
// byte of the request was written.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryAfterText matches CloudStack's 429 text "please retry after [<ms>] ms".
var retryAfterText = regexp.MustCompile(`(?i)retry after \[?\s*(\d+)\s*\]?\s*(ms|milliseconds?|s|seconds?)?`)

// retryAfter reads the wait a 429 answer asks for: the longer of its text's
// (CloudStack sends no Retry-After header) and a Retry-After header's
// (seconds or an HTTP date); 0 when neither says.
func retryAfter(header http.Header, body []byte) time.Duration {
	var d time.Duration
	if m := retryAfterText.FindSubmatch(body); m != nil {
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		unit := time.Millisecond
		if u := strings.ToLower(string(m[2])); u == "s" || strings.HasPrefix(u, "sec") {
			unit = time.Second
		}
		d = time.Duration(n) * unit
	}
	if s := strings.TrimSpace(header.Get("Retry-After")); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			d = max(d, time.Duration(n)*time.Second)
		} else if t, err := http.ParseTime(s); err == nil {
			d = max(d, time.Until(t))
		}
	}
	return d
}

// throttled reports whether out is a refusal for rate: HTTP 429, or an
// error object with errorcode 429 under another status. It returns the
// wait to honour: as announced (capped at a minute), else a backoff growing
// with the refusals of the call so far.
func (c *Client) throttled(out *Response, refusals int) (time.Duration, bool) {
	if out.Status != http.StatusTooManyRequests {
		if len(out.Body) > maxThrottleScan || !bytes.Contains(out.Body, []byte("429")) {
			return 0, false
		}
		var ae *Error
		if !errors.As(Decode(out, nil), &ae) || ae.ErrorCode != http.StatusTooManyRequests {
			return 0, false
		}
	}
	wait := retryAfter(out.Header, out.Body)
	if wait <= 0 {
		wait = backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, refusals, nil)
	}
	return min(wait, maxRetryAfter), true
}

// retryThrottled records a refusal for rate of cl with the governor (which
// closes its gate for wait) and reports whether to send cl again: unless
// the call's budget (Config.ThrottleMaxWait from its first refusal, whose
// time *first holds) or the context's deadline ends before the wait does.
func (c *Client) retryThrottled(ctx context.Context, cl *call, first *time.Time, wait time.Duration) bool {
	now := time.Now()
	if first.IsZero() {
		*first = now
	}
	c.gov.refused(cl.sentAt, wait)
	retry := c.cfg.ThrottleMaxWait >= 0 && now.Sub(*first)+wait <= c.cfg.ThrottleMaxWait
	if dl, ok := ctx.Deadline(); ok && now.Add(wait).After(dl) {
		retry = false
	}
	if c.debug(ctx) {
		c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "cloudstack throttled",
			slog.String("command", cl.command), slog.Duration("retry_after", wait), slog.Bool("retry", retry))
	}
	return retry
}

// backoff waits exponentially (with jitter) between retries.
func backoff(min, max time.Duration, attempt int, _ *http.Response) time.Duration {
	d := min << min2(attempt, 20)
	if d <= 0 || d > max {
		d = max
	}
	// Equal jitter: between half and the whole of d.
	return d/2 + jitter(d/2)
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

func min2[T int | time.Duration](a, b T) T {
	if a < b {
		return a
	}
	return b
}

// sanitize removes URLs (which hold the signature) from transport errors.
func sanitize(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// logAttempt logs each attempt at debug level, secrets redacted.
func (c *Client) logAttempt(_ retryablehttp.Logger, req *http.Request, retry int) {
	cl := callOf(req.Context())
	if cl == nil {
		return
	}
	cl.attempts = cl.base + retry + 1
	if !c.debug(req.Context()) {
		return
	}
	c.cfg.Logger.LogAttrs(req.Context(), slog.LevelDebug, "cloudstack request",
		slog.String("command", cl.command), slog.String("method", req.Method),
		slog.Int("attempt", retry+1), slog.String("params", cl.redacted()))
}

// debug reports whether debug logs are wanted.
func (c *Client) debug(ctx context.Context) bool {
	return c.cfg.Logger != nil && c.cfg.Logger.Enabled(ctx, slog.LevelDebug)
}

// logDone logs the end of a call that started at start, at debug level.
func (c *Client) logDone(ctx context.Context, cl *call, status, size int, start time.Time, err error) {
	if !c.debug(ctx) {
		return
	}
	attrs := []slog.Attr{
		slog.String("command", cl.command), slog.Int("attempts", cl.attempts),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		attrs = append(attrs, slog.Int("status", status), slog.Int("bytes", size))
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "cloudstack response", attrs...)
}

// Redact renders params for logs with secret values replaced.
func Redact(params url.Values) string {
	return string(appendQuery(nil, paramsOf(params, false), nil, true))
}

// redacted renders the call's parameters for logs, secret values and the
// signature replaced.
func (cl *call) redacted() string {
	var sig []byte
	if cl.signer != nil {
		sig = []byte("REDACTED")
	}
	return string(appendQuery(nil, cl.params, sig, true))
}

// Read sends a command and decodes its answer with decode. For a read
// (IsIdempotent) whose complete answer does not decode (a malformed body,
// such as a proxy's page or invalid JSON), the request is sent again, up to
// RetryMax times with backoff; state-changing commands are sent once.
func (c *Client) Read(ctx context.Context, command string, params url.Values, decode func(*Response) error) error {
	return c.read(ctx, command, params, nil, decode)
}

// read is Read with extra parameters (see do), bounded by CallTimeout.
func (c *Client) read(ctx context.Context, command string, params url.Values, extra []param, decode func(*Response) error) error {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	for attempt := 0; ; attempt++ {
		resp, err := c.do(ctx, command, params, extra)
		if err != nil {
			return err
		}
		err = decode(resp)
		resp.release() // decoders copy what they keep
		var me *MalformedResponseError
		if err == nil || !IsIdempotent(command) || !errors.As(err, &me) || attempt >= c.cfg.RetryMax {
			return err
		}
		t := time.NewTimer(backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, attempt, nil))
		select {
		case <-ctx.Done():
			t.Stop()
			if cause := callTimeout(ctx); cause != nil {
				return &TransportError{Command: command, Idempotent: true, Sent: true, Attempts: attempt + 1, Err: fmt.Errorf("%w (last answer: %v)", cause, err)}
			}
			return ctx.Err()
		case <-t.C:
		}
	}
}
