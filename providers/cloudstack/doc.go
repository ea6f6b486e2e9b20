// Package cloudstack is the Apache CloudStack compute provider: it turns the
// portable compute API into signed CloudStack API calls, and offers
// CloudStack-only Ex methods on [*Driver].
//
//	d, err := cloudstack.New(&cloudstack.Options{
//		URL: "https://cloud.example.com/client/api", Key: key, Secret: secret,
//	})
//	nodes, err := d.ListNodes(ctx)
//
// The way a Libcloud user connects carries over: Key, Secret, Host, Port,
// Path, and Insecure for Libcloud's secure=False. Through the registry the
// provider is types.ProviderCloudStack, with presets types.ProviderExoscale
// (retired API), types.ProviderIkoula and types.ProviderAuroraCompute
// (Config.Region picks ams, rtd, mia, lax, tyo or bcn). The factory builds
// a driver from compute.Config alone (ProviderOptions may hold *Options);
// without credentials in it, [FromEnvironment] reads CLOUDSTACK_API_* (the
// Terraform provider's names), then CLOUDSTACK_ENDPOINT/KEY/SECRET (cs,
// Ansible), then the active profile of cloudmonkey's ~/.cmk/config
// ([LoadCmkProfile]).
//
// # The portable API
//
// CreateNode maps compute.CreateNodeRequest: UserData to userdata (base64,
// POSTed; at most Settings.UserDataMaxLength base64 characters, 24576 bytes
// by default, checked before sending), Tags to createTags on the new VM,
// Networks to networkids (ids), SecurityGroups to securitygroupids or
// securitygroupnames (UUIDs or names, not both), Auth.SSHKey to a key pair
// holding the key (reused whatever its name, else registered as
// compute.SSHKeyPairName and left registered). CloudStack has no
// idempotent deploy: IdempotencyKey is ignored and a lost answer can leave
// a node (the error names it when the driver finds it). The driver also
// implements compute.NodeResizer (changeServiceForVirtualMachine or
// scaleVirtualMachine), compute.NodeStreamer (IterNodes, server-side name,
// state and tag filters) and compute.NodeGetter (listVirtualMachines
// ids=...). docs/providers/cloudstack.md has the table of every field.
//
// # Protocol
//
// Requests are signed as the server verifies them (HMAC-SHA1 over the
// sorted, Java-URLEncoder-encoded, lower-cased parameters) with
// signatureversion=3 and an expires time, unless LegacySignature is set.
// Reads (list*, get*, query*, find*) are sent with GET and retried on
// connection errors and 5xx answers; every other command is POSTed and
// never sent twice once it may have run. A command refused for rate (HTTP
// 429, errorcode 429) did not run: every command, writes included, is sent
// again after the server's "retry after [N] ms" (or Retry-After), within the
// context and Settings.ThrottleMaxWait, and the whole driver then paces
// itself at about the rate the server admits (Settings.RateLimit sets a pace
// of the user's own). Async commands are awaited by polling
// queryAsyncJobResult with capped backoff; JobTimeout and the context bound
// the wait. Lists are fetched page by page (500 rows a page, the remaining
// pages concurrently once the first has given the count) until the server
// has nothing more; IterNodes and ExIterNodes stream.
//
// # Errors
//
// Every error is a *compute.Error whose Kind tells what happened and which
// wraps, for an error answer of the server, an [*APIError] with the HTTP
// status, errorcode, cserrorcode, errortext, command and async job id:
//
//	401, 403, 531, 511    compute.ErrPermissionDenied
//	431                   compute.ErrNotFound when the text says the entity
//	                      does not exist, ErrAlreadyExists when it already
//	                      exists, else compute.ErrInvalidArgument
//	430, other 4xx        compute.ErrInvalidArgument
//	405, 432, 501         compute.ErrNotSupported
//	429                   compute.ErrThrottled (refused for rate, not run)
//	534, 500-529          compute.ErrUnavailable
//	530, 535, other 5xx   compute.ErrInternal
//	532, 533              compute.ErrQuotaExceeded
//	536, 537              compute.ErrConflict
//
// A state-changing command whose answer was lost, and an async job still
// running when the wait ended ([*JobPendingError]), give
// compute.ErrUnavailable with the id of the resource already known in
// compute.Error.ID (for CreateNode, the new VM). Context errors pass through
// (errors.Is(err, context.Canceled) holds).
//
// # Extensions
//
// Ex methods (not portable), reached from a compute.Driver with
// compute.As[*cloudstack.Driver]:
//
//	ExListNodes, ExIterNodes   listVirtualMachines with filters; streaming
//	ExGetNode                  listVirtualMachines id=...
//	ExStart, ExStop            startVirtualMachine, stopVirtualMachine (forced)
//	ExDestroyNode              destroyVirtualMachine (expunge, volumes)
//	ExRestore                  restoreVirtualMachine
//	ExChangeNodeSize           scaleVirtualMachine
//	ExListDiskOfferings        listDiskOfferings
//	ExRawRequest               any command, signed, decoded, async awaited
//
// # Numeric options
//
// A numeric option of an Ex method whose zero is a value the server takes
// (ports of firewall, port forwarding, IP forwarding, network ACL and
// security group rules; ICMP type and code; an ACL rule's number) is an
// *int: nil is not sent, and any other pointer is sent as it is, 0
// included. Go 1.26's new takes a value, so new(0) and new(22) fill them
// (security group rules authorizing every port are StartPort: new(0),
// EndPort: new(65535), as Libcloud sends them).
//
// CreateNode takes [*CreateNodeOptions] as ProviderOptions and CreateVolume
// [*CreateVolumeOptions]. docs/providers/cloudstack.md lists every
// difference from Libcloud's driver and explains how to add an Ex method.
package cloudstack
