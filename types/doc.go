// Package types holds the small, dependency-free vocabulary shared by every
// part of goclouds: provider names and the lifecycle states of nodes, volumes
// and snapshots.
//
// It imports only the standard library, so anything, including the CloudStack
// simulator, may import it. It is the analogue of Libcloud's
// libcloud.compute.types module.
package types
