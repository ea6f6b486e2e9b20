package cloudstack_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// forwardProxy is an HTTP forward proxy (requests with absolute URLs, as
// clients send them to HTTP_PROXY). It relays each request on a new
// upstream connection and, when the upstream answers nothing, drops the
// client's connection too, as a relay does: the client sees its kept-alive
// connection to the proxy break.
type forwardProxy struct {
	srv  *httptest.Server
	reqs atomic.Int32
}

func newForwardProxy(t *testing.T) *forwardProxy {
	t.Helper()
	p := &forwardProxy{}
	upstream := &http.Transport{DisableKeepAlives: true} // the proxy itself never resends
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.reqs.Add(1)
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		resp, err := upstream.RoundTrip(out)
		if err != nil {
			panic(http.ErrAbortHandler) // drop the client's connection
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	p.srv.Config.ErrorLog = discardLog()
	t.Cleanup(func() {
		p.srv.CloseClientConnections()
		p.srv.Close()
		upstream.CloseIdleConnections()
	})
	return p
}

// url returns the proxy's URL.
func (p *forwardProxy) url(t *testing.T) *url.URL {
	u, err := url.Parse(p.srv.URL)
	require.NoError(t, err)
	return u
}

// TestGETOnlyWriteNeverReplayed: with GETOnly, a deploy whose connection
// the server drops after the VM was created reaches the server exactly
// once, directly and through a proxy, although the driver had a kept-alive
// connection that net/http would resend a GET on (the control case shows
// that it does). Reads dropped the same way are still retried.
func TestGETOnlyWriteNeverReplayed(t *testing.T) {
	t.Parallel()
	r := newRelSim(t, nil)
	ctx := context.Background()
	for i, viaProxy := range []bool{false, true} {
		name := map[bool]string{false: "direct", true: "proxy"}[viaProxy]
		t.Run(name, func(t *testing.T) {
			var proxy *forwardProxy
			d := r.driver(t, func(o *cloudstack.Options) {
				o.GETOnly = true
				if viaProxy {
					proxy = newForwardProxy(t)
					cloudstack.SetProxy(o, http.ProxyURL(proxy.url(t)))
				}
			})
			// A read first, so that the deploy finds an idle kept-alive
			// connection it could have been sent on.
			_, err := d.ListLocations(ctx)
			require.NoError(t, err)

			tag := fmt.Sprintf("noreplay-%d", i)
			r.sim.ResetRequestCounts()
			r.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultDropAfter, Times: 1})
			_, err = d.CreateNode(ctx, r.request(tag))
			requireTyped(t, err)
			assert.ErrorIs(t, err, compute.ErrUnavailable, "outcome unknown")
			assert.Equal(t, 1, r.sim.RequestCount("deployVirtualMachine"), "the deploy reached the server once")
			assert.Len(t, r.vmsNamed(t, d, tag), 1, "one VM")

			// Reads are still retried: the dropped listZones is sent again.
			r.sim.ResetRequestCounts()
			r.sim.InjectFault("listZones", cloudstacksim.Fault{Kind: cloudstacksim.FaultDropAfter, Times: 1})
			_, err = d.ListLocations(ctx)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, r.sim.RequestCount("listZones"), 2, "the read was sent again")
			if viaProxy {
				assert.GreaterOrEqual(t, proxy.reqs.Load(), int32(4), "every request went through the proxy")
			}
		})
	}

	// The control: net/http's transport on its own resends the dropped GET
	// on a reused connection, so the cases above would see 2 deploys
	// without the driver's protection.
	t.Run("control: net/http alone resends", func(t *testing.T) {
		creds := r.sim.AdminCredentials()
		client := &http.Client{Transport: &http.Transport{}}
		t.Cleanup(client.CloseIdleConnections)
		get := func(params url.Values) error {
			u := r.url + "?" + cloudstacksim.SignValues(params, creds.APIKey, creds.SecretKey).Encode()
			resp, err := client.Get(u)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		}
		require.NoError(t, get(url.Values{"command": {"listZones"}}))
		r.sim.ResetRequestCounts()
		r.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultDropAfter, Times: 1})
		err := get(url.Values{
			"command": {"deployVirtualMachine"}, "name": {"noreplay-control"},
			"zoneid": {r.zone}, "templateid": {r.image}, "serviceofferingid": {r.size},
		})
		require.NoError(t, err, "the resent deploy was answered")
		assert.Equal(t, 2, r.sim.RequestCount("deployVirtualMachine"), "net/http sent the GET twice")
	})
}

// discardLog is a server error log that drops everything (the connections
// tests break on purpose).
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }
