package openstacksim

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// keypair is a Nova key pair, owned by a user.
type keypair struct {
	Seq                                        int
	Name, UserID, PublicKey, Type, Fingerprint string
	Created                                    time.Time
}

// keypairName is the names Nova accepts (2.92 adds '@' and '.').
var (
	keypairName    = regexp.MustCompile(`^[a-zA-Z0-9 _-]+$`)
	keypairName292 = regexp.MustCompile(`^[a-zA-Z0-9 @._-]+$`)
)

// fingerprint returns the MD5 colon-hex fingerprint of an OpenSSH public key.
func fingerprint(publicKey string) (string, bool) {
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(publicKey))
	if err != nil {
		return "", false
	}
	sum := md5.Sum(pk.Marshal())
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":"), true
}

// keypairOwner returns the user whose key pairs c addresses: the caller,
// or (admin, 2.10+) the user_id query parameter.
func (c *call) keypairOwner() string {
	if uid := c.query("user_id"); uid != "" && c.isAdmin() && c.mv.atLeast(2, 10) {
		return uid
	}
	return c.tok.User.ID
}

func (st *state) keypair(userID, name string) *keypair {
	for _, k := range st.keypairs {
		if k.UserID == userID && k.Name == name {
			return k
		}
	}
	return nil
}

func (c *call) keypairSummary(k *keypair) map[string]any {
	b := map[string]any{"name": k.Name, "public_key": k.PublicKey, "fingerprint": k.Fingerprint}
	if c.mv.atLeast(2, 2) {
		b["type"] = k.Type
	}
	return b
}

func (s *Server) listKeypairs(c *call) (int, any, *apiError) {
	uid := c.keypairOwner()
	ks := filter(s.state.keypairs, func(k *keypair) bool { return k.UserID == uid })
	limit := 0
	marker := ""
	if c.mv.atLeast(2, 35) {
		var e *apiError
		if limit, e = c.limitParam(); e != nil {
			return 0, nil, e
		}
		marker = c.query("marker")
	}
	page, more, ok := paginate(ks, func(k *keypair) string { return k.Name }, marker, limit)
	if !ok {
		return 0, nil, badRequest("marker [" + marker + "] not found")
	}
	out := []any{}
	for _, k := range page {
		out = append(out, map[string]any{"keypair": c.keypairSummary(k)})
	}
	body := map[string]any{"keypairs": out}
	if more {
		body["keypairs_links"] = c.nextLink("os-keypairs", page[len(page)-1].Name, limit)
	}
	return http.StatusOK, body, nil
}

func (s *Server) getKeypair(c *call) (int, any, *apiError) {
	uid := c.keypairOwner()
	k := s.state.keypair(uid, c.r.PathValue("name"))
	if k == nil {
		return 0, nil, notFound(fmt.Sprintf("Keypair %s not found for user %s", c.r.PathValue("name"), uid))
	}
	b := c.keypairSummary(k)
	b["user_id"], b["deleted"], b["created_at"] = k.UserID, false, microTime(k.Created)
	b["updated_at"], b["deleted_at"], b["id"] = nil, nil, k.Seq
	return http.StatusOK, map[string]any{"keypair": b}, nil
}

func (s *Server) createKeypair(c *call) (int, any, *apiError) {
	var req struct {
		Keypair *struct {
			Name      *string `json:"name"`
			PublicKey *string `json:"public_key"`
			Type      string  `json:"type"`
			UserID    string  `json:"user_id"`
		} `json:"keypair"`
	}
	if e := c.decode(&req); e != nil {
		return 0, nil, e
	}
	if req.Keypair == nil || req.Keypair.Name == nil {
		return 0, nil, badRequest("Invalid input for field/attribute keypair. Value: None. 'name' is a required property")
	}
	kp := req.Keypair
	name := *kp.Name
	valid := keypairName
	if c.mv.atLeast(2, 92) {
		valid = keypairName292
	}
	if len(name) == 0 || len(name) > 255 || !valid.MatchString(name) {
		return 0, nil, badRequest(fmt.Sprintf("Invalid input for field/attribute name. Value: %s. '%s' does not match '%s'", name, name, valid))
	}
	if c.mv.atLeast(2, 92) && kp.PublicKey == nil {
		return 0, nil, badRequest("Invalid input for field/attribute keypair. Value: {'name': '" + name + "'}. 'public_key' is a required property")
	}
	typ := "ssh"
	if kp.Type != "" {
		if !c.mv.atLeast(2, 2) || (kp.Type != "ssh" && kp.Type != "x509") {
			return 0, nil, badRequest("Invalid input for field/attribute type. Value: " + kp.Type + ". 'type' is not one of ['ssh', 'x509']")
		}
		typ = kp.Type
	}
	uid := c.tok.User.ID
	if kp.UserID != "" && c.mv.atLeast(2, 10) {
		if !c.isAdmin() && kp.UserID != uid {
			return 0, nil, forbidden("Policy doesn't allow os_compute_api:os-keypairs:create to be performed.")
		}
		uid = kp.UserID
	}
	if s.state.keypair(uid, name) != nil {
		return 0, nil, conflict(fmt.Sprintf("Key pair '%s' already exists.", name))
	}
	k := &keypair{Name: name, UserID: uid, Type: typ, Created: c.now()}
	body := map[string]any{}
	if kp.PublicKey != nil {
		k.PublicKey = strings.TrimSpace(*kp.PublicKey)
	} else {
		priv, pub, err := generateKey(s.opts.KeyBits)
		if err != nil {
			return 0, nil, &apiError{status: 500, msg: err.Error()}
		}
		k.PublicKey = pub
		body["private_key"] = priv
	}
	fp, ok := fingerprint(k.PublicKey)
	if !ok {
		return 0, nil, badRequest("Keypair data is invalid: failed to generate fingerprint")
	}
	k.Fingerprint = fp
	s.state.seq++
	k.Seq = s.state.seq
	s.state.keypairs = append(s.state.keypairs, k)
	for key, v := range c.keypairSummary(k) {
		body[key] = v
	}
	body["user_id"] = uid
	status := http.StatusOK
	if c.mv.atLeast(2, 2) {
		status = http.StatusCreated
	}
	return status, map[string]any{"keypair": body}, nil
}

// generateKey makes an RSA key pair: the PEM private key and the OpenSSH
// public key with Nova's "Generated-by-Nova" comment.
func generateKey(bits int) (string, string, error) {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return "", "", err
	}
	pub, err := ssh.NewPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", err
	}
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return string(priv), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " Generated-by-Nova", nil
}

func (s *Server) deleteKeypair(c *call) (int, any, *apiError) {
	uid := c.keypairOwner()
	name := c.r.PathValue("name")
	for i, k := range s.state.keypairs {
		if k.UserID == uid && k.Name == name {
			s.state.keypairs = append(s.state.keypairs[:i], s.state.keypairs[i+1:]...)
			if c.mv.atLeast(2, 2) {
				return http.StatusNoContent, nil, nil
			}
			return http.StatusAccepted, nil, nil
		}
	}
	return 0, nil, notFound(fmt.Sprintf("Keypair %s not found for user %s", name, uid))
}
