package openstacksim

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// apiError is an error answer; each service renders it in its own body.
type apiError struct {
	status     int
	kind       string // Neutron's error type ("NetworkNotFound"...)
	msg        string
	retryAfter int
}

func badRequest(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, kind: "BadRequest", msg: msg}
}

func notFound(msg string) *apiError {
	return &apiError{status: http.StatusNotFound, kind: "NotFound", msg: msg}
}

func conflict(msg string) *apiError {
	return &apiError{status: http.StatusConflict, kind: "Conflict", msg: msg}
}

func forbidden(msg string) *apiError {
	return &apiError{status: http.StatusForbidden, kind: "Forbidden", msg: msg}
}

// novaFaultNames are the body keys of Nova's and Cinder's Fault by status.
var novaFaultNames = map[int]string{
	400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound", 405: "badMethod",
	409: "conflictingRequest", 413: "overLimit", 415: "badMediaType", 429: "overLimit",
	501: "notImplemented", 503: "serviceUnavailable",
}

// keystoneTitles are Keystone's error titles by status.
var keystoneTitles = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
	413: "Request Entity Too Large", 429: "Too Many Requests", 500: "Internal Server Error",
	503: "Service Unavailable",
}

// writeError renders e in c's service's error body.
func (s *Server) writeError(c *call, w http.ResponseWriter, e *apiError) {
	var body []byte
	ctype := "application/json"
	switch {
	case c.svc == svcIdentity || e.status == http.StatusUnauthorized:
		// keystonemiddleware answers 401 for every service in Keystone's shape.
		title := keystoneTitles[e.status]
		if title == "" {
			title = http.StatusText(e.status)
		}
		if e.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf("Keystone uri=%q", s.baseURL(c.r)+IdentityPath))
		}
		body, _ = json.Marshal(map[string]any{"error": map[string]any{"code": e.status, "message": e.msg, "title": title}})
	case c.svc == svcCompute || c.svc == svcVolume:
		name := novaFaultNames[e.status]
		if name == "" {
			name = "computeFault"
		}
		inner := map[string]any{"code": e.status, "message": e.msg}
		if e.retryAfter > 0 {
			inner["retryAfter"] = strconv.Itoa(e.retryAfter)
		}
		body, _ = json.Marshal(map[string]any{name: inner})
	case c.svc == svcNetwork:
		body, _ = json.Marshal(map[string]any{"NeutronError": map[string]any{"type": e.kind, "message": e.msg, "detail": ""}})
	default: // Glance answers webob's error pages.
		code := fmt.Sprintf("%d %s", e.status, http.StatusText(e.status))
		if strings.Contains(c.r.Header.Get("Accept"), "json") {
			body, _ = json.Marshal(map[string]any{"code": code, "title": http.StatusText(e.status), "message": e.msg})
		} else {
			ctype = "text/html; charset=UTF-8"
			body = []byte("<html>\n <head>\n  <title>" + code + "</title>\n </head>\n <body>\n  <h1>" + code +
				"</h1>\n  " + html.EscapeString(e.msg) + "<br /><br />\n\n\n\n </body>\n</html>")
		}
	}
	if c.svc == svcCompute && c.mv.major > 0 {
		setComputeVersionHeaders(w.Header(), c.mv)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}
