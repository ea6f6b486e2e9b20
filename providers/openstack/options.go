package openstack

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Options configures a Driver. Empty credential fields are read from the
// environment (the OS_* variables, then clouds.yaml) when no credential is
// set at all; see FromEnvironment.
type Options struct {
	// AuthURL is the Keystone URL, such as "https://keystone.example.com/v3"
	// or "http://host/identity/v3"; a URL without a version is resolved by
	// Keystone's version discovery.
	AuthURL string `mapstructure:"auth_url"`
	// Username or UserID, with Password, log in with a user's password.
	Username string `mapstructure:"username"`
	UserID   string `mapstructure:"user_id"`
	// Password is the user's password. It is a secret.
	Password string `mapstructure:"password"`
	// UserDomainName or UserDomainID is the user's domain ("Default").
	UserDomainName string `mapstructure:"user_domain_name"`
	UserDomainID   string `mapstructure:"user_domain_id"`
	// ProjectName or ProjectID is the project to scope the token to.
	ProjectName string `mapstructure:"project_name"`
	ProjectID   string `mapstructure:"project_id"`
	// ProjectDomainName or ProjectDomainID is the project's domain; default
	// the user's domain.
	ProjectDomainName string `mapstructure:"project_domain_name"`
	ProjectDomainID   string `mapstructure:"project_domain_id"`
	// ApplicationCredentialID (or Name, with a user) and
	// ApplicationCredentialSecret log in with an application credential,
	// which carries its own project scope.
	ApplicationCredentialID     string `mapstructure:"application_credential_id"`
	ApplicationCredentialName   string `mapstructure:"application_credential_name"`
	ApplicationCredentialSecret string `mapstructure:"application_credential_secret"`
	// Token is a pre-issued Keystone token. It cannot be reissued when it
	// expires. It is a secret.
	Token string `mapstructure:"token"`
	// Region selects the catalogue's region ("RegionOne"); empty takes the
	// first endpoint of each service.
	Region string `mapstructure:"region"`
	// Interface selects the catalogue's interface: "public" (default),
	// "internal" or "admin".
	Interface string `mapstructure:"interface"`
	// Cloud names the clouds.yaml entry to read (as OS_CLOUD).
	Cloud string `mapstructure:"cloud"`
	// CAFile is a PEM file of certificate authorities to trust besides the
	// system's.
	CAFile string `mapstructure:"ca_file"`
	// Insecure turns off TLS certificate verification (logged as a warning).
	Insecure bool `mapstructure:"insecure"`
	// ComputeMicroversion is the compute API microversion to ask for, at
	// most the cloud's maximum; default DefaultMicroversion.
	ComputeMicroversion string `mapstructure:"compute_microversion"`
	// Timeout bounds each HTTP request; 0 means DefaultTimeout.
	Timeout time.Duration `mapstructure:"timeout"`
	// ThrottleMaxWait bounds the total time one call waits after refusals
	// for rate (HTTP 429) before it returns compute.ErrThrottled; 0 means
	// DefaultThrottleMaxWait, negative gives up at the first refusal.
	ThrottleMaxWait time.Duration `mapstructure:"throttle_max_wait"`
	// ReauthBefore reissues the token this long before it expires; 0 means
	// DefaultReauthBefore, negative only reissues after a 401.
	ReauthBefore time.Duration `mapstructure:"reauth_before"`
	// HTTPClient replaces the driver's HTTP client when non-nil (CAFile,
	// Insecure and Timeout are then ignored).
	HTTPClient *http.Client `mapstructure:"-"`
	// Logger receives debug logs; nil logs nothing.
	Logger *slog.Logger `mapstructure:"-"`
	// NoEnvironment stops New from reading the OS_* variables and
	// clouds.yaml.
	NoEnvironment bool `mapstructure:"no_environment"`
}

// Defaults for Options.
const (
	// DefaultMicroversion is the compute API microversion the driver asks
	// for: 2.52 has networks at create time (2.37), embedded flavors (2.47)
	// and server tags at create (2.52).
	DefaultMicroversion = "2.52"
	// DefaultTimeout bounds each HTTP request.
	DefaultTimeout = 60 * time.Second
	// DefaultThrottleMaxWait bounds the waits of one call after 429s.
	DefaultThrottleMaxWait = 30 * time.Second
	// DefaultReauthBefore is how long before expiry a token is reissued.
	DefaultReauthBefore = 30 * time.Second
	// MaxUserData is Nova's limit on user data: 65535 base64 characters,
	// so 49149 raw bytes.
	MaxUserData = 65535 / 4 * 3
)

// hasCredentials reports whether o carries any credential.
func (o *Options) hasCredentials() bool {
	return o.Username != "" || o.UserID != "" || o.Password != "" || o.Token != "" ||
		o.ApplicationCredentialID != "" || o.ApplicationCredentialName != "" || o.ApplicationCredentialSecret != ""
}

// String describes o without its secrets.
func (o Options) String() string {
	return fmt.Sprintf("openstack.Options{AuthURL:%q Username:%q UserID:%q Password:%s UserDomain:%q/%q Project:%q/%q ProjectDomain:%q/%q AppCred:%q/%q Secret:%s Token:%s Region:%q Interface:%q Cloud:%q}",
		o.AuthURL, o.Username, o.UserID, redacted(o.Password), o.UserDomainName, o.UserDomainID,
		o.ProjectName, o.ProjectID, o.ProjectDomainName, o.ProjectDomainID,
		o.ApplicationCredentialID, o.ApplicationCredentialName, redacted(o.ApplicationCredentialSecret),
		redacted(o.Token), o.Region, o.Interface, o.Cloud)
}

// GoString is as String, so %#v does not reveal the secrets either.
func (o Options) GoString() string { return o.String() }

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "(redacted)"
}
