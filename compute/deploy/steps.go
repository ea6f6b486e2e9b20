package deploy

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/goclouds/goclouds/compute"
	"golang.org/x/crypto/ssh"
)

// Deployment is a provisioning step run on a node over SSH, as Libcloud's
// Deployment classes. Run gets the node and a connected Client and returns
// the node (possibly updated). Step values that record results (scripts)
// must not be shared by concurrent deployments.
//
// A step may also implement Validate() error; DeployNode calls it before
// creating the node, so a bad step costs no node. Implementing
// fmt.Stringer names the step in logs and errors (without secrets).
type Deployment interface {
	Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error)
}

// validator is implemented by steps that can check themselves up front.
type validator interface{ Validate() error }

// describe names a step for logs and errors.
func describe(d Deployment) string {
	if s, ok := d.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", d)
}

// SSHKeyDeployment appends a public key to the login user's
// ~/.ssh/authorized_keys, creating ~/.ssh (mode 0700) and the file (mode
// 0600) when missing and fixing their modes. A key already present is not
// added again.
type SSHKeyDeployment struct {
	// Key is the public key in authorized_keys form ("ssh-ed25519 AAAA...
	// comment"); options before the key type are allowed.
	Key string
}

// Validate checks that Key is one well-formed authorized_keys line.
func (s *SSHKeyDeployment) Validate() error {
	_, err := s.parse()
	return err
}

func (s *SSHKeyDeployment) parse() (ssh.PublicKey, error) {
	line := strings.TrimSpace(s.Key)
	if line == "" || strings.ContainsAny(line, "\r\n") {
		return nil, errors.New("SSHKeyDeployment: Key must be one authorized_keys line")
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return nil, fmt.Errorf("SSHKeyDeployment: %w", err)
	}
	return k, nil
}

// String names the key by type and fingerprint.
func (s *SSHKeyDeployment) String() string {
	if k, err := s.parse(); err == nil {
		return fmt.Sprintf("authorize %s key %s", k.Type(), ssh.FingerprintSHA256(k))
	}
	return "authorize SSH key"
}

// authorizeKeyScript adds the line read from stdin to authorized_keys. It
// ends the file with a newline first when it lacks one, and restores
// SELinux labels where restorecon exists.
const authorizeKeyScript = `set -e
umask 077
d="${HOME:-.}/.ssh"
f="$d/authorized_keys"
mkdir -p "$d"
chmod 700 "$d"
touch "$f"
chmod 600 "$f"
IFS= read -r key
if ! grep -qxF -e "$key" "$f"; then
	if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi
	printf '%s\n' "$key" >> "$f"
fi
if command -v restorecon >/dev/null 2>&1; then restorecon -R "$d" >/dev/null 2>&1 || true; fi
`

// Run implements Deployment.
func (s *SSHKeyDeployment) Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error) {
	if _, err := s.parse(); err != nil {
		return nil, err
	}
	name := s.String()
	res, err := c.Run(ctx, authorizeKeyScript, &RunOptions{
		Stdin: strings.NewReader(strings.TrimSpace(s.Key) + "\n"), Name: name})
	if err != nil {
		return nil, err
	}
	return node, res.err(name)
}

// FileDeployment uploads a file to the node.
type FileDeployment struct {
	// Source is the local file to upload. When "", Content is uploaded.
	Source string
	// Content is uploaded when Source is "".
	Content []byte
	// Target is the path on the node; a relative path is relative to the
	// home directory. Its directory must exist.
	Target string
	// Mode is the file's permission bits on the node; zero keeps those of
	// Source, or 0644 for Content.
	Mode fs.FileMode
}

// Validate checks Target and that Source is a readable regular file.
func (f *FileDeployment) Validate() error {
	if err := checkRemotePath(f.Target); err != nil {
		return fmt.Errorf("FileDeployment: %w", err)
	}
	if f.Source == "" {
		return nil
	}
	_, err := openRegular(f.Source)
	return err
}

// String says what goes where.
func (f *FileDeployment) String() string {
	if f.Source != "" {
		return fmt.Sprintf("upload %s to %s", f.Source, f.Target)
	}
	return fmt.Sprintf("upload %d bytes to %s", len(f.Content), f.Target)
}

// Run implements Deployment.
func (f *FileDeployment) Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error) {
	if f.Source == "" {
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		return node, c.Upload(ctx, f.Target, mode, int64(len(f.Content)), bytes.NewReader(f.Content))
	}
	file, err := openRegular(f.Source)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, err
	}
	mode := f.Mode
	if mode == 0 {
		mode = st.Mode().Perm()
	}
	return node, c.Upload(ctx, f.Target, mode, st.Size(), file)
}

// openRegular opens path for reading if it is a regular file.
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%s is not a regular file", path)
		}
		return nil, err
	}
	return f, nil
}

// ScriptDeployment uploads a script, runs it with arguments and records its
// output and exit status. A non-zero exit status fails the step (with an
// *ExitError) unless AllowFailure is set; Libcloud ignores it.
type ScriptDeployment struct {
	// Script is the script's text; start it with a "#!" line to choose the
	// interpreter. It may hold secrets: it is never logged.
	Script string
	// Args are passed to the script, each quoted for the shell, so spaces
	// and quotes arrive intact. They are never logged.
	Args []string
	// Name is the script's path on the node; relative paths are relative
	// to the home directory. Default "goclouds_deploy_<8 hex digits>.sh".
	Name string
	// Delete removes the script after it ran (also when it failed).
	Delete bool
	// Timeout bounds the script's run; zero uses Options.CommandTimeout.
	Timeout time.Duration
	// AllowFailure makes a non-zero exit status a success; read
	// ExitStatus to know.
	AllowFailure bool

	// RemotePath, Stdout, Stderr and ExitStatus are set by Run: where the
	// script was put, what it printed (up to Options.MaxOutput bytes
	// each) and its exit status (-1 if killed by a signal).
	RemotePath     string
	Stdout, Stderr string
	ExitStatus     int
}

