package cloudstacksim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goclouds/goclouds/providers/cloudstack/cloudstacksim"
)

func TestJobs_PendingThenDone(t *testing.T) {
	c := newSim(t, &cloudstacksim.Options{JobDelay: time.Hour})
	k := catalogue(c)
	sub := c.ok("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering, "name": "slow"})
	id, jobID := sub["id"].(string), sub["jobid"].(string)
	if len(sub) != 2 || id == "" || jobID == "" {
		t.Fatalf("create-style submit answer must be {id, jobid}: %v", sub)
	}
	q := c.ok("queryAsyncJobResult", map[string]string{"jobid": jobID})
	if q["jobstatus"].(float64) != 0 || q["jobresultcode"].(float64) != 0 || q["jobresult"] != nil || q["jobresulttype"] != nil {
		t.Fatalf("pending job: %v", q)
	}
	if q["jobinstancetype"] != "VirtualMachine" || q["jobinstanceid"] != id || !strings.HasPrefix(q["cmd"].(string), "org.apache.cloudstack.api.command") {
		t.Errorf("job fields: %v", q)
	}
	// The VM exists (its id is usable) while the job runs, and shows the job.
	vm := items(c.ok("listVirtualMachines", map[string]string{"id": id}), "virtualmachine")[0]
	if vm["state"] != "Starting" || vm["jobid"] != jobID || vm["jobstatus"].(float64) != 0 {
		t.Errorf("VM during deployment: %v", vm)
	}
	// A plain async command answers {jobid} only.
	stop := c.ok("stopVirtualMachine", map[string]string{"id": id})
	if len(stop) != 1 || stop["jobid"] == nil {
		t.Errorf("submit answer: %v", stop)
	}
	jobs := items(c.ok("listAsyncJobs", nil), "asyncjobs")
	if len(jobs) != 2 || jobs[0]["jobid"] != jobID {
		t.Errorf("listAsyncJobs: %v", jobs)
	}
	// Jobs on the same VM run in order: the reboot waits for the
	// deployment and the stop, even with a zero delay.
	c.sim.SetJobDelay(0)
	reboot := c.ok("rebootVirtualMachine", map[string]string{"id": id})
	if q := c.ok("queryAsyncJobResult", map[string]string{"jobid": reboot["jobid"].(string)}); q["jobstatus"].(float64) != 0 {
		t.Fatalf("reboot ran before the jobs ahead of it: %v", q)
	}
	// Another VM's jobs are independent.
	other := c.job("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering})
	if other["virtualmachine"].(map[string]any)["state"] != "Running" {
		t.Errorf("independent deployment: %v", other)
	}
}

func TestJobs_Failure(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	vm := c.job("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering, "startvm": "false"})["virtualmachine"].(map[string]any)
	if vm["state"] != "Stopped" {
		t.Fatalf("startvm=false: %v", vm["state"])
	}
	// Rebooting a stopped VM fails in the job, not at submission.
	sub := c.ok("rebootVirtualMachine", map[string]string{"id": vm["id"].(string)})
	q := c.waitJob(sub["jobid"].(string))
	r := q["jobresult"].(map[string]any)
	if q["jobstatus"].(float64) != 2 || q["jobresultcode"].(float64) != 530 || q["jobresulttype"] != "object" ||
		r["errorcode"].(float64) != 530 || r["errortext"] != "Failed to reboot vm instance" {
		t.Fatalf("failed job: %v", q)
	}
	// A finished job is marked removed: listAsyncJobs shows pending jobs only.
	for _, j := range items(c.ok("listAsyncJobs", nil), "asyncjobs") {
		t.Errorf("finished job listed: %v", j)
	}
}

func TestJobs_Ownership(t *testing.T) {
	c := newSim(t, nil)
	k := catalogue(c)
	sub := c.ok("deployVirtualMachine", map[string]string{"zoneid": k.zone1, "templateid": k.tiny, "serviceofferingid": k.tinyOffering})
	user := c.as(c.sim.UserCredentials())
	user.fail(531, "queryAsyncJobResult", map[string]string{"jobid": sub["jobid"].(string)})
	if got := user.ok("listAsyncJobs", nil); got["count"] != nil {
		t.Errorf("user sees admin jobs: %v", got)
	}
	c.fail(431, "queryAsyncJobResult", map[string]string{"jobid": "7c9e6679-7425-40de-944b-e07fc1f90ae7"})
}
