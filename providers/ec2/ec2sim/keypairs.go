package ec2sim

import (
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// keyPair is a registered SSH key pair.
type keyPair struct {
	id, name, keyType, fingerprint, publicKey string
	created                                   time.Time
}

func init() {
	register(map[string]handler{"CreateKeyPair": createKeyPair, "ImportKeyPair": importKeyPair,
		"DescribeKeyPairs": describeKeyPairs, "DeleteKeyPair": deleteKeyPair})
}

// colonHex formats a digest as EC2 shows RSA fingerprints: "1f:51:ae:...".
func colonHex(sum []byte) string {
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

// ed25519Fingerprint is the base64 SHA-256 of the OpenSSH public key blob.
func ed25519Fingerprint(pub ssh.PublicKey) string {
	sum := sha256.Sum256(pub.Marshal())
	return base64.StdEncoding.EncodeToString(sum[:])
}

func checkKeyName(c *call, name string) error {
	if name == "" || len(name) > 255 {
		return errorf(CodeInvalidParameterValue, "Value (%s) for parameter keyName is invalid. Length exceeds maximum of 255.", name)
	}
	if c.st.keyPairs[name] != nil {
		return errorf("InvalidKeyPair.Duplicate", "The keypair already exists")
	}
	return nil
}

func createKeyPair(c *call) (M, error) {
	name := c.in.str("KeyName")
	if err := checkKeyName(c, name); err != nil {
		return nil, err
	}
	if f := or(c.in.str("KeyFormat"), "pem"); f != "pem" {
		return nil, errorf(CodeInvalidParameterValue, "The key format '%s' is not supported by the goclouds EC2 simulator: use pem", f)
	}
	kp := &keyPair{name: name, keyType: or(c.in.str("KeyType"), "rsa"), created: c.now}
	var material string
	switch kp.keyType {
	case "rsa":
		key, err := rsa.GenerateKey(rand.Reader, c.s.keyBits)
		if err != nil {
			return nil, internalError()
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, internalError()
		}
		sum := sha1.Sum(der)
		kp.fingerprint = colonHex(sum[:])
		material = strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})))
		pub, _ := ssh.NewPublicKey(&key.PublicKey)
		kp.publicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	case "ed25519":
		pubKey, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, internalError()
		}
		block, err := ssh.MarshalPrivateKey(priv, "")
		if err != nil {
			return nil, internalError()
		}
		material = strings.TrimSpace(string(pem.EncodeToMemory(block)))
		pub, _ := ssh.NewPublicKey(pubKey)
		kp.fingerprint = ed25519Fingerprint(pub)
		kp.publicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	default:
		return nil, errorf(CodeInvalidParameterValue, "Value (%s) for parameter keyType is invalid. Valid values are rsa and ed25519.", kp.keyType)
	}
	kp.id = c.st.newID("key", c.now)
	c.st.keyPairs[name] = kp
	c.st.setTags(kp.id, c.in.tagSpecs("key-pair"))
	return M{"KeyName": name, "KeyFingerprint": kp.fingerprint, "KeyMaterial": material, "KeyPairId": kp.id,
		"Tags": c.st.tagList(kp.id)}, nil
}

func importKeyPair(c *call) (M, error) {
	name := c.in.str("KeyName")
	if err := checkKeyName(c, name); err != nil {
		return nil, err
	}
	raw, _ := c.in["PublicKeyMaterial"].([]byte)
	pub, _, _, _, err := ssh.ParseAuthorizedKey(raw)
	if err != nil {
		return nil, errorf("InvalidKey.Format", "Key is not in valid OpenSSH public key format")
	}
	kp := &keyPair{name: name, created: c.now, publicKey: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))}
	switch pub.Type() {
	case ssh.KeyAlgoRSA:
		ck, ok := pub.(ssh.CryptoPublicKey)
		if !ok {
			return nil, errorf("InvalidKey.Format", "Key is not in valid OpenSSH public key format")
		}
		der, err := x509.MarshalPKIXPublicKey(ck.CryptoPublicKey())
		if err != nil {
			return nil, errorf("InvalidKey.Format", "Key is not in valid OpenSSH public key format")
		}
		sum := md5.Sum(der)
		kp.keyType, kp.fingerprint = "rsa", colonHex(sum[:])
	case ssh.KeyAlgoED25519:
		kp.keyType, kp.fingerprint = "ed25519", ed25519Fingerprint(pub)
	default:
		return nil, errorf("InvalidKey.Format", "Key is not in valid OpenSSH public key format: only RSA and ED25519 keys are supported")
	}
	kp.id = c.st.newID("key", c.now)
	c.st.keyPairs[name] = kp
	c.st.setTags(kp.id, c.in.tagSpecs("key-pair"))
	return M{"KeyName": name, "KeyFingerprint": kp.fingerprint, "KeyPairId": kp.id, "Tags": c.st.tagList(kp.id)}, nil
}

func (kp *keyPair) fields(name string) ([]string, bool) {
	switch name {
	case "key-name":
		return []string{kp.name}, true
	case "key-pair-id":
		return []string{kp.id}, true
	case "fingerprint":
		return []string{kp.fingerprint}, true
	case "key-type":
		return []string{kp.keyType}, true
	}
	return nil, false
}

func describeKeyPairs(c *call) (M, error) {
	fs := c.in.filters()
	if err := checkFilters(fs, (&keyPair{}).fields); err != nil {
		return nil, err
	}
	names, ids := c.in.strs("KeyNames"), c.in.strs("KeyPairIds")
	for _, n := range names {
		if c.st.keyPairs[n] == nil {
			return nil, errorf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", n)
		}
	}
	byID := map[string]*keyPair{}
	for _, kp := range c.st.keyPairs {
		byID[kp.id] = kp
	}
	for _, id := range ids {
		if byID[id] == nil {
			return nil, errorf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", id)
		}
	}
	withPub, _ := c.in.boolean("IncludePublicKey")
	var out []M
	for _, id := range sortedIDs(c.st, byID) {
		kp := byID[id]
		if len(names)+len(ids) > 0 && !contains(names, kp.name) && !contains(ids, kp.id) {
			continue
		}
		if !matches(fs, kp.fields, c.st.tags[kp.id]) {
			continue
		}
		m := M{"KeyPairId": kp.id, "KeyName": kp.name, "KeyFingerprint": kp.fingerprint, "KeyType": kp.keyType,
			"CreateTime": kp.created, "Tags": c.st.tagList(kp.id)}
		if withPub {
			m["PublicKey"] = kp.publicKey
		}
		out = append(out, m)
	}
	return M{"KeyPairs": out}, nil
}

func deleteKeyPair(c *call) (M, error) {
	name, id := c.in.str("KeyName"), c.in.str("KeyPairId")
	if name == "" && id == "" {
		return nil, missingParameter("KeyName")
	}
	for n, kp := range c.st.keyPairs {
		if n == name || kp.id == id {
			delete(c.st.keyPairs, n)
			c.st.forget(kp.id)
		}
	}
	// EC2 answers success for a key pair that does not exist.
	return M{}, nil
}
