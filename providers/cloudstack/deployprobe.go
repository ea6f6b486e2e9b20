package cloudstack

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/goclouds/goclouds/providers/cloudstack/internal/csapi"
	"github.com/goclouds/goclouds/providers/cloudstack/internal/csjson"
)

// deployProbe returns the probe that follows a deploy sent with params p
// through its VM, or nil when the VM does not start (startvm=false: the
// job ends with the VM Stopped, which a look cannot tell from a VM not yet
// started).
//
// CloudStack's deploy job starts the VM (Stopped, Starting, then Running)
// and completes once it runs, with the VM's record (the UserVmResponse
// listVirtualMachines shows) as its result; a start that fails leaves the
// VM in Error before the job fails (UserVmManagerImpl's
// updateVmStateForFailedVmCreation). So one listVirtualMachines ids=...
// refreshes every pending deploy of the driver in its scope (ids chunked by
// 500, paged): Running is the deploy's success and the record its result;
// Stopped, Starting and Creating are pending; any other state (Error,
// Destroyed, Expunging) or a VM not listed makes the waiter query its job
// once, for the job's own error. A Running VM of a password-enabled
// template is queried too: its generated password is only in the job's
// result.
func (d *Driver) deployProbe(p url.Values) *csapi.Probe {
	if strings.EqualFold(p.Get("startvm"), "false") {
		return nil
	}
	scope := url.Values{}
	for _, k := range []string{"projectid", "account", "domainid"} {
		if v := p.Get(k); v != "" {
			scope.Set(k, v)
		}
	}
	scope = d.scoped(scope, true)
	return &csapi.Probe{
		Key: "deployVirtualMachine?" + scope.Encode(),
		Look: func(ctx context.Context, ids []string) (map[string]csapi.ProbeResult, error) {
			return d.lookDeploys(ctx, scope, ids)
		},
	}
}

// lookDeploys lists the VMs ids in scope and tells what each says of its
// deploy (see deployProbe).
func (d *Driver) lookDeploys(ctx context.Context, scope url.Values, ids []string) (map[string]csapi.ProbeResult, error) {
	out := make(map[string]csapi.ProbeResult, len(ids))
	for chunk := range slices.Chunk(ids, csapi.MaxPageSize) {
		params := make(url.Values, len(scope)+1)
		for k, v := range scope {
			params[k] = v
		}
		params.Set("ids", strings.Join(chunk, ","))
		rows, err := csapi.List[json.RawMessage](ctx, d.api, "listVirtualMachines", params, "virtualmachine", d.paging)
		if err != nil {
			return nil, err
		}
		for _, raw := range rows {
			var vm struct {
				ID              string `json:"id"`
				State           string `json:"state"`
				PasswordEnabled bool   `json:"passwordenabled"`
			}
			if csjson.Unmarshal(raw, &vm) != nil || vm.ID == "" {
				continue // not listed: its job is queried
			}
			out[vm.ID] = deployOutcome(vm.State, vm.PasswordEnabled, raw)
		}
	}
	return out, nil
}

// deployOutcome is what a VM's state says of its deploy; raw is its record.
func deployOutcome(state string, passwordEnabled bool, raw json.RawMessage) csapi.ProbeResult {
	switch strings.ToLower(state) {
	case "stopped", "starting", "creating":
		return csapi.ProbeResult{Outcome: csapi.ProbePending}
	case "running":
		if passwordEnabled {
			return csapi.ProbeResult{Outcome: csapi.ProbeQuery}
		}
		result := make(json.RawMessage, 0, len(raw)+20)
		result = append(append(append(result, `{"virtualmachine":`...), raw...), '}')
		return csapi.ProbeResult{Outcome: csapi.ProbeDone, Result: result}
	}
	return csapi.ProbeResult{Outcome: csapi.ProbeQuery}
}
