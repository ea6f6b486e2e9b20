package openstacksim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// serverAction answers POST /servers/{id}/action: one key names the action.
func (s *Server) serverAction(c *call) (int, any, *apiError) {
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		return 0, nil, badRequest("Malformed request body")
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(data, &req); err != nil || len(req) != 1 {
		return 0, nil, badRequest("Malformed request body")
	}
	var name string
	var arg json.RawMessage
	for k, v := range req {
		name, arg = k, v
	}
	// Count the action on its own too, e.g. "compute:ServerAction:os-stop".
	c.s.counters.Record("compute:ServerAction:" + name)
	sv, e := c.server(c.r.PathValue("id"))
	if e != nil {
		return 0, nil, e
	}
	h, ok := serverActions[name]
	if !ok {
		return 0, nil, badRequest("There is no such action: " + name)
	}
	if sv.Locked && !c.isAdmin() && name != "unlock" {
		return 0, nil, conflict("Instance " + sv.ID + " is locked")
	}
	return h(c, sv, arg)
}

// actionFunc performs one server action.
type actionFunc func(c *call, sv *server, arg json.RawMessage) (int, any, *apiError)

// serverActions maps action names to their implementations.
var serverActions map[string]actionFunc

func init() {
	serverActions = map[string]actionFunc{
		"os-start":      simpleAction("start", []string{"stopped"}, "powering-on", "active", powerRunning),
		"os-stop":       simpleAction("stop", []string{"active", "error"}, "powering-off", "stopped", powerShutdown),
		"pause":         simpleAction("pause", []string{"active"}, "pausing", "paused", powerPaused),
		"unpause":       simpleAction("unpause", []string{"paused"}, "unpausing", "active", powerRunning),
		"suspend":       simpleAction("suspend", []string{"active"}, "suspending", "suspended", powerSuspend),
		"resume":        simpleAction("resume", []string{"suspended"}, "resuming", "active", powerRunning),
		"unshelve":      simpleAction("unshelve", []string{"shelved", "shelved_offloaded"}, "unshelving", "active", powerRunning),
		"reboot":        rebootAction,
		"shelve":        shelveAction,
		"resize":        resizeAction,
		"confirmResize": confirmResizeAction,
		"revertResize":  revertResizeAction,
		"createImage":   createImageAction,
		"rebuild":       rebuildAction,
		"changePassword": func(c *call, sv *server, arg json.RawMessage) (int, any, *apiError) {
			var a struct {
				AdminPass string `json:"adminPass"`
			}
			if json.Unmarshal(arg, &a) != nil || a.AdminPass == "" {
				return 0, nil, badRequest("Invalid input for field/attribute changePassword. 'adminPass' is a required property")
			}
			if e := checkState(sv, "changePassword", "active"); e != nil {
				return 0, nil, e
			}
			sv.AdminPass = a.AdminPass
			return http.StatusAccepted, nil, nil
		},
		"lock": func(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
			sv.Locked = true
			return http.StatusAccepted, nil, nil
		},
		"unlock": func(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
			sv.Locked = false
			return http.StatusAccepted, nil, nil
		},
		"os-getConsoleOutput": func(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
			return http.StatusOK, map[string]any{"output": "goclouds openstacksim console of " + sv.Name + "\n"}, nil
		},
	}
}

// checkState refuses an action unless the server has no task and is in
// one of the vm states, with Nova's 409 message.
func checkState(sv *server, action string, vmStates ...string) *apiError {
	if sv.TaskState != "" {
		return conflict(fmt.Sprintf("Cannot '%s' instance %s while it is in task_state %s", action, sv.ID, sv.TaskState))
	}
	for _, v := range vmStates {
		if sv.VMState == v {
			return nil
		}
	}
	return conflict(fmt.Sprintf("Cannot '%s' instance %s while it is in vm_state %s", action, sv.ID, sv.VMState))
}

// transition puts sv in taskState now and, after the transition delay,
// runs done and clears the task.
func (c *call) transition(sv *server, taskState string, done func()) {
	s := c.s
	sv.TaskState, sv.Updated = taskState, c.now()
	s.state.schedule(func() {
		if sv.gone || sv.TaskState != taskState {
			return
		}
		sv.TaskState = ""
		done()
		sv.Updated = s.now()
	})
}

// simpleAction is an action that moves from vm states through a task state
// to a final vm and power state.
func simpleAction(action string, from []string, task, to string, power int) actionFunc {
	return func(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
		if e := checkState(sv, action, from...); e != nil {
			return 0, nil, e
		}
		c.transition(sv, task, func() { sv.VMState, sv.PowerState = to, power })
		return http.StatusAccepted, nil, nil
	}
}

func rebootAction(c *call, sv *server, arg json.RawMessage) (int, any, *apiError) {
	var a struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(arg, &a) != nil || (!strings.EqualFold(a.Type, "SOFT") && !strings.EqualFold(a.Type, "HARD")) {
		return 0, nil, badRequest("Invalid input for field/attribute type. Value: " + a.Type + ". '" + a.Type + "' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']")
	}
	hard := strings.EqualFold(a.Type, "HARD")
	task := "rebooting"
	var e *apiError
	if hard {
		task = "rebooting_hard"
		e = checkState(sv, "reboot", "active", "stopped", "paused", "suspended", "error")
	} else {
		e = checkState(sv, "reboot", "active")
	}
	if e != nil {
		return 0, nil, e
	}
	c.transition(sv, task, func() { sv.VMState, sv.PowerState = "active", powerRunning })
	return http.StatusAccepted, nil, nil
}

