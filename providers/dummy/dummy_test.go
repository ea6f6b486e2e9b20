package dummy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/compute/computetest"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// harness serves one dummy driver to the conformance suite.
type harness struct {
	d compute.Driver
}

func (h *harness) MakeDriver(context.Context) (compute.Driver, error) { return h.d, nil }

// ReadUserData implements computetest.UserDataReader with ExUserData.
func (h *harness) ReadUserData(ctx context.Context, d compute.Driver, id string) ([]byte, error) {
	dd, ok := compute.As[*dummy.Driver](d)
	if !ok {
		return nil, errors.New("not a dummy driver")
	}
	return dd.ExUserData(ctx, id)
}

// MakeThrottledDriver implements computetest.ThrottlingHarness: a driver
// of its own whose every third call is refused for rate.
func (h *harness) MakeThrottledDriver(context.Context) (compute.Driver, error) {
	return dummy.New(&dummy.Options{ThrottleEvery: 3}), nil
}

func (h *harness) Fixtures() computetest.Fixtures {
	return computetest.Fixtures{
		ImageID: "1", SizeID: "2", LocationID: "2", MaxUserData: dummy.MaxUserData,
		WaitInterval: time.Millisecond, WaitTimeout: 30 * time.Second,
	}
}

func (h *harness) Capabilities() computetest.Capabilities {
	return computetest.Capabilities{
		StartStop: true, Volumes: true, VolumeResize: true, Snapshots: true,
		VolumesFromSnapshots: true, KeyPairs: true, Images: true,
		NodeResize: true, Tags: true, UserData: true, IdempotentCreate: true,
	}
}

func (h *harness) Close() {}

// exTests reach the dummy driver's Ex methods through the suite's wrapper.
var exTests = []computetest.ExTest{
	{Name: "ExFailNext", Test: func(t *testing.T, _ computetest.Harness, d compute.Driver) {
		dd, ok := compute.As[*dummy.Driver](d)
		if !ok {
			t.Fatalf("compute.As[*dummy.Driver] failed on %T", d)
		}
		dd.ExFailNext("ListNodes", compute.ErrUnavailable)
		if _, err := d.ListNodes(t.Context()); !errors.Is(err, compute.ErrUnavailable) {
			t.Fatalf("ListNodes after ExFailNext: %v, want ErrUnavailable", err)
		}
		if _, err := d.ListNodes(t.Context()); err != nil {
			t.Fatalf("ListNodes after the injected failure: %v", err)
		}
	}},
	{Name: "ExSetNodeState", Test: func(t *testing.T, _ computetest.Harness, d compute.Driver) {
		dd, _ := compute.As[*dummy.Driver](d)
		if err := dd.ExSetNodeState(t.Context(), "1", types.NodeStateError); err != nil {
			t.Fatal(err)
		}
		_, err := compute.WaitForState(t.Context(), d, "1", types.NodeStateRunning, &compute.WaitOptions{Interval: time.Millisecond})
		if !errors.Is(err, compute.ErrConflict) {
			t.Fatalf("WaitForState(running) of a node in error: %v, want ErrConflict", err)
		}
	}},
	{Name: "ExCreateKeyPairRSA", Test: func(t *testing.T, _ computetest.Harness, d compute.Driver) {
		dd, _ := compute.As[*dummy.Driver](d)
		k, err := dd.ExCreateKeyPair(t.Context(), "rsa", &dummy.KeyPairOptions{Type: dummy.KeyTypeRSA})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(k.PrivateKey, "-----BEGIN RSA PRIVATE KEY-----") || k.Extra["key_type"] != "ssh-rsa" {
			t.Fatalf("RSA key pair: %.40q, type %v", k.PrivateKey, k.Extra["key_type"])
		}
	}},
}

func TestConformance(t *testing.T) {
	t.Run("Instant", func(t *testing.T) {
		computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
			return &harness{d: dummy.New(nil)}, nil
		}, exTests)
	})
	t.Run("Delayed", func(t *testing.T) {
		computetest.RunConformanceTests(t, func(context.Context, *testing.T) (computetest.Harness, error) {
			d, err := dummy.Factory(compute.Config{Options: map[string]any{"transition_delay": "3ms"}})
			return &harness{d: d}, err
		}, exTests)
	})
}
