// Package compute is goclouds' provider-neutral compute API: the [Driver]
// interface every provider implements, the data it returns ([Node], [Image],
// [Size], [Location], [Volume], [VolumeSnapshot], [KeyPair]), the error model
// and the waiters. It is the Go analogue of Libcloud's
// libcloud.compute.base.
//
// Get a driver from the registry in package providers, or from a provider's
// own constructor:
//
//	factory, err := providers.GetDriver(types.ProviderCloudStack)
//	d, err := factory(compute.Config{URL: "https://cloud.example/client/api", Key: key, Secret: secret})
//	nodes, err := d.ListNodes(ctx)
//
// # Configuration
//
// A [Factory] builds a driver from a [Config]: endpoint, credentials (key
// and secret, token, user and password with domain and project, session
// token), TLS, timeout, HTTP client, logger, the provider's typed
// ProviderOptions (read with [ProviderOptionsOf]) and key/value Options that
// providers decode with [DecodeOptions]. When Config has no credentials a
// provider may read its ecosystem's standard sources. Factories do no
// network I/O. TLS is the default; plain HTTP needs an explicit http:// URL
// or Insecure.
//
// # Creating nodes
//
// [CreateNodeRequest] carries the portable fields every cloud has: name,
// image, size, location, SSH key or password, user data, tags, networks,
// security groups and an idempotency key; drivers check it with
// [CreateNodeRequest.Validate]. An SSH key is installed through a key pair
// found or registered by [EnsureSSHKeyPair], which reuses a pair holding
// the same key whatever its name. docs/design.md maps every field onto each
// provider.
//
// # Optional capabilities
//
// Features not every provider has are small optional interfaces:
// [VolumeManager], [VolumeResizer], [SnapshotManager], [KeyPairManager],
// [ImageManager], [NodeResizer], [NodeStreamer], [NodeGetter]. Test for them
// with [As], or call the portable helpers ([ListVolumes], [CreateKeyPair],
// [ResizeNode], ...) which fail with [ErrNotSupported] when the driver lacks
// the capability. [IterNodes] streams nodes matching a [NodeFilter] through
// a NodeStreamer, or from ListNodes for drivers without one.
//
// Entities print as Libcloud's repr does (fmt.Println(images) shows
// <NodeImage: id=..., name=..., driver=...>), never with a secret.
//
// # Errors
//
// Every error a driver returns is a [*Error] whose Kind is one of
// [ErrNotFound], [ErrAlreadyExists], [ErrInvalidArgument], [ErrNotSupported],
// [ErrPermissionDenied], [ErrQuotaExceeded], [ErrConflict], [ErrThrottled],
// [ErrUnavailable],
// [ErrInternal], with the provider's raw error in Err. So both
//
//	errors.Is(err, compute.ErrNotFound)
//	errors.As(err, &apiErr) // *cloudstack.APIError
//
// work on the same value. Context errors are passed through unchanged, so
// errors.Is(err, context.DeadlineExceeded) holds after a timeout.
// ErrThrottled means the provider refused the call for rate before running
// it: nothing happened and it is safe to retry (drivers already retried it
// within their budget). ErrUnavailable on a state-changing call means its
// outcome is unknown: the drivers never resend such a call on their own.
//
// # Extensions
//
// Provider-specific operations are Ex methods on the provider's concrete
// driver type, reached with [As] through any wrappers:
//
//	cs, ok := compute.As[*cloudstack.Driver](d)
//
// Provider-specific inputs to portable calls go in
// [CreateNodeRequest].ProviderOptions.
//
// # Waiting
//
// [WaitUntilRunning] waits, as Libcloud's wait_until_running, until nodes
// run and have an address (any address by default, [AnyIPs]); it polls
// only those nodes, with GetNode or the driver's NodeGetter, and on timeout
// says what each node lacked. [WaitForState] waits for any state. Both
// poll, look through ErrUnavailable and ErrThrottled, and end with the
// context.
//
// # Context
//
// Every method takes a context.Context first. Cancelling it stops the
// request, any retry and any wait on an asynchronous job.
package compute
