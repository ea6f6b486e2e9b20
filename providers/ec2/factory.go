package ec2

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/compute"
)

// Factory builds a driver from a compute.Config, for the registry:
//
//   - Config.ProviderOptions may hold an *aws.Config (or aws.Config), the
//     base SDK configuration, or an *Options (or Options);
//   - Region, or the AWS configuration's region;
//   - Key, Secret and SessionToken, or the AWS default credential chain;
//   - URL (or Host, Port, Path) overrides the endpoint;
//   - HTTPClient, or Timeout, CAFile and Insecure for the SDK's client;
//   - Config.Options sets the Settings by name (retry_max_attempts,
//     consistency_timeout, image_owners);
//   - Token, Username and Password are refused (ErrInvalidArgument).
//
// It does no network I/O.
func Factory(cfg compute.Config) (compute.Driver, error) {
	var o Options
	switch p := cfg.ProviderOptions.(type) {
	case *aws.Config:
		if p != nil {
			c := p.Copy()
			o.AWSConfig = &c
		}
	case aws.Config:
		c := p.Copy()
		o.AWSConfig = &c
	default:
		base, err := compute.ProviderOptionsOf[Options](provider, "New", cfg.ProviderOptions)
		if err != nil {
			return nil, err
		}
		o = *base
	}
	switch {
	case cfg.Token != "":
		return nil, invalid("EC2 signs requests with an access key id and secret access key (Key, Secret, SessionToken), not a bearer token")
	case cfg.Username != "" || cfg.Password != "":
		return nil, invalid("EC2 signs requests with an access key id and secret access key (Key, Secret, SessionToken), not a user name and password")
	}
	if cfg.URL != "" || cfg.Host != "" {
		u, err := cfg.ResolveEndpoint("", "")
		if err != nil {
			return nil, compute.NewError(provider, "New", "", compute.ErrInvalidArgument, err)
		}
		o.URL = u.String()
	}
	if cfg.Key != "" || cfg.Secret != "" || cfg.SessionToken != "" {
		o.Key, o.Secret, o.SessionToken = cfg.Key, cfg.Secret, cfg.SessionToken
	}
	if cfg.Region != "" {
		o.Region = cfg.Region
	}
	if err := compute.DecodeOptions(cfg.Options, &o.Settings); err != nil {
		return nil, compute.NewError(provider, "New", "", compute.ErrInvalidArgument, err)
	}
	switch {
	case cfg.HTTPClient != nil:
		o.HTTPClient = cfg.HTTPClient
	case cfg.Timeout > 0 || cfg.CAFile != "" || cfg.Insecure:
		c, err := buildHTTPClient(cfg)
		if err != nil {
			return nil, err
		}
		o.HTTPClient = c
	}
	d, err := New(&o)
	if err != nil {
		return nil, err // not a typed nil
	}
	return d, nil
}

// buildHTTPClient is the SDK's HTTP client with cfg's timeout, CA file and
// certificate verification.
func buildHTTPClient(cfg compute.Config) (aws.HTTPClient, error) {
	var pool *x509.CertPool
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, compute.NewError(provider, "New", "", compute.ErrInvalidArgument, err)
		}
		if pool, err = x509.SystemCertPool(); err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, invalid("CAFile %s holds no PEM certificate", cfg.CAFile)
		}
	}
	bc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		if pool != nil {
			t.TLSClientConfig.RootCAs = pool
		}
		if cfg.Insecure {
			t.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user's explicit opt-out
		}
	})
	if cfg.Timeout > 0 {
		bc = bc.WithTimeout(cfg.Timeout)
	}
	return bc, nil
}

// New returns a driver for the options (nil: the AWS default
// configuration). It does no network I/O; a missing region or half a key
// pair gives ErrInvalidArgument.
func New(opts *Options) (*Driver, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if (o.Key == "") != (o.Secret == "") {
		return nil, invalid("static credentials need both Key (access key id) and Secret (secret access key)")
	}
	if o.SessionToken != "" && o.Key == "" {
		return nil, invalid("a SessionToken needs Key and Secret")
	}
	var awsCfg aws.Config
	if o.AWSConfig != nil {
		awsCfg = o.AWSConfig.Copy()
	} else {
		var loaders []func(*config.LoadOptions) error
		if o.Region != "" {
			loaders = append(loaders, config.WithRegion(o.Region))
		}
		c, err := config.LoadDefaultConfig(context.Background(), loaders...)
		if err != nil {
			return nil, compute.NewError(provider, "New", "", compute.ErrInvalidArgument,
				fmt.Errorf("loading the AWS configuration: %w", err))
		}
		awsCfg = c
	}
	if o.Region != "" {
		awsCfg.Region = o.Region
	}
	if awsCfg.Region == "" && o.URL != "" {
		awsCfg.Region = "us-east-1"
	}
	if awsCfg.Region == "" {
		return nil, invalid("no region: set Config.Region, AWS_REGION or a profile's region")
	}
	if o.Key != "" {
		awsCfg.Credentials = credentials.NewStaticCredentialsProvider(o.Key, o.Secret, o.SessionToken)
	}
	if o.HTTPClient != nil {
		awsCfg.HTTPClient = o.HTTPClient
	}
	s := o.Settings.withDefaults()
	if s.RetryMaxAttempts < 0 || s.RetryMaxBackoff < 0 {
		return nil, invalid("retry_max_attempts %d or retry_max_backoff %s is negative", s.RetryMaxAttempts, s.RetryMaxBackoff)
	}
	client := ec2.NewFromConfig(awsCfg, func(eo *ec2.Options) {
		if o.URL != "" {
			eo.BaseEndpoint = aws.String(o.URL)
		}
		if s.RetryMaxAttempts > 0 {
			eo.RetryMaxAttempts = s.RetryMaxAttempts
		}
		if s.RetryMaxBackoff > 0 {
			if eo.Retryer == nil {
				eo.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
					if s.RetryMaxAttempts > 0 {
						so.MaxAttempts = s.RetryMaxAttempts
					}
				})
			}
			eo.Retryer = retry.AddWithMaxBackoffDelay(eo.Retryer, s.RetryMaxBackoff)
		}
	})
	return &Driver{client: client, region: awsCfg.Region, settings: s, recent: newRecentIDs()}, nil
}

// invalid is an ErrInvalidArgument of New.
func invalid(format string, args ...any) error {
	return compute.Errorf(provider, "New", "", compute.ErrInvalidArgument, format, args...)
}
