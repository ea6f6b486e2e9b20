package ec2sim_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSigV4 checks the simulator's SigV4 verification against requests
// aws-sdk-go-v2's signer signs, changed after signing or not.
func TestSigV4(t *testing.T) {
	sim, ep := newSim(t, nil)
	const form = "Action=DescribeRegions&Version=2016-11-15"
	for _, tc := range []struct {
		name   string
		method string
		query  string
		body   string
		header map[string]string                // set before signing
		after  func(r *http.Request, b *string) // applied after signing
		want   int
	}{
		{name: "post", method: "POST", body: form, want: 200},
		{name: "get with query to escape", method: "GET", want: 200,
			query: form + "&RegionName.1=us-east-1&Filter.1.Name=region-name&Filter.1.Value.1=us%20east%2A~%2F"},
		{name: "signed header with inner spaces", method: "POST", body: form, header: map[string]string{"X-Goclouds-Test": "  a   b  "}, want: 200},
		{name: "unsigned header changed", method: "POST", body: form, want: 200,
			after: func(r *http.Request, _ *string) { r.Header.Set("User-Agent", "changed") }},
		{name: "signed header changed", method: "POST", body: form, header: map[string]string{"X-Goclouds-Test": "a"}, want: 401,
			after: func(r *http.Request, _ *string) { r.Header.Set("X-Goclouds-Test", "b") }},
		{name: "body changed", method: "POST", body: form, want: 401,
			after: func(_ *http.Request, b *string) { *b = strings.Replace(*b, "Regions", "Regionz", 1) }},
		{name: "query changed", method: "GET", query: form, want: 401,
			after: func(r *http.Request, _ *string) { r.URL.RawQuery += "&AllRegions=true" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := ep
			if tc.query != "" {
				u += "?" + tc.query
			}
			req, err := http.NewRequest(tc.method, u, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			sum := sha256.Sum256([]byte(tc.body))
			creds := aws.Credentials{AccessKeyID: sim.AccessKey(), SecretAccessKey: sim.SecretKey()}
			if err := v4.NewSigner().SignHTTP(ctx(t), creds, req, hex.EncodeToString(sum[:]), "ec2", sim.Region(), time.Now()); err != nil {
				t.Fatal(err)
			}
			body := tc.body
			if tc.after != nil {
				tc.after(req, &body)
			}
			req.Body = io.NopCloser(strings.NewReader(body))
			req.ContentLength = int64(len(body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, got)
			}
			if tc.want == 401 && !strings.Contains(string(got), "<Code>AuthFailure</Code>") {
				t.Fatalf("want AuthFailure: %s", got)
			}
		})
	}
}
