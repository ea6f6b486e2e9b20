package cloudstack

import (
	"context"
	"encoding/json"
	"iter"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
	"github.com/goclouds/goclouds/types"
)

// Driver is the CloudStack compute driver. It implements compute.Driver and
// the optional VolumeManager, VolumeResizer, SnapshotManager, KeyPairManager
// and ImageManager, and offers CloudStack-only Ex methods. It is safe for
// concurrent use.
type Driver struct {
	provider types.Provider
	endpoint *url.URL
	settings Settings
	api      *csapi.Client
	poll     csapi.Poll
	paging   csapi.Paging
	logger   *slog.Logger
	cache    catalogCache
	now      func() time.Time // the catalogue cache's clock
}

// catalogCache holds the catalogue look-ups kept for CatalogCacheTTL.
type catalogCache struct {
	zone     cached[string] // the default zone's id
	keyPairs sync.Map       // scope of listSSHKeyPairs -> *cached[string] (a key pair's name)
}

var (
	_ compute.Driver          = (*Driver)(nil)
	_ compute.VolumeManager   = (*Driver)(nil)
	_ compute.VolumeResizer   = (*Driver)(nil)
	_ compute.SnapshotManager = (*Driver)(nil)
	_ compute.KeyPairManager  = (*Driver)(nil)
	_ compute.ImageManager    = (*Driver)(nil)
)

// New returns a CloudStack driver for o. It validates o and does no network
// I/O; configuration errors match compute.ErrInvalidArgument.
func New(o *Options) (*Driver, error) {
	if o == nil {
		o = &Options{}
	}
	p, u, err := o.resolve()
	if err != nil {
		return nil, err
	}
	s := o.Settings
	if s.JobTimeout == 0 {
		s.JobTimeout = DefaultJobTimeout
	}
	if s.CatalogCacheTTL == 0 {
		s.CatalogCacheTTL = DefaultCatalogCacheTTL
	}
	if s.UserAgent == "" {
		s.UserAgent = "goclouds"
	}
	if s.ThrottleMaxWait == 0 {
		s.ThrottleMaxWait = csapi.DefaultThrottleMaxWait
	}
	_, s.CallTimeout = o.timeouts()
	hc, err := o.httpClient(p, u, o.Logger)
	if err != nil {
		return nil, err
	}
	d := &Driver{
		provider: p,
		endpoint: u,
		settings: s,
		logger:   o.Logger,
		poll:     csapi.Poll{Min: s.JobPollInterval, Max: s.JobPollMaxInterval, Timeout: s.JobTimeout},
		paging:   csapi.Paging{PageSize: s.PageSize, Concurrency: s.PageConcurrency},
		now:      time.Now,
	}
	d.api = csapi.NewClient(csapi.Config{
		Endpoint:        u,
		Signer:          &csapi.Signer{APIKey: o.Key, SecretKey: o.Secret, Legacy: s.LegacySignature, Lifetime: s.SignatureLifetime},
		HTTPClient:      hc,
		Logger:          o.Logger,
		RetryMax:        s.RetryMax,
		RetryWaitMin:    s.RetryWaitMin,
		RetryWaitMax:    s.RetryWaitMax,
		GETOnly:         s.GETOnly,
		UserAgent:       s.UserAgent,
		CallTimeout:     s.CallTimeout,
		RateLimit:       s.RateLimit,
		RateBurst:       s.RateBurst,
		ThrottleMaxWait: s.ThrottleMaxWait,
	})
	return d, nil
}

// Provider returns the provider name: cloudstack, or the preset's.
func (d *Driver) Provider() types.Provider { return d.provider }

// Endpoint returns the API endpoint URL.
func (d *Driver) Endpoint() string { return d.endpoint.String() }

// Settings returns the driver's settings, defaults filled in.
func (d *Driver) Settings() Settings { return d.settings }

// ---------------------------------------------------------------------------
// The internal API every method (and every Ex method) is built on. Each
// takes the operation name used in errors (*compute.Error.Op), the
// CloudStack command and its parameters (never modified), signs and sends
// the request, maps errors to *compute.Error, and decodes with package
// csjson (lenient types, unmodelled fields into Extra). See
// docs/providers/cloudstack.md, "Adding an Ex method".

// call sends a synchronous command and decodes its response object (the
// content of "<command>response") into out, which may be nil. Errors carry
// params' "id" as the resource id.
func (d *Driver) call(ctx context.Context, op, command string, params url.Values, out any) error {
	return d.wrap(op, params.Get("id"), d.api.Read(ctx, command, params, func(resp *csapi.Response) error {
		return csapi.Decode(resp, out)
	}))
}

