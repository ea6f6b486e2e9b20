package deploy

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostKeyVerifier checks the node's host key under the chosen policy, and
// pins the first key it accepts: every later connection of the same
// deployment must present that same key.
type hostKeyVerifier struct {
	policy string
	check  ssh.HostKeyCallback
	// knownHosts is set for the known_hosts policy, to derive the host key
	// algorithms to ask for.
	knownHosts  ssh.HostKeyCallback
	acceptNew   bool
	knownFile   string
	fileMu      *sync.Mutex
	insecure    bool
	log         *slog.Logger
	mu          sync.Mutex
	pinned      ssh.PublicKey
	warnedOnce  bool
	fingerprint map[string]bool
}

// knownHostsWrites serialises appends to known_hosts files within the
// process, so concurrent deployments do not interleave lines.
var knownHostsWrites sync.Mutex

// newHostKeyVerifier builds the verifier from exactly one policy in o.
func newHostKeyVerifier(o *Options, log *slog.Logger) (*hostKeyVerifier, error) {
	v := &hostKeyVerifier{log: log}
	n := 0
	if o.KnownHostsFile != "" {
		n++
		cb, err := loadKnownHosts(o.KnownHostsFile, o.AcceptNewHostKey)
		if err != nil {
			return nil, invalid(fmt.Errorf("known_hosts: %w", err))
		}
		v.policy, v.check, v.knownHosts = "known_hosts", cb, cb
		v.acceptNew, v.knownFile, v.fileMu = o.AcceptNewHostKey, o.KnownHostsFile, &knownHostsWrites
	} else if o.AcceptNewHostKey {
		return nil, invalid(errors.New("AcceptNewHostKey needs KnownHostsFile"))
	}
	if len(o.HostKeyFingerprints) > 0 {
		n++
		v.policy = "fingerprint"
		v.fingerprint = make(map[string]bool)
		for _, fp := range o.HostKeyFingerprints {
			norm, err := normalizeFingerprint(fp)
			if err != nil {
				return nil, invalid(err)
			}
			v.fingerprint[norm] = true
		}
		v.check = v.checkFingerprint
	}
	if o.HostKeyCallback != nil {
		n++
		v.policy, v.check = "callback", o.HostKeyCallback
	}
	if o.InsecureIgnoreHostKey {
		n++
		v.policy, v.insecure = "insecure", true
		v.check = func(string, net.Addr, ssh.PublicKey) error { return nil }
	}
	switch {
	case n == 0:
		return nil, invalid(errors.New("no host key policy: set KnownHostsFile, HostKeyFingerprints, " +
			"HostKeyCallback, or (insecure) InsecureIgnoreHostKey"))
	case n > 1:
		return nil, invalid(errors.New("set only one of KnownHostsFile, HostKeyFingerprints, " +
			"HostKeyCallback, InsecureIgnoreHostKey"))
	}
	return v, nil
}

// loadKnownHosts reads the file; with acceptNew a missing file is an empty
// one (it is created on the first accepted key).
func loadKnownHosts(path string, acceptNew bool) (ssh.HostKeyCallback, error) {
	if _, err := os.Stat(path); acceptNew && errors.Is(err, os.ErrNotExist) {
		return knownhosts.New()
	}
	return knownhosts.New(path)
}

// normalizeFingerprint checks a "SHA256:<base64>" fingerprint and returns it
// in ssh.FingerprintSHA256's form (unpadded).
func normalizeFingerprint(fp string) (string, error) {
	fp = strings.TrimSpace(fp)
	b64, ok := strings.CutPrefix(fp, "SHA256:")
	if !ok {
		return "", fmt.Errorf("host key fingerprint %q: want the SHA256:<base64> form "+
			"(ssh-keygen -lf key.pub)", fp)
	}
	b64 = strings.TrimRight(b64, "=")
	sum, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(sum) != 32 {
		return "", fmt.Errorf("host key fingerprint %q: not a base64 SHA-256 digest", fp)
	}
	return "SHA256:" + b64, nil
}

func (v *hostKeyVerifier) checkFingerprint(_ string, _ net.Addr, key ssh.PublicKey) error {
	if v.fingerprint[ssh.FingerprintSHA256(key)] {
		return nil
	}
	return errors.New("fingerprint not among the pinned ones")
}

// callback is the ssh.HostKeyCallback of every connection of a deployment.
func (v *hostKeyVerifier) callback(hostname string, remote net.Addr, key ssh.PublicKey) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	fp := ssh.FingerprintSHA256(key)
	if v.pinned != nil {
		if bytes.Equal(v.pinned.Marshal(), key.Marshal()) {
			return nil
		}
		return fmt.Errorf("%w: %s presented %s %s, not the key %s it presented earlier in this deployment",
			ErrHostKey, hostname, key.Type(), fp, ssh.FingerprintSHA256(v.pinned))
	}
	if v.insecure && !v.warnedOnce {
		v.warnedOnce = true
		v.log.Warn("deploy: host key NOT verified (InsecureIgnoreHostKey)", "address", hostname,
			"key_type", key.Type(), "fingerprint", fp)
	}
	err := v.check(hostname, remote, key)
	var ke *knownhosts.KeyError
	if err != nil && v.acceptNew && errors.As(err, &ke) && len(ke.Want) == 0 {
		err = v.appendKnownHost(hostname, key)
		if err == nil {
			v.log.Info("deploy: new host key added to known_hosts", "address", hostname,
				"file", v.knownFile, "key_type", key.Type(), "fingerprint", fp)
		}
	}
	if err != nil {
		return fmt.Errorf("%w: %s presented %s %s (%s policy): %w", ErrHostKey, hostname, key.Type(), fp, v.policy, err)
	}
	v.pinned = key
	return nil
}

// appendKnownHost records the host's key in the known_hosts file, creating
// the file (0600) and its directory (0700) when missing, as OpenSSH does.
func (v *hostKeyVerifier) appendKnownHost(hostname string, key ssh.PublicKey) error {
	v.fileMu.Lock()
	defer v.fileMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(v.knownFile), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(v.knownFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(knownhosts.Line([]string{knownhosts.Normalize(hostname)}, key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// probeKey is a key no host has, used to ask a known_hosts database which
// keys it holds for an address.
var probeKey = sync.OnceValue(func() ssh.PublicKey {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil
	}
	k, _ := ssh.NewPublicKey(pub)
	return k
})

// algorithms returns the host key algorithms to negotiate with address:
// under the known_hosts policy, those of the keys the file lists for it, so
// the server presents a key the file can vouch for. Nil means the defaults.
func (v *hostKeyVerifier) algorithms(address string) []string {
	if v.knownHosts == nil || probeKey() == nil {
		return nil
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil
	}
	p, _ := strconv.Atoi(port)
	remote := &net.TCPAddr{IP: net.ParseIP(host), Port: p}
	var ke *knownhosts.KeyError
	if err := v.knownHosts(address, remote, probeKey()); !errors.As(err, &ke) || len(ke.Want) == 0 {
		return nil
	}
	var algos []string
	for _, k := range ke.Want {
		switch t := k.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			algos = append(algos, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			if strings.Contains(t, "-cert-") {
				return nil
			}
			algos = append(algos, t)
		}
	}
	return dedupe(algos)
}
