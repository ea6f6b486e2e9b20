package sshtest

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// signals maps SSH signal names to the signals the server delivers.
var signals = map[string]syscall.Signal{
	"KILL": syscall.SIGKILL, "TERM": syscall.SIGTERM, "INT": syscall.SIGINT, "HUP": syscall.SIGHUP,
}

// process is a command run for one session.
type process struct {
	mu     sync.Mutex
	cmd    *exec.Cmd // nil for built-in commands
	exited bool
	done   chan struct{}
}

// kill sends sig to the command's process group, if it still runs.
func (p *process) kill(sig syscall.Signal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil && p.cmd.Process != nil && !p.exited {
		_ = syscall.Kill(-p.cmd.Process.Pid, sig)
	}
}

// session serves one session channel: one "exec" request, "signal"
// requests, and nothing else (no shell, no pty, no subsystems).
func (s *Server) session(user string, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var proc *process
	for req := range reqs {
		switch req.Type {
		case "exec":
			var p struct{ Command string }
			if proc != nil || ssh.Unmarshal(req.Payload, &p) != nil {
				_ = req.Reply(false, nil)
				continue
			}
			_ = req.Reply(true, nil)
			proc = &process{done: make(chan struct{})}
			go s.exec(user, p.Command, ch, proc)
		case "signal":
			var p struct{ Signal string }
			if ssh.Unmarshal(req.Payload, &p) == nil {
				s.mu.Lock()
				s.signals = append(s.signals, p.Signal)
				s.mu.Unlock()
				if sig, ok := signals[p.Signal]; ok && proc != nil {
					proc.kill(sig)
				}
			}
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
		default:
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
		}
	}
	// The client closed the channel: end what still runs.
	if proc != nil {
		proc.kill(syscall.SIGKILL)
		<-proc.done
	}
}

// exec runs command and reports its exit status on ch, then closes ch.
func (s *Server) exec(user, command string, ch ssh.Channel, proc *process) {
	defer close(proc.done)
	status, signal := s.run(user, command, ch, proc)
	s.mu.Lock()
	s.execs = append(s.execs, Exec{User: user, Command: command, ExitStatus: status, Signal: signal})
	s.mu.Unlock()
	if signal != "" {
		_, _ = ch.SendRequest("exit-signal", false, ssh.Marshal(struct {
			Signal     string
			CoreDumped bool
			Error      string
			Lang       string
		}{Signal: signal}))
	} else {
		_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(status)}))
	}
	_ = ch.CloseWrite()
	_ = ch.Close()
}

// run runs command, either built in (scp) or with /bin/sh in the home
// directory, and returns its exit status or the signal that killed it.
func (s *Server) run(user, command string, ch ssh.Channel, proc *process) (int, string) {
	if words := splitWords(command); len(words) > 0 && words[0] == "scp" {
		switch s.opts.SCP {
		case SCPBuiltin:
			return s.scpSink(words, ch), ""
		case SCPMissing:
			_, _ = io.WriteString(ch.Stderr(), "sh: 1: scp: not found\n")
			return 127, ""
		}
	}
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Dir = s.Home
	cmd.Env = []string{"HOME=" + s.Home, "PATH=" + os.Getenv("PATH"), "USER=" + user, "LOGNAME=" + user,
		"SHELL=/bin/sh", "LANG=C"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Do not wait forever for output from background children.
	cmd.WaitDelay = 10 * time.Second
	cmd.Stdout, cmd.Stderr = ch, ch.Stderr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 255, ""
	}
	proc.mu.Lock()
	proc.cmd = cmd
	err = cmd.Start()
	proc.mu.Unlock()
	if err != nil {
		_, _ = io.WriteString(ch.Stderr(), err.Error()+"\n")
		return 255, ""
	}
	// Feed stdin until the client's EOF; not waited for, as the command
	// may exit without reading it. It ends when the channel closes.
	go func() {
		_, _ = io.Copy(stdin, ch)
		stdin.Close()
	}()
	err = cmd.Wait()
	proc.mu.Lock()
	proc.exited = true
	proc.mu.Unlock()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			for name, sig := range signals {
				if sig == ws.Signal() {
					return -1, name
				}
			}
			return -1, "KILL"
		}
		return exit.ExitCode(), ""
	}
	if err != nil {
		return 255, ""
	}
	return 0, ""
}

// splitWords splits a command line into words the way a POSIX shell does
// for simple commands: single quotes, double quotes (with \" and \\) and
// backslash escapes.
func splitWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