func shelveAction(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
	if e := checkState(sv, "shelve", "active", "stopped", "paused", "suspended"); e != nil {
		return 0, nil, e
	}
	c.transition(sv, "shelving", func() {
		sv.VMState, sv.PowerState = "shelved", powerShutdown
		// shelved_offload_time 0: offloaded right after.
		c.transition(sv, "shelving_offloading", func() { sv.VMState = "shelved_offloaded" })
	})
	return http.StatusAccepted, nil, nil
}

func resizeAction(c *call, sv *server, arg json.RawMessage) (int, any, *apiError) {
	var a struct {
		FlavorRef string `json:"flavorRef"`
	}
	if json.Unmarshal(arg, &a) != nil || a.FlavorRef == "" {
		return 0, nil, badRequest("Invalid input for field/attribute resize. Value: {}. 'flavorRef' is a required property")
	}
	if e := checkState(sv, "resize", "active", "stopped"); e != nil {
		return 0, nil, e
	}
	fl := c.s.state.flavorByID(lastPathSegment(a.FlavorRef))
	if fl == nil {
		return 0, nil, badRequest("Unable to locate requested flavor.")
	}
	if fl.ID == sv.Flavor.ID {
		return 0, nil, badRequest("When resizing, instances must change flavor!")
	}
	if fl.Disk < sv.Flavor.Disk {
		return 0, nil, badRequest("Resize error: Unable to resize disk down.")
	}
	p := c.s.state.projectByID(sv.ProjectID)
	n, cores, ram := c.s.state.usage(sv.ProjectID)
	dc, dr := max(0, fl.VCPUs-sv.Flavor.VCPUs), max(0, fl.RAM-sv.Flavor.RAM)
	if e := quotaCheck(p.Quota, n, cores+dc, ram+dr, 0, dc, dr, n, cores, ram); e != nil {
		return 0, nil, e
	}
	old := sv.Flavor
	prev := sv.VMState
	c.transition(sv, "resize_prep", func() {
		sv.OldFlavor, sv.Flavor, sv.PreResizeVMState = &old, *fl, prev
		sv.VMState = "resized"
	})
	return http.StatusAccepted, nil, nil
}

func confirmResizeAction(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
	if sv.VMState != "resized" {
		return 0, nil, badRequest("No migrations could be found for instance " + sv.ID)
	}
	if e := checkState(sv, "confirmResize", "resized"); e != nil {
		return 0, nil, e
	}
	sv.VMState, sv.OldFlavor, sv.Updated = afterResize(sv), nil, c.now()
	return http.StatusNoContent, nil, nil
}

// afterResize is the vm state a resized server returns to.
func afterResize(sv *server) string {
	if sv.PreResizeVMState == "stopped" {
		return "stopped"
	}
	return "active"
}

func revertResizeAction(c *call, sv *server, _ json.RawMessage) (int, any, *apiError) {
	if sv.VMState != "resized" {
		return 0, nil, badRequest("No migrations could be found for instance " + sv.ID)
	}
	if e := checkState(sv, "revertResize", "resized"); e != nil {
		return 0, nil, e
	}
	c.transition(sv, "resize_reverting", func() {
		if sv.OldFlavor != nil {
			sv.Flavor = *sv.OldFlavor
		}
		sv.OldFlavor, sv.VMState = nil, afterResize(sv)
	})
	return http.StatusAccepted, nil, nil
}

func createImageAction(c *call, sv *server, arg json.RawMessage) (int, any, *apiError) {
	var a struct {
		Name     string            `json:"name"`
		Metadata map[string]string `json:"metadata"`
	}
	if json.Unmarshal(arg, &a) != nil || a.Name == "" {
		return 0, nil, badRequest("Invalid input for field/attribute createImage. Value: {}. 'name' is a required property")
	}
	if e := checkState(sv, "createImage", "active", "stopped", "paused", "suspended"); e != nil {
		return 0, nil, e
	}
	img := c.s.state.snapshotImage(c, sv, a.Name, a.Metadata)
	c.transition(sv, "image_snapshot", func() {})
	c.hdr.Set("Location", c.s.baseURL(c.r)+ImagePath+"/v2/images/"+img.ID)
	if c.mv.atLeast(2, 45) {
		return http.StatusAccepted, map[string]any{"image_id": img.ID}, nil
	}
	return http.StatusAccepted, nil, nil
}

func rebuildAction(c *call, sv *server, arg json.RawMessage) (int, any, *apiError) {
	var a struct {
		ImageRef  string            `json:"imageRef"`
		Name      string            `json:"name"`
		AdminPass string            `json:"adminPass"`
		Metadata  map[string]string `json:"metadata"`
	}
	if json.Unmarshal(arg, &a) != nil || a.ImageRef == "" {
		return 0, nil, badRequest("Invalid input for field/attribute rebuild. Value: {}. 'imageRef' is a required property")
	}
	if e := checkState(sv, "rebuild", "active", "stopped", "error"); e != nil {
		return 0, nil, e
	}
	img := c.s.state.imageByID(lastPathSegment(a.ImageRef))
	if img == nil || img.Status != "active" {
		return 0, nil, badRequest("Cannot find requested image " + a.ImageRef + ".")
	}
	sv.ImageID = img.ID
	if a.Name != "" {
		sv.Name = a.Name
	}
	if a.Metadata != nil {
		sv.Metadata = a.Metadata
	}
	sv.AdminPass = a.AdminPass
	if sv.AdminPass == "" {
		sv.AdminPass = newHexID()[:12]
	}
	prev := sv.VMState
	c.transition(sv, "rebuilding", func() {
		if prev == "stopped" {
			sv.VMState, sv.PowerState = "stopped", powerShutdown
			return
		}
		sv.VMState, sv.PowerState = "active", powerRunning
	})
	b := c.serverBody(sv)
	b["adminPass"] = sv.AdminPass
	return http.StatusAccepted, map[string]any{"server": b}, nil
}
