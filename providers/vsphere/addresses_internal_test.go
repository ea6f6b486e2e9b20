package vsphere

import (
	"slices"
	"testing"
)

func TestSplitAddresses(t *testing.T) {
	public, private := splitAddresses("192.168.1.5", []string{
		"192.168.1.5", "10.1.2.3", "172.16.0.9", "100.64.1.1", "fd00::1", "fe80::1", "127.0.0.1",
		"203.0.113.7", "2001:db8::5", "8.8.8.8", "::ffff:10.9.9.9", "not-an-ip", "",
	})
	wantPublic := []string{"203.0.113.7", "2001:db8::5", "8.8.8.8"}
	wantPrivate := []string{"192.168.1.5", "10.1.2.3", "172.16.0.9", "100.64.1.1", "fd00::1", "10.9.9.9"}
	if !slices.Equal(public, wantPublic) || !slices.Equal(private, wantPrivate) {
		t.Errorf("splitAddresses = %v, %v; want %v, %v", public, private, wantPublic, wantPrivate)
	}
	public, private = splitAddresses("", nil)
	if public == nil || private == nil || len(public)+len(private) != 0 {
		t.Errorf("no addresses: %#v %#v, want two empty non-nil slices", public, private)
	}
}
