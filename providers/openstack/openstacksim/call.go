package openstacksim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/goclouds/goclouds/providers/internal/simkit"
)

// service names a simulated OpenStack service; its error bodies differ.
type service int

const (
	svcIdentity service = iota
	svcCompute
	svcImage
	svcVolume
	svcNetwork
)

// maxBody caps request bodies (Nova's own limit is 112 KiB... we allow more
// so that the 65535-byte user_data check is the one that refuses).
const maxBody = 1 << 20

// call is one API request being answered.
type call struct {
	s   *Server
	r   *http.Request
	op  string
	svc service
	tok *token
	mv  version // the negotiated compute or volume microversion
	hdr http.Header
	// devicePorts, when set (by a listing), indexes the ports by server
	// for serverBody; nil makes it scan the ports.
	devicePorts map[string][]*port
}

// handlerFunc answers a call with a status and a JSON body (nil for none).
type handlerFunc func(c *call) (int, any, *apiError)

// route registers one operation of a service on mux.
type route struct {
	pattern string // "METHOD /path/{param}"
	op      string // the operation's name in counters, faults and latency
	h       handlerFunc
	noAuth  bool
}

// mux builds the request router of every service.
func (s *Server) mux() *http.ServeMux {
	m := http.NewServeMux()
	add := func(svc service, prefix string, routes []route) {
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt.pattern, " ")
			m.Handle(method+" "+prefix+path, s.wrap(svc, rt))
		}
	}
	add(svcIdentity, IdentityPath, s.identityRoutes())
	// Keystone also answers at the root (as on its own port, :5000/v3), for
	// clients that append /v3 to a bare auth URL (Libcloud).
	add(svcIdentity, "", filter(s.identityRoutes(), func(rt route) bool { return rt.pattern != "GET " }))
	m.Handle("GET /{$}", s.wrap(svcIdentity, route{op: "identity:Versions", h: s.identityVersions, noAuth: true}))
	add(svcCompute, ComputePath, s.computeRoutes())
	add(svcImage, ImagePath, s.imageRoutes())
	add(svcVolume, VolumePath, s.volumeRoutes())
	add(svcNetwork, NetworkPath, s.networkRoutes())
	return m
}

// ServeHTTP answers one request of any service.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.muxOnce.Do(func() { s.router = s.mux() })
	if r.URL.Path != "/" && strings.HasSuffix(r.URL.Path, "/") {
		// Clients join endpoints and paths loosely (".../v2.1/" + "servers").
		r.URL.Path = strings.TrimRight(r.URL.Path, "/")
		if r.URL.Path == "" {
			r.URL.Path = "/"
		}
	}
	r.URL.Path = strings.ReplaceAll(r.URL.Path, "//", "/")
	s.router.ServeHTTP(w, r)
}

// wrap applies the shared controls (counters, latency, throttling, auth,
// microversions, faults) around a route's handler.
func (s *Server) wrap(svc service, rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.counters.Record(rt.op)
		if !s.latency.Wait(r.Context(), rt.op) {
			return
		}
		c := &call{s: s, r: r, op: rt.op, svc: svc, hdr: w.Header()}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		}
		w.Header().Set("X-Openstack-Request-Id", "req-"+newUUID())
		if !rt.noAuth {
			tok, aerr := s.authenticate(r)
			if aerr != nil {
				s.writeError(c, w, aerr)
				return
			}
			c.tok = tok
		}
		key := r.RemoteAddr
		if c.tok != nil {
			key = c.tok.User.ID
		}
		if wait, limited := s.limiter.Allow(key, s.now()); limited {
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.writeError(c, w, &apiError{status: http.StatusTooManyRequests, kind: "OverLimit",
				msg: "This request was rate-limited.", retryAfter: secs})
			return
		}
		if aerr := c.negotiate(); aerr != nil {
			s.writeError(c, w, aerr)
			return
		}
		fault, faulted := s.faults.Take(rt.op)
		if faulted {
			switch fault.Kind {
			case FaultError:
				s.writeError(c, w, fault.apiError(rt.op))
				return
			case FaultDropBefore:
				simkit.DropConnection(w)
				return
			}
		}
		status, body, aerr := s.run(c, rt.h)
		if aerr != nil {
			s.writeError(c, w, aerr)
			return
		}
		var buf []byte
		if body != nil {
			if raw, ok := body.(rawBody); ok {
				buf = raw
			} else {
				buf, _ = json.Marshal(body)
			}
		}
		if faulted {
			switch fault.Kind {
			case FaultDropAfter:
				simkit.DropConnection(w)
				return
			case FaultTruncatedBody:
				if len(buf) < 2 {
					buf = []byte("{}")
				}
				simkit.WriteTruncated(w, status, "application/json", buf)
				return
			}
		}
		if buf != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
		} else if status != http.StatusNoContent && status != http.StatusNotModified {
			w.Header().Set("Content-Length", "0")
		}
		w.WriteHeader(status)
		_, _ = w.Write(buf)
	})
}

// rawBody is a response body already encoded.
type rawBody []byte

// run calls h with the state lock held and transitions settled.
func (s *Server) run(c *call, h handlerFunc) (status int, body any, aerr *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.settle(s.now())
	defer func() {
		if p := recover(); p != nil {
			status, body, aerr = 0, nil, &apiError{status: http.StatusInternalServerError, kind: "InternalError",
				msg: fmt.Sprintf("Unexpected API Error: %v", p)}
		}
	}()
	return h(c)
}

// decode reads the JSON request body into v.
func (c *call) decode(v any) *apiError {
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return &apiError{status: http.StatusRequestEntityTooLarge, kind: "RequestEntityTooLarge", msg: "Request is too large."}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return badRequest("Malformed request body")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return badRequest(fmt.Sprintf("Malformed request body: %v", err))
	}
	return nil
}

// query returns the first value of a query parameter.
func (c *call) query(name string) string { return c.r.URL.Query().Get(name) }

// isAdmin reports whether the caller has the admin role.
func (c *call) isAdmin() bool { return c.tok != nil && c.tok.User.Admin }

// projectID returns the caller's project.
func (c *call) projectID() string { return c.tok.User.Project.ID }

// now returns the simulator's clock.
func (c *call) now() time.Time { return c.s.now() }
