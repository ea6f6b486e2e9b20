package compute

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/types"
)

var fast = &WaitOptions{Interval: time.Millisecond, Timeout: 10 * time.Second}

func TestWaitForState(t *testing.T) {
	notFound := NewError(fakeProvider, "GetNode", "7", ErrNotFound, nil)
	unavailable := NewError(fakeProvider, "GetNode", "7", ErrUnavailable, errors.New("503"))
	denied := NewError(fakeProvider, "GetNode", "7", ErrPermissionDenied, nil)
	tests := []struct {
		name      string
		script    []func(string) (*Node, error)
		want      types.NodeState
		wantNode  bool
		wantErr   error
		wantCalls int
	}{
		{"reaches the state", []func(string) (*Node, error){
			gets(node("7", types.NodeStatePending), nil),
			gets(node("7", types.NodeStatePending), nil),
			gets(node("7", types.NodeStateRunning), nil),
		}, types.NodeStateRunning, true, nil, 3},
		{"polls through ErrUnavailable", []func(string) (*Node, error){
			gets(nil, unavailable),
			gets(node("7", types.NodeStateStopped), nil),
		}, types.NodeStateStopped, true, nil, 2},
		{"terminated: gone counts", []func(string) (*Node, error){
			gets(node("7", types.NodeStateStopping), nil),
			gets(nil, notFound),
		}, types.NodeStateTerminated, false, nil, 2},
		{"gone while waiting for running", []func(string) (*Node, error){
			gets(nil, notFound),
		}, types.NodeStateRunning, false, ErrNotFound, 1},
		{"error state", []func(string) (*Node, error){
			gets(node("7", types.NodeStateError), nil),
		}, types.NodeStateRunning, false, ErrConflict, 1},
		{"terminated while waiting for running", []func(string) (*Node, error){
			gets(node("7", types.NodeStateTerminated), nil),
		}, types.NodeStateRunning, false, ErrConflict, 1},
		{"waiting for the error state", []func(string) (*Node, error){
			gets(node("7", types.NodeStateError), nil),
		}, types.NodeStateError, true, nil, 1},
		{"other errors end the wait", []func(string) (*Node, error){
			gets(nil, denied),
		}, types.NodeStateRunning, false, ErrPermissionDenied, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeDriver{get: tt.script}
			n, err := WaitForState(t.Context(), f, "7", tt.want, fast)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var ce *Error
				require.ErrorAs(t, err, &ce)
				assert.Contains(t, err.Error(), `"7"`)
			} else {
				require.NoError(t, err)
			}
			if tt.wantNode {
				require.NotNil(t, n)
				assert.Equal(t, tt.want, n.State)
			} else {
				assert.Nil(t, n)
			}
			assert.Equal(t, tt.wantCalls, f.gets)
		})
	}
}

func TestWaitForState_Timeouts(t *testing.T) {
	pending := []func(string) (*Node, error){gets(node("7", types.NodeStatePending), nil)}

	t.Run("own timeout", func(t *testing.T) {
		_, err := WaitForState(t.Context(), &fakeDriver{get: pending}, "7", types.NodeStateRunning,
			&WaitOptions{Interval: time.Millisecond, Timeout: 20 * time.Millisecond})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), `WaitForState "7": timed out after 20ms`)
		assert.NoError(t, t.Context().Err())
	})
	t.Run("caller's deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		_, err := WaitForState(ctx, &fakeDriver{get: pending}, "7", types.NodeStateRunning, fast)
		assert.Equal(t, context.DeadlineExceeded, err, "the caller's context error passes through unchanged")
	})
	t.Run("caller cancels", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		f := &fakeDriver{get: []func(string) (*Node, error){func(string) (*Node, error) {
			cancel()
			return node("7", types.NodeStatePending), nil
		}}}
		_, err := WaitForState(ctx, f, "7", types.NodeStateRunning, fast)
		assert.Same(t, context.Canceled, err)
	})
	t.Run("defaults", func(t *testing.T) {
		o := (*WaitOptions)(nil).withDefaults()
		assert.Equal(t, WaitOptions{Interval: 5 * time.Second, Timeout: 600 * time.Second, Interface: AnyIPs}, o)
	})
	t.Run("nil driver", func(t *testing.T) {
		_, err := WaitForState(t.Context(), nil, "7", types.NodeStateRunning, fast)
		assert.ErrorIs(t, err, ErrInvalidArgument)
	})
}

