package compute

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiError stands for a provider's raw error type.
type apiError struct{ Code int }

func (e *apiError) Error() string { return fmt.Sprintf("api error %d", e.Code) }

func TestError_Error(t *testing.T) {
	raw := &apiError{431}
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Provider: "cloudstack", Op: "DestroyNode", ID: "i-1", Kind: ErrNotFound, Err: raw},
			`compute: cloudstack: DestroyNode "i-1": not found: api error 431`},
		{&Error{Provider: "dummy", Op: "ListNodes", Kind: ErrUnavailable},
			`compute: dummy: ListNodes: unavailable`},
		{&Error{ID: "x", Kind: ErrConflict}, `compute: "x": conflict`},
		{&Error{}, `compute: internal error`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

func TestError_IsAndAs(t *testing.T) {
	raw := &apiError{431}
	err := NewError("cloudstack", "GetNode", "i-1", ErrNotFound, raw)
	wrapped := fmt.Errorf("looking up the web server: %w", err)

	assert.ErrorIs(t, wrapped, ErrNotFound)
	assert.NotErrorIs(t, wrapped, ErrConflict)
	var got *apiError
	require.ErrorAs(t, wrapped, &got)
	assert.Same(t, raw, got)
	var ce *Error
	require.ErrorAs(t, wrapped, &ce)
	assert.Equal(t, "i-1", ce.ID)
	assert.Equal(t, []error{ErrNotFound, raw}, ce.Unwrap())
	assert.Equal(t, []error{ErrInternal}, (&Error{Kind: ErrInternal}).Unwrap())
	assert.Empty(t, (&Error{}).Unwrap())
}

func TestNewError(t *testing.T) {
	t.Run("context errors pass through", func(t *testing.T) {
		assert.Same(t, context.Canceled, NewError("p", "Op", "", ErrUnavailable, context.Canceled))
		assert.Equal(t, context.DeadlineExceeded, NewError("p", "Op", "", nil, context.DeadlineExceeded))
		wrapped := fmt.Errorf("request: %w", context.Canceled)
		assert.Same(t, wrapped, NewError("p", "Op", "", ErrUnavailable, wrapped))
	})
	t.Run("a *Error passes through", func(t *testing.T) {
		inner := NewError("p", "GetNode", "1", ErrNotFound, nil)
		outer := fmt.Errorf("destroying: %w", inner)
		assert.Same(t, outer, NewError("p", "DestroyNode", "1", ErrInternal, outer))
	})
	t.Run("kind from the error", func(t *testing.T) {
		err := NewError("p", "Op", "", nil, fmt.Errorf("bad: %w", ErrQuotaExceeded))
		assert.ErrorIs(t, err, ErrQuotaExceeded)
		err = NewError("p", "Op", "", nil, errors.New("boom"))
		assert.ErrorIs(t, err, ErrInternal)
		err = NewError("p", "Op", "", nil, nil)
		assert.ErrorIs(t, err, ErrInternal)
		assert.Equal(t, "compute: p: Op: internal error", err.Error())
	})
	t.Run("url.Error loses its query", func(t *testing.T) {
		ue := &url.Error{Op: "Get", URL: "https://user:pw@cloud.example/client/api?apiKey=KEY&signature=SIG", Err: errors.New("connection refused")}
		err := NewError("cloudstack", "ListNodes", "", ErrUnavailable, ue)
		assert.NotContains(t, err.Error(), "SIG")
		assert.NotContains(t, err.Error(), "KEY")
		assert.NotContains(t, err.Error(), "pw")
		assert.Contains(t, err.Error(), "https://cloud.example/client/api")
		var got *url.Error
		require.ErrorAs(t, err, &got)
		assert.Equal(t, "connection refused", got.Err.Error())

		// A cancelled request stays a context error, redacted too.
		ue = &url.Error{Op: "Get", URL: "https://cloud.example/?signature=SIG", Err: context.Canceled}
		err = NewError("cloudstack", "ListNodes", "", ErrUnavailable, ue)
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotContains(t, err.Error(), "SIG")

		ue = &url.Error{Op: "Get", URL: "%zz?signature=SIG", Err: errors.New("x")}
		assert.NotContains(t, NewError("cloudstack", "ListNodes", "", nil, ue).Error(), "SIG")
	})
	t.Run("Errorf", func(t *testing.T) {
		err := Errorf("dummy", "GetNode", "9", ErrNotFound, "no node with id %q", "9")
		assert.Equal(t, `compute: dummy: GetNode "9": not found: no node with id "9"`, err.Error())
	})
}

func TestKindOf(t *testing.T) {
	assert.Nil(t, KindOf(nil))
	for _, k := range Kinds {
		assert.Equal(t, k, KindOf(NewError("p", "Op", "", k, nil)))
		assert.Equal(t, k, KindOf(fmt.Errorf("x: %w", k)))
	}
	assert.Equal(t, ErrInternal, KindOf(errors.New("other")))
}
