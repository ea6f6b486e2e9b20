package cloudstacksim_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

// BenchmarkListVirtualMachines measures one full 500-row page of
// listVirtualMachines (signed request, authentication, validation, listing,
// JSON encoding) through the http.Handler, for an inventory of 500 VMs (the
// baseline: the page is the whole inventory) and of 100,000 VMs. The ratio of
// the two shows what the size of the inventory costs.
func BenchmarkListVirtualMachines(b *testing.B) {
	for _, n := range []int{500, 100000} {
		b.Run(fmt.Sprintf("inventory=%d", n), func(b *testing.B) {
			sim := cloudstacksim.New(&cloudstacksim.Options{VMs: n})
			defer sim.Close()
			cred := sim.AdminCredentials()
			pages := []string{"1"}
			if n > 500 {
				pages = append(pages, fmt.Sprint(n/500))
			}
			for _, page := range pages {
				b.Run("page="+page, func(b *testing.B) {
					v := cloudstacksim.SignValues(url.Values{"command": {"listVirtualMachines"}, "page": {page}, "pagesize": {"500"}},
						cred.APIKey, cred.SecretKey)
					target := sim.Path() + "?" + v.Encode()
					b.ReportAllocs()
					for b.Loop() {
						rec := httptest.NewRecorder()
						sim.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
						}
						b.SetBytes(int64(rec.Body.Len()))
						_, _ = io.Copy(io.Discard, rec.Body)
					}
				})
			}
		})
	}
}

// BenchmarkDeployVirtualMachine measures a deployVirtualMachine submit (job
// delay zero, so the job completes inside the request) on a simulator
// already holding 10,000 VMs.
func BenchmarkDeployVirtualMachine(b *testing.B) {
	sim := cloudstacksim.New(&cloudstacksim.Options{VMs: 10000})
	defer sim.Close()
	ts := httptest.NewServer(sim)
	defer ts.Close()
	c := &apiClient{t: b, sim: sim, url: ts.URL + sim.Path(), cred: sim.AdminCredentials(), method: http.MethodGet}
	cat := catalogue(c)
	b.ReportAllocs()
	for b.Loop() {
		c.ok("deployVirtualMachine", map[string]string{"zoneid": cat.zone1, "templateid": cat.tiny, "serviceofferingid": cat.tinyOffering})
	}
}
