package csapi

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// ExpiresLayout is the form of the expires parameter: UTC with a literal
// "+0000" offset, which every CloudStack version accepts.
const ExpiresLayout = "2006-01-02T15:04:05+0000"

// Encode percent-encodes s as Java's URLEncoder.encode(s, "UTF-8") does,
// then writes spaces as %20, which is what the CloudStack server signs:
// A-Z a-z 0-9 . - * _ stay as they are, everything else (including ~ and +)
// becomes %XX of its UTF-8 bytes with upper-case hex.
func Encode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '*' || c == '_'
}

// sortedKeys returns the parameter names in Java String order (byte order
// for the ASCII names CloudStack uses), before any lower-casing.
func sortedKeys(params url.Values) []string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if strings.EqualFold(k, "signature") {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// StringToSign returns the canonical string the server verifies: every
// parameter but signature, sorted case-sensitively by name, each written
// name=Encode(value) with the name left unencoded, joined by &, and the
// whole string lower-cased. Only the first value of a name counts (the
// server keeps one value per name; never send duplicates).
func StringToSign(params url.Values) string { return string(appendStringToSign(nil, params)) }

// appendStringToSign appends the canonical string to b.
func appendStringToSign(b []byte, params url.Values) []byte {
	start := len(b)
	ascii := true
	for i, k := range sortedKeys(params) {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, k...)
		b = append(b, '=')
		if v := params[k]; len(v) > 0 {
			b = appendEncoded(b, v[0])
		}
	}
	for i := start; i < len(b); i++ {
		switch c := b[i]; {
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c >= 0x80:
			ascii = false // a non-ASCII name: lower-case it as Java does
		}
	}
	if !ascii {
		return append(b[:start], strings.ToLower(string(b[start:]))...)
	}
	return b
}

// appendEncoded appends Encode(s) to b.
func appendEncoded(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return b
}

// Signature returns the Base64 HMAC-SHA1 of StringToSign(params) keyed with
// the secret key.
func Signature(params url.Values, secret string) string {
	return sign(hmac.New(sha1.New, []byte(secret)), params)
}

func sign(mac hash.Hash, params url.Values) string {
	mac.Reset()
	mac.Write(appendStringToSign(make([]byte, 0, 512), params))
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))
}

// Signer signs requests with an API key pair.
type Signer struct {
	// APIKey is sent as the apikey parameter.
	APIKey string
	// SecretKey keys the HMAC; it never leaves the process.
	SecretKey string
	// Legacy turns off signatureversion=3 and expires, for servers older
	// than CloudStack 4.x that do not know them.
	Legacy bool
	// Lifetime is how far in the future expires is set; default 10 minutes.
	Lifetime time.Duration
	// Now returns the current time; default time.Now.
	Now func() time.Time

	macs sync.Pool // HMAC states keyed with SecretKey
}

// Sign sets apikey, response=json, signatureversion and expires (unless
// Legacy) and signature on params, replacing earlier values, so a request
// can be signed again before a retry.
func (s *Signer) Sign(params url.Values) {
	params.Set("apikey", s.APIKey)
	params.Set("response", "json")
	params.Del("signature")
	if s.Legacy {
		params.Del("signatureversion")
		params.Del("expires")
	} else {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		life := s.Lifetime
		if life <= 0 {
			life = 10 * time.Minute
		}
		params.Set("signatureversion", "3")
		params.Set("expires", now().UTC().Add(life).Format(ExpiresLayout))
	}
	mac, _ := s.macs.Get().(hash.Hash)
	if mac == nil {
		mac = hmac.New(sha1.New, []byte(s.SecretKey))
	}
	params.Set("signature", sign(mac, params))
	s.macs.Put(mac)
}

// EncodeParams writes params as a query string or form body, names and
// values encoded with Encode, in sorted order (deterministic, and
// decodable by any server).
func EncodeParams(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range params[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(Encode(k))
			b.WriteByte('=')
			b.WriteString(Encode(v))
		}
	}
	return b.String()
}
