package ec2sim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// principal is a set of credentials the simulator accepts.
type principal struct {
	accessKey, secretKey string
	// readOnly principals may only call Describe*, Get* and List* actions;
	// other actions answer UnauthorizedOperation.
	readOnly bool
}

// signedRequest is what authentication needs of a request.
type signedRequest struct {
	r      *http.Request
	body   []byte
	params map[string]string
}

// authenticate verifies the request's SigV4 (Authorization header) or SigV2
// (Signature parameter) signature and returns its principal.
func (s *Server) authenticate(req *signedRequest) (*principal, *Error) {
	if auth := req.r.Header.Get("Authorization"); auth != "" {
		return s.verifyV4(req, auth)
	}
	if req.params["X-Amz-Signature"] != "" {
		return nil, errorf(CodeAuthFailure, "Pre-signed requests are not supported by the goclouds EC2 simulator")
	}
	if req.params["Signature"] != "" || req.params["AWSAccessKeyId"] != "" {
		return s.verifyV2(req)
	}
	return nil, &Error{Status: http.StatusUnauthorized, Code: CodeMissingAuthenticationToken,
		Message: "Request must contain either a valid (registered) AWS access key ID or X.509 certificate."}
}

func (s *Server) principalFor(accessKey string) *principal {
	for i := range s.principals {
		if s.principals[i].accessKey == accessKey {
			return &s.principals[i]
		}
	}
	return nil
}

// verifyV4 checks an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." header as EC2 does: it computes the signature over exactly
// the headers the client lists in SignedHeaders, whichever they are. One
// check serves every client: aws-sdk-go-v2, botocore and awscli leave
// User-Agent out of their signatures, Libcloud signs every header it sends,
// User-Agent included (which aws-sdk-go-v2's signer, with its fixed list of
// ignored headers, could not verify).
func (s *Server) verifyV4(req *signedRequest, auth string) (*principal, *Error) {
	const algo = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algo) {
		return nil, errorf("IncompleteSignature", "Unsupported Authorization header: only AWS4-HMAC-SHA256 is accepted")
	}
	fields := map[string]string{}
	for _, part := range strings.Split(auth[len(algo):], ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			fields[k] = v
		}
	}
	cred := strings.Split(fields["Credential"], "/")
	if len(cred) != 5 || fields["SignedHeaders"] == "" || fields["Signature"] == "" || cred[4] != "aws4_request" {
		return nil, errorf("IncompleteSignature", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters")
	}
	p := s.principalFor(cred[0])
	if p == nil {
		return nil, authFailure()
	}
	r := req.r
	amzDate := r.Header.Get("X-Amz-Date")
	if _, err := time.Parse("20060102T150405Z", amzDate); err != nil {
		return nil, errorf("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "" || payloadHash == "UNSIGNED-PAYLOAD" && len(req.body) > 0 {
		sum := sha256.Sum256(req.body)
		payloadHash = hex.EncodeToString(sum[:])
	}
	want := signV4(req, fields["SignedHeaders"], payloadHash, amzDate, cred, p.secretKey)
	if !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return nil, authFailure()
	}
	return p, nil
}

// verifyV2 checks a Signature Version 2 request: HMAC (SHA-256 or SHA-1) of
// "METHOD\nhost\npath\ncanonical query" with the parameters sorted by name
// and RFC 3986 encoded. The host is tried as sent and without its port (Libcloud
// signs the host name alone).
func (s *Server) verifyV2(req *signedRequest) (*principal, *Error) {
	params := req.params
	p := s.principalFor(params["AWSAccessKeyId"])
	if p == nil {
		return nil, authFailure()
	}
	if params["SignatureVersion"] != "2" {
		return nil, errorf(CodeAuthFailure, "Signature version %q is not supported: use 2 or 4", params["SignatureVersion"])
	}
	var newHash func() hash.Hash
	switch params["SignatureMethod"] {
	case "HmacSHA256":
		newHash = sha256.New
	case "HmacSHA1":
		newHash = sha1.New
	default:
		return nil, errorf(CodeAuthFailure, "Signature method %q is not supported", params["SignatureMethod"])
	}
	query := canonicalQueryV2(params)
	path := req.r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	hosts := []string{strings.ToLower(req.r.Host)}
	if h, _, err := net.SplitHostPort(hosts[0]); err == nil {
		hosts = append(hosts, h)
	}
	got, err := base64.StdEncoding.DecodeString(params["Signature"])
	if err != nil {
		return nil, authFailure()
	}
	for _, host := range hosts {
		mac := hmac.New(newHash, []byte(p.secretKey))
		mac.Write([]byte(req.r.Method + "\n" + host + "\n" + path + "\n" + query))
		if hmac.Equal(mac.Sum(nil), got) {
			return p, nil
		}
	}
	return nil, authFailure()
}

// canonicalQueryV2 returns every parameter but Signature, sorted by name,
// as name=value pairs encoded per RFC 3986 and joined by &.
func canonicalQueryV2(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(rfc3986(k))
		b.WriteByte('=')
		b.WriteString(rfc3986(params[k]))
	}
	return b.String()
}

// rfc3986 percent-encodes everything but unreserved characters.
func rfc3986(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), "%7E", "~")
}

// signV4 computes a SigV4 signature over exactly the headers the client
// listed (cred is the Credential scope split on "/").
func signV4(req *signedRequest, signed, payloadHash, amzDate string, cred []string, secret string) string {
	r := req.r
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var query []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			query = append(query, rfc3986(k)+"="+rfc3986(v))
		}
	}
	var headers strings.Builder
	for _, h := range strings.Split(signed, ";") {
		var v string
		switch h {
		case "host": // net/http moves these out of Header
			v = r.Host
		case "content-length":
			v = strconv.Itoa(len(req.body))
		case "transfer-encoding":
			v = strings.Join(r.TransferEncoding, ",")
		default:
			for i, hv := range r.Header.Values(h) {
				if i > 0 {
					v += ","
				}
				v += strings.Join(strings.Fields(hv), " ") // trimmed, inner runs of spaces as one
			}
		}
		headers.WriteString(h + ":" + v + "\n")
	}
	// The canonical path of services other than S3 is the escaped path
	// escaped once more.
	segs := strings.Split(r.URL.EscapedPath(), "/")
	for i := range segs {
		segs[i] = rfc3986(segs[i])
	}
	path := strings.Join(segs, "/")
	if path == "" {
		path = "/"
	}
	canonical := strings.Join([]string{r.Method, path, strings.Join(query, "&"), headers.String(), signed, payloadHash}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	scope := strings.Join(cred[1:], "/")
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := []byte("AWS4" + secret)
	for _, part := range cred[1:] {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func hmacSHA256(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
