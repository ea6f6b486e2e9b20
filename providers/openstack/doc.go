// Package openstack is the goclouds driver for OpenStack clouds, built on
// gophercloud (github.com/gophercloud/gophercloud/v2): Keystone v3 for
// authentication (tokens are reissued when they expire), the service
// catalogue for endpoints, Nova for nodes, sizes (flavors), locations
// (availability zones) and key pairs, Glance v2 for images, Cinder v3 for
// volumes and snapshots, and Neutron for the Ex methods (floating IPs,
// security groups, networks).
//
// Build a driver with New from an Options, or through providers.New with a
// compute.Config (see Factory). Neither does network I/O: the driver
// authenticates on its first call, under that call's context. When no
// credentials are given, the OS_* variables and clouds.yaml are read as the
// openstack CLI reads them (see Options.FromEnvironment).
//
// The driver pins the compute API microversion it speaks (DefaultMicroversion,
// 2.52: networks at create time, embedded flavors, server tags at create)
// and falls back to the cloud's maximum when the cloud is older; see
// docs/providers/openstack.md for what changes on older clouds.
package openstack
