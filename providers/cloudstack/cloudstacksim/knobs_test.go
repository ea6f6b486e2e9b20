package cloudstacksim_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

func TestKnobs_FaultError(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	c.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Status: 533, CSErrorCode: 4325, Text: "no capacity", Times: 1})
	p := map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering}
	status, b := c.body("deployVirtualMachine", p)
	if status != 533 || b != `{"deployvirtualmachineresponse":{"uuidList":[],"errorcode":533,"cserrorcode":4325,"errortext":"no capacity"}}` {
		t.Fatalf("HTTP %d: %s", status, b)
	}
	if got := c.ok("listVirtualMachines", nil); got["count"] != nil {
		t.Fatalf("the failed deploy created a VM: %v", got)
	}
	c.ok("deployVirtualMachine", p) // Times: 1
	if n := c.sim.RequestCount("deployVirtualMachine"); n != 2 {
		t.Errorf("request count %d, want 2", n)
	}
	c.sim.InjectFault("", cloudstacksim.Fault{})
	if e := c.fail(530, "listZones", nil); !strings.Contains(e["errortext"].(string), "listZones") {
		t.Errorf("default fault text: %v", e)
	}
	c.sim.ClearFaults()
	c.ok("listZones", nil)
}

func TestKnobs_FaultJobError(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	c.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultJobError, Status: 533, Text: "host full", Times: 1})
	sub := c.ok("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering})
	q := c.waitJob(sub["jobid"].(string))
	if q["jobstatus"].(float64) != 2 || q["jobresultcode"].(float64) != 533 || q["jobresult"].(map[string]any)["errortext"] != "host full" {
		t.Fatalf("job: %v", q)
	}
	// The VM record exists (created before the job) and is in Error.
	if vm := vmByID(c, sub["id"].(string)); vm["state"] != "Error" {
		t.Errorf("VM of a failed deployment: %v", vm["state"])
	}
}

func TestKnobs_FaultDrops(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	p := map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering}
	send := func() error {
		v := url.Values{"command": {"deployVirtualMachine"}}
		for key, val := range p {
			v.Set(key, val)
		}
		v = cloudstacksim.SignValues(v, c.cred.APIKey, c.cred.SecretKey)
		// POST: the client must not retry a non-idempotent request by itself.
		resp, err := http.PostForm(c.url, v)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	vmCount := func() float64 {
		n, _ := c.ok("listVirtualMachines", nil)["count"].(float64)
		return n
	}
	c.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultDropBefore, Times: 1})
	if err := send(); err == nil {
		t.Fatal("drop before: no error")
	}
	if n := vmCount(); n != 0 {
		t.Fatalf("drop before created %v VMs", n)
	}
	c.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultDropAfter, Times: 1})
	if err := send(); err == nil {
		t.Fatal("drop after: no error")
	}
	if n := vmCount(); n != 1 {
		t.Fatalf("drop after: %v VMs, want 1", n)
	}
	c.sim.InjectFault("deployVirtualMachine", cloudstacksim.Fault{Kind: cloudstacksim.FaultTruncatedBody, Times: 1})
	if err := send(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated body: %v", err)
	}
	if n := vmCount(); n != 2 {
		t.Fatalf("truncated: %v VMs, want 2", n)
	}
	c.sim.InjectFault("listZones", cloudstacksim.Fault{Kind: cloudstacksim.FaultMalformedJSON, Times: 1})
	v := cloudstacksim.SignValues(url.Values{"command": {"listZones"}}, c.cred.APIKey, c.cred.SecretKey)
	status, b := c.raw(v)
	if status != 200 || !strings.HasPrefix(string(b), `{"listzonesresponse":`) || isJSON(b) {
		t.Fatalf("malformed: HTTP %d: %s", status, b)
	}
	if _, b := c.raw(v); !isJSON(b) {
		t.Fatalf("fault not consumed: %s", b)
	}
	if n := c.sim.RequestCount("deployVirtualMachine"); n != 3 {
		t.Errorf("deploy request count %d, want 3", n)
	}
}

