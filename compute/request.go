package compute

// CreateNodeRequest describes a node to create.
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
	Auth NodeAuth
	// ProviderOptions carries provider-specific options, such as
	// *cloudstack.CreateNodeOptions. A value of the wrong type gives an error
	// matching ErrInvalidArgument.
	ProviderOptions any
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
