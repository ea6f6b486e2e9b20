package csapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
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
}

// Client sends signed CloudStack API requests: reads are retried on
// connection errors, 5xx and 429 answers; anything that may change state is
// sent once.
type Client struct {
	cfg Config
	rc  *retryablehttp.Client
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
	c := &Client{cfg: cfg}
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
	params     url.Values
	body       string // the encoded form body for POST
	attempts   int
	sent       bool // a request may have reached the server
	resp       []byte
	readErr    error
	signer     *Signer
	maxBody    int64
	retryAfter time.Duration
	pooled     bool // resp is a pooled buffer
}

type callKey struct{}

func callOf(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// Do signs and sends command with params (which it does not modify; a name
// with several values is sent once, its values comma-separated) and
// returns the complete answer, whatever its status. Errors are context
// errors and *TransportError.
func (c *Client) Do(ctx context.Context, command string, params url.Values) (*Response, error) {
	p := make(url.Values, len(params)+6)
	for k, v := range params {
		if len(v) > 0 {
			// The server keeps one value per name: several values are a
			// CloudStack list, comma-separated. It decodes parameters into
			// Java strings, replacing invalid UTF-8, and verifies the
			// signature over those: send what it will see.
			value := v[0]
			if len(v) > 1 {
				value = strings.Join(v, ",")
			}
			p[strings.ToValidUTF8(k, "\uFFFD")] = []string{strings.ToValidUTF8(value, "\uFFFD")}
		}
	}
	p.Set("command", command)
	cl := &call{command: command, idempotent: IsIdempotent(command), params: p, signer: c.cfg.Signer, maxBody: c.cfg.MaxBodyBytes}
	cl.sign()
	encoded := EncodeParams(p)
	cl.method = c.method(cl, encoded)

	ctx = context.WithValue(ctx, callKey{}, cl)
	var body any
	u := *c.cfg.Endpoint
	if cl.method == http.MethodPost {
		cl.body = encoded
		body = retryablehttp.ReaderFunc(func() (io.Reader, error) { return strings.NewReader(cl.body), nil })
	} else {
		u.RawQuery = encoded
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, &TransportError{Command: command, Err: sanitize(err)}
	}
	if cl.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	req.SetResponseHandler(cl.readBody)

	start := time.Now()
	resp, err := c.rc.Do(req)
	if resp != nil && cl.resp == nil && cl.readErr == nil {
		// Retries ran out on a retryable status: the handler did not run.
		cl.readErr = cl.readBody(resp)
	}
	if resp != nil && cl.readErr == nil {
		out := &Response{Command: command, Status: resp.StatusCode, Header: resp.Header, Body: cl.resp, Attempts: cl.attempts, pooled: cl.pooled}
		c.logDone(ctx, cl, out.Status, len(out.Body), time.Since(start), nil)
		return out, nil
	}
	if err == nil {
		err = cl.readErr
	}
	if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || err == nil) {
		c.logDone(ctx, cl, 0, 0, time.Since(start), ctxErr)
		return nil, ctxErr
	}
	if err == nil {
		err = errors.New("no response")
	}
	terr := &TransportError{Command: command, Idempotent: cl.idempotent, Sent: cl.sent, Attempts: cl.attempts, Err: sanitize(err)}
	c.logDone(ctx, cl, 0, 0, time.Since(start), terr)
	return nil, terr
}

// method picks GET for reads and POST for anything that may change state,
// carries secrets, or would make a long URL.
func (c *Client) method(cl *call, encoded string) string {
	if c.cfg.GETOnly {
		return http.MethodGet
	}
	if !cl.idempotent {
		return http.MethodPost
	}
	for k := range cl.params {
		if IsSecretParam(k) && k != "signature" {
			return http.MethodPost
		}
	}
	if len(c.cfg.Endpoint.String())+1+len(encoded) > maxGETLength {
		return http.MethodPost
	}
	return http.MethodGet
}

func (cl *call) sign() {
	if cl.signer != nil {
		cl.signer.Sign(cl.params)
	}
}

// prepareRetry signs the request again (a fresh expires) before a retry.
func prepareRetry(req *http.Request) error {
	cl := callOf(req.Context())
	if cl == nil {
		return nil
	}
	cl.sign()
	cl.resp, cl.readErr, cl.pooled = nil, nil, false
	if req.Method == http.MethodPost {
		cl.body = EncodeParams(cl.params)
		req.ContentLength = int64(len(cl.body))
		return nil
	}
	u := *req.URL
	u.RawQuery = EncodeParams(cl.params)
	req.URL = &u
	return nil
}

