package cloudstack

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
	"github.com/goclouds/goclouds/types"
)

// Options configures a CloudStack driver. Only the endpoint and the key
// pair are required; everything else has a default.
//
// The endpoint is URL (its scheme decides TLS, a missing path means
// /client/api) or Host, Port and Path (HTTPS unless Insecure), the way a
// Libcloud user connects with key, secret, host, port, path and secure.
type Options struct {
	// URL is the full API endpoint, such as
	// "https://cloud.example.com/client/api".
	URL string
	// Host is the endpoint's host when URL is empty.
	Host string
	// Port is the endpoint's port; 0 means the scheme's default.
	Port int
	// Path is the endpoint's path; default "/client/api" (or the preset's).
	Path string
	// Key is the API key.
	Key string
	// Secret is the secret key. It is never logged or put into errors.
	Secret string
	// Insecure means plain HTTP when the endpoint comes from Host, and
	// turns off certificate verification for an https URL (logged once as a
	// warning). Libcloud's secure=False.
	Insecure bool
	// Preset selects a CloudStack-based provider: types.ProviderExoscale,
	// types.ProviderIkoula or types.ProviderAuroraCompute fill Host and Path
	// (and the driver reports that provider). Empty means plain CloudStack.
	Preset types.Provider
	// Region is the Aurora Compute region (ams, rtd, mia, lax, tyo, bcn;
	// default ams). Other providers have none.
	Region string
	// Timeout bounds each HTTP attempt (connecting, sending, reading the
	// whole answer); default 60s. CallTimeout bounds a call with its
	// retries, JobTimeout the wait for an async job.
	Timeout time.Duration
	// CAPEM holds PEM certificates of authorities to trust besides the
	// system's, such as a private CA (see also Settings.CAFile).
	CAPEM []byte
	// TLSConfig is the base of the driver's TLS configuration (client
	// certificates, versions, ciphers, RootCAs). It is cloned, then CAFile,
	// CAPEM and Insecure are applied and a session cache added; the
	// driver's timeouts and connection pool stay.
	TLSConfig *tls.Config
	// HTTPClient replaces the driver's HTTP client: then Timeout,
	// Insecure's certificate setting and the connection pool are the
	// client's business, and CAFile, CAPEM, TLSConfig and HTTP2 must not be
	// set. If its Transport is net/http's (or nil), the driver still sends
	// state-changing GETs on connections of their own (see GETOnly).
	HTTPClient *http.Client
	// Logger receives debug logs of every request (command, redacted
	// parameters, status, duration) and warnings; nil logs nothing.
	Logger *slog.Logger

	// Settings holds the tuning knobs, also settable by name through
	// compute.Config.Options.
	Settings

	// proxy replaces the environment's proxy (tests).
	proxy func(*http.Request) (*url.URL, error)
}

