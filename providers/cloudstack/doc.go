// Package cloudstack is the Apache CloudStack compute provider.
package cloudstack
