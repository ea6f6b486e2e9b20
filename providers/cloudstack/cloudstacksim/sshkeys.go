package cloudstacksim

import (
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
)

// sshKeyPair is a registered or created SSH key pair.
type sshKeyPair struct {
	base
	owned
	name        string
	publicText  string // OpenSSH authorized_keys line
	fingerprint string
	publicKey   crypto.PublicKey // *rsa.PublicKey for RSA keys, else nil
}

// sshKeyPairView is the sshkeypair / keypair response object.
type sshKeyPairView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	PrivateKey  string `json:"privatekey,omitempty"`
	ownerFields
	HasAnnotations bool `json:"hasannotations"`
}

func viewKeyPair(k *sshKeyPair) sshKeyPairView {
	return sshKeyPairView{ID: k.id, Name: k.name, Fingerprint: k.fingerprint, ownerFields: ownerView(k.acct)}
}

func init() {
	register(
		cmdDef{Name: "createSSHKeyPair", Handler: createSSHKeyPair, ItemKey: "keypair"},
		cmdDef{Name: "registerSSHKeyPair", Handler: registerSSHKeyPair, ItemKey: "keypair"},
		cmdDef{Name: "listSSHKeyPairs", ReadOnly: true, IDKind: kindSSHKeyPair, Handler: listSSHKeyPairs, ItemKey: "sshkeypair"},
		cmdDef{Name: "deleteSSHKeyPair", Handler: deleteSSHKeyPair, ItemKey: "(success)"},
	)
}

// findKeyPair returns owner's key pair named name.
func (st *state) findKeyPair(owner *account, name string) *sshKeyPair {
	for _, k := range st.sshKeyPairs.list {
		if k.acct == owner && k.name == name {
			return k
		}
	}
	return nil
}

// newKeyPairOwner returns the owner and name of a key pair to create,
// which must be a new name for the owner.
func (c *call) newKeyPairOwner() (*account, string, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, "", err
	}
	name := c.str0("name")
	if c.st.findKeyPair(owner, name) != nil {
		return nil, "", invalidParam("A key pair with name '%s' already exists for this account.", name)
	}
	return owner, name, nil
}

func createSSHKeyPair(c *call) (reply, error) {
	owner, name, err := c.newKeyPairOwner()
	if err != nil {
		return nil, err
	}
	bits := c.s.opts.SSHKeyBits
	if bits == 0 {
		bits = 2048
	}
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, internalError("Failed to generate key pair: %v", err)
	}
	blob := sshRSABlob(&priv.PublicKey)
	k := &sshKeyPair{base: c.st.newBase(), owned: owned{acct: owner}, name: name,
		publicText:  "ssh-rsa " + base64.StdEncoding.EncodeToString(blob),
		fingerprint: md5Fingerprint(blob), publicKey: &priv.PublicKey}
	c.st.sshKeyPairs.insert(k)
	v := viewKeyPair(k)
	v.PrivateKey = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)}))
	return objReply{"keypair", v}, nil
}

func registerSSHKeyPair(c *call) (reply, error) {
	owner, name, err := c.newKeyPairOwner()
	if err != nil {
		return nil, err
	}
	text, blob, pub, ok := parseAuthorizedKey(c.str0("publickey"))
	if !ok {
		return nil, invalidParam("Public key is invalid")
	}
	fp := md5Fingerprint(blob)
	for _, k := range c.st.sshKeyPairs.list {
		if k.acct == owner && k.fingerprint == fp {
			return nil, invalidParam("A key pair with key '%s' already exists for this account.", text)
		}
	}
	k := &sshKeyPair{base: c.st.newBase(), owned: owned{acct: owner}, name: name, publicText: text,
		fingerprint: fp, publicKey: pub}
	c.st.sshKeyPairs.insert(k)
	return objReply{"keypair", viewKeyPair(k)}, nil
}

func listSSHKeyPairs(c *call) (reply, error) {
	lf, err := newListFilter[*sshKeyPair](c)
	if err != nil {
		return nil, err
	}
	name, hasName := c.str("name")
	fp, hasFP := c.str("fingerprint")
	keyword, hasKeyword := c.str("keyword")
	keep := func(k *sshKeyPair) bool {
		switch {
		case lf.drops(k, k.acct),
			hasName && k.name != name,
			hasFP && k.fingerprint != fp,
			hasKeyword && !keywordMatch(keyword, k.name):
			return false
		}
		return true
	}
	return listItems(c, "sshkeypair", c.st.sshKeyPairs.list, keep, func(k *sshKeyPair) any { return viewKeyPair(k) }), nil
}

func deleteSSHKeyPair(c *call) (reply, error) {
	owner, err := c.owner()
	if err != nil {
		return nil, err
	}
	name := c.str0("name")
	k := c.st.findKeyPair(owner, name)
	if k == nil {
		return nil, invalidParam("A key pair with name '%s' does not exist for account %s in specified domain id", name, owner.name)
	}
	c.st.sshKeyPairs.remove(k.id)
	return successReply{}, nil
}

// sshRSABlob returns the SSH wire encoding of an RSA public key.
func sshRSABlob(pub *rsa.PublicKey) []byte {
	var b bytes.Buffer
	writeSSHString(&b, []byte("ssh-rsa"))
	writeSSHString(&b, mpint(big.NewInt(int64(pub.E))))
	writeSSHString(&b, mpint(pub.N))
	return b.Bytes()
}

func writeSSHString(b *bytes.Buffer, s []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(s)))
	b.Write(n[:])
	b.Write(s)
}

// mpint encodes a positive integer as an SSH mpint body.
func mpint(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return b
}

// md5Fingerprint is the colon-separated MD5 of a public key blob, the
// fingerprint CloudStack reports.
func md5Fingerprint(blob []byte) string {
	sum := md5.Sum(blob)
	parts := make([]string, len(sum))
	for i, x := range sum {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// parseAuthorizedKey parses an OpenSSH public key line ("type base64
// [comment]"), checking that the blob names the same type. It returns the
// normalised text, the blob and, for RSA keys, the public key.
func parseAuthorizedKey(line string) (string, []byte, crypto.PublicKey, bool) {
	fields := strings.Fields(strings.TrimSpace(line))
	if len(fields) < 2 {
		return "", nil, nil, false
	}
	blob, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return "", nil, nil, false
	}
	parts, ok := readSSHStrings(blob)
	if !ok || len(parts) == 0 || string(parts[0]) != fields[0] {
		return "", nil, nil, false
	}
	var pub crypto.PublicKey
	switch fields[0] {
	case "ssh-rsa":
		if len(parts) != 3 {
			return "", nil, nil, false
		}
		e, n := new(big.Int).SetBytes(parts[1]), new(big.Int).SetBytes(parts[2])
		if !e.IsInt64() || n.BitLen() < 512 {
			return "", nil, nil, false
		}
		pub = &rsa.PublicKey{N: n, E: int(e.Int64())}
	case "ssh-ed25519":
		if len(parts) != 2 || len(parts[1]) != 32 {
			return "", nil, nil, false
		}
	case "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
	default:
		return "", nil, nil, false
	}
	return strings.Join(fields, " "), blob, pub, true
}

// readSSHStrings splits an SSH wire blob into its length-prefixed strings.
func readSSHStrings(b []byte) ([][]byte, bool) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, false
		}
		n := binary.BigEndian.Uint32(b)
		b = b[4:]
		if uint64(n) > uint64(len(b)) {
			return nil, false
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out, true
}