// readBody reads the whole answer; for reads, an unreadable body makes the
// attempt fail so that it is retried. (A complete body that is not JSON is
// retried by Read, which decodes it only once.)
func (cl *call) readBody(resp *http.Response) error {
	defer resp.Body.Close()
	var buf *bytes.Buffer
	if n := resp.ContentLength; (n < 0 || n >= minPooledBody) && n <= cl.maxBody {
		// Large answers (list pages; chunked answers have no length) are
		// read into pooled buffers that Read gives back once decoded,
		// sparing the zeroing and collection of a fresh megabyte per page.
		if p, _ := bodyPool.Get().(*[]byte); p != nil {
			buf = bytes.NewBuffer((*p)[:0])
		} else {
			buf = bytes.NewBuffer(make([]byte, 0, max(n+1, minPooledBody)))
		}
		if n > 0 {
			buf.Grow(int(n) + 1)
		}
		cl.pooled = true
	} else {
		buf = new(bytes.Buffer)
		if n := resp.ContentLength; n > 0 && n <= cl.maxBody {
			buf.Grow(int(n) + 1)
		}
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, cl.maxBody+1))
	body := buf.Bytes()
	if err != nil {
		cl.readErr = fmt.Errorf("reading the answer: %w", err)
		return cl.readErr
	}
	if int64(len(body)) > cl.maxBody {
		cl.readErr = fmt.Errorf("answer larger than %d bytes", cl.maxBody)
		return cl.readErr
	}
	cl.resp = body
	return nil
}

// checkRetry is the retry policy: a command that may change state is retried
// only when the connection could not be made (so nothing was sent); reads
// are retried on any transport error, on a malformed 2xx body, on 429, and
// on 5xx answers that are not CloudStack API errors (500-529 except 501,
// and 534 "resource unavailable").
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	cl := callOf(ctx)
	if cl == nil {
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	if err != nil {
		if isDialError(err) {
			return true, nil
		}
		cl.sent = true
		if !cl.idempotent || isPermanent(err) {
			return false, nil
		}
		return true, nil
	}
	cl.sent = true
	if !cl.idempotent {
		return false, nil
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests:
		cl.retryAfter = retryAfter(resp)
		return true, nil
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

// isPermanent reports errors that retrying cannot fix (certificate problems).
func isPermanent(err error) bool {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
		recordHdr   tls.RecordHeaderError
	)
	return errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verify) || errors.As(err, &recordHdr)
}

// retryAfterText matches CloudStack's 429 text "please retry after [<ms>] ms".
var retryAfterText = regexp.MustCompile(`(?i)retry after \[?\s*(\d+)\s*\]?\s*(ms|milliseconds?|s|seconds?)?`)

// retryAfter reads the wait a 429 answer asks for: from its text (CloudStack
// sends no Retry-After header) or a Retry-After header. The body is read
// and put back.
func retryAfter(resp *http.Response) time.Duration {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if m := retryAfterText.FindSubmatch(body); m != nil {
		n, _ := strconv.ParseInt(string(m[1]), 10, 64)
		unit := time.Millisecond
		if u := strings.ToLower(string(m[2])); u == "s" || strings.HasPrefix(u, "sec") {
			unit = time.Second
		}
		return time.Duration(n) * unit
	}
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(s); err == nil {
			return time.Until(t)
		}
	}
	return 0
}

// backoff waits exponentially (with jitter) between retries, or as long as
// a 429 answer asked (capped at a minute).
func backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests && resp.Request != nil {
		if cl := callOf(resp.Request.Context()); cl != nil && cl.retryAfter > 0 {
			return min2(cl.retryAfter+jitter(min/2), maxRetryAfter)
		}
	}
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
	cl.attempts = retry + 1
	if c.cfg.Logger == nil || !c.cfg.Logger.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	c.cfg.Logger.LogAttrs(req.Context(), slog.LevelDebug, "cloudstack request",
		slog.String("command", cl.command), slog.String("method", req.Method),
		slog.Int("attempt", retry+1), slog.String("params", Redact(cl.params)))
}

func (c *Client) logDone(ctx context.Context, cl *call, status, size int, took time.Duration, err error) {
	if c.cfg.Logger == nil || !c.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("command", cl.command), slog.Int("attempts", cl.attempts),
		slog.Duration("duration", took),
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
	r := make(url.Values, len(params))
	for k, v := range params {
		if IsSecretParam(k) {
			r[k] = []string{"REDACTED"}
			continue
		}
		r[k] = v
	}
	return EncodeParams(r)
}

// Read sends a command and decodes its answer with decode. For a read
// (IsIdempotent) whose complete answer does not decode (a malformed body,
// such as a proxy's page or invalid JSON), the request is sent again, up to
// RetryMax times with backoff; state-changing commands are sent once.
func (c *Client) Read(ctx context.Context, command string, params url.Values, decode func(*Response) error) error {
	for attempt := 0; ; attempt++ {
		resp, err := c.Do(ctx, command, params)
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
			return ctx.Err()
		case <-t.C:
		}
	}
}
