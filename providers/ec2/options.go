package ec2

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Defaults of the Settings.
const (
	// DefaultConsistencyTimeout is how long after creating an instance the
	// driver retries calls that EC2 answers with InvalidInstanceID.NotFound
	// for it (EC2's eventual consistency).
	DefaultConsistencyTimeout = 15 * time.Second
	// MaxUserData is EC2's limit on user data: 16 KB before base64.
	MaxUserData = 16 * 1024
)

// DefaultImageOwners are the AMI owners ListImages lists by default: the
// account's own images and Amazon's, never every public image.
var DefaultImageOwners = []string{"self", "amazon"}

// Options configures a Driver built with New. Empty fields take their
// values from AWSConfig, or from the AWS default configuration
// (environment variables, shared config and credentials files, and the
// default credential chain) when AWSConfig is nil.
type Options struct {
	// AWSConfig is the base SDK configuration; nil loads the default one
	// (config.LoadDefaultConfig, which reads files and the environment but
	// does no network I/O).
	AWSConfig *aws.Config
	// Region is the region, such as "us-east-1". Required unless the AWS
	// configuration has one or URL is set (then "us-east-1").
	Region string
	// URL overrides the endpoint (an EC2-compatible cloud, the simulator);
	// it becomes the client's BaseEndpoint.
	URL string
	// Key, Secret and SessionToken are static credentials (access key id,
	// secret access key, session token); empty uses the configuration's.
	Key, Secret, SessionToken string
	// HTTPClient replaces the SDK's HTTP client when non-nil (an
	// *http.Client or the SDK's BuildableClient).
	HTTPClient aws.HTTPClient
	// Settings tunes the driver.
	Settings
}

// Settings are the driver's tunables, settable by name through
// compute.Config.Options (keys as in the mapstructure tags).
type Settings struct {
	// RetryMaxAttempts is the SDK standard retryer's attempts per call
	// (throttling, 5xx and connection errors are retried); 0 keeps the
	// SDK's default of 3.
	RetryMaxAttempts int `mapstructure:"retry_max_attempts"`
	// RetryMaxBackoff caps the retryer's pause between attempts; 0 keeps
	// the SDK's default of 20 s.
	RetryMaxBackoff time.Duration `mapstructure:"retry_max_backoff"`
	// ConsistencyTimeout is how long after a create calls about the new
	// instance retry InvalidInstanceID.NotFound; 0 means
	// DefaultConsistencyTimeout, negative turns the retry off.
	ConsistencyTimeout time.Duration `mapstructure:"consistency_timeout"`
	// ImageOwners are the owners ListImages lists (DefaultImageOwners when
	// empty): "self", "amazon", "aws-marketplace" or account ids.
	ImageOwners []string `mapstructure:"image_owners"`
}

func (s Settings) withDefaults() Settings {
	if s.ConsistencyTimeout == 0 {
		s.ConsistencyTimeout = DefaultConsistencyTimeout
	}
	if len(s.ImageOwners) == 0 {
		s.ImageOwners = DefaultImageOwners
	}
	return s
}
