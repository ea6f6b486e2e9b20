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
// richer settings also offer a typed constructor (cloudstack.New).
type Config struct {
	// URL is the full endpoint, such as "https://cloud.example.com/client/api".
	// Its scheme decides TLS. When empty, Host, Port and Path are used.
	URL string
	// Host is the endpoint's host name, used when URL is empty.
	Host string
	// Port is the endpoint's port; 0 means the scheme's default.
	Port int
	// Path is the endpoint's path; "" means the provider's default.
	Path string
	// Key is the API key (access key).
	Key string
	// Secret is the secret key. It is never logged or put into errors.
	Secret string
	// Insecure allows plain HTTP when built from Host, and with an https URL
	// turns off certificate verification (logged as a warning).
	Insecure bool
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
}

// String describes the config without its secret.
func (c Config) String() string {
	secret := ""
	if c.Secret != "" {
		secret = "(redacted)"
	}
	return fmt.Sprintf("Config{URL:%q Host:%q Port:%d Path:%q Key:%q Secret:%s Insecure:%v Region:%q Timeout:%s}",
		c.URL, c.Host, c.Port, c.Path, c.Key, secret, c.Insecure, c.Region, c.Timeout)
}

// GoString is as String, so %#v does not reveal the secret either.
func (c Config) GoString() string { return c.String() }

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
		u, err := url.Parse(strings.TrimSpace(c.URL))
		if err != nil {
			return nil, fmt.Errorf("%w: endpoint URL: %v", ErrInvalidArgument, redactURLError(err))
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("%w: endpoint URL %q: scheme must be http or https", ErrInvalidArgument, u.Redacted())
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
