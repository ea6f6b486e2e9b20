//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package csapi

import (
	"net"
	"syscall"
)

const peekSupported = true

// stillOpen reports whether an idle connection can be reused: the server
// has neither closed it nor sent anything (a peek that would block).
func stillOpen(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	open := false
	err = rc.Read(func(fd uintptr) bool {
		var b [1]byte
		_, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		open = rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK
		return true
	})
	return err == nil && open
}
