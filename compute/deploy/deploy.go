package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/goclouds/goclouds/compute"
)

// DeployNode creates a node, waits until it runs and has an address, logs in
// over SSH (retrying until Options.ConnectTimeout, verifying the host key)
// and runs steps on it, in order. It returns the deployed node.
//
// Everything that can be checked up front is checked before the node is
// created: the options, the private keys, the host key policy and the steps
// (their Validate methods), so bad input costs no node; those errors match
// compute.ErrInvalidArgument. If CreateNode fails, its error is returned.
// Once the node exists, every failure is a *DeploymentError carrying the
// node, and the node is destroyed or kept as Options.OnFailure says (it is
// destroyed even when ctx was canceled); it is never left behind unreported.
//
// The login password is Options.Password, else req.Auth.Password, else the
// one the provider generated (node.Extra["password"]). Keys from the
// options are offered first.
func DeployNode(ctx context.Context, d compute.Driver, req *compute.CreateNodeRequest,
	steps Deployment, opts *Options) (*compute.Node, error) {
	if d == nil || req == nil {
		return nil, invalid(errors.New("a driver and a request are required"))
	}
	leaves, err := flatten(steps)
	if err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	dp := &deployer{d: d, req: req, cfg: cfg, steps: leaves}
	return dp.deploy(ctx)
}

// deployer holds one DeployNode call's state.
type deployer struct {
	d     compute.Driver
	req   *compute.CreateNodeRequest
	cfg   *config
	steps []Deployment
	node  *compute.Node
}

func (dp *deployer) deploy(ctx context.Context) (*compute.Node, error) {
	dp.event(Event{Phase: PhaseCreate})
	node, err := dp.d.CreateNode(ctx, dp.req)
	if err != nil {
		return nil, dp.createFailed(ctx, err)
	}
	if node == nil {
		return nil, fmt.Errorf("deploy: %s driver returned no node and no error", dp.d.Provider())
	}
	dp.node = node
	dp.event(Event{Phase: PhaseWait, Node: node})
	addrs, err := dp.wait(ctx)
	if err != nil {
		return nil, dp.fail(ctx, &DeploymentError{Phase: PhaseWait, Err: err})
	}
	k, err := dp.connector(addrs)
	if err != nil {
		return nil, dp.fail(ctx, &DeploymentError{Phase: PhaseConnect, Err: err})
	}
	dp.event(Event{Phase: PhaseConnect, Node: dp.node, Address: k.addrs[0], Username: k.users[0]})
	client, err := k.connect(ctx)
	if err != nil {
		return nil, dp.fail(ctx, &DeploymentError{Phase: PhaseConnect, Err: err})
	}
	defer func() {
		if client != nil {
			client.Close()
		}
	}()
	for i, step := range dp.steps {
		for attempt := 1; ; attempt++ {
			dp.event(Event{Phase: PhaseDeploy, Node: dp.node, Address: client.addr, Username: client.user,
				Step: step, StepIndex: i, Steps: len(dp.steps), Attempt: attempt})
			n, err := dp.runStep(ctx, step, client)
			if err == nil {
				if n != nil {
					dp.node = n
				}
				break
			}
			if !isConnLost(err) || attempt >= dp.cfg.MaxTries || ctx.Err() != nil {
				return nil, dp.fail(ctx, &DeploymentError{Phase: PhaseDeploy, Step: step, StepIndex: i,
					Attempts: attempt, Err: err})
			}
			dp.cfg.log.Warn("deploy: connection lost, reconnecting", "step", describe(step), "attempt", attempt,
				"error", err)
			client.Close()
			if client, err = k.connect(ctx); err != nil {
				return nil, dp.fail(ctx, &DeploymentError{Phase: PhaseDeploy, Step: step, StepIndex: i,
					Attempts: attempt, Err: err})
			}
		}
	}
	dp.event(Event{Phase: PhaseDone, Node: dp.node, Address: client.addr, Username: client.user})
	return dp.node, nil
}

// runStep runs step. A step that panics still gets the node cleaned up as
// OnFailure says; then the panic goes on.
func (dp *deployer) runStep(ctx context.Context, step Deployment, c *sshClient) (n *compute.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = dp.fail(ctx, &DeploymentError{Phase: PhaseDeploy, Step: step, Attempts: 1,
				Err: fmt.Errorf("step panicked: %v", p)})
			c.Close()
			panic(p)
		}
	}()
	return step.Run(ctx, dp.node.Clone(), c)
}

