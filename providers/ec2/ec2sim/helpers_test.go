package ec2sim_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

// newSim starts a simulator with opts on an httptest server.
func newSim(t *testing.T, opts *ec2sim.Options) (*ec2sim.Server, string) {
	t.Helper()
	if opts == nil {
		opts = &ec2sim.Options{}
	}
	if opts.RSAKeyBits == 0 {
		opts.RSAKeyBits = 1024
	}
	s, err := ec2sim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		if n := s.Bugs(); n != 0 {
			t.Errorf("simulator hit %d internal errors", n)
		}
	})
	return s, hs.URL + "/"
}

// sdkClient returns an aws-sdk-go-v2 EC2 client for the simulator at
// endpoint that does not retry.
func sdkClient(endpoint, key, secret string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:           ec2sim.DefaultRegion,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
	})
}

// apiCode returns the error code of an SDK error ("" when there is none).
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}
