package cloudstack

import (
	"errors"
	"testing"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
)

// FuzzDecodeResponse feeds arbitrary answers through every decoding path of
// the driver (list pages into typed rows and nodes, single objects, async
// submissions and job results) and checks that each gives a value or a
// typed error, never a panic.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(`{ "listvirtualmachinesresponse" : { "count":1, "virtualmachine" : [ {"id":2600,"name":"test","state":"Running","nic":[{"ipaddress":"1.1.1.116"},{"ip6address":"fe80::1"}],"publicip":"x"} ] } }`))
	f.Add(200, []byte(`{"listvirtualmachinesresponse":{}}`))
	f.Add(200, []byte(`{"deployvirtualmachineresponse":{"errorcode":431,"errortext":"Unable to find service offering: 104"}}`))
	f.Add(431, []byte(`{"errorresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999,"errortext":"entity does not exist"}}`))
	f.Add(200, []byte(`{"queryasyncjobresultresponse":{"jobid":"j","jobstatus":1,"jobresult":{"virtualmachine":{"id":"v"}}}}`))
	f.Add(200, []byte(`{"queryasyncjobresultresponse":{"jobid":"j","jobstatus":2,"jobresult":"boom"}}`))
	f.Add(401, []byte(``))
	f.Add(502, []byte(`<html>bad gateway</html>`))
	d := &Driver{provider: "cloudstack"}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &csapi.Response{Command: "listVirtualMachines", Status: status, Body: body}
		check := func(err error) {
			if err == nil {
				return
			}
			var ae *csapi.Error
			var me *csapi.MalformedResponseError
			if !errors.As(err, &ae) && !errors.As(err, &me) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if werr := d.wrap("Fuzz", "", err); werr == nil {
				t.Fatal("wrap lost the error")
			}
		}
		page, err := csapi.DecodePage[VirtualMachine](resp, "virtualmachine")
		check(err)
		if err == nil {
			for i := range page.Items {
				_ = d.toNode(&page.Items[i], nil)
			}
		}
		var sub csapi.Submitted
		check(csapi.Decode(resp, &sub))
		var job csapi.Job
		if err := csapi.Decode(resp, &job); err == nil {
			var vm VirtualMachine
			check(job.Result("x", "virtualmachine", &vm))
			_ = d.toNode(&vm, nil)
		} else {
			check(err)
		}
		var kp SSHKeyPair
		inner := &csapi.Job{JobResult: body}
		check(inner.Result("x", "keypair", &kp))
	})
}