// callObject is call for answers that wrap a single object under a key,
// such as {"createsshkeypairresponse":{"keypair":{...}}}: the object under
// key (matched case-insensitively) is decoded into out.
func (d *Driver) callObject(ctx context.Context, op, command string, params url.Values, key string, out any) error {
	var inner json.RawMessage
	if err := d.call(ctx, op, command, params, &inner); err != nil {
		return err
	}
	job := csapi.Job{JobResult: inner}
	return d.wrap(op, params.Get("id"), job.Result(command, key, out))
}

// submission is an accepted async command.
type submission struct {
	command string
	jobID   string
	// id is the object the job creates (create-style commands answer it at
	// submit) or acts on.
	id string
	// inline holds the answer when the server ran the command synchronously.
	inline json.RawMessage
}

// submit sends an async command and returns its job. A command whose answer
// holds no job id ran synchronously; its answer is kept for await.
func (d *Driver) submit(ctx context.Context, op, command string, params url.Values) (*submission, error) {
	id := params.Get("id")
	resp, err := d.api.Do(ctx, command, params)
	if err != nil {
		return nil, d.wrap(op, id, err)
	}
	var raw json.RawMessage
	if err := csapi.Decode(resp, &raw); err != nil {
		return nil, d.wrap(op, id, err)
	}
	var sub csapi.Submitted
	if err := csapi.Decode(resp, &sub); err != nil {
		return nil, d.wrap(op, id, err)
	}
	s := &submission{command: command, jobID: sub.JobID, id: id}
	if sub.ID != "" {
		s.id = sub.ID
	}
	if sub.JobID == "" {
		s.inline = raw
	}
	return s, nil
}

// await waits for a submitted job and decodes its result into out (nil to
// discard): the member resultKey of the job result ("virtualmachine",
// "volume", ...), or the whole result when resultKey is "". Errors carry the
// submission's id, so a create that timed out still names what it created.
func (d *Driver) await(ctx context.Context, op string, s *submission, resultKey string, out any) error {
	if s.inline != nil {
		job := csapi.Job{JobResult: s.inline}
		return d.wrap(op, s.id, job.Result(s.command, resultKey, out))
	}
	job, err := d.api.WaitJob(ctx, s.command, s.jobID, s.id, d.poll)
	if err != nil {
		return d.wrap(op, s.id, err)
	}
	return d.wrap(op, s.id, job.Result(s.command, resultKey, out))
}

// callAsync sends an async command, waits for its job (polling
// queryAsyncJobResult with backoff, bounded by ctx and JobTimeout) and
// decodes the job result as await does.
func (d *Driver) callAsync(ctx context.Context, op, command string, params url.Values, resultKey string, out any) error {
	s, err := d.submit(ctx, op, command, params)
	if err != nil {
		return err
	}
	return d.await(ctx, op, s, resultKey, out)
}

// callAsyncAs is callAsync decoding the job result into a new T, returned
// when the job succeeded: the usual end of a create-style Ex method.
func callAsyncAs[T any](ctx context.Context, d *Driver, op, command string, params url.Values, resultKey string) (*T, error) {
	var r T
	if err := d.callAsync(ctx, op, command, params, resultKey, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// listAll returns every row of a list command, across all pages (pagesize
// up to 500, remaining pages fetched concurrently once count is known),
// decoded straight into T. itemsKey is the array's name in the answer
// ("virtualmachine", "zone", ...). An empty list is an empty, non-nil slice.
func listAll[T any](ctx context.Context, d *Driver, op, command string, params url.Values, itemsKey string) ([]T, error) {
	rows, err := csapi.List[T](ctx, d.api, command, params, itemsKey, d.paging)
	if err != nil {
		return nil, d.wrap(op, params.Get("id"), err)
	}
	return rows, nil
}

// listPages is listAll keeping the pages apart (no copy into one slice).
func listPages[T any](ctx context.Context, d *Driver, op, command string, params url.Values, itemsKey string) ([][]T, error) {
	pages, err := csapi.ListPages[T](ctx, d.api, command, params, itemsKey, d.paging)
	if err != nil {
		return nil, d.wrap(op, params.Get("id"), err)
	}
	return pages, nil
}

// listSeq streams the rows of a list command page by page (about two pages
// in memory at a time); after an error it yields the error and stops.
func listSeq[T any](ctx context.Context, d *Driver, op, command string, params url.Values, itemsKey string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for row, err := range csapi.Seq[T](ctx, d.api, command, params, itemsKey, d.paging) {
			if err != nil {
				yield(row, d.wrap(op, params.Get("id"), err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// scoped returns params with the driver's listall and projectid settings
// added (unless already set).
func (d *Driver) scoped(params url.Values, listall bool) url.Values {
	if params == nil {
		params = url.Values{}
	}
	if listall && d.settings.ListAll && !params.Has("listall") {
		params.Set("listall", "true")
	}
	if d.settings.ProjectID != "" && !params.Has("projectid") {
		params.Set("projectid", d.settings.ProjectID)
	}
	return params
}
