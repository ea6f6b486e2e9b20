package deploy_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/goclouds/goclouds/compute/deploy"
	"github.com/goclouds/goclouds/compute/deploy/sshtest"
)

// assertHostKeyRefused checks that the deployment failed on the host key at
// once: no command ran and the node was destroyed.
func assertHostKeyRefused(t *testing.T, e *env, err error) {
	t.Helper()
	de := deploymentError(t, err)
	if !errors.Is(err, deploy.ErrHostKey) || de.Phase != deploy.PhaseConnect {
		t.Fatalf("err = %v, want a host key failure in the connect phase", err)
	}
	if errors.Is(err, deploy.ErrConnect) {
		t.Errorf("a host key failure was retried until the connect timeout: %v", err)
	}
	if !de.Destroyed || len(e.nodes()) != 0 {
		t.Errorf("node not destroyed: %v", e.nodes())
	}
	if len(e.srv.Execs()) != 0 {
		t.Errorf("commands ran on an unverified host: %+v", e.srv.Execs())
	}
}

func TestWrongPinnedFingerprintIsFatal(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	o.HostKeyFingerprints = []string{ssh.FingerprintSHA256(sshtest.NewSigner(t).PublicKey())}
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
	assertHostKeyRefused(t, e, err)
	if !strings.Contains(err.Error(), e.srv.Fingerprint()) {
		t.Errorf("error does not name the presented key: %v", err)
	}
}

func TestPinnedFingerprintAmongSeveral(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	// OpenSSH prints fingerprints unpadded; a padded one is accepted too.
	o.HostKeyFingerprints = []string{ssh.FingerprintSHA256(sshtest.NewSigner(t).PublicKey()), e.srv.Fingerprint() + "="}
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
		t.Fatal(err)
	}
}

func writeKnownHosts(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKnownHosts(t *testing.T) {
	other := sshtest.NewSigner(t)
	t.Run("listed key", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = writeKnownHosts(t, "# comment", e.srv.KnownHostsLine())
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("listed Ed25519 key, server also has RSA", func(t *testing.T) {
		// The client must ask for the algorithm the file knows, or the
		// server presents its RSA key (which Go prefers) and the check
		// fails.
		e := newEnv(t, sshtest.Options{ExtraHostKeys: []ssh.Signer{sshtest.NewRSASigner(t)}})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = writeKnownHosts(t, e.srv.KnownHostsLine())
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("other key for the address", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{knownhosts.Normalize(e.srv.Addr())}, other.PublicKey()))
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		assertHostKeyRefused(t, e, err)
	})
	t.Run("unknown host", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{"192.0.2.1"}, other.PublicKey()))
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		assertHostKeyRefused(t, e, err)
	})
	t.Run("accept new records the key", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = filepath.Join(t.TempDir(), ".ssh", "known_hosts") // missing, as its directory: created
		o.AcceptNewHostKey = true
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(o.KnownHostsFile)
		if err != nil || strings.TrimSpace(string(b)) != e.srv.KnownHostsLine() {
			t.Fatalf("known_hosts = %q, %v; want %q", b, err, e.srv.KnownHostsLine())
		}
		// The recorded key now verifies the host without AcceptNewHostKey.
		o.AcceptNewHostKey = false
		e.req.Name = "web-2"
		if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accept new still refuses a changed key", func(t *testing.T) {
		e := newEnv(t, sshtest.Options{})
		o := e.opts()
		o.HostKeyFingerprints = nil
		o.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{knownhosts.Normalize(e.srv.Addr())}, other.PublicKey()))
		o.AcceptNewHostKey = true
		_, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o)
		assertHostKeyRefused(t, e, err)
		var ke *knownhosts.KeyError
		if !errors.As(err, &ke) || len(ke.Want) != 1 {
			t.Errorf("err = %v, want the knownhosts.KeyError listing the known key", err)
		}
	})
}

func TestCustomHostKeyCallbackAndInsecure(t *testing.T) {
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	o.HostKeyFingerprints = nil
	var seen []string
	o.HostKeyCallback = func(host string, _ net.Addr, key ssh.PublicKey) error {
		seen = append(seen, host+" "+ssh.FingerprintSHA256(key))
		return nil
	}
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != e.srv.Addr()+" "+e.srv.Fingerprint() {
		t.Errorf("callback saw %v", seen)
	}

	o = e.opts()
	o.HostKeyFingerprints = nil
	o.InsecureIgnoreHostKey = true
	e.req.Name = "web-2"
	if _, err := deploy.DeployNode(context.Background(), e.drv, e.req, &deploy.ScriptDeployment{Script: "true"}, o); err != nil {
		t.Fatal(err)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "NOT verified") {
		t.Errorf("skipping host key verification was not logged as a warning:\n%s", logs)
	}
}

func TestHostKeyPinnedAcrossReconnects(t *testing.T) {
	// The first connection is verified by the callback; after the
	// connection drops, the deployment must reach the same key again,
	// even under the insecure policy.
	e := newEnv(t, sshtest.Options{})
	o := e.opts()
	o.HostKeyFingerprints = nil
	o.InsecureIgnoreHostKey = true
	swap := &stepFunc{name: "swap the host key", run: func(ctx context.Context, c deploy.Client) error {
		// Another machine answers at the node's address from now on.
		e.srv.SetHostKey(sshtest.NewSigner(t))
		e.srv.DropAll()
		_, err := c.Run(ctx, "true", nil)
		return err
	}}
	_, err := deploy.DeployNode(context.Background(), e.drv, e.req, swap, o)
	if !errors.Is(err, deploy.ErrHostKey) {
		t.Fatalf("err = %v, want ErrHostKey on the reconnect", err)
	}
	if !strings.Contains(err.Error(), "earlier in this deployment") {
		t.Errorf("error does not explain: %v", err)
	}
}
