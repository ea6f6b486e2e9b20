package compute

import (
	"context"
	"errors"
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
		assert.Equal(t, WaitOptions{Interval: 5 * time.Second, Timeout: 600 * time.Second, Interface: PublicIPs}, o)
	})
	t.Run("nil driver", func(t *testing.T) {
		_, err := WaitForState(t.Context(), nil, "7", types.NodeStateRunning, fast)
		assert.ErrorIs(t, err, ErrInvalidArgument)
	})
}

func TestWaitUntilRunning(t *testing.T) {
	a, b := node("a", types.NodeStatePending), node("b", types.NodeStatePending)
	runningA := node("a", types.NodeStateRunning, "203.0.113.1")
	t.Run("waits for running and an address, keeps the order", func(t *testing.T) {
		f := &fakeDriver{list: []func() ([]*Node, error){
			lists(a, b),
			lists(node("b", types.NodeStateRunning), runningA), // b has no address yet
			lists(node("b", types.NodeStateRunning, "2001:db8::1", "203.0.113.2"), runningA, node("c", types.NodeStateError)),
		}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a, b}, fast)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "a", got[0].Node.ID)
		assert.Equal(t, []string{"203.0.113.1"}, got[0].Addresses)
		assert.Equal(t, "b", got[1].Node.ID)
		assert.Equal(t, []string{"203.0.113.2"}, got[1].Addresses, "IPv6 is filtered out by default")
		assert.Equal(t, 3, f.lists)
	})
	t.Run("IPv6 and private addresses", func(t *testing.T) {
		v6 := node("a", types.NodeStateRunning, "2001:db8::1")
		got, err := WaitUntilRunning(t.Context(), &fakeDriver{list: []func() ([]*Node, error){lists(v6)}},
			[]*Node{a}, &WaitOptions{Interval: time.Millisecond, AllowIPv6: true})
		require.NoError(t, err)
		assert.Equal(t, []string{"2001:db8::1"}, got[0].Addresses)
		got, err = WaitUntilRunning(t.Context(), &fakeDriver{list: []func() ([]*Node, error){lists(v6)}},
			[]*Node{a}, &WaitOptions{Interval: time.Millisecond, Interface: PrivateIPs})
		require.NoError(t, err)
		assert.Equal(t, []string{"10.1.1.1"}, got[0].Addresses)
	})
	failing := []struct {
		name  string
		list  []func() ([]*Node, error)
		nodes []*Node
		opts  *WaitOptions
		kind  error
	}{
		{"node disappears", []func() ([]*Node, error){lists(a, b), lists(b)}, []*Node{a, b}, fast, ErrNotFound},
		{"node in error", []func() ([]*Node, error){lists(node("a", types.NodeStateError))}, []*Node{a}, fast, ErrConflict},
		{"node terminated", []func() ([]*Node, error){lists(node("a", types.NodeStateTerminated))}, []*Node{a}, fast, ErrConflict},
		{"same UUID listed twice", []func() ([]*Node, error){lists(a, a)}, []*Node{a}, fast, ErrInternal},
		{"node given twice", nil, []*Node{a, a}, fast, ErrInvalidArgument},
		{"nil node", nil, []*Node{a, nil}, fast, ErrInvalidArgument},
		{"bad interface", nil, []*Node{a}, &WaitOptions{Interface: "ipv9"}, ErrInvalidArgument},
	}
	for _, tt := range failing {
		t.Run(tt.name, func(t *testing.T) {
			_, err := WaitUntilRunning(t.Context(), &fakeDriver{list: tt.list}, tt.nodes, tt.opts)
			require.ErrorIs(t, err, tt.kind)
			var ce *Error
			assert.ErrorAs(t, err, &ce)
		})
	}
	t.Run("a node not listed yet is waited for", func(t *testing.T) {
		f := &fakeDriver{list: []func() ([]*Node, error){lists(), lists(b), lists(runningA, node("b", types.NodeStateRunning, "203.0.113.2"))}}
		got, err := WaitUntilRunning(t.Context(), f, []*Node{a, b}, fast)
		require.NoError(t, err)
		assert.Equal(t, "a", got[0].Node.ID)
		assert.Equal(t, 3, f.lists)
	})
	t.Run("polls through ErrUnavailable", func(t *testing.T) {
		f := &fakeDriver{list: []func() ([]*Node, error){
			func() ([]*Node, error) { return nil, NewError(fakeProvider, "ListNodes", "", ErrUnavailable, nil) },
			lists(runningA),
		}}
		_, err := WaitUntilRunning(t.Context(), f, []*Node{a}, fast)
		require.NoError(t, err)
	})
	t.Run("timeout", func(t *testing.T) {
		_, err := WaitUntilRunning(t.Context(), &fakeDriver{list: []func() ([]*Node, error){lists(a)}}, []*Node{a},
			&WaitOptions{Interval: time.Millisecond, Timeout: 10 * time.Millisecond})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "WaitUntilRunning: timed out after 10ms")
	})
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

func TestAddresses(t *testing.T) {
	n := &Node{PublicIPs: []string{"203.0.113.1", "not-an-ip", "2001:db8::1"}, PrivateIPs: []string{"10.0.0.1"}}
	assert.Equal(t, []string{"203.0.113.1"}, Addresses(n, PublicIPs, false))
	assert.Equal(t, []string{"203.0.113.1", "2001:db8::1"}, Addresses(n, PublicIPs, true))
	assert.Equal(t, []string{"10.0.0.1"}, Addresses(n, PrivateIPs, false))
}
