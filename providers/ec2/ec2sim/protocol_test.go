package ec2sim_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

// An unsigned request gets the authentication error in EC2's error document.
func TestErrorDocumentAndAuth(t *testing.T) {
	_, ep := newSim(t, nil)
	resp, err := http.PostForm(ep, url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(body), "<Response><Errors><Error><Code>MissingAuthenticationToken</Code>") ||
		!strings.Contains(string(body), "<RequestID>") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestValidationErrors(t *testing.T) {
	sim, ep := newSim(t, nil)
	c := sdkClient(ep, sim.AccessKey(), sim.SecretKey())
	for form, want := range map[string]string{
		"Action=RunInstances&ImageId=ami-0453ec754f44f9a4a&MaxCount=1":            "MissingParameter",
		"Action=RunInstances&ImageId=ami-0453ec754f44f9a4a&MaxCount=x&MinCount=1": "InvalidParameterValue",
		"Action=DescribeInstances&Bogus=1":                                        "UnknownParameter",
		"Action=NoSuchAction":                                                     "InvalidAction",
	} {
		status, body := signedPost(t, sim, ep, form+"&Version=2016-11-15")
		if status != 400 || !strings.Contains(body, "<Code>"+want+"</Code>") {
			t.Errorf("%s: %d %s", form, status, body)
		}
	}
	status, body := signedPost(t, sim, ep, "Action=DescribeRegions&Version=2016-11-15")
	if status != 200 || !strings.Contains(body, `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>`) ||
		!strings.Contains(body, "<regionInfo><item>") {
		t.Errorf("answer: %d %s", status, body)
	}
	var err error
	_, err = c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{InstanceIds: []string{"nope"}})
	if apiCode(err) != "InvalidInstanceID.Malformed" {
		t.Errorf("malformed id: %v", err)
	}
	_, err = sdkClient(ep, sim.AccessKey(), "wrong").DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{})
	if apiCode(err) != "AuthFailure" {
		t.Errorf("wrong secret: %v", err)
	}
	_, err = sdkClient(ep, "AKIAUNKNOWN", "x").DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{})
	if apiCode(err) != "AuthFailure" {
		t.Errorf("unknown key: %v", err)
	}
	_, err = c.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{DryRun: aws.Bool(true)})
	if apiCode(err) != "DryRunOperation" {
		t.Errorf("dry run: %v", err)
	}
	_, err = c.DescribeHosts(ctx(t), &ec2.DescribeHostsInput{})
	if apiCode(err) != "UnsupportedOperation" {
		t.Errorf("unsupported: %v", err)
	}
}

