// Package cloudstacksim is a stateful simulator of the Apache CloudStack
// management server API, faithful enough that real, unmodified CloudStack
// clients (Apache Libcloud, cs, cloudmonkey) work against it.
package cloudstacksim
