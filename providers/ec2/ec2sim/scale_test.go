package ec2sim_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
)

// scaleInstances is how many instances the scale test and benchmark seed.
const scaleInstances = 10000

// listAll lists every instance 1,000 a page, as the driver's ListNodes
// does, and returns how many it saw.
func listAll(ctx context.Context, c *ec2.Client) (int, error) {
	n := 0
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		for _, r := range out.Reservations {
			n += len(r.Instances)
		}
	}
	return n, nil
}

// BenchmarkDescribeInstances10000 seeds 10,000 instances and lists them
// all, 1,000 a page: the simulator's cost at the benchmarks' scale.
func BenchmarkDescribeInstances10000(b *testing.B) {
	s, err := ec2sim.New(&ec2sim.Options{RSAKeyBits: 1024, Instances: scaleInstances})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(s)
	defer hs.Close()
	c := sdkClient(hs.URL+"/", s.AccessKey(), s.SecretKey())
	for b.Loop() {
		if n, err := listAll(context.Background(), c); err != nil || n != scaleInstances {
			b.Fatalf("listed %d instances, %v", n, err)
		}
	}
}

// BenchmarkPopulateInstances10000 seeds 10,000 instances.
func BenchmarkPopulateInstances10000(b *testing.B) {
	for b.Loop() {
		if _, err := ec2sim.New(&ec2sim.Options{RSAKeyBits: 1024, Instances: scaleInstances}); err != nil {
			b.Fatal(err)
		}
	}
}
