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
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return string(appendEncoded(make([]byte, 0, len(s)+8), s))
		}
	}
	return s
}

const upperHex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '*' || c == '_'
}

// appendEncoded appends Encode(s) to b.
func appendEncoded[S string | []byte](b []byte, s S) []byte {
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

// param is one request parameter: a name and one value.
type param struct{ name, value string }

// sortParams sorts ps by name in Java String order (byte order for the
// ASCII names CloudStack uses), keeping the order of equal names.
func sortParams(ps []param) {
	slices.SortStableFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
}

// paramsOf returns params as sorted parameters: with first, one per name
// (its first value, or "" when it has none), as the server keeps them;
// otherwise one per value.
func paramsOf(params url.Values, first bool) []param {
	ps := make([]param, 0, len(params))
	for k, vs := range params {
		switch {
		case len(vs) == 0 && first:
			ps = append(ps, param{k, ""})
		case first:
			ps = append(ps, param{k, vs[0]})
		default:
			for _, v := range vs {
				ps = append(ps, param{k, v})
			}
		}
	}
	sortParams(ps)
	return ps
}

// isSignature reports whether name is the signature parameter, which is
// never signed.
func isSignature(name string) bool { return strings.EqualFold(name, "signature") }

// StringToSign returns the canonical string the server verifies: every
// parameter but signature, sorted case-sensitively by name, each written
// name=Encode(value) with the name left unencoded, joined by &, and the
// whole string lower-cased. Only the first value of a name counts (the
// server keeps one value per name; never send duplicates).
func StringToSign(params url.Values) string {
	return string(appendStringToSign(nil, paramsOf(params, true)))
}

// appendStringToSign appends the canonical string of the sorted ps to b.
func appendStringToSign(b []byte, ps []param) []byte {
	start := len(b)
	ascii := true
	for _, p := range ps {
		if isSignature(p.name) {
			continue
		}
		if len(b) > start {
			b = append(b, '&')
		}
		b = append(b, p.name...)
		b = append(b, '=')
		b = appendEncoded(b, p.value)
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

// appendQuery appends the sorted ps to b as a query string or form body,
// names and values encoded with Encode. A non-nil signature is written as
// the signature parameter at its place in name order. With redact, the
// values of secret parameters (IsSecretParam) are written as REDACTED.
func appendQuery(b []byte, ps []param, signature []byte, redact bool) []byte {
	start := len(b)
	sep := func() {
		if len(b) > start {
			b = append(b, '&')
		}
	}
	for _, p := range ps {
		if signature != nil && p.name > "signature" {
			sep()
			b = append(b, "signature="...)
			b = appendEncoded(b, signature)
			signature = nil
		}
		sep()
		b = appendEncoded(b, p.name)
		b = append(b, '=')
		if redact && IsSecretParam(p.name) {
			b = append(b, "REDACTED"...)
		} else {
			b = appendEncoded(b, p.value)
		}
	}
	if signature != nil {
		sep()
		b = append(b, "signature="...)
		b = appendEncoded(b, signature)
	}
	return b
}

// scratch holds byte buffers for building canonical strings and queries.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// macState is an HMAC keyed with a secret, with room for its sum.
type macState struct {
	mac hash.Hash
	sum [sha1.Size]byte
}

// signatureLen is the length of a Base64 HMAC-SHA1.
const signatureLen = 28

// appendSignature appends the Base64 HMAC-SHA1 of msg to dst.
func (m *macState) appendSignature(dst []byte, msg []byte) []byte {
	m.mac.Reset()
	m.mac.Write(msg)
	return base64.StdEncoding.AppendEncode(dst, m.mac.Sum(m.sum[:0]))
}

func newMAC(secret string) *macState { return &macState{mac: hmac.New(sha1.New, []byte(secret))} }

// Signature returns the Base64 HMAC-SHA1 of StringToSign(params) keyed with
// the secret key.
func Signature(params url.Values, secret string) string {
	var sig [signatureLen]byte
	return string(newMAC(secret).appendSignature(sig[:0], appendStringToSign(nil, paramsOf(params, true))))
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

	macs sync.Pool // of *macState keyed with SecretKey
}

// owns reports whether the signer sets the parameter name, replacing any
// value the caller gave.
func (s *Signer) owns(name string) bool {
	switch name {
	case "apikey", "response", "signatureversion", "expires":
		return true
	}
	return isSignature(name)
}

// expires returns the expires value for a request signed now.
func (s *Signer) expires() string {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	life := s.Lifetime
	if life <= 0 {
		life = 10 * time.Minute
	}
	var b [len(ExpiresLayout)]byte
	return string(now().UTC().Add(life).AppendFormat(b[:0], ExpiresLayout))
}

// ownParams appends the parameters the signer sets, expires last (its
// value is set at each signing).
func (s *Signer) ownParams(ps []param) []param {
	ps = append(ps, param{"apikey", s.APIKey}, param{"response", "json"})
	if !s.Legacy {
		ps = append(ps, param{"signatureversion", "3"}, param{"expires", ""})
	}
	return ps
}

// appendSignature appends the Base64 signature of the sorted ps to dst,
// using buf as scratch space, and returns both.
func (s *Signer) appendSignature(dst, buf []byte, ps []param) ([]byte, []byte) {
	buf = appendStringToSign(buf[:0], ps)
	m, _ := s.macs.Get().(*macState)
	if m == nil {
		m = newMAC(s.SecretKey)
	}
	dst = m.appendSignature(dst, buf)
	s.macs.Put(m)
	return dst, buf
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
		params.Set("signatureversion", "3")
		params.Set("expires", s.expires())
	}
	var sig [signatureLen]byte
	sum, _ := s.appendSignature(sig[:0], nil, paramsOf(params, true))
	params.Set("signature", string(sum))
}

// EncodeParams writes params as a query string or form body, names and
// values encoded with Encode, in sorted order (deterministic, and
// decodable by any server).
func EncodeParams(params url.Values) string {
	return string(appendQuery(nil, paramsOf(params, false), nil, false))
}
