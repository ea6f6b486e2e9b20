package sshtest

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

// scpSink receives files as "scp -t [-p] <target>" does: it acknowledges
// with a zero byte, takes "C<mode> <size> <name>" records (and ignores "T"
// time records), writes each file to target (or into it, if it is a
// directory) and reports errors with a 2 byte and a message line. It
// returns the exit status.
func (s *Server) scpSink(args []string, ch ssh.Channel) int {
	var target string
	sink, preserve := false, false
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			sink = sink || strings.ContainsRune(a, 't')
			preserve = preserve || strings.ContainsRune(a, 'p')
			continue
		}
		target = a
	}
	fail := func(format string, a ...any) int {
		msg := fmt.Sprintf(format, a...)
		_, _ = ch.Write(append([]byte{2}, "scp: "+msg+"\n"...))
		_, _ = io.WriteString(ch.Stderr(), "scp: "+msg+"\n")
		return 1
	}
	if !sink || target == "" {
		return fail("usage: scp -t [-p] target")
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(s.Home, target)
	}
	r := bufio.NewReader(ch)
	ack := func() { _, _ = ch.Write([]byte{0}) }
	ack()
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			return 0
		}
		if err != nil {
			return fail("lost connection")
		}
		line = strings.TrimSuffix(line, "\n")
		switch line[0] {
		case 'T':
			ack()
			continue
		case 'C':
		default:
			return fail("protocol error: unexpected %q", line)
		}
		f := strings.SplitN(line[1:], " ", 3)
		if len(f) != 3 {
			return fail("protocol error: bad record %q", line)
		}
		mode, err1 := strconv.ParseUint(f[0], 8, 32)
		size, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil || size < 0 || strings.Contains(f[2], "/") {
			return fail("protocol error: bad record %q", line)
		}
		dest := target
		if st, err := os.Stat(target); err == nil && st.IsDir() {
			dest = filepath.Join(target, f[2])
		}
		if _, err := os.Stat(filepath.Dir(dest)); err != nil {
			return fail("%s: %v", dest, err) // as scp, before the data
		}
		ack()
		data := make([]byte, size)
		if _, err := io.ReadFull(r, data); err != nil {
			return fail("lost connection")
		}
		if b, err := r.ReadByte(); err != nil || b != 0 {
			return fail("protocol error: missing end of file")
		}
		if err := writeFile(dest, data, fs.FileMode(mode), preserve); err != nil {
			return fail("%s: %v", dest, err)
		}
		ack()
	}
}

// writeFile writes a received file. It holds syscall.ForkLock while the file
// is open, so no command the server starts meanwhile inherits the
// descriptor: a script being executed right after its upload would fail
// with "text file busy" (golang.org/issue/22315). A real scp is a process
// of its own and has no such problem.
func writeFile(path string, data []byte, mode fs.FileMode, preserve bool) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if preserve {
		err = f.Chmod(mode)
	}
	if _, werr := f.Write(data); err == nil {
		err = werr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
