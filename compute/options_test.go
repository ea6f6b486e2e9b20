package compute

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type embeddedOptions struct {
	Zone string `mapstructure:"zone_id"`
}

type testOptions struct {
	Timeout         time.Duration     `mapstructure:"job_timeout"`
	Count           int               `mapstructure:"page_size"`
	On              bool              `mapstructure:"list_all"`
	IDs             []string          `mapstructure:"network_ids"`
	Tags            map[string]string `mapstructure:"tags"`
	Plain           string
	Skipped         string `mapstructure:"-"`
	embeddedOptions `mapstructure:",squash"`
}

func TestDecodeOptions(t *testing.T) {
	var o testOptions
	require.NoError(t, DecodeOptions(map[string]any{
		"Job-Timeout": "90s", "PAGE_SIZE": "200", "listall": "true",
		"network_ids": "a,b", "tags": "env=prod, team = web", "plain": 7, "zone-id": "z1",
	}, &o))
	assert.Equal(t, testOptions{
		Timeout: 90 * time.Second, Count: 200, On: true, IDs: []string{"a", "b"},
		Tags: map[string]string{"env": "prod", "team": "web"}, Plain: "7", embeddedOptions: embeddedOptions{"z1"},
	}, o)

	for in, want := range map[any]time.Duration{5: 5 * time.Second, 1.5: 1500 * time.Millisecond, "2": 2 * time.Second, "10ms": 10 * time.Millisecond} {
		var o testOptions
		require.NoError(t, DecodeOptions(map[string]any{"job_timeout": in}, &o))
		assert.Equal(t, want, o.Timeout, "job_timeout %v", in)
	}
	require.NoError(t, DecodeOptions(nil, &o))

	err := DecodeOptions(map[string]any{"flavour": 1, "colour": 2}, &o)
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, "options: unknown options colour, flavour (known: job_timeout, page_size, list_all, network_ids, tags, Plain, zone_id)", err.Error())

	for _, bad := range []map[string]any{
		{"page_size": "many"}, {"job_timeout": "soon"}, {"tags": "novalue"}, {"list_all": "perhaps"},
	} {
		err := DecodeOptions(bad, &o)
		require.ErrorIs(t, err, ErrInvalidArgument, "%v", bad)
		assert.NotContains(t, err.Error(), "\n")
		wrapped := NewError("p", "New", "", nil, err)
		assert.ErrorIs(t, wrapped, ErrInvalidArgument)
		assert.Equal(t, 1, countOf(wrapped.Error(), "invalid argument"), wrapped.Error())
	}
	assert.False(t, errors.Is(DecodeOptions(map[string]any{"x": 1}, &o), ErrNotFound))
}

func countOf(s, sub string) int { return strings.Count(s, sub) }
