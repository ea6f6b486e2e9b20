package ec2sim

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Config is what `goclouds sim --provider ec2` passes to Run.
type Config struct {
	// Addr is the listen address (host:port; port 0 picks a free one).
	Addr string
	// AccessKey and SecretKey are the accepted credentials (--api-key,
	// --secret-key; the defaults when empty).
	AccessKey, SecretKey string
	// Region is the simulated region (DefaultRegion when empty).
	Region string
	// Instances is the number of running instances to start with (--vms).
	Instances int
	// TransitionDelay is how long pending, stopping and shutting-down last
	// (--job-delay).
	TransitionDelay time.Duration
	// Throttle is the number of requests allowed per second and access key
	// (--throttle; 0 disables throttling).
	Throttle int
}

// Run starts a simulator as cfg says, writes the shell lines that point
// awscli, boto3 and the SDKs at it to out:
//
//	export AWS_ACCESS_KEY_ID=...
//	export AWS_SECRET_ACCESS_KEY=...
//	export AWS_DEFAULT_REGION=...
//	export AWS_ENDPOINT_URL=http://HOST:PORT/
//	listening on http://HOST:PORT/
//
// and serves until ctx is done.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	s, err := New(&Options{AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, Region: cfg.Region,
		Instances: cfg.Instances, TransitionDelay: cfg.TransitionDelay})
	if err != nil {
		return err
	}
	if cfg.Throttle > 0 {
		s.SetThrottle(Throttle{Max: cfg.Throttle, Interval: time.Second})
	}
	return s.ListenAndServe(ctx, cfg.Addr, func(endpoint string) {
		fmt.Fprintf(out, "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\nexport AWS_DEFAULT_REGION=%s\n"+
			"export AWS_ENDPOINT_URL=%s\nlistening on %s\n", s.AccessKey(), s.SecretKey(), s.Region(), endpoint, endpoint)
	})
}
