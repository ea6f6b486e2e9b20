package cloudstack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
)

// The benchmarks compare the driver with a raw baseline measured in the
// same run against the same server: net/http sending requests whose
// signatures were computed up front and decoding the JSON into
// map[string]any, the floor transport plus parsing allows. Each reports the
// wall time and the process CPU time (user + system; the in-process server's
// share is the same for both sides) of both, and their ratios.
//
//	go test -run XXX -bench . -benchtime 20x ./providers/cloudstack/

// vmJSON renders a VM the way current servers (and cloudstacksim) do.
func vmJSON(i int) string {
	return fmt.Sprintf(`{"id":"8f1c4e2a-%04x-4b7e-9c1d-%012x","name":"vm-%d","displayname":"vm-%d","account":"admin",`+
		`"userid":"5b1a7c2e-0c1d-4f0e-8a9b-1c2d3e4f5a6b","username":"admin","domainid":"e3f7a9c1-1b2d-4e5f-8a9b-0c1d2e3f4a5b",`+
		`"domain":"ROOT","created":"2025-01-0%dT10:%02d:00+0000","lastupdated":"2025-01-02T10:00:00+0000","state":"Running",`+
		`"haenable":false,"zoneid":"1a2b3c4d-0000-4000-8000-000000000001","zonename":"Sim Zone 1",`+
		`"hostid":"9d8c7b6a-0000-4000-8000-000000000001","hostname":"sim-host-1","templateid":"7f6e5d4c-0000-4000-8000-000000000001",`+
		`"templatename":"tiny Linux","templatedisplaytext":"tiny Linux (64-bit)","passwordenabled":true,`+
		`"serviceofferingid":"3c2b1a09-0000-4000-8000-000000000001","serviceofferingname":"Small Instance","cpunumber":1,`+
		`"cpuspeed":500,"memory":512,"cpuused":"0.5%%","networkkbsread":12,"networkkbswrite":7,"diskkbsread":100,"diskkbswrite":20,`+
		`"diskioread":3,"diskiowrite":1,"guestosid":"a1b2c3d4-0000-4000-8000-000000000001","ostypeid":"a1b2c3d4-0000-4000-8000-000000000001",`+
		`"osdisplayname":"Other Linux (64-bit)","rootdeviceid":0,"rootdevicetype":"ROOT","securitygroup":[],`+
		`"nic":[{"id":"b0c1d2e3-%04x-4000-8000-%012x","networkid":"c0ffee00-0000-4000-8000-000000000001","networkname":"guest-net-1",`+
		`"netmask":"255.255.0.0","gateway":"10.1.0.1","ipaddress":"10.1.%d.%d","isolationuri":"vlan://100","broadcasturi":"vlan://100",`+
		`"traffictype":"Guest","type":"Isolated","isdefault":true,"macaddress":"02:00:%02x:%02x:%02x:01","secondaryip":[],"extradhcpoption":[],"deviceid":"0"}],`+
		`"hypervisor":"KVM","instancename":"i-2-%d-VM","tags":[],"keypairs":"","affinitygroup":[],"displayvm":true,`+
		`"isdynamicallyscalable":false,"receivedbytes":1024,"sentbytes":2048,"hasannotations":false}`,
		i%65536, i, i, i, 1+i%9, i%60, i%65536, i, (i/250)%250, i%250, i%250, (i/250)%250, i%7, i)
}

// pageServer serves listVirtualMachines over n pre-encoded VMs with
// CloudStack's paging, and empty answers to the address lookups, so that
// the benchmarks measure the client.
type pageServer struct {
	pages map[string][]byte // "page/size" -> body
	zones []byte
}