// Settings are the CloudStack driver's tuning knobs. Through
// compute.Config.Options (for the registry, CLIs and configuration files)
// they are set by the names in their mapstructure tags (case, '-' and '_'
// ignored), with strings such as "30s" or "true" accepted.
type Settings struct {
	// JobTimeout bounds the wait for an async job; default 10 minutes.
	JobTimeout time.Duration `mapstructure:"job_timeout"`
	// JobPollInterval is the first and smallest delay between polls of an
	// async job; default 200ms. Later delays are a quarter of the time
	// waited so far.
	JobPollInterval time.Duration `mapstructure:"job_poll_interval"`
	// JobPollMaxInterval caps the delay between polls; default 5s.
	JobPollMaxInterval time.Duration `mapstructure:"job_poll_max_interval"`
	// PageSize is the number of rows per list page; default and maximum 500.
	PageSize int `mapstructure:"page_size"`
	// PageConcurrency bounds the pages of one list fetched at once; default 4.
	PageConcurrency int `mapstructure:"page_concurrency"`
	// RetryMax is the number of retries of a read (list*, get*, query*);
	// default 4, negative for none. State-changing commands are never
	// retried once they may have been sent.
	RetryMax int `mapstructure:"retry_max"`
	// RetryWaitMin and RetryWaitMax bound the backoff between retries;
	// defaults 250ms and 8s.
	RetryWaitMin time.Duration `mapstructure:"retry_wait_min"`
	RetryWaitMax time.Duration `mapstructure:"retry_wait_max"`
	// LegacySignature turns off signatureversion=3 and expires, for servers
	// that predate them.
	LegacySignature bool `mapstructure:"legacy_signature"`
	// SignatureLifetime is how long a signed request stays valid (expires);
	// default 10 minutes.
	SignatureLifetime time.Duration `mapstructure:"signature_lifetime"`
	// GETOnly sends every command with GET; by default state-changing
	// commands, secrets and long requests are POSTed. A state-changing
	// command sent by GET goes on a new connection used for it alone, so
	// that net/http cannot resend it when a kept-alive connection breaks.
	GETOnly bool `mapstructure:"get_only"`
	// UserDataMaxLength is the server's vm.userdata.max.length: the largest
	// user data it takes, in base64 characters; default 32768 (so 24576
	// bytes of user data), at most 1048576. CreateNode refuses larger user
	// data before sending anything (with GETOnly, 4 KB).
	UserDataMaxLength int `mapstructure:"user_data_max_length"`
	// CallTimeout bounds one API call including its retries and the waits
	// between them (one page of a list, one poll of a job); default twice
	// the Timeout (2 minutes by default). Timeout bounds each attempt,
	// JobTimeout a job's whole wait, the context everything.
	CallTimeout time.Duration `mapstructure:"call_timeout"`
	// CAFile names a PEM file of authorities to trust besides the
	// system's, such as a private CA (CLI: --ca-file, CLOUDSTACK_CA_FILE).
	CAFile string `mapstructure:"ca_file"`
	// HTTP2 lets the driver negotiate HTTP/2 with an https endpoint; by
	// default it speaks HTTP/1.1, which proxies that limit the requests
	// per connection (nginx's keepalive_requests) serve much better.
	HTTP2 bool `mapstructure:"http2"`
	// ListAll adds listall=true to node, volume, snapshot and key pair
	// listings, so that admins see every account's resources.
	ListAll bool `mapstructure:"list_all"`
	// ProjectID scopes node, volume, snapshot, key pair and image calls to a
	// project ("-1" lists every project's resources).
	ProjectID string `mapstructure:"project_id"`
	// ZoneID is the zone used by CreateNode and CreateVolume without a
	// Location; default the first zone listed, as Libcloud.
	ZoneID string `mapstructure:"zone_id"`
	// CatalogCacheTTL is how long the catalogue look-ups that CreateNode
	// and CreateVolume make for themselves are kept for the driver's next
	// calls: the default zone (no Location, no ZoneID: listZones) and the
	// key pair holding Auth.SSHKey (listSSHKeyPairs). Concurrent calls share
	// one look-up in flight; failures are not kept. Default 1 minute (0
	// means the default); negative turns the cache off (a look-up per call).
	// A zone or key pair deleted meanwhile is noticed when the TTL ends.
	CatalogCacheTTL time.Duration `mapstructure:"catalog_cache_ttl"`
	// Expunge makes DestroyNode expunge the VM at once (expunge=true; needs
	// an admin or allow.user.expunge.recover.vm).
	Expunge bool `mapstructure:"expunge"`
	// UserAgent is sent as User-Agent; default "goclouds".
	UserAgent string `mapstructure:"user_agent"`
	// RateLimit paces every request of the driver (pages, job polls and
	// retries included) at most RateLimit per second, with bursts of
	// RateBurst (default 1); 0 means no pace of the driver's own, though it
	// still slows down by itself when the server refuses calls for rate
	// (see docs/reliability.md, Throttling).
	RateLimit float64 `mapstructure:"rate_limit"`
	RateBurst int     `mapstructure:"rate_burst"`
	// ThrottleMaxWait bounds the time one call spends waiting out refusals
	// for rate (HTTP 429, errorcode 429) before it gives up with
	// compute.ErrThrottled; default 2 minutes, negative to give up at the
	// first refusal. Every command is retried on 429, writes included: the
	// server refused it before running it.
	ThrottleMaxWait time.Duration `mapstructure:"throttle_max_wait"`
}

// Defaults of the settings.
const (
	DefaultJobTimeout  = 10 * time.Minute
	DefaultHTTPTimeout = 60 * time.Second
	DefaultPath        = "/client/api"
)

// preset describes a CloudStack-based provider.
type preset struct {
	host, path    string
	regions       map[string]string
	defaultRegion string
}

// presets holds the CloudStack-based providers goclouds knows. Exoscale
// retired its CloudStack API in 2024; the preset is kept for compatibility
// with Libcloud and for anyone with a compatible endpoint.
var presets = map[types.Provider]preset{
	types.ProviderExoscale: {host: "api.exoscale.com", path: "/compute"},
	types.ProviderIkoula:   {host: "cloudstack.ikoula.com", path: "/client/api"},
	types.ProviderAuroraCompute: {host: "api.auroracompute.eu", defaultRegion: "ams", regions: map[string]string{
		"ams": "/ams", "rtd": "/rtd", "mia": "/mia", "lax": "/lax", "tyo": "/tyo", "bcn": "/bcn",
	}},
}

