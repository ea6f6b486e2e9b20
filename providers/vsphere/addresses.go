package vsphere

import "net/netip"

// splitAddresses sorts a VM's guest addresses (as VMware Tools reports them)
// into public and private ones, each listed once, in the order reported,
// with guest.ipAddress (the primary address) first. Private are RFC 1918
// and RFC 6598 (shared, carrier-grade NAT) IPv4, IPv6 unique local
// (fc00::/7), and loopback and link-local addresses of both families, which
// are dropped: they do not reach the node. Every other address is public.
func splitAddresses(primary string, all []string) (public, private []string) {
	public, private = []string{}, []string{}
	seen := map[netip.Addr]bool{}
	for _, s := range append([]string{primary}, all...) {
		a, err := netip.ParseAddr(s)
		if err != nil || seen[a.Unmap()] {
			continue
		}
		a = a.Unmap()
		seen[a] = true
		switch {
		case a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast():
		case isPrivate(a):
			private = append(private, a.String())
		default:
			public = append(public, a.String())
		}
	}
	return public, private
}

// sharedAddressSpace is RFC 6598's 100.64.0.0/10.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// isPrivate reports whether a is RFC 1918, RFC 6598 or IPv6 ULA.
func isPrivate(a netip.Addr) bool {
	return a.IsPrivate() || sharedAddressSpace.Contains(a)
}