// wait waits until the node runs with an address of the wanted family and
// returns its addresses.
func (dp *deployer) wait(ctx context.Context) ([]string, error) {
	deadline := time.Now().Add(dp.cfg.WaitTimeout)
	wo := &compute.WaitOptions{Interval: dp.cfg.WaitInterval, Timeout: dp.cfg.WaitTimeout,
		Interface: dp.cfg.Interface, AllowIPv6: dp.cfg.Family != IPv4}
	for {
		running, err := compute.WaitUntilRunning(ctx, dp.d, []*compute.Node{dp.node}, wo)
		if err != nil {
			return nil, err
		}
		dp.node = mergeExtra(running[0].Node, dp.node)
		var addrs []string
		for _, a := range running[0].Addresses {
			if dp.cfg.Family != IPv6 || net.ParseIP(a).To4() == nil {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) > 0 {
			return addrs, nil
		}
		// Only IPv4 so far, and IPv6 is wanted: keep polling.
		if wo.Timeout = time.Until(deadline) - dp.cfg.WaitInterval; wo.Timeout <= 0 {
			return nil, fmt.Errorf("no IPv6 address on %s after %s", dp.cfg.Interface, dp.cfg.WaitTimeout)
		}
		if err := compute.Sleep(ctx, dp.cfg.WaitInterval); err != nil {
			return nil, err
		}
	}
}

// mergeExtra returns listed with the Extra keys only created had (a
// generated password appears in the create response, not in listings).
func mergeExtra(listed, created *compute.Node) *compute.Node {
	n := listed.Clone()
	for k, v := range created.Extra {
		if _, ok := n.Extra[k]; !ok {
			if n.Extra == nil {
				n.Extra = make(map[string]any)
			}
			n.Extra[k] = v
		}
	}
	return n
}

// connector prepares the connection attempts to the node's addresses.
func (dp *deployer) connector(addrs []string) (*connector, error) {
	port, err := sshPort(dp.cfg.Port, dp.node.Extra)
	if err != nil {
		return nil, err
	}
	password := loginPassword(dp.cfg, dp.req, dp.node)
	methods := authMethods(dp.cfg.signers, password)
	if len(methods) == 0 {
		return nil, fmt.Errorf("%w: give a private key or a password; the provider generated none", ErrNoAuth)
	}
	k := &connector{cfg: dp.cfg, users: dp.cfg.usernames, methods: methods}
	for _, a := range addrs {
		k.addrs = append(k.addrs, net.JoinHostPort(a, fmt.Sprint(port)))
	}
	return k, nil
}

// createFailed handles a CreateNode error. A driver that could not tell
// whether the node was created reports the new node's id in the error
// (compute.Error.ID): if a node with that id and the requested name exists,
// it is ours and is handled as any failed deployment.
func (dp *deployer) createFailed(ctx context.Context, err error) error {
	var ce *compute.Error
	if !errors.As(err, &ce) || ce.ID == "" {
		return fmt.Errorf("deploy: create: %w", err)
	}
	cctx, cancel := dp.cleanupContext(ctx)
	defer cancel()
	n, gerr := dp.d.GetNode(cctx, ce.ID)
	switch {
	case errors.Is(gerr, compute.ErrNotFound):
		return fmt.Errorf("deploy: create: %w", err)
	case gerr != nil:
		// Cannot tell: hand the id back rather than destroy blindly.
		dp.node = &compute.Node{ID: ce.ID, Name: dp.req.Name, Provider: dp.d.Provider()}
		return &DeploymentError{Node: dp.node, Phase: PhaseCreate, StepIndex: -1, Err: err,
			CleanupErr: fmt.Errorf("could not check whether node %q exists: %w", ce.ID, gerr)}
	case n.Name != dp.req.Name:
		return fmt.Errorf("deploy: create: %w", err)
	}
	dp.node = n
	return dp.fail(ctx, &DeploymentError{Phase: PhaseCreate, Err: err})
}

// fail completes e with the node, applies the failure policy and returns e.
func (dp *deployer) fail(ctx context.Context, e *DeploymentError) error {
	e.Node = dp.node
	if e.Step == nil {
		e.StepIndex = -1
	}
	if dp.cfg.OnFailure == DestroyOnFailure {
		dp.event(Event{Phase: PhaseCleanup, Node: dp.node, Err: e.Err})
		cctx, cancel := dp.cleanupContext(ctx)
		defer cancel()
		err := dp.d.DestroyNode(cctx, dp.node.ID)
		if err == nil || errors.Is(err, compute.ErrNotFound) {
			e.Destroyed = true
		} else {
			e.CleanupErr = err
		}
	}
	dp.cfg.log.Info("deploy: failed", "error", e)
	return e
}

// cleanupContext survives the caller's cancellation, so a canceled
// deployment still cleans up, but is bounded by CleanupTimeout.
func (dp *deployer) cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), dp.cfg.CleanupTimeout)
}