// signedPost sends form signed with SigV4 and returns the status and body.
func signedPost(t *testing.T, sim *ec2sim.Server, ep, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ep, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: sim.AccessKey(), SecretAccessKey: sim.SecretKey()}
	if err := v4.NewSigner().SignHTTP(ctx(t), creds, req, hex.EncodeToString(sum[:]), "ec2", sim.Region(), time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestReadOnlyAndLimits(t *testing.T) {
	sim, ep := newSim(t, &ec2sim.Options{ReadOnlyAccessKey: "AKIAREADONLY", ReadOnlySecretKey: "ro", InstanceLimit: 1})
	ro := sdkClient(ep, "AKIAREADONLY", "ro")
	if _, err := ro.DescribeInstances(ctx(t), &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatal(err)
	}
	_, err := ro.CreateKeyPair(ctx(t), &ec2.CreateKeyPairInput{KeyName: aws.String("x")})
	if apiCode(err) != "UnauthorizedOperation" {
		t.Errorf("read-only create: %v", err)
	}
	c := sdkClient(ep, sim.AccessKey(), sim.SecretKey())
	run := &ec2.RunInstancesInput{ImageId: aws.String("ami-0453ec754f44f9a4a"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2)}
	_, err = c.RunInstances(ctx(t), run)
	if apiCode(err) != "InstanceLimitExceeded" {
		t.Errorf("over the limit: %v", err)
	}
}

func TestKnobs(t *testing.T) {
	sim, ep := newSim(t, nil)
	c := sdkClient(ep, sim.AccessKey(), sim.SecretKey())
	sim.InjectFault("DescribeRegions", ec2sim.Fault{Times: 1})
	_, err := c.DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{})
	if apiCode(err) != "Unavailable" {
		t.Errorf("injected error: %v", err)
	}
	if _, err := c.DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{}); err != nil {
		t.Errorf("fault outlived Times: %v", err)
	}
	sim.InjectFault("CreateKeyPair", ec2sim.Fault{Kind: ec2sim.FaultDropAfter, Times: 1})
	if _, err := c.CreateKeyPair(ctx(t), &ec2.CreateKeyPairInput{KeyName: aws.String("dropped")}); err == nil {
		t.Fatal("dropped answer gave no error")
	}
	_, err = c.CreateKeyPair(ctx(t), &ec2.CreateKeyPairInput{KeyName: aws.String("dropped")})
	if apiCode(err) != "InvalidKeyPair.Duplicate" {
		t.Errorf("drop-after must have created the key pair: %v", err)
	}
	sim.InjectFault("CreateKeyPair", ec2sim.Fault{Kind: ec2sim.FaultDropBefore, Times: 1})
	if _, err := c.CreateKeyPair(ctx(t), &ec2.CreateKeyPairInput{KeyName: aws.String("never")}); err == nil {
		t.Fatal("dropped request gave no error")
	}
	if _, err := c.CreateKeyPair(ctx(t), &ec2.CreateKeyPairInput{KeyName: aws.String("never")}); err != nil {
		t.Errorf("drop-before must not have created the key pair: %v", err)
	}
	if got := sim.RequestCount("CreateKeyPair"); got != 4 {
		t.Errorf("CreateKeyPair count %d, want 4", got)
	}
	sim.SetThrottle(ec2sim.Throttle{Max: 2, Interval: time.Hour})
	var last error
	for i := 0; i < 3; i++ {
		_, last = c.DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{})
	}
	if apiCode(last) != "RequestLimitExceeded" {
		t.Errorf("throttled: %v", last)
	}
	if n := sim.ThrottledCount(); n != 1 {
		t.Errorf("ThrottledCount %d, want 1", n)
	}
	sim.ResetRequestCounts()
	if n := sim.ThrottledCount(); n != 0 || sim.RequestCount("DescribeRegions") != 0 {
		t.Errorf("after ResetRequestCounts: %d refused, %d DescribeRegions", n, sim.RequestCount("DescribeRegions"))
	}
	sim.SetThrottle(ec2sim.Throttle{})
	sim.SetLatency("DescribeRegions", 50*time.Millisecond)
	start := time.Now()
	if _, err := c.DescribeRegions(ctx(t), &ec2.DescribeRegionsInput{}); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Error("latency not applied")
	}
	var ae interface{ ErrorCode() string }
	if errors.As(last, &ae) && ae.ErrorCode() == "" {
		t.Error("no code")
	}
}

func TestModelCoverage(t *testing.T) {
	m, err := ec2sim.LoadModel()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.Operations); n != 576 {
		t.Errorf("model has %d operations, want 576", n)
	}
	if n := len(ec2sim.Implemented()); n < 45 {
		t.Errorf("only %d actions implemented", n)
	}
}

// TestPagedActions checks that every implemented action whose input has
// MaxResults and NextToken pages (docs/simulator.md's table says so): a
// token it never gave answers InvalidNextToken.
func TestPagedActions(t *testing.T) {
	sim, ep := newSim(t, nil)
	paged := 0
	for _, name := range ec2sim.Implemented() {
		in := sim.Model().Operations[name].Input
		if in == nil || in.Members["MaxResults"] == nil || in.Members["NextToken"] == nil {
			continue
		}
		paged++
		status, body := signedPost(t, sim, ep, "Action="+name+"&Version=2016-11-15&NextToken=bogus")
		if status != 400 || !strings.Contains(body, "<Code>InvalidNextToken</Code>") {
			t.Errorf("%s with a bogus NextToken: %d %s", name, status, body)
		}
	}
	if paged < 8 {
		t.Errorf("only %d paged actions", paged)
	}
}
