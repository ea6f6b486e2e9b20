package openstacksim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// version is a microversion major.minor.
type version struct{ major, minor int }

// parseVersion parses "2.47".
func parseVersion(s string) (version, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok {
		return version{}, false
	}
	maj, err1 := strconv.Atoi(a)
	min, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || maj < 0 || min < 0 || strings.HasPrefix(b, "+") || strings.HasPrefix(a, "+") {
		return version{}, false
	}
	return version{maj, min}, true
}

func mustVersion(s string) version {
	v, _ := parseVersion(s)
	return v
}

// atLeast reports whether v >= major.minor.
func (v version) atLeast(major, minor int) bool {
	return v.major > major || (v.major == major && v.minor >= minor)
}

func (v version) String() string { return fmt.Sprintf("%d.%d", v.major, v.minor) }

// requestedVersion returns the microversion a request asks of service
// ("compute", "volume"): the OpenStack-API-Version header, else (compute)
// X-OpenStack-Nova-API-Version.
func requestedVersion(h http.Header, serviceType string) string {
	for _, v := range h.Values("OpenStack-API-Version") {
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(part)
			if len(f) == 2 && strings.EqualFold(f[0], serviceType) {
				return f[1]
			}
		}
	}
	if serviceType == "compute" {
		return h.Get("X-OpenStack-Nova-API-Version")
	}
	return ""
}

// negotiate sets c.mv from the request's headers for Nova and Cinder: 2.1
// (3.0) when absent, the maximum for "latest", 400 for a malformed version
// and 406 for one out of range.
func (c *call) negotiate() *apiError {
	var typ, lo, hi string
	switch c.svc {
	case svcCompute:
		typ, lo, hi = "compute", MinComputeMicroversion, MaxComputeMicroversion
	case svcVolume:
		typ, lo, hi = "volume", "3.0", MaxVolumeMicroversion
	default:
		return nil
	}
	min, max := mustVersion(lo), mustVersion(hi)
	asked := requestedVersion(c.r.Header, typ)
	var v version
	switch {
	case asked == "":
		v = min
	case strings.EqualFold(asked, "latest"):
		v = max
	default:
		var ok bool
		if v, ok = parseVersion(asked); !ok {
			return badRequest(fmt.Sprintf("API Version String %s is of invalid format. Must be of format MajorNum.MinorNum.", asked))
		}
		if v.major != min.major || !v.atLeast(min.major, min.minor) || !max.atLeast(v.major, v.minor) {
			return &apiError{status: http.StatusNotAcceptable, kind: "NotAcceptable",
				msg: fmt.Sprintf("Version %s is not supported by the API. Minimum is %s and maximum is %s.", asked, lo, hi)}
		}
	}
	c.mv = v
	if c.svc == svcCompute {
		setComputeVersionHeaders(c.hdr, v)
	} else {
		c.hdr.Set("OpenStack-API-Version", "volume "+v.String())
		c.hdr.Add("Vary", "OpenStack-API-Version")
	}
	return nil
}

// setComputeVersionHeaders announces the microversion a Nova answer uses.
func setComputeVersionHeaders(h http.Header, v version) {
	h.Set("OpenStack-API-Version", "compute "+v.String())
	h.Set("X-OpenStack-Nova-API-Version", v.String())
	h.Set("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version")
}
