// Package openstacksim is a stateful simulator of an OpenStack cloud: Keystone
// v3 (password and application-credential auth, expiring tokens, the service
// catalogue), Nova (servers with the real vm_state/task_state machine,
// flavors, key pairs, availability zones, microversion negotiation), Glance v2
// images, Cinder v3 volumes and snapshots, and enough Neutron (networks,
// subnets, ports, security groups, floating IPs) for servers to get addresses.
//
// One http.Handler serves every service under its own path prefix
// (/identity, /compute, /image, /volume, /networking), and the catalogue in
// each token points at them. Response shapes follow Nova's API samples for the
// microversion asked, and errors carry each service's real bodies. The
// simulator imports no OpenStack client code: it is an independent oracle for
// drivers and for real clients (the openstack CLI, openstacksdk, Libcloud).
//
// The test controls (faults, dropped connections, latency, throttling,
// request counters) come from providers/internal/simkit, shared with the
// other goclouds simulators.
package openstacksim
