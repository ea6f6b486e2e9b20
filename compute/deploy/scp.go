package deploy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"golang.org/x/crypto/ssh"
)

// scpSend uploads one file over s with the scp protocol, as the sending
// side: the node runs "scp -p -t <path>" (the sink), which acknowledges each
// message with a zero byte, or with 1 (warning) or 2 (error) and a message
// line. -p makes the sink set the mode exactly, also on an existing file.
// Nothing is read from r before the sink has answered, so a node without
// scp (errNoSCP) leaves r untouched for a fallback.
func scpSend(s *ssh.Session, path string, mode fs.FileMode, size int64, r io.Reader) error {
	stdin, err := s.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := s.StdoutPipe()
	if err != nil {
		return err
	}
	stderr := &captureBuffer{max: 4096}
	s.Stderr = stderr
	if err := s.Start("scp -p -t " + quote(path)); err != nil {
		return &connLostError{err}
	}
	acks := bufio.NewReader(stdout)
	if err := readAck(acks); err != nil {
		if !errors.Is(err, io.EOF) {
			return err
		}
		werr := s.Wait()
		var exit *ssh.ExitError
		if errors.As(werr, &exit) && exit.ExitStatus() == 127 {
			return errNoSCP
		}
		return fmt.Errorf("scp did not start (%v): %s", werr, lastLine(stderr.bytes()))
	}
	step := func(write func() error) error {
		if err := write(); err != nil {
			// The sink may have quit with a message: prefer it.
			if aerr := readAck(acks); aerr != nil && !errors.Is(aerr, io.EOF) {
				return aerr
			}
			return &connLostError{err}
		}
		return readAck(acks)
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	if err := step(func() error {
		_, err := fmt.Fprintf(stdin, "C%04o %d %s\n", uint32(mode.Perm()), size, base)
		return err
	}); err != nil {
		return err
	}
	src := &sourceReader{r: r}
	var srcErr error
	if err := step(func() error {
		n, err := io.CopyN(stdin, src, size)
		if err != nil && src.err != nil {
			// The local source failed or is short: close the session so the
			// sink stops waiting for the rest.
			srcErr = src.err
			if errors.Is(srcErr, io.EOF) {
				srcErr = fmt.Errorf("source gave %d bytes, want %d", n, size)
			}
			_ = s.Close()
			return srcErr
		}
		if err == nil {
			_, err = stdin.Write([]byte{0})
		}
		return err
	}); err != nil {
		if srcErr != nil {
			return fmt.Errorf("reading the source: %w", srcErr)
		}
		return err
	}
	_ = stdin.Close()
	if err := s.Wait(); err != nil {
		var exit *ssh.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("scp exited with status %d: %s", exit.ExitStatus(), lastLine(stderr.bytes()))
		}
		return err
	}
	return nil
}

// scpError is an error message from the scp sink.
type scpError struct{ msg string }

func (e *scpError) Error() string { return "scp: " + strings.TrimPrefix(e.msg, "scp: ") }

// readAck reads one scp acknowledgement.
func readAck(r *bufio.Reader) error {
	b, err := r.ReadByte()
	if err != nil {
		return err
	}
	switch b {
	case 0:
		return nil
	case 1, 2:
		line, _ := r.ReadString('\n')
		return &scpError{msg: strings.TrimRight(line, "\n")}
	}
	return fmt.Errorf("scp: protocol error: unexpected byte %#x", b)
}

// checkRemotePath rejects paths the scp protocol or the shell cannot carry.
func checkRemotePath(path string) error {
	switch {
	case path == "":
		return errors.New("empty remote path")
	case strings.ContainsAny(path, "\n\r\x00"):
		return fmt.Errorf("remote path %q: control characters are not allowed", path)
	case strings.HasSuffix(path, "/"):
		return fmt.Errorf("remote path %q names a directory, want a file", path)
	}
	return nil
}
