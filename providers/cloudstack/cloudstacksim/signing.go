package cloudstacksim

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// StringToSign returns the text the management server signs for a request
// whose decoded parameters are params (ApiServer.verifyRequest, reference
// §1.1): every parameter except "signature" (matched case-insensitively),
// sorted by name with case-sensitive ordering, each written as
// name=JavaURLEncode(value) with "+" turned into "%20", names unencoded,
// joined by "&", and the whole string lower-cased.
func StringToSign(params map[string]string) string {
	names := make([]string, 0, len(params))
	for name := range params {
		if strings.EqualFold(name, "signature") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(javaURLEncode(params[name]))
	}
	return strings.ToLower(b.String())
}

// Sign returns the signature of params under secretKey: standard Base64 of
// HMAC-SHA1(secretKey, StringToSign(params)).
func Sign(params map[string]string, secretKey string) string {
	mac := hmac.New(sha1.New, []byte(secretKey))
	mac.Write([]byte(StringToSign(params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignValues returns a copy of v completed the way a CloudStack client
// completes a request: apiKey and response=json are added (unless present)
// and the signature is computed over the result. Only the first value of each
// name is kept, as the server keeps only one.
func SignValues(v url.Values, apiKey, secretKey string) url.Values {
	params := make(map[string]string, len(v)+3)
	for name, vals := range v {
		if len(vals) > 0 {
			params[name] = vals[0]
		}
	}
	if _, ok := params["apiKey"]; !ok {
		params["apikey"] = apiKey
	}
	if _, ok := params["response"]; !ok {
		params["response"] = "json"
	}
	delete(params, "signature")
	out := make(url.Values, len(params)+1)
	for name, val := range params {
		out.Set(name, val)
	}
	out.Set("signature", Sign(params, secretKey))
	return out
}

// javaURLEncode encodes s as Java's URLEncoder.encode(s, "UTF-8") followed by
// replacing "+" with "%20": A-Z a-z 0-9 . - * _ stay, a space becomes %20,
// every other byte of the UTF-8 form becomes %XX (upper-case hex). Invalid
// UTF-8 is encoded as U+FFFD, as the servlet decodes it.
func javaURLEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
			i++
			continue
		case c == ' ':
			b.WriteString("%20")
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n := utf8.EncodeRune(buf[:], r) // RuneError encodes as U+FFFD
		for _, x := range buf[:n] {
			b.WriteByte('%')
			b.WriteByte(hex[x>>4])
			b.WriteByte(hex[x&15])
		}
		i += size
	}
	return b.String()
}

// expiresLayouts are the formats DateUtil.parseTZDateString accepts, in its
// order: ISO offset date-time / instant, yyyy-MM-dd'T'HH:mm:ssZ (with and
// without fractional seconds) and the legacy yyyy-MM-dd'T'HH:mm:ss'Z'Z.
var expiresLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05Z-0700",
}

// parseExpires parses an expires value in any format the server accepts.
func parseExpires(s string) (time.Time, bool) {
	for _, layout := range expiresLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// FormatExpires formats t as the expires value every server version accepts:
// yyyy-MM-ddTHH:mm:ss+0000 in UTC.
func FormatExpires(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }
