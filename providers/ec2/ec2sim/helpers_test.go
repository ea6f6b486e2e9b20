package ec2sim_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
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
// endpoint that does not retry (so that every error the simulator answers
// reaches the test).
func sdkClient(endpoint, key, secret string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:           ec2sim.DefaultRegion,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: inMemoryBodies{http.DefaultTransport}},
	})
}

// inMemoryBodies hands the transport a copy of each request body in a
// bytes.Reader. smithy-go closes the body it gives net/http as soon as the
// response headers arrive, and its closed body's WriteTo answers io.EOF as
// an error. net/http flushes the headers of a body it does not know to be in
// memory before writing the body, so a quick server (the simulator on
// loopback) answers while the transport's write goroutine still checks the
// body for extra bytes; that check then fails, and the transport closes the
// connection under the response being read: "failed to decode response
// body ... use of closed network connection" (aws/aws-sdk-go-v2#2737; the
// SDK's default retryer resends such calls, which these tests turn off).
// With a bytes.Reader the transport writes headers and body in one piece
// and the SDK's close does not reach the body being written.
type inMemoryBodies struct{ next http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t inMemoryBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return t.next.RoundTrip(r)
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return t.next.RoundTrip(r)
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
