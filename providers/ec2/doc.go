// Package ec2 is the Amazon EC2 compute provider, built on the official
// SDK, aws-sdk-go-v2: SigV4 signing, the standard retryer, paginators and
// error types are the SDK's.
//
//	d, err := ec2.New(&ec2.Options{Region: "eu-west-1"}) // the AWS default chain
//	nodes, err := d.ListNodes(ctx)
//
// Through the registry the provider is types.ProviderEC2 ("ec2"); Factory
// builds a driver from a compute.Config (Region, Key, Secret,
// SessionToken, URL to override the endpoint, an *aws.Config as
// ProviderOptions) without any network I/O.
//
// Nodes are instances (named by their Name tag), images AMIs (by default
// the account's own and Amazon's), sizes instance types, locations the
// region's availability zones. Terminated instances are gone for the
// portable API: GetNode answers ErrNotFound with a *TerminatedError.
// CreateNode always sends a ClientToken (CreateNodeRequest.IdempotencyKey
// or a fresh one), so a retried or resent create never starts a second
// instance, and calls about an instance created moments ago ride out EC2's
// eventual consistency. The driver implements compute.VolumeManager,
// VolumeResizer, SnapshotManager, KeyPairManager, ImageManager,
// NodeResizer, NodeStreamer and NodeGetter.
//
// Errors are *compute.Error values whose kind comes from one table of EC2
// error codes (KindOfCode); the SDK's error, a smithy.APIError with the
// code and message, stays reachable with errors.As.
// docs/providers/ec2.md has the tables.
package ec2
