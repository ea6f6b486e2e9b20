package compute

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateNodeRequest_Validate(t *testing.T) {
	ok := func() *CreateNodeRequest {
		return &CreateNodeRequest{Name: "web", Image: &Image{ID: "i"}, Size: &Size{ID: "s"},
			UserData: []byte("#cloud-config\n"), Tags: map[string]string{"env": "test"}}
	}
	require.NoError(t, ok().Validate(fakeProvider, "CreateNode", 32))
	bad := map[string]struct {
		edit func(r *CreateNodeRequest) *CreateNodeRequest
		want string
	}{
		"nil":              {func(*CreateNodeRequest) *CreateNodeRequest { return nil }, "the request is nil"},
		"no name":          {func(r *CreateNodeRequest) *CreateNodeRequest { r.Name = " "; return r }, "a name is required"},
		"no image":         {func(r *CreateNodeRequest) *CreateNodeRequest { r.Image = nil; return r }, "an image is required"},
		"image without id": {func(r *CreateNodeRequest) *CreateNodeRequest { r.Image = &Image{Name: "x"}; return r }, "an image is required"},
		"no size":          {func(r *CreateNodeRequest) *CreateNodeRequest { r.Size = nil; return r }, "a size is required"},
		"empty tag key":    {func(r *CreateNodeRequest) *CreateNodeRequest { r.Tags[""] = "x"; return r }, "tag keys"},
		"empty network":    {func(r *CreateNodeRequest) *CreateNodeRequest { r.Networks = []string{"n1", ""}; return r }, "Networks[1]"},
		"empty group":      {func(r *CreateNodeRequest) *CreateNodeRequest { r.SecurityGroups = []string{""}; return r }, "SecurityGroups[0]"},
		"user data too big": {func(r *CreateNodeRequest) *CreateNodeRequest {
			r.UserData = []byte(strings.Repeat("x", 33))
			return r
		}, "user data is 33 bytes, over the fake limit of 32 bytes"},
	}
	for name, tt := range bad {
		t.Run(name, func(t *testing.T) {
			err := tt.edit(ok()).Validate(fakeProvider, "CreateNode", 32)
			require.ErrorIs(t, err, ErrInvalidArgument)
			assert.ErrorContains(t, err, tt.want)
			assert.ErrorContains(t, err, "CreateNode")
		})
	}
	assert.NoError(t, (&CreateNodeRequest{Name: "a", Image: &Image{ID: "i"}, Size: &Size{ID: "s"},
		UserData: make([]byte, 1<<20)}).Validate(fakeProvider, "CreateNode", 0), "0 means no limit")
}

func TestProviderOptionsOf(t *testing.T) {
	type opts struct {
		Zone  string `mapstructure:"zone"`
		Count int    `mapstructure:"count"`
	}
	p, err := ProviderOptionsOf[opts](fakeProvider, "CreateNode", nil)
	require.NoError(t, err)
	assert.Equal(t, &opts{}, p)
	want := &opts{Zone: "z1"}
	p, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", want)
	require.NoError(t, err)
	assert.Same(t, want, p)
	p, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", (*opts)(nil))
	require.NoError(t, err)
	assert.Equal(t, &opts{}, p)
	p, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", opts{Count: 2})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Count)
	p, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", map[string]any{"zone": "z2", "count": "3"})
	require.NoError(t, err)
	assert.Equal(t, &opts{Zone: "z2", Count: 3}, p)
	_, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", map[string]any{"nope": 1})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = ProviderOptionsOf[opts](fakeProvider, "CreateNode", 42)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorContains(t, err, "ProviderOptions is int, want *compute.opts")
}
