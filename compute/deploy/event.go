package deploy

import (
	"fmt"

	"github.com/goclouds/goclouds/compute"
)

// Event reports DeployNode's progress to Options.Progress. It holds no
// secrets, but Node may carry the provider's generated password in Extra.
type Event struct {
	// Phase is the phase starting (PhaseDone: the deployment succeeded).
	Phase Phase
	// Node is the node; nil in PhaseCreate.
	Node *compute.Node
	// Address ("host:port") and Username are where DeployNode connects
	// (first try) or is connected.
	Address, Username string
	// Step, StepIndex (from 0), Steps (their number) and Attempt (from 1)
	// describe the step starting, in PhaseDeploy.
	Step      Deployment
	StepIndex int
	Steps     int
	Attempt   int
	// Err is the failure that PhaseCleanup cleans up after.
	Err error
}

// String describes the event in one line, for progress displays.
func (e Event) String() string {
	node := ""
	if e.Node != nil {
		node = fmt.Sprintf("node %q", e.Node.ID)
		if e.Node.Name != "" {
			node += " (" + e.Node.Name + ")"
		}
	}
	switch e.Phase {
	case PhaseCreate:
		return "create: creating the node"
	case PhaseWait:
		return fmt.Sprintf("wait: %s created, waiting until it runs with an address", node)
	case PhaseConnect:
		return fmt.Sprintf("connect: connecting to %s@%s", e.Username, e.Address)
	case PhaseDeploy:
		s := fmt.Sprintf("deploy: step %d/%d: %s", e.StepIndex+1, e.Steps, describe(e.Step))
		if e.Attempt > 1 {
			s += fmt.Sprintf(" (try %d)", e.Attempt)
		}
		return s
	case PhaseDone:
		return fmt.Sprintf("done: %s deployed, reachable as %s@%s", node, e.Username, e.Address)
	case PhaseCleanup:
		return fmt.Sprintf("cleanup: destroying %s after: %v", node, e.Err)
	}
	return string(e.Phase)
}

// event logs e and passes it to the Progress callback.
func (dp *deployer) event(e Event) {
	dp.cfg.log.Info("deploy: " + e.String())
	if dp.cfg.Progress != nil {
		dp.cfg.Progress(e)
	}
}
