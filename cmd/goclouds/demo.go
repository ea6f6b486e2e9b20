package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/types"
)

// demoJobDelay is how long the demo's simulated async jobs take: long
// enough to show the states moving, short enough to finish in seconds.
const demoJobDelay = 300 * time.Millisecond

func newDemoCmd(env *cliEnv) *cobra.Command {
	var jobDelay time.Duration
	cmd := &cobra.Command{
		Use:   "demo [--provider cloudstack|ec2|openstack]",
		Short: "Run Libcloud's getting-started flow against an in-process simulator (CloudStack's by default)",
		Long: `Start a provider's API simulator (CloudStack's by default; --provider ec2
for Amazon EC2's, --provider openstack for OpenStack's) on a free loopback port, in this process, and run
Libcloud's getting-started flow through the public Go API, printing each
step: get the driver from the registry, list images, list sizes, create
node "toto" from the first image and size, print its UUID and name, stop
it, start it, list nodes, destroy it.

It needs no network, no credentials and no configuration; the other global
flags (--url, --api-key, ...) and the environment are ignored.`,
		Example: `  goclouds demo
  goclouds demo --provider ec2
  goclouds demo --provider openstack
  go run ./cmd/goclouds demo`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if jobDelay < 0 {
				return usageErrorf("--job-delay must not be negative")
			}
			provider := types.ProviderCloudStack
			if env.root.PersistentFlags().Changed("provider") {
				provider = types.Provider(env.flags.provider).Normalize()
			}
			start, ok := demoSimulators[provider]
			if !ok {
				return usageErrorf("no demo for provider %q; goclouds demo runs %s", provider, strings.Join(demoProviders(), ", "))
			}
			sim, err := start(jobDelay)
			if err != nil {
				return fmt.Errorf("demo: starting the simulator: %w", err)
			}
			defer sim.close()
			return runDemo(cmd.Context(), env, sim)
		},
	}
	cmd.Flags().DurationVar(&jobDelay, "job-delay", demoJobDelay, "how long each simulated async job (or state transition) takes")
	return cmd
}

// demoProviders returns the providers `goclouds demo` runs on, sorted.
func demoProviders() []string {
	var names []string
	for _, p := range slices.Sorted(maps.Keys(demoSimulators)) {
		names = append(names, string(p))
	}
	return names
}

// demoSim is a running simulator the demo talks to.
type demoSim struct {
	// provider is the driver the demo gets from the registry; constant is
	// its name in Go (types.ProviderCloudStack) and title its cloud's
	// (CloudStack).
	provider        types.Provider
	constant, title string
	// url is the simulator's endpoint and cfg the driver's configuration.
	url   string
	cfg   compute.Config
	close func()
}

// demoWait polls a node's state quickly: the simulators' transitions take
// --job-delay.
var demoWait = &compute.WaitOptions{Interval: 50 * time.Millisecond, Timeout: time.Minute}

// runDemo runs the getting-started flow against sim, printing each step to
// stdout.
func runDemo(ctx context.Context, env *cliEnv, sim *demoSim) error {
	w := env.stdout
	fmt.Fprintf(w, "%s simulator listening on %s (in-process, loopback only)\n\n", sim.title, sim.url)

	step(w, 1, fmt.Sprintf("providers.GetDriver(%s)", sim.constant))
	factory, err := providers.GetDriver(sim.provider)
	if err != nil {
		return err
	}
	d, err := factory(sim.cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   driver for provider %q at %s\n", d.Provider(), sim.url)

	step(w, 2, "driver.ListImages(ctx, nil)")
	images, err := d.ListImages(ctx, nil)
	if err != nil {
		return err
	}
	if len(images) == 0 {
		return fmt.Errorf("demo: the simulator offers no image")
	}
	if err := demoTable(w, images, imageColumns); err != nil {
		return err
	}

	step(w, 3, "driver.ListSizes(ctx, nil)")
	sizes, err := d.ListSizes(ctx, nil)
	if err != nil {
		return err
	}
	if len(sizes) == 0 {
		return fmt.Errorf("demo: the simulator offers no size")
	}
	if err := demoTable(w, sizes, sizeColumns); err != nil {
		return err
	}

	step(w, 4, fmt.Sprintf(`driver.CreateNode(ctx, &compute.CreateNodeRequest{Name: "toto", Image: images[0] (%s), Size: sizes[0] (%s)})`,
		nameOrID(images[0].Name, images[0].ID), nameOrID(sizes[0].Name, sizes[0].ID)))
	node, err := withProgress(env, "deploying toto", func() (*compute.Node, error) {
		return d.CreateNode(ctx, &compute.CreateNodeRequest{Name: "toto", Image: images[0], Size: sizes[0]})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   node.UUID() = %s\n   node.Name   = %s\n   node.ID     = %s\n   node.State  = %s\n",
		node.UUID(), node.Name, node.ID, node.State)
	if node.State != types.NodeStateRunning {
		// EC2 answers RunInstances with a pending instance.
		n, err := withProgress(env, "waiting for toto", func() (*compute.Node, error) {
			return compute.WaitForState(ctx, d, node.ID, types.NodeStateRunning, demoWait)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   compute.WaitForState(ctx, driver, node.ID, types.NodeStateRunning, ...): node %s is %s\n", n.Name, n.State)
	}

	for i, s := range []struct {
		call string
		do   func(context.Context, string) error
		want types.NodeState
	}{
		{"driver.StopNode(ctx, node.ID)", d.StopNode, types.NodeStateStopped},
		{"driver.StartNode(ctx, node.ID)", d.StartNode, types.NodeStateRunning},
	} {
		step(w, 5+i, s.call)
		if err := doWithProgress(env, s.call, func() error { return s.do(ctx, node.ID) }); err != nil {
			return err
		}
		// CloudStack's calls return when the job is done, EC2's when the
		// transition has begun: wait for the state either way.
		n, err := withProgress(env, "waiting for toto", func() (*compute.Node, error) {
			return compute.WaitForState(ctx, d, node.ID, s.want, demoWait)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   node %s is %s\n", n.Name, n.State)
	}

	step(w, 7, "driver.ListNodes(ctx)")
	nodes, err := d.ListNodes(ctx)
	if err != nil {
		return err
	}
	if err := demoTable(w, nodes, nodeColumns); err != nil {
		return err
	}

	step(w, 8, "driver.DestroyNode(ctx, node.ID)")
	if err := doWithProgress(env, "destroying toto", func() error { return d.DestroyNode(ctx, node.ID) }); err != nil {
		return err
	}
	fmt.Fprintf(w, "   node %s destroyed\n\nDone: every step went through the %s API, signed, as against a real cloud.\n", node.ID, sim.title)
	return nil
}

// step prints a step's heading.
func step(w io.Writer, n int, call string) {
	fmt.Fprintf(w, "%d. %s\n", n, call)
}

// demoTable prints rows as an indented table.
func demoTable[T any](w io.Writer, rows []T, cols []column[T]) error {
	return render(&indentWriter{w: w, prefix: "   "}, outputTable, nil, rows, cols)
}

// indentWriter prefixes every line written through it.
type indentWriter struct {
	w       io.Writer
	prefix  string
	midLine bool
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	var out []byte
	for _, b := range p {
		if !iw.midLine {
			out = append(out, iw.prefix...)
		}
		out = append(out, b)
		iw.midLine = b != '\n'
	}
	if _, err := iw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
