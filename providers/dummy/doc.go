// Package dummy is an in-memory compute provider: the backend for tests of
// code written against [compute.Driver], for the CLI's demo, and the
// reference implementation that passes the conformance suite in
// compute/computetest. It plays the part of Libcloud's DummyNodeDriver and
// fixes its shortcomings.
//
// Get it from the registry (providers.GetDriver(types.ProviderDummy)) or
// build it directly:
//
//	d := dummy.New(&dummy.Options{TransitionDelay: 10 * time.Millisecond})
//
// # Catalogue
//
// The catalogue is Libcloud's, value for value:
//
//	images     1 "Ubuntu 9.10", 2 "Ubuntu 9.04", 3 "Slackware 4"
//	sizes      id name      VCPUs  RAM (MB)  disk (GB)  bandwidth  price
//	           1  Small         1       128          4        500      4
//	           2  Medium        1       512         16       1500      8
//	           3  Big           2      4096         32       2500     32
//	           4  XXL Big       4      8192        128       7500     64
//	locations  1 "Paul's Room" (US), 2 "London Loft" (GB), 3 "Island Datacenter" (FJ)
//
// Libcloud's sizes have no CPU count; the VCPUs are ours. Every image and
// size is offered in every location.
//
// # Nodes
//
// A new driver holds Options.Nodes running nodes (two by default, as
// Libcloud: "1" dummy-1 and "2" dummy-2, from image 1, size 1, location 1).
// Node n has public address 127.0.0.n (or Options.PublicIP), private address
// 10.0.0.n, and Extra {"foo": "bar", "ssh_port": Options.SSHPort}. Unlike
// Libcloud's driver:
//
//   - ids count up and are never reused after a delete, so UUIDs stay unique
//     (on a fresh default driver the first new node is "3", UUID
//     aef321fde331680846014b121ff377dcb8477731);
//   - CreateNode honours the name, image, size and location asked for and
//     rejects unknown ones with compute.ErrInvalidArgument;
//   - states move: CreateNode gives pending then running, RebootNode
//     rebooting then running, StopNode stopping then stopped, StartNode
//     starting then running, each step lasting Options.TransitionDelay
//     (0: instant) as measured by Options.Now, so a fake clock drives them
//     without sleeping. A call in the wrong state (rebooting a stopped node,
//     anything but DestroyNode during a transition) gives
//     compute.ErrConflict. DestroyNode removes the node at once; later calls
//     give compute.ErrNotFound;
//   - CreateNode takes the portable fields (see [Driver.CreateNode]): user
//     data up to [MaxUserData] bytes, kept for [Driver.ExUserData]; tags in
//     Node.Tags; networks and security groups recorded in Extra; an SSH key
//     through a reused or registered key pair; an IdempotencyKey that makes
//     the create idempotent;
//   - it is safe for concurrent use, and every value returned is a copy.
//
// # Optional interfaces
//
// The driver implements every optional interface, in memory:
// [compute.VolumeManager] and [compute.VolumeResizer] (volumes "vol-<n>",
// available at once, attachable to a running or stopped node of the same
// location, grown but never shrunk), [compute.SnapshotManager] (snapshots
// "snap-<n>"; volumes can be created from them), [compute.KeyPairManager]
// (real Ed25519 or RSA keys generated with crypto/rand, OpenSSH SHA256
// fingerprints, the MD5 form in Extra["fingerprint_md5"]; private keys are
// returned once and never kept) and [compute.ImageManager] (images from
// nodes, ids from "4"; Libcloud's three cannot be deleted),
// [compute.NodeResizer] (a running or stopped node), [compute.NodeStreamer]
// (pages of [NodesPageSize] nodes, filtered by name, state and tags) and
// [compute.NodeGetter].
//
// # Configuration
//
// [Factory] takes a [compute.Config] whose ProviderOptions may be an
// *Options; its Options keys override it. Credentials are ignored: the
// dummy cloud needs none and reads no environment.
//
// # Extensions
//
// Reach them with compute.As[*dummy.Driver](d):
//
//   - [Driver.ExFailNext] makes the next call of a method fail with a chosen
//     error kind, to test error handling;
//   - [Driver.ExSetNodeState] forces a node into any state (error,
//     suspended, ...);
//   - [Driver.ExCreateKeyPair] chooses the key type and size;
//   - [Driver.ExUserData] reads back a node's user data.
//
// To test handling of rate limits, Options.ThrottleEvery refuses every n-th
// call with compute.ErrThrottled, and ExFailNext(op, compute.ErrThrottled)
// refuses one call.
//
// # Errors
//
// Every error is a *compute.Error made with compute.NewError, naming the id
// concerned, or a context error passed through unchanged: every method
// checks its context first.
package dummy
