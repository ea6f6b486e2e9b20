// Package ec2sim is a stateful simulator of the Amazon EC2 Query API
// (Action=...&Version=2016-11-15, form-encoded POST or GET), an independent
// oracle for the goclouds EC2 driver: it imports no driver code.
//
// Its truth is botocore's EC2 API model, embedded gzipped in model/: every
// request is parsed and validated against the operation's input shape
// (unknown action → InvalidAction, missing required member →
// MissingParameter, wrong type → InvalidParameterValue, unknown parameter →
// UnknownParameter), and every answer is the output shape serialised as EC2
// does it (namespace http://ec2.amazonaws.com/doc/2016-11-15/, <requestId>,
// lists as <item>, locationName element names). Errors are EC2's
// <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>
// document with its HTTP status. Requests must be signed with Signature
// Version 4 (verified over exactly the headers the client signed) or 2 (as
// Libcloud's EC2 driver signs by default).
//
// The actions Implemented lists keep state with EC2's semantics (instances
// with their state machine, AMIs, instance types, zones, key pairs with
// real fingerprints, security groups, EBS volumes and snapshots, Elastic
// IPs, tags, a default VPC and subnets, network interfaces); every other
// action of the model answers UnsupportedOperation after validating its
// input. Tests control the server through its knobs: InjectFault (errors,
// connections dropped before or after the effect, truncated answers),
// SetLatency, SetThrottle (RequestLimitExceeded), RequestCount,
// SetTransitionDelay, SetInstanceLimit and PopulateInstances.
package ec2sim
