//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package csapi

import "net"

const peekSupported = false

// stillOpen cannot peek at connections here: idle ones are not reused.
func stillOpen(net.Conn) bool { return false }