func isJSON(b []byte) bool {
	var v any
	return jsonUnmarshal(b, &v) == nil
}

func TestKnobs_Throttle(t *testing.T) {
	c := newSim(t, nil)
	c.sim.SetThrottle(cloudstacksim.Throttle{Max: 2, Interval: time.Hour})
	c.ok("listZones", nil)
	c.ok("listZones", nil)
	e := c.fail(429, "listZones", nil)
	text := e["errortext"].(string)
	if !strings.HasPrefix(text, "The given user has reached his/her account api limit, please retry after [") || !strings.HasSuffix(text, "] ms.") ||
		e["cserrorcode"].(float64) != 9999 {
		t.Fatalf("429: %v", e)
	}
	// Accounts are counted separately; root admins may be exempt.
	c.as(c.sim.UserCredentials()).ok("listZones", nil)
	c.sim.SetThrottle(cloudstacksim.Throttle{Max: 1, Interval: time.Hour, ExemptRootAdmin: true})
	for i := 0; i < 3; i++ {
		c.ok("listZones", nil)
	}
	c.sim.SetThrottle(cloudstacksim.Throttle{})
	if capab := c.ok("listCapabilities", nil)["capability"].(map[string]any); capab["apilimitmax"] != nil {
		t.Errorf("capabilities with throttling off: %v", capab)
	}
}

func TestKnobs_Latency(t *testing.T) {
	c := newSim(t, nil)
	c.sim.SetLatency("listZones", time.Minute)
	v := cloudstacksim.SignValues(url.Values{"command": {"listZones"}}, c.cred.APIKey, c.cred.SecretKey)
	client := &http.Client{Timeout: 200 * time.Millisecond}
	if resp, err := client.Get(c.url + "?" + v.Encode()); err == nil {
		resp.Body.Close()
		t.Fatal("a request delayed by a minute answered within the client's timeout")
	}
	c.ok("listTemplates", map[string]string{"templatefilter": "featured"}) // other commands are not delayed
	c.sim.SetLatency("listZones", 0)
	c.ok("listZones", nil)
}

func TestKnobs_Counters(t *testing.T) {
	c := newSim(t, nil)
	c.ok("listZones", nil)
	c.ok("listZones", nil)
	c.fail(401, "listZones", map[string]string{"signatureVersion": "3"})
	if got := c.sim.RequestCounts(); got["listZones"] != 3 {
		t.Errorf("counts: %v", got)
	}
	c.sim.ResetRequestCounts()
	if n := c.sim.RequestCount("listZones"); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func TestKnobs_Populate(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{VMs: 5})
	if err := c.sim.PopulateVMs(5); err != nil {
		t.Fatal(err)
	}
	r := c.ok("listVirtualMachines", map[string]string{"state": "Running"})
	if r["count"].(float64) != 10 {
		t.Fatalf("count %v", r["count"])
	}
	names := map[string]bool{}
	for _, v := range items(r, "virtualmachine") {
		names[v["name"].(string)] = true
	}
	if len(names) != 10 {
		t.Errorf("names are not unique: %v", names)
	}
}

// TestConcurrency drives the simulator from many goroutines; run it with
// -race.
func TestConcurrency(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{JobDelay: time.Millisecond, VMs: 50})
	k := catalogue(c)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				status, env := c.call("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny,
					"serviceofferingid": k.tinyOffering, "name": fmt.Sprintf("c-%d-%d", g, i)})
				if status != 200 {
					errs <- fmt.Errorf("deploy: HTTP %d: %v", status, env)
					return
				}
				if status, env := c.call("listVirtualMachines", map[string]string{"listall": "true"}); status != 200 {
					errs <- fmt.Errorf("list: HTTP %d: %v", status, env)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		n := c.ok("listVirtualMachines", map[string]string{"state": "Running"})["count"].(float64)
		if n == 90 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v running VMs, want 90", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