func newPageServer(n int) *pageServer {
	ps := &pageServer{pages: map[string][]byte{}}
	ps.zones = []byte(`{"listzonesresponse":{"count":2,"zone":[{"id":"1a2b3c4d-0000-4000-8000-000000000001","name":"Sim Zone 1","networktype":"Advanced","securitygroupsenabled":false,"allocationstate":"Enabled","dns1":"8.8.8.8","internaldns1":"10.0.0.2","localstorageenabled":true,"tags":[],"hasannotations":false},{"id":"1a2b3c4d-0000-4000-8000-000000000002","name":"Sim Zone 2","networktype":"Basic","securitygroupsenabled":true,"allocationstate":"Enabled","dns1":"8.8.8.8","internaldns1":"10.0.0.2","localstorageenabled":true,"tags":[],"hasannotations":false}]}}`)
	for _, size := range []int{500} {
		for page := 1; (page-1)*size <= n; page++ {
			var b strings.Builder
			fmt.Fprintf(&b, `{"listvirtualmachinesresponse":{"count":%d`, n)
			from, to := (page-1)*size, min(page*size, n)
			if from < to {
				b.WriteString(`,"virtualmachine":[`)
				for i := from; i < to; i++ {
					if i > from {
						b.WriteByte(',')
					}
					b.WriteString(vmJSON(i))
				}
				b.WriteByte(']')
			}
			b.WriteString("}}")
			ps.pages[fmt.Sprintf("%d/%d", page, size)] = []byte(b.String())
		}
	}
	return ps
}

func (ps *pageServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	switch q.Get("command") {
	case "listZones":
		w.Write(ps.zones)
	case "listVirtualMachines":
		body, ok := ps.pages[q.Get("page")+"/"+q.Get("pagesize")]
		if !ok {
			body = []byte(`{"listvirtualmachinesresponse":{}}`)
		}
		w.Write(body)
	default:
		fmt.Fprintf(w, `{"%sresponse":{}}`, strings.ToLower(q.Get("command")))
	}
}

// rawClient is the baseline: pre-signed URLs, net/http, map[string]any.
type rawClient struct {
	hc *http.Client
}

func (c *rawClient) get(u string) (map[string]any, error) {
	resp, err := c.hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(body, &m)
}

// listVMs fetches pages of 500 VMs one after another (pageURL gives each
// page's pre-signed URL) until a short page, and checks the total is n.
func (c *rawClient) listVMs(n int, pageURL func(page int) string) error {
	total := 0
	for page := 1; ; page++ {
		m, err := c.get(pageURL(page))
		if err != nil {
			return err
		}
		vms, _ := m["listvirtualmachinesresponse"].(map[string]any)["virtualmachine"].([]any)
		total += len(vms)
		if len(vms) < 500 {
			break
		}
	}
	if total != n {
		return fmt.Errorf("%d rows", total)
	}
	return nil
}

