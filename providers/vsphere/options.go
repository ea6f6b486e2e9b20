package vsphere

import (
	"log/slog"
	"time"
)

// Options configures a vSphere driver. Pass it to New, or as
// compute.Config.ProviderOptions (a *Options or an Options) through the
// registry; the fields of compute.Config that are set override the same
// settings here. Config.Options (a CLI's key/value settings) sets the fields
// by their mapstructure names ("datacenter", "resource_pool",
// "keepalive"...).
type Options struct {
	// URL is the vCenter or ESXi SDK endpoint, as govc takes it:
	// "vc.example.com", "https://vc.example.com/sdk" or
	// "https://user:pass@vc.example.com/sdk". A missing scheme means https,
	// a missing path "/sdk". User information in the URL is used when
	// Username and Password are empty, and never logged.
	URL string `mapstructure:"url"`
	// Username and Password log in to vCenter or ESXi. The password is a
	// secret: never logged or put into errors.
	Username string `mapstructure:"username"`
	Password string `mapstructure:"password"`
	// Insecure turns off TLS certificate verification (logged as a
	// warning). Leave it off and set CAFile or Thumbprint for a server with
	// a self-signed certificate.
	Insecure bool `mapstructure:"insecure"`
	// CAFile is a PEM file (or a list of files joined by the OS path list
	// separator) of certificate authorities to trust instead of the system's.
	CAFile string `mapstructure:"ca_file"`
	// Thumbprint is the server certificate's SHA-1 or SHA-256 thumbprint
	// ("AB:CD:..."), trusted when the certificate does not verify otherwise
	// (govc's GOVC_TLS_KNOWN_HOSTS).
	Thumbprint string `mapstructure:"thumbprint"`

	// Datacenter is the datacenter (name or managed object id) used when a
	// request names no location; default the first datacenter by name.
	Datacenter string `mapstructure:"datacenter"`
	// ResourcePool is the resource pool new VMs run in (an inventory path,
	// or a name within the datacenter); default the root resource pool of
	// the datacenter's first cluster or host by name.
	ResourcePool string `mapstructure:"resource_pool"`
	// Datastore is the datastore for new VMs' disks (name within the
	// datacenter); default the template's datastore. Volumes (first class
	// disks) are created on it, or on the datacenter's first datastore by
	// name when it is empty.
	Datastore string `mapstructure:"datastore"`
	// Folder is the VM folder new VMs and templates go in (an inventory
	// path, or a name within the datacenter); default the datacenter's root
	// VM folder.
	Folder string `mapstructure:"folder"`

	// Sizes replaces the catalogue of sizes (DefaultSizes) ListSizes returns
	// and CreateNode accepts. Each needs an ID, VCPUs and RAM (MB).
	Sizes []Size `mapstructure:"sizes"`
	// KeepAlive is the interval of the session keep-alive sent while the
	// driver is idle; default 5 minutes, negative turns it off (an expired
	// session is still re-created on the next call).
	KeepAlive time.Duration `mapstructure:"keepalive"`
	// Timeout bounds each SOAP request; 0 means no bound other than the
	// caller's context.
	Timeout time.Duration `mapstructure:"timeout"`
	// CleanupTimeout bounds the clean-up of a failed or cancelled
	// CreateNode (cancelling the clone task, destroying a half-made VM),
	// which runs after the caller's context is done; default 2 minutes.
	CleanupTimeout time.Duration `mapstructure:"cleanup_timeout"`
	// Logger receives debug logs of the driver's calls, without secrets;
	// nil logs nothing.
	Logger *slog.Logger `mapstructure:"-"`
}

// Size is a CPU and memory profile of the size catalogue.
type Size struct {
	// ID identifies the size in CreateNode and ListSizes.
	ID string `mapstructure:"id"`
	// Name is a display name; default ID.
	Name string `mapstructure:"name"`
	// VCPUs is the number of virtual CPUs.
	VCPUs int `mapstructure:"vcpus"`
	// RAM is the memory in MB.
	RAM int `mapstructure:"ram"`
}

// DefaultSizes is the size catalogue used unless Options.Sizes replaces it.
// vSphere has no flavours (each VM has its own CPU and memory), so, as
// Libcloud's vSphere driver, the driver offers a fixed list of profiles.
var DefaultSizes = []Size{
	{ID: "tiny", Name: "Tiny (1 vCPU, 512 MB)", VCPUs: 1, RAM: 512},
	{ID: "small", Name: "Small (1 vCPU, 2 GB)", VCPUs: 1, RAM: 2048},
	{ID: "medium", Name: "Medium (2 vCPU, 4 GB)", VCPUs: 2, RAM: 4096},
	{ID: "large", Name: "Large (4 vCPU, 8 GB)", VCPUs: 4, RAM: 8192},
	{ID: "xlarge", Name: "XLarge (8 vCPU, 16 GB)", VCPUs: 8, RAM: 16384},
	{ID: "2xlarge", Name: "2XLarge (16 vCPU, 32 GB)", VCPUs: 16, RAM: 32768},
}

const (
	defaultKeepAlive      = 5 * time.Minute
	defaultCleanupTimeout = 2 * time.Minute
)
