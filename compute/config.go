package compute

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is what every provider constructor takes through a Factory: where
// the provider is, the credentials, and transport settings. Providers with
// richer settings also offer a typed constructor (cloudstack.New) and accept
// their typed options in ProviderOptions.
//
// Credentials come in the forms the major clouds use; each provider
// documents which fields it reads:
//
//   - Key and Secret: an API key pair (CloudStack's API and secret keys,
//     EC2's access key id and secret access key, an OpenStack application
//     credential id and secret), with SessionToken for temporary AWS
//     credentials;
//   - Username and Password, with Domain, Project and ProjectDomain:
//     OpenStack Keystone v3, vSphere (Username and Password only);
//   - Token: a bearer or pre-issued token.
//
// When the credentials are left empty a provider may read its ecosystem's
// standard sources (CLOUDSTACK_* variables and cmk profiles, the AWS default
// chain, OS_* variables and clouds.yaml, GOVC_*); each provider documents
// what it reads and in which order. Values set here always win.
//
// A Factory does no network I/O: providers that must authenticate do so
// lazily on the first call, under that call's context.
type Config struct {
	// URL is the full endpoint, such as "https://cloud.example.com/client/api"
	// (for OpenStack, the Keystone auth URL). Its scheme decides TLS. When
	// empty, Host, Port and Path are used.
	URL string
	// Host is the endpoint's host name, used when URL is empty.
	Host string
	// Port is the endpoint's port; 0 means the scheme's default.
	Port int
	// Path is the endpoint's path; "" means the provider's default.
	Path string
	// Key is the API key (access key, application credential id).
	Key string
	// Secret is the secret key. It is never logged or put into errors.
	Secret string
	// SessionToken is a temporary credential's session token (AWS STS). It
	// is a secret.
	SessionToken string
	// Token is a bearer token (OpenStack token auth, a pre-issued API
	// token). It is a secret.
	Token string
	// Username and Password log in with a user's credentials (OpenStack
	// Keystone, vCenter). The password is a secret.
	Username string
	Password string
	// Domain is the user's domain (Keystone's user_domain_name).
	Domain string
	// Project is the project (tenant) to scope to, by name or id (Keystone's
	// project_name or project_id; CloudStack's project id).
	Project string
	// ProjectDomain is the project's domain (Keystone's
	// project_domain_name); default Domain.
	ProjectDomain string
	// Insecure allows plain HTTP when built from Host, and with an https URL
	// turns off certificate verification (logged as a warning).
	Insecure bool
	// CAFile is a PEM file of certificate authorities to trust besides the
	// system's (a private cloud's own CA).
	CAFile string
	// Region selects a region for providers that have them.
	Region string
	// Timeout bounds each HTTP request; 0 means the provider's default.
	Timeout time.Duration
	// HTTPClient replaces the provider's HTTP client when non-nil.
	HTTPClient *http.Client
	// Logger receives debug logs of requests and responses, with secrets
	// redacted; nil logs nothing.
	Logger *slog.Logger
	// Options carries provider-specific settings as key/value pairs (from a
	// CLI or a configuration file); each provider documents its keys and
	// decodes them into its typed options.
	Options map[string]any
	// ProviderOptions carries a provider's typed options, such as a
	// *cloudstack.Options or an *aws.Config; each provider documents the
	// types it accepts, and any other type gives ErrInvalidArgument. The
	// fields above, when set, override the same settings in it.
	ProviderOptions any
}

// HasCredentials reports whether c carries any credential (key, secret,
// token, user name or password), so that a provider knows whether to look
// in its ecosystem's standard sources.
func (c Config) HasCredentials() bool {
	return c.Key != "" || c.Secret != "" || c.Token != "" || c.SessionToken != "" ||
		c.Username != "" || c.Password != ""
}

// String describes the config without its secrets.
func (c Config) String() string {
	return fmt.Sprintf("Config{URL:%q Host:%q Port:%d Path:%q Key:%q Secret:%s SessionToken:%s Token:%s "+
		"Username:%q Password:%s Domain:%q Project:%q ProjectDomain:%q Insecure:%v CAFile:%q Region:%q Timeout:%s}",
		c.URL, c.Host, c.Port, c.Path, c.Key, Redacted(c.Secret), Redacted(c.SessionToken), Redacted(c.Token),
		c.Username, Redacted(c.Password), c.Domain, c.Project, c.ProjectDomain, c.Insecure, c.CAFile, c.Region, c.Timeout)
}

// GoString is as String, so %#v does not reveal the secrets either.
func (c Config) GoString() string { return c.String() }

// Redacted returns `""` for an empty secret and "(redacted)" otherwise, for
// String methods that describe a secret without revealing it.
func Redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return "(redacted)"
}

// Factory builds a driver from a Config. Factories do no network I/O; they
// validate the config and return an error matching ErrInvalidArgument when it
// is unusable.
type Factory func(Config) (Driver, error)

// ResolveEndpoint returns the endpoint the config names. An explicit URL wins
// and its scheme (http or https) decides TLS; otherwise Host (or
// defaultHost), Port and Path (or defaultPath) are joined, over https unless
// Insecure is set. The error matches ErrInvalidArgument.
func (c Config) ResolveEndpoint(defaultHost, defaultPath string) (*url.URL, error) {
	if c.URL != "" {
		raw := strings.TrimSpace(c.URL)
		if !hasHTTPScheme(raw) {
			return nil, fmt.Errorf("%w: the API URL needs http:// or https:// (got %q)", ErrInvalidArgument, redactUserinfo(raw))
		}
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: endpoint URL: %v", ErrInvalidArgument, redactURLError(err))
		}
		if u.Host == "" {
			return nil, fmt.Errorf("%w: endpoint URL %q has no host", ErrInvalidArgument, u.Redacted())
		}
		if u.Path == "" && defaultPath != "" {
			u.Path = defaultPath
		}
		return u, nil
	}
	host := c.Host
	if host == "" {
		host = defaultHost
	}
	if host == "" {
		return nil, fmt.Errorf("%w: no endpoint: set URL or Host", ErrInvalidArgument)
	}
	if strings.Contains(host, "/") {
		return nil, fmt.Errorf("%w: host %q must be a host name, not a URL", ErrInvalidArgument, host)
	}
	if c.Port < 0 || c.Port > 65535 {
		return nil, fmt.Errorf("%w: port %d out of range", ErrInvalidArgument, c.Port)
	}
	scheme := "https"
	if c.Insecure {
		scheme = "http"
	}
	if c.Port != 0 {
		host = joinHostPort(host, c.Port)
	}
	path := c.Path
	if path == "" {
		path = defaultPath
	}
	if path != "" && !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return &url.URL{Scheme: scheme, Host: host, Path: path}, nil
}

// hasHTTPScheme reports whether raw starts with http:// or https://, in any
// case.
func hasHTTPScheme(raw string) bool {
	l := strings.ToLower(raw)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// redactUserinfo hides a "user:password@" part of a URL-like text that did
// not parse as a URL, for error messages.
func redactUserinfo(raw string) string {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if at := strings.Index(rest, "@"); at >= 0 && !strings.ContainsAny(rest[:at], "/?#") {
		return strings.Replace(raw, rest[:at+1], "REDACTED@", 1)
	}
	return raw
}

func joinHostPort(host string, port int) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(port)
}

// redactURLError drops the URL text from a url.Error, since it may hold
// credentials.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