// presign signs a request as the driver would, up front.
func presign(endpoint string, params url.Values) string {
	params.Set("apikey", "key")
	params.Set("response", "json")
	params.Set("signatureversion", "3")
	params.Set("expires", time.Now().UTC().Add(time.Hour).Format("2006-01-02T15:04:05+0000"))
	params.Set("signature", "x") // the benchmark servers do not verify
	return endpoint + "?" + params.Encode()
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// compare runs a and base alternately, once each per iteration, and
// reports both wall and CPU times per operation and their ratios.
func compare(b *testing.B, a, base func() error) {
	var aWall, bWall, aCPU, bCPU time.Duration
	measure := func(f func() error, wall, cpu *time.Duration) {
		c0, t0 := cpuNow(), time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*wall += time.Since(t0)
		*cpu += cpuNow() - c0
	}
	// Warm both up (connections, decoder plans).
	measure(a, new(time.Duration), new(time.Duration))
	measure(base, new(time.Duration), new(time.Duration))
	n := 0
	for b.Loop() {
		measure(a, &aWall, &aCPU)
		measure(base, &bWall, &bCPU)
		n++
	}
	per := func(d time.Duration) float64 { return float64(d) / float64(n) / 1e6 }
	b.ReportMetric(per(aWall), "goclouds-ms/op")
	b.ReportMetric(per(bWall), "raw-ms/op")
	b.ReportMetric(float64(aWall)/float64(bWall), "wall-ratio")
	b.ReportMetric(per(aCPU), "goclouds-cpu-ms/op")
	b.ReportMetric(per(bCPU), "raw-cpu-ms/op")
	b.ReportMetric(float64(aCPU)/float64(bCPU), "cpu-ratio")
}

func benchDriver(b *testing.B, endpoint string) *cloudstack.Driver {
	d, err := cloudstack.New(&cloudstack.Options{URL: endpoint, Key: "key", Secret: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkListZones compares one small call (listZones, ListLocations)
// with a raw loop sending the same pre-signed request.
func BenchmarkListZones(b *testing.B) {
	srv := httptest.NewServer(newPageServer(0))
	defer srv.Close()
	d := benchDriver(b, srv.URL+"/client/api")
	raw := &rawClient{hc: &http.Client{}}
	u := presign(srv.URL+"/client/api", url.Values{"command": {"listZones"}, "available": {"true"}, "page": {"1"}, "pagesize": {"500"}})
	ctx := b.Context()
	compare(b, func() error {
		locs, err := d.ListLocations(ctx)
		if err == nil && len(locs) != 2 {
			err = fmt.Errorf("%d locations", len(locs))
		}
		return err
	}, func() error {
		m, err := raw.get(u)
		if err == nil && len(m["listzonesresponse"].(map[string]any)["zone"].([]any)) != 2 {
			err = fmt.Errorf("bad answer")
		}
		return err
	})
}

// BenchmarkListZonesAllocs measures ListLocations and the raw baseline's
// call one after the other, each with its time and allocations per call
// (the in-process server's included in both).
func BenchmarkListZonesAllocs(b *testing.B) {
	srv := httptest.NewServer(newPageServer(0))
	defer srv.Close()
	b.Run("goclouds", func(b *testing.B) {
		d := benchDriver(b, srv.URL+"/client/api")
		b.ReportAllocs()
		for b.Loop() {
			if locs, err := d.ListLocations(b.Context()); err != nil || len(locs) != 2 {
				b.Fatal(err, len(locs))
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		raw := &rawClient{hc: &http.Client{}}
		u := presign(srv.URL+"/client/api", url.Values{"command": {"listZones"}, "available": {"true"}, "page": {"1"}, "pagesize": {"500"}})
		b.ReportAllocs()
		for b.Loop() {
			if m, err := raw.get(u); err != nil || len(m["listzonesresponse"].(map[string]any)["zone"].([]any)) != 2 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListNodes20000 compares ListNodes over 20,000 VMs with a raw
// serial loop fetching the same pages and decoding them into maps.
func BenchmarkListNodes20000(b *testing.B) {
	const n = 20000
	srv := httptest.NewServer(newPageServer(n))
	defer srv.Close()
	d := benchDriver(b, srv.URL+"/client/api")
	raw := &rawClient{hc: &http.Client{}}
	ctx := b.Context()
	compare(b, func() error {
		nodes, err := d.ListNodes(ctx)
		if err == nil && len(nodes) != n {
			err = fmt.Errorf("%d nodes", len(nodes))
		}
		return err
	}, func() error {
		return raw.listVMs(n, func(page int) string {
			return presign(srv.URL+"/client/api", url.Values{"command": {"listVirtualMachines"},
				"page": {strconv.Itoa(page)}, "pagesize": {"500"}})
		})
	})
}

// BenchmarkListNodes20000Sim is BenchmarkListNodes20000 against
// cloudstacksim holding 20,000 VMs (the simulator renders every page, so its
// CPU is in both sides' figures); the raw loop signs its requests up front.
func BenchmarkListNodes20000Sim(b *testing.B) {
	const n = 20000
	sim := cloudstacksim.New(&cloudstacksim.Options{VMs: n})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	creds := sim.AdminCredentials()
	endpoint := srv.URL + cloudstacksim.DefaultPath
	d, err := cloudstack.New(&cloudstack.Options{URL: endpoint, Key: creds.APIKey, Secret: creds.SecretKey})
	if err != nil {
		b.Fatal(err)
	}
	signer := &csapi.Signer{APIKey: creds.APIKey, SecretKey: creds.SecretKey, Lifetime: time.Hour}
	var urls []string
	for page := 1; page <= n/500+1; page++ {
		p := url.Values{"command": {"listVirtualMachines"}, "page": {strconv.Itoa(page)}, "pagesize": {"500"}}
		signer.Sign(p)
		urls = append(urls, endpoint+"?"+csapi.EncodeParams(p))
	}
	raw := &rawClient{hc: &http.Client{}}
	ctx := b.Context()
	compare(b, func() error {
		nodes, err := d.ListNodes(ctx)
		if err == nil && len(nodes) != n {
			err = fmt.Errorf("%d nodes", len(nodes))
		}
		return err
	}, func() error {
		return raw.listVMs(n, func(page int) string { return urls[page-1] })
	})
}

// BenchmarkDecodeVMPage isolates decoding of one 500-VM page.
func BenchmarkDecodeVMPage(b *testing.B) {
	body := newPageServer(500).pages["1/500"]
	b.Run("map", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("csjson-typed", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		resp := &csapi.Response{Command: "listVirtualMachines", Status: 200, Body: body}
		for b.Loop() {
			if _, err := csapi.DecodePage[cloudstack.VirtualMachine](resp, "virtualmachine"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// jobBench starts a simulator whose jobs take 1 s and a driver with default
// poll settings, and returns a maker of valid CreateNode requests.
func jobBench(b *testing.B) (*cloudstacksim.Server, *cloudstack.Driver, func(name string) *compute.CreateNodeRequest) {
	sim, srv := newSim(b, time.Second)
	creds := sim.AdminCredentials()
	d, err := cloudstack.New(&cloudstack.Options{URL: srv.URL + cloudstacksim.DefaultPath, Key: creds.APIKey, Secret: creds.SecretKey})
	if err != nil {
		b.Fatal(err)
	}
	image, size, zone := catalogue(b, d)
	return sim, d, func(name string) *compute.CreateNodeRequest {
		return &compute.CreateNodeRequest{Name: name, Image: &compute.Image{ID: image}, Size: &compute.Size{ID: size}, Location: &compute.Location{ID: zone}}
	}
}

// BenchmarkCreateNode1sJob measures how soon CreateNode sees a deploy job
// that takes 1 s in the simulator, and with how many polls (default poll
// settings).
func BenchmarkCreateNode1sJob(b *testing.B) {
	sim, d, req := jobBench(b)
	var wall time.Duration
	polls, n := 0, 0
	for b.Loop() {
		sim.ResetRequestCounts()
		t0 := time.Now()
		if _, err := d.CreateNode(b.Context(), req(fmt.Sprintf("job-%d", n))); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(t0)
		polls += sim.RequestCount("queryAsyncJobResult")
		n++
	}
	b.ReportMetric(wall.Seconds()/float64(n), "s/create")
	b.ReportMetric(float64(polls)/float64(n), "polls/create")
}

// BenchmarkCreateNode100Concurrent creates 100 nodes at once with 1 s jobs.
func BenchmarkCreateNode100Concurrent(b *testing.B) {
	sim, d, req := jobBench(b)
	var wall time.Duration
	polls, n := 0, 0
	for b.Loop() {
		sim.ResetRequestCounts()
		t0 := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := range 100 {
			wg.Go(func() {
				_, err := d.CreateNode(b.Context(), req(fmt.Sprintf("c-%d-%d", n, i)))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(t0)
		polls += sim.RequestCount("queryAsyncJobResult")
		n++
	}
	b.ReportMetric(wall.Seconds()/float64(n), "s/100-creates")
	b.ReportMetric(float64(polls)/float64(n)/100, "polls/create")
}