// AuroraComputeRegions lists the Aurora Compute regions, default first.
var AuroraComputeRegions = []string{"ams", "rtd", "mia", "lax", "tyo", "bcn"}

// String describes the options without the secret.
func (o Options) String() string {
	return fmt.Sprintf("cloudstack.Options{URL:%q Host:%q Port:%d Path:%q Key:%q Secret:%s Insecure:%v Preset:%q Region:%q}",
		o.URL, o.Host, o.Port, o.Path, o.Key, redacted(o.Secret), o.Insecure, o.Preset, o.Region)
}

// GoString is as String, so %#v does not reveal the secret either.
func (o Options) GoString() string { return o.String() }

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "(redacted)"
}

// invalid returns a configuration error matching compute.ErrInvalidArgument.
func invalid(p types.Provider, format string, args ...any) error {
	return compute.Errorf(p, "New", "", compute.ErrInvalidArgument, format, args...)
}

// resolve validates o and returns the provider name and endpoint.
func (o *Options) resolve() (types.Provider, *url.URL, error) {
	p := types.ProviderCloudStack
	var pr preset
	if o.Preset != "" && o.Preset.Normalize() != types.ProviderCloudStack {
		var ok bool
		p = o.Preset.Normalize()
		pr, ok = presets[p]
		if !ok {
			return p, nil, invalid(types.ProviderCloudStack, "unknown preset %q (known: cloudstack, exoscale, ikoula, auroracompute)", o.Preset)
		}
	}
	if o.Key == "" || o.Secret == "" {
		return p, nil, invalid(p, "the API key and secret key are required")
	}
	path := pr.path
	if pr.regions != nil {
		region := strings.ToLower(strings.TrimSpace(o.Region))
		if region == "" {
			region = pr.defaultRegion
		}
		rp, ok := pr.regions[region]
		if !ok {
			return p, nil, invalid(p, "unknown region %q (known: %s)", o.Region, strings.Join(AuroraComputeRegions, ", "))
		}
		path = rp
	} else if o.Region != "" {
		return p, nil, invalid(p, "%s has no regions; set the endpoint with URL or Host and Path", p)
	}
	if path == "" {
		path = DefaultPath
	}
	if o.URL == "" && o.Host == "" && pr.host == "" {
		return p, nil, invalid(p, "no endpoint: set URL (such as https://cloud.example.com/client/api) or Host")
	}
	cfg := compute.Config{URL: o.URL, Host: o.Host, Port: o.Port, Path: o.Path, Insecure: o.Insecure}
	u, err := cfg.ResolveEndpoint(pr.host, path)
	if err != nil {
		return p, nil, compute.NewError(p, "New", "", compute.ErrInvalidArgument, err)
	}
	if u.User != nil {
		return p, nil, invalid(p, "the endpoint URL must not hold credentials; use Key and Secret")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return p, nil, invalid(p, "the endpoint URL must not have a query or fragment")
	}
	if o.Timeout < 0 || o.JobTimeout < 0 || o.JobPollInterval < 0 || o.JobPollMaxInterval < 0 ||
		o.RetryWaitMin < 0 || o.RetryWaitMax < 0 || o.SignatureLifetime < 0 || o.CallTimeout < 0 {
		return p, nil, invalid(p, "durations must not be negative")
	}
	if o.PageSize < 0 || o.PageSize > csapi.MaxPageSize {
		return p, nil, invalid(p, "page size %d: want 1 to %d", o.PageSize, csapi.MaxPageSize)
	}
	if o.UserDataMaxLength < 0 || o.UserDataMaxLength > maxUserDataMaxLength {
		return p, nil, invalid(p, "user data max length %d: want 1 to %d", o.UserDataMaxLength, maxUserDataMaxLength)
	}
	if o.RateLimit < 0 || o.RateBurst < 0 {
		return p, nil, invalid(p, "rate limit %g/s with burst %d: want 0 (none) or more", o.RateLimit, o.RateBurst)
	}
	if o.HTTPClient != nil && (o.CAFile != "" || len(o.CAPEM) > 0 || o.TLSConfig != nil || o.HTTP2) {
		return p, nil, invalid(p, "HTTPClient replaces the driver's transport: configure its TLS there, or set CAFile, CAPEM, TLSConfig and HTTP2 without HTTPClient")
	}
	if o.PageConcurrency < 0 {
		return p, nil, invalid(p, "page concurrency %d must not be negative", o.PageConcurrency)
	}
	return p, u, nil
}