func TestWaitUntilRunning(t *testing.T) {
	a, b := node("a", types.NodeStatePending), node("b", types.NodeStatePending)
	runningA := node("a", types.NodeStateRunning, "203.0.113.1")
	type script = map[string][]func() (*Node, error)
	t.Run("waits for running and an address, keeps the order, polls only what it waits for", func(t *testing.T) {
		f := &fakeDriver{byID: script{
			"a": {is(a), is(runningA)},
			"b": {is(b), is(&Node{ID: "b", State: types.NodeStateRunning}), is(node("b", types.NodeStateRunning, "2001:db8::1", "203.0.113.2"))},
		}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a, b}, fast)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "a", got[0].Node.ID)
		assert.Equal(t, []string{"203.0.113.1", "10.1.1.1"}, got[0].Addresses, "public first, then private")
		assert.Equal(t, "b", got[1].Node.ID)
		assert.Equal(t, []string{"203.0.113.2", "10.1.1.1"}, got[1].Addresses, "IPv6 is filtered out by default")
		assert.Equal(t, 2, f.calls["a"], "a ready after two polls is not polled again")
		assert.Equal(t, 3, f.calls["b"])
		assert.Zero(t, f.lists, "never lists the inventory")
	})
	t.Run("a private address is enough by default", func(t *testing.T) {
		f := &fakeDriver{byID: script{"a": {is(node("a", types.NodeStateRunning))}}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a}, fast)
		require.NoError(t, err)
		assert.Equal(t, []string{"10.1.1.1"}, got[0].Addresses)
	})
	t.Run("IPv6, public and private interfaces", func(t *testing.T) {
		v6 := node("a", types.NodeStateRunning, "2001:db8::1")
		got, err := WaitUntilRunning(t.Context(), &fakeDriver{byID: script{"a": {is(v6)}}},
			[]*Node{a}, &WaitOptions{Interval: time.Millisecond, AllowIPv6: true, Interface: PublicIPs})
		require.NoError(t, err)
		assert.Equal(t, []string{"2001:db8::1"}, got[0].Addresses)
		got, err = WaitUntilRunning(t.Context(), &fakeDriver{byID: script{"a": {is(v6)}}},
			[]*Node{a}, &WaitOptions{Interval: time.Millisecond, Interface: PrivateIPs})
		require.NoError(t, err)
		assert.Equal(t, []string{"10.1.1.1"}, got[0].Addresses)
	})
	failing := []struct {
		name  string
		byID  script
		nodes []*Node
		opts  *WaitOptions
		kind  error
	}{
		{"node disappears", script{"a": {is(a), is(nil)}, "b": {is(b)}}, []*Node{a, b}, fast, ErrNotFound},
		{"node in error", script{"a": {is(node("a", types.NodeStateError))}}, []*Node{a}, fast, ErrConflict},
		{"node terminated", script{"a": {is(node("a", types.NodeStateTerminated))}}, []*Node{a}, fast, ErrConflict},
		{"GetNode fails for good", script{"a": {fails(ErrPermissionDenied)}}, []*Node{a}, fast, ErrPermissionDenied},
		{"node given twice", nil, []*Node{a, a}, fast, ErrInvalidArgument},
		{"nil node", nil, []*Node{a, nil}, fast, ErrInvalidArgument},
		{"node without id", nil, []*Node{{Name: "x"}}, fast, ErrInvalidArgument},
		{"bad interface", nil, []*Node{a}, &WaitOptions{Interface: "ipv9"}, ErrInvalidArgument},
	}
	for _, tt := range failing {
		t.Run(tt.name, func(t *testing.T) {
			_, err := WaitUntilRunning(t.Context(), &fakeDriver{byID: tt.byID}, tt.nodes, tt.opts)
			require.ErrorIs(t, err, tt.kind)
			var ce *Error
			assert.ErrorAs(t, err, &ce)
		})
	}
	t.Run("a node not found yet is waited for", func(t *testing.T) {
		f := &fakeDriver{byID: script{"a": {is(nil), is(nil), is(runningA)}}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a}, fast)
		require.NoError(t, err)
		assert.Equal(t, "a", got[0].Node.ID)
		assert.Equal(t, 3, f.calls["a"])
	})
	t.Run("polls through ErrUnavailable and ErrThrottled", func(t *testing.T) {
		f := &fakeDriver{byID: script{"a": {is(a), fails(ErrUnavailable), fails(ErrThrottled), is(runningA)}}}
		_, err := WaitUntilRunning(t.Context(), f, []*Node{a}, fast)
		require.NoError(t, err)
		assert.Equal(t, 4, f.calls["a"])
	})
	t.Run("uses a batch lookup when the driver has one", func(t *testing.T) {
		f := &batchFake{fakeDriver: fakeDriver{byID: script{"a": {is(runningA)}, "b": {is(b), is(node("b", types.NodeStateRunning))}}}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a, b}, fast)
		require.NoError(t, err)
		assert.Len(t, got, 2)
		assert.Equal(t, [][]string{{"a", "b"}, {"b"}}, f.batches)
	})
	timeouts := []struct {
		name string
		n    *Node
		opts WaitOptions
		want string
	}{
		{"private only, public wanted", node("a", types.NodeStateRunning), WaitOptions{Interface: PublicIPs},
			`node "na" (id a) is running with private address 10.1.1.1, no public IPv4 address yet`},
		{"no address at all", &Node{ID: "a", Name: "web1", State: types.NodeStateRunning}, WaitOptions{},
			`node "web1" (id a) is running with no address, no IPv4 address yet`},
		{"still pending", a, WaitOptions{}, `node "na" (id a) is pending, not running yet`},
		{"never found", nil, WaitOptions{}, `node "na" (id a) was never found`},
	}
	for _, tt := range timeouts {
		t.Run("timeout says what is missing: "+tt.name, func(t *testing.T) {
			o := tt.opts
			o.Interval, o.Timeout = time.Millisecond, 20*time.Millisecond
			_, err := WaitUntilRunning(t.Context(), &fakeDriver{byID: script{"a": {is(tt.n)}}}, []*Node{a}, &o)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "WaitUntilRunning: timed out after 20ms")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	t.Run("no nodes", func(t *testing.T) {
		got, err := WaitUntilRunning(t.Context(), &fakeDriver{}, nil, nil)
		require.NoError(t, err)
		assert.NotNil(t, got)
		assert.Empty(t, got)
	})
	t.Run("nil driver", func(t *testing.T) {
		_, err := WaitUntilRunning(t.Context(), nil, []*Node{a}, fast)
		assert.ErrorIs(t, err, ErrInvalidArgument)
	})
}

// batchFake is a fakeDriver with a NodeGetter that records its batches.
type batchFake struct {
	fakeDriver
	batches [][]string
}

func (f *batchFake) GetNodes(ctx context.Context, ids []string) ([]*Node, error) {
	f.batches = append(f.batches, slices.Clone(ids))
	var out []*Node
	for _, id := range ids {
		n, err := f.GetNode(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func TestAddresses(t *testing.T) {
	n := &Node{PublicIPs: []string{"203.0.113.1", "not-an-ip", "2001:db8::1"}, PrivateIPs: []string{"10.0.0.1"}}
	assert.Equal(t, []string{"203.0.113.1"}, Addresses(n, PublicIPs, false))
	assert.Equal(t, []string{"203.0.113.1", "2001:db8::1"}, Addresses(n, PublicIPs, true))
	assert.Equal(t, []string{"10.0.0.1"}, Addresses(n, PrivateIPs, false))
	assert.Equal(t, []string{"203.0.113.1", "10.0.0.1"}, Addresses(n, AnyIPs, false))
}