// String names the script by its path and counts its arguments.
func (s *ScriptDeployment) String() string {
	name := s.Name
	if name == "" {
		name = "(generated name)"
	}
	return scriptString("script", name, len(s.Args))
}

func scriptString(kind, name string, nargs int) string {
	if nargs == 0 {
		return fmt.Sprintf("%s %s", kind, name)
	}
	return fmt.Sprintf("%s %s with %d args", kind, name, nargs)
}

// Validate checks the script path.
func (s *ScriptDeployment) Validate() error {
	if s.Name == "" {
		return nil
	}
	if err := checkRemotePath(s.Name); err != nil {
		return fmt.Errorf("ScriptDeployment: %w", err)
	}
	return nil
}

// Run implements Deployment: upload (mode 0700), run, record, delete.
func (s *ScriptDeployment) Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	path := s.Name
	if path == "" {
		path = "goclouds_deploy_" + randomHex(4) + ".sh"
	}
	s.RemotePath, s.Stdout, s.Stderr, s.ExitStatus = path, "", "", 0
	if err := c.Upload(ctx, path, 0o700, int64(len(s.Script)), strings.NewReader(s.Script)); err != nil {
		return nil, err
	}
	name := "script " + path
	res, err := c.Run(ctx, commandLine(path, s.Args), &RunOptions{Timeout: s.Timeout, Name: name})
	if res != nil {
		s.Stdout, s.Stderr, s.ExitStatus = string(res.Stdout), string(res.Stderr), res.ExitStatus
	}
	if err == nil && !s.AllowFailure {
		err = res.err(name)
	}
	if s.Delete && !isConnLost(err) && ctx.Err() == nil {
		if derr := deleteFile(ctx, c, path); err == nil {
			err = derr
		}
	}
	if err != nil {
		return nil, err
	}
	return node, nil
}

// deleteFile removes path on the node.
func deleteFile(ctx context.Context, c Client, path string) error {
	name := "delete " + path
	res, err := c.Run(ctx, "rm -f -- "+quote(path), &RunOptions{Name: name})
	if err != nil {
		return err
	}
	return res.err(name)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ScriptFileDeployment is a ScriptDeployment whose script is read from a
// local file when the step runs (Script is set from it). Args, Name,
// Delete, Timeout, AllowFailure and the results are those of the embedded
// ScriptDeployment.
type ScriptFileDeployment struct {
	// ScriptFile is the local path of the script.
	ScriptFile string
	ScriptDeployment
}

// String names the local script file and counts the arguments.
func (s *ScriptFileDeployment) String() string {
	return scriptString("script file", s.ScriptFile, len(s.Args))
}

// Validate checks that ScriptFile is a readable regular file.
func (s *ScriptFileDeployment) Validate() error {
	f, err := openRegular(s.ScriptFile)
	if err != nil {
		return fmt.Errorf("ScriptFileDeployment: %w", err)
	}
	f.Close()
	return s.ScriptDeployment.Validate()
}

// Run implements Deployment.
func (s *ScriptFileDeployment) Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error) {
	f, err := openRegular(s.ScriptFile)
	if err != nil {
		return nil, err
	}
	text, err := readAllClose(f)
	if err != nil {
		return nil, err
	}
	s.Script = text
	return s.ScriptDeployment.Run(ctx, node, c)
}

func readAllClose(f *os.File) (string, error) {
	defer f.Close()
	b, err := io.ReadAll(f)
	return string(b), err
}

// MultiStepDeployment runs steps in order, threading the node through.
// DeployNode runs each of its steps (nested ones included) as a step of its
// own, with its own tries.
type MultiStepDeployment struct {
	// Steps are the steps, in order.
	Steps []Deployment
}

// Add appends steps and returns m, for chaining.
func (m *MultiStepDeployment) Add(steps ...Deployment) *MultiStepDeployment {
	m.Steps = append(m.Steps, steps...)
	return m
}

// String counts the steps.
func (m *MultiStepDeployment) String() string { return fmt.Sprintf("%d steps", len(m.Steps)) }

// Run implements Deployment, stopping at the first failing step.
func (m *MultiStepDeployment) Run(ctx context.Context, node *compute.Node, c Client) (*compute.Node, error) {
	for i, step := range m.Steps {
		n, err := step.Run(ctx, node, c)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i+1, describe(step), err)
		}
		if n != nil {
			node = n
		}
	}
	return node, nil
}

// flatten lists the leaf steps of d, MultiStepDeployments expanded, and
// validates each.
func flatten(d Deployment) ([]Deployment, error) {
	var out []Deployment
	var walk func(Deployment) error
	walk = func(d Deployment) error {
		if d == nil || isNilPointer(d) {
			return errors.New("nil deployment step")
		}
		if m, ok := d.(*MultiStepDeployment); ok {
			for _, s := range m.Steps {
				if err := walk(s); err != nil {
					return err
				}
			}
			return nil
		}
		if v, ok := d.(validator); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
		out = append(out, d)
		return nil
	}
	if err := walk(d); err != nil {
		return nil, invalid(err)
	}
	return out, nil
}

func isNilPointer(d Deployment) bool {
	v := reflect.ValueOf(d)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
