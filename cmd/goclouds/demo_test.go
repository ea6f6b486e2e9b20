package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/ec2/ec2sim"
	"github.com/goclouds/goclouds/providers/openstack/openstacksim"
)

// brokenConfig is a configuration the demo must ignore.
var brokenConfig = map[string]string{envURL: "http://192.0.2.1/client/api", envProvider: "nimbus",
	"AWS_PROFILE": "no-such-profile", "AWS_ENDPOINT_URL": "http://192.0.2.1/"}

// checkDemo runs `goclouds demo` with args and requires the tutorial's
// eight steps, in order, on the simulator named title through the
// provider named provider, toto running in step 7's list, and no secret
// in the output. It returns the output.
func checkDemo(t *testing.T, title, constant, provider, secret string, args ...string) string {
	t.Helper()
	r := runEnv(t, brokenConfig, append([]string{"demo", "--job-delay", "20ms"}, args...)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	out := r.stdout
	for _, want := range []string{
		title + " simulator listening on http://127.0.0.1:",
		"1. providers.GetDriver(" + constant + ")",
		`driver for provider "` + provider + `"`,
		"2. driver.ListImages(ctx, nil)",
		"3. driver.ListSizes(ctx, nil)",
		`4. driver.CreateNode(ctx, &compute.CreateNodeRequest{Name: "toto"`,
		"node.Name   = toto",
		"5. driver.StopNode(ctx, node.ID)",
		"node toto is stopped",
		"6. driver.StartNode(ctx, node.ID)",
		"node toto is running",
		"7. driver.ListNodes(ctx)",
		"8. driver.DestroyNode(ctx, node.ID)",
		"destroyed",
		"every step went through the " + title + " API",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, regexp.MustCompile(`node\.UUID\(\) = [0-9a-f]{40}\n`), out)
	// The steps come in order.
	last := -1
	for i := 1; i <= 8; i++ {
		at := strings.Index(out, "\n"+string(rune('0'+i))+". ")
		require.Greater(t, at, last, "step %d out of order", i)
		last = at
	}
	// The node list of step 7 holds toto, running.
	step7 := out[strings.Index(out, "7. "):strings.Index(out, "8. ")]
	assert.Regexp(t, regexp.MustCompile(`toto\s+running`), step7)
	assert.NotContains(t, out, secret)
	return out
}

func TestDemo(t *testing.T) {
	checkDemo(t, "CloudStack", "types.ProviderCloudStack", "cloudstack", cloudstacksim.DefaultUserSecretKey)
}

func TestDemoEC2(t *testing.T) {
	out := checkDemo(t, "EC2", "types.ProviderEC2", "ec2", ec2sim.DefaultSecretKey, "--provider", "ec2")
	// EC2 launches a pending instance; the demo waits for it.
	step4 := out[strings.Index(out, "4. "):strings.Index(out, "5. ")]
	assert.Regexp(t, regexp.MustCompile(`node\.ID     = i-[0-9a-f]{17}\n`), step4)
	assert.Contains(t, step4, "node.State  = pending")
	assert.Contains(t, step4, "node toto is running")
	// Step 7 lists the instance with its addresses and zone.
	step7 := out[strings.Index(out, "7. "):strings.Index(out, "8. ")]
	assert.Regexp(t, regexp.MustCompile(`i-[0-9a-f]{17}\s+toto\s+running\s+\S+\s+172\.31\.`), step7)
}

func TestDemoOpenStack(t *testing.T) {
	out := checkDemo(t, "OpenStack", "types.ProviderOpenStack", "openstack", openstacksim.DefaultUserPassword, "--provider", "openstack")
	// Nova builds the server; the demo waits for it.
	step4 := out[strings.Index(out, "4. "):strings.Index(out, "5. ")]
	assert.Contains(t, step4, "node toto is running")
}

func TestDemoUnknownProvider(t *testing.T) {
	r := runEnv(t, nil, "demo", "--provider", "vsphere")
	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, `no demo for provider "vsphere"; goclouds demo runs cloudstack, ec2, openstack`)
}
