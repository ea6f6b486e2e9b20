package openstacksim

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Config is what `goclouds sim --provider openstack` passes to Run.
type Config struct {
	// Addr is the listen address (host:port; port 0 picks a free one).
	Addr string
	// Username and Password are the admin user's credentials (--api-key,
	// --secret-key; the defaults when empty).
	Username, Password string
	// Servers is the number of ACTIVE servers to start with (--vms).
	Servers int
	// TransitionDelay is how long BUILD and the other transitions last
	// (--job-delay).
	TransitionDelay time.Duration
	// Throttle is the number of requests allowed per second and user
	// (--throttle; 0 disables throttling).
	Throttle int
}

// Run starts a simulator as cfg says, writes an openrc that points the
// openstack CLI and openstacksdk at it to out:
//
//	export OS_AUTH_URL=http://HOST:PORT/identity/v3
//	export OS_USERNAME=admin
//	export OS_PASSWORD=...
//	export OS_PROJECT_NAME=admin
//	export OS_USER_DOMAIN_NAME=Default
//	export OS_PROJECT_DOMAIN_NAME=Default
//	export OS_REGION_NAME=RegionOne
//	export OS_IDENTITY_API_VERSION=3
//	listening on http://HOST:PORT/identity/v3
//
// and serves until ctx is done.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	s := NewServer(&Options{Username: cfg.Username, Password: cfg.Password, Servers: cfg.Servers,
		TransitionDelay: cfg.TransitionDelay})
	if cfg.Throttle > 0 {
		s.SetThrottle(Throttle{Max: cfg.Throttle, Interval: time.Second})
	}
	return s.ListenAndServe(ctx, cfg.Addr, func(authURL string) {
		fmt.Fprint(out, Openrc(authURL, s.AdminCredentials()))
		fmt.Fprintf(out, "listening on %s\n", authURL)
	})
}

// Openrc returns the shell lines that point OpenStack clients at authURL
// with cred.
func Openrc(authURL string, cred Credentials) string {
	return fmt.Sprintf("export OS_AUTH_URL=%s\nexport OS_USERNAME=%s\nexport OS_PASSWORD=%s\nexport OS_PROJECT_NAME=%s\n"+
		"export OS_USER_DOMAIN_NAME=%s\nexport OS_PROJECT_DOMAIN_NAME=%s\nexport OS_REGION_NAME=%s\nexport OS_IDENTITY_API_VERSION=3\n",
		authURL, cred.Username, cred.Password, cred.ProjectName, cred.UserDomainName, cred.ProjectDomainName, cred.Region)
}
