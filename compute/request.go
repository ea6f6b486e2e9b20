package compute

import (
	"strings"

	"github.com/goclouds/goclouds/types"
)

// CreateNodeRequest describes a node to create. The portable fields map on
// every provider (docs/design.md has the table); ProviderOptions carries
// the rest.
type CreateNodeRequest struct {
	// Name is the node's name. Required.
	Name string
	// Image is the image to create the node from. Required.
	Image *Image
	// Size is the node's size. Required.
	Size *Size
	// Location is where to create the node; nil lets the provider choose
	// (CloudStack takes the first zone, as Libcloud does).
	Location *Location
	// Auth says how the user will log in: an SSH public key or a password.
	// An SSH key is installed through a registered key pair where the
	// provider needs one: a key pair holding the same key (same
	// fingerprint) is reused, else one is registered and stays registered
	// after the node is gone (see each provider's docs).
	Auth NodeAuth
	// UserData is passed to the node's first boot (cloud-init), raw: each
	// provider encodes it as its API wants (base64 for CloudStack and EC2)
	// and refuses data over its limit with ErrInvalidArgument before
	// sending anything.
	UserData []byte
	// Tags are key/value labels set on the node (CloudStack resource tags,
	// EC2 tags, OpenStack server metadata). Keys must not be empty.
	Tags map[string]string
	// Networks are the networks to attach, by id (or name where the
	// provider documents it); the first is the default network. Empty lets
	// the provider choose.
	Networks []string
	// SecurityGroups are the security groups to apply, by id or name as the
	// provider documents.
	SecurityGroups []string
	// IdempotencyKey makes a resend of the same create safe on providers
	// with idempotent creates (EC2's ClientToken): a create whose answer was
	// lost can be sent again with the same key without starting a second
	// node. Providers without them ignore it; each documents whether a lost
	// answer can leave a node behind.
	IdempotencyKey string
	// ProviderOptions carries provider-specific options, such as
	// *cloudstack.CreateNodeOptions. A value of the wrong type gives an error
	// matching ErrInvalidArgument.
	ProviderOptions any
}

// Validate checks what every provider needs of a request: a non-nil
// request with a name, an image and a size, tag keys that are not empty,
// and user data within maxUserData bytes (0: no limit). The error matches
// ErrInvalidArgument and names provider p and operation op. Drivers call it
// first, then check their own rules.
func (r *CreateNodeRequest) Validate(p types.Provider, op string, maxUserData int) error {
	bad := func(format string, args ...any) error {
		return Errorf(p, op, "", ErrInvalidArgument, format, args...)
	}
	switch {
	case r == nil:
		return bad("the request is nil")
	case strings.TrimSpace(r.Name) == "":
		return bad("a name is required")
	case r.Image == nil || r.Image.ID == "":
		return bad("an image is required")
	case r.Size == nil || r.Size.ID == "":
		return bad("a size is required")
	}
	for k := range r.Tags {
		if strings.TrimSpace(k) == "" {
			return bad("tag keys must not be empty")
		}
	}
	for i, n := range r.Networks {
		if strings.TrimSpace(n) == "" {
			return bad("Networks[%d] is empty", i)
		}
	}
	for i, g := range r.SecurityGroups {
		if strings.TrimSpace(g) == "" {
			return bad("SecurityGroups[%d] is empty", i)
		}
	}
	if maxUserData > 0 && len(r.UserData) > maxUserData {
		return bad("user data is %d bytes, over the %s limit of %d bytes; shrink it (compress it with gzip if the image's cloud-init accepts that) or fetch the rest from the node",
			len(r.UserData), p, maxUserData)
	}
	return nil
}

// ProviderOptionsOf returns the typed provider options in v: a *T or a T
// (copied), a fresh zero T for nil, or, for a map[string]any, a T decoded
// by DecodeOptions. Any other type gives an error matching
// ErrInvalidArgument that names the type wanted. Drivers use it for
// CreateNodeRequest.ProviderOptions and Config.ProviderOptions.
func ProviderOptionsOf[T any](p types.Provider, op string, v any) (*T, error) {
	switch o := v.(type) {
	case nil:
		return new(T), nil
	case *T:
		if o == nil {
			return new(T), nil
		}
		return o, nil
	case T:
		return &o, nil
	case map[string]any:
		out := new(T)
		if err := DecodeOptions(o, out); err != nil {
			return nil, NewError(p, op, "", ErrInvalidArgument, err)
		}
		return out, nil
	}
	return nil, Errorf(p, op, "", ErrInvalidArgument, "ProviderOptions is %T, want %T", v, (*T)(nil))
}

// NodeAuth is how a new node's user logs in: an SSH public key or a password.
// The zero value asks for neither.
type NodeAuth struct {
	// SSHKey is a public key in OpenSSH authorized_keys form.
	SSHKey string
	// Password is a login password. It is a secret: never log it.
	Password string
}

// NodeAuthSSHKey returns a NodeAuth carrying an SSH public key.
func NodeAuthSSHKey(pubkey string) NodeAuth { return NodeAuth{SSHKey: pubkey} }

// NodeAuthPassword returns a NodeAuth carrying a password.
func NodeAuthPassword(password string) NodeAuth { return NodeAuth{Password: password} }

// IsZero reports whether a asks for neither a key nor a password.
func (a NodeAuth) IsZero() bool { return a.SSHKey == "" && a.Password == "" }

// String describes a without revealing the password.
func (a NodeAuth) String() string {
	switch {
	case a.SSHKey != "" && a.Password != "":
		return "ssh-key+password(redacted)"
	case a.SSHKey != "":
		return "ssh-key"
	case a.Password != "":
		return "password(redacted)"
	}
	return "none"
}

// GoString is as String, so %#v does not reveal the password either.
func (a NodeAuth) GoString() string { return "compute.NodeAuth{" + a.String() + "}" }
