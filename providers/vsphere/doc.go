// Package vsphere is the VMware vSphere compute provider (vCenter or ESXi),
// built on govmomi, VMware's Go SDK for the vSphere SOAP API, and tested
// against vcsim, VMware's simulator.
//
//	d, err := vsphere.New(&vsphere.Options{
//		URL: "https://vc.example.com/sdk", Username: user, Password: password,
//		CAFile: "/etc/ssl/vcenter-ca.pem",
//	})
//	defer d.Close()
//	nodes, err := d.ListNodes(ctx)
//
// Through the registry the provider is types.ProviderVSphere ("vsphere").
// Fields left empty are read from govc's variables (GOVC_URL, which may
// carry user:password@, GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE,
// GOVC_TLS_CA_CERTS, GOVC_DATACENTER, GOVC_DATASTORE, GOVC_RESOURCE_POOL,
// GOVC_FOLDER); see New. TLS certificates are verified unless Insecure is
// set; a self-signed vCenter is trusted with CAFile or Thumbprint.
//
// # Sessions
//
// New does no network I/O. The first call logs in under its context; a
// keep-alive keeps the session from idling out, and a call the server
// refuses as NotAuthenticated (the session expired or was terminated) logs
// in again and is resent once. Close logs out: the driver is an io.Closer.
//
// # Mapping
//
// Nodes are VMs (templates excluded), with the VM's instance UUID as ID;
// images are templates (ID: instance UUID); locations are datacenters (ID:
// managed object id, and requests may give the name); sizes are a
// catalogue of CPU and memory profiles (DefaultSizes, replaced by
// Options.Sizes), since vSphere has none. Power states map poweredOn to
// running, poweredOff to stopped, suspended to suspended. Addresses are the
// guest's, as VMware Tools report them, split by splitAddresses' rule
// (RFC 1918, RFC 6598 and IPv6 ULA are private). Tags are custom
// attributes. Volumes are first class disks. docs/providers/vsphere.md has
// the tables.
//
// # Errors
//
// Every error is a *compute.Error. One caused by a vSphere fault wraps a
// [*Fault] (errors.As) whose Fault is govmomi's fault value; the kinds:
//
//	ManagedObjectNotFound, NotFound, FileNotFound     compute.ErrNotFound
//	DuplicateName, AlreadyExists, FileAlreadyExists   compute.ErrAlreadyExists
//	InvalidLogin, NotAuthenticated, NoPermission      compute.ErrPermissionDenied
//	InvalidPowerState, InvalidState, TaskInProgress,
//	ResourceInUse, ToolsUnavailable, FileLocked       compute.ErrConflict
//	InvalidArgument, InvalidName, InvalidRequest,
//	VmConfigFault, CustomizationFault                 compute.ErrInvalidArgument
//	NotSupported, NotImplemented, MethodNotFound      compute.ErrNotSupported
//	InsufficientResourcesFault, NoDiskSpace           compute.ErrQuotaExceeded
//	HostCommunication, HostNotConnected               compute.ErrUnavailable
//	RequestCanceled                                   context.Canceled
//	SystemError and any other fault                   compute.ErrInternal
//
// A network failure is compute.ErrUnavailable; an untrusted certificate
// compute.ErrPermissionDenied. Passwords never appear in errors or logs.
//
// # Extensions
//
// Ex methods, reached with compute.As[*vsphere.Driver]:
//
//	ExCreateSnapshot, ExListSnapshots,
//	ExRevertSnapshot, ExDeleteSnapshot   VM snapshots (not volume snapshots)
//	ExMarkAsTemplate                     turn a stopped node into an image
package vsphere
