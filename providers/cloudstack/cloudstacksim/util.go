package cloudstacksim

import (
	"fmt"
	"net/netip"
	"strings"
)

// contains reports whether list holds v.
func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// equalFold is strings.EqualFold, named for the filters that use it.
func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// removeFrom returns list without v (order kept).
func removeFrom[T comparable](list []T, v T) []T {
	out := list[:0:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// cidrOf returns the prefix of cidr or an invalid prefix.
func cidrOf(cidr string) netip.Prefix {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return netip.Prefix{}
	}
	return p.Masked()
}

// netmaskOf returns the dotted netmask of an IPv4 prefix.
func netmaskOf(p netip.Prefix) string {
	bits := p.Bits()
	m := ^uint32(0) << (32 - bits)
	if bits == 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, (m>>16)&0xff, (m>>8)&0xff, m&0xff)
}

// addrAt returns the address n positions after the prefix's network address.
func addrAt(p netip.Prefix, n int) netip.Addr {
	b := p.Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// offsetIn returns the position of a in p (the inverse of addrAt).
func offsetIn(p netip.Prefix, a netip.Addr) int {
	x, y := p.Addr().As4(), a.As4()
	u := uint32(x[0])<<24 | uint32(x[1])<<16 | uint32(x[2])<<8 | uint32(x[3])
	v := uint32(y[0])<<24 | uint32(y[1])<<16 | uint32(y[2])<<8 | uint32(y[3])
	return int(v - u)
}

// validCIDRList checks a comma-separated CIDR list parameter.
func validCIDRList(list []string) error {
	for _, c := range list {
		if _, err := netip.ParsePrefix(strings.TrimSpace(c)); err != nil {
			return invalidParam("Invalid cidr %s", c)
		}
	}
	return nil
}
