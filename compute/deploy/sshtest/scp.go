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
		file, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fs.FileMode(mode))
		if err != nil {
			return fail("%s: %v", dest, err)
		}
		if preserve {
			_ = file.Chmod(fs.FileMode(mode))
		}
		ack()
		_, err = io.CopyN(file, r, size)
		cerr := file.Close()
		if err != nil {
			return fail("lost connection")
		}
		if b, err := r.ReadByte(); err != nil || b != 0 {
			return fail("protocol error: missing end of file")
		}
		if cerr != nil {
			return fail("%s: %v", dest, cerr)
		}
		ack()
	}
}
