package dummy

import "time"

// DefaultNodes is the number of nodes a driver starts with when
// Options.Nodes is 0, as Libcloud's DummyNodeDriver: "dummy-1" and "dummy-2".
const DefaultNodes = 2

// MaxUserData is the largest CreateNodeRequest.UserData the dummy driver
// accepts, in bytes: 16 KiB, EC2's limit and the smallest of the major
// clouds (CloudStack takes 32 KB of base64 by default, OpenStack 64 KiB), so
// that user data accepted here fits on every provider.
const MaxUserData = 16 << 10

// NodesPageSize is how many nodes IterNodes reads per page (per lock of the
// driver), as a cloud's listing would page them.
const NodesPageSize = 100

// DefaultSSHPort is the port reported in Node.Extra["ssh_port"] when
// Options.SSHPort is 0.
const DefaultSSHPort = 22

// DefaultRSABits is the RSA modulus size CreateKeyPair uses when
// Options.RSABits is 0 (CloudStack's createSSHKeyPair also makes 2048-bit
// keys). MinRSABits is the smallest size accepted.
const (
	DefaultRSABits = 2048
	MinRSABits     = 2048
	maxRSABits     = 8192
)

// KeyType is the kind of SSH key CreateKeyPair generates.
type KeyType string

// The key types CreateKeyPair can generate.
const (
	// KeyTypeEd25519 generates an Ed25519 key; the private key is in
	// OpenSSH's "OPENSSH PRIVATE KEY" PEM format. It is the default.
	KeyTypeEd25519 KeyType = "ed25519"
	// KeyTypeRSA generates an RSA key; the private key is PKCS #1 PEM
	// ("RSA PRIVATE KEY"), the form CloudStack returns.
	KeyTypeRSA KeyType = "rsa"
)

// Options configures a dummy driver. The zero value (or nil) gives
// Libcloud's DummyNodeDriver: two running nodes, instant transitions.
type Options struct {
	// Nodes is the number of running nodes the driver starts with, with ids
	// "1" to "<Nodes>" and names "dummy-1" ... 0 means DefaultNodes (2, as
	// Libcloud); a negative number means none.
	Nodes int
	// TransitionDelay is how long a node stays in each transitional state:
	// pending after CreateNode, rebooting after RebootNode, stopping after
	// StopNode, starting after StartNode. 0 makes every transition instant.
	// Transitions are measured with Now, so a fake clock drives them
	// without sleeping.
	TransitionDelay time.Duration
	// Now is the clock for CreatedAt and for transitions; nil means
	// time.Now.
	Now func() time.Time
	// PublicIP, when set, is the public address of every node (for tests
	// that connect to the node, such as SSH deployment against a local
	// server: "127.0.0.1"). When empty, node n gets 127.0.0.n (carried into
	// the higher octets past 255).
	PublicIP string
	// SSHPort is the SSH port reported in every node's Extra["ssh_port"] (an
	// int); 0 means DefaultSSHPort.
	SSHPort int
	// KeyType is what CreateKeyPair generates; "" means KeyTypeEd25519.
	KeyType KeyType
	// RSABits is the RSA key size for KeyTypeRSA; 0 means DefaultRSABits.
	RSABits int
	// ThrottleEvery, when positive, refuses every ThrottleEvery-th call of
	// the driver (counting every method, across goroutines) with an error
	// matching compute.ErrThrottled before it does anything, as a cloud
	// refusing requests for rate (HTTP 429) would: nothing happened and the
	// call may be sent again. It lets tests check that their code, and
	// compute's waits, handle throttling. 0 never throttles.
	ThrottleEvery int
}

// withDefaults returns a copy of o with every zero field defaulted.
func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	switch {
	case c.Nodes == 0:
		c.Nodes = DefaultNodes
	case c.Nodes < 0:
		c.Nodes = 0
	}
	if c.TransitionDelay < 0 {
		c.TransitionDelay = 0
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.SSHPort == 0 {
		c.SSHPort = DefaultSSHPort
	}
	if c.KeyType == "" {
		c.KeyType = KeyTypeEd25519
	}
	if c.RSABits == 0 {
		c.RSABits = DefaultRSABits
	}
	return c
}
