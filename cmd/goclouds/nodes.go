package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/cloudstack"
	"github.com/goclouds/goclouds/types"
)

// nodeCommands holds constructors of extra `goclouds nodes` subcommands
// that other files add with registerNodeCommand from an init function (for
// example nodes_deploy.go for `goclouds nodes deploy`).
var nodeCommands []func(*cliEnv) *cobra.Command

// registerNodeCommand adds a `goclouds nodes` subcommand. Call it from an
// init function:
//
//	func init() { registerNodeCommand(newNodesDeployCmd) }
func registerNodeCommand(newCmd func(*cliEnv) *cobra.Command) {
	nodeCommands = append(nodeCommands, newCmd)
}

func newNodesCmd(env *cliEnv) *cobra.Command {
	subs := []*cobra.Command{
		newNodesListCmd(env),
		newNodesGetCmd(env),
		newNodesCreateCmd(env),
		newNodeActionCmd(env, "reboot", "rebooted", "Reboot nodes", compute.Driver.RebootNode),
		newNodeActionCmd(env, "start", "started", "Start stopped nodes", compute.Driver.StartNode),
		newNodeActionCmd(env, "stop", "stopped", "Stop running nodes", compute.Driver.StopNode),
		newNodeActionCmd(env, "destroy", "destroyed", "Destroy nodes", compute.Driver.DestroyNode),
		newNodesWaitCmd(env),
		newNodesResizeCmd(env),
	}
	for _, newCmd := range nodeCommands {
		subs = append(subs, newCmd(env))
	}
	return newGroupCmd("nodes", "List, create and manage nodes (virtual machines)",
		`  goclouds nodes list
  goclouds nodes create web1 --image "Ubuntu 22.04" --size Small --wait
  goclouds nodes stop web1`, subs...)
}

func newNodesListCmd(env *cliEnv) *cobra.Command {
	var f nodeFilterFlags
	cmd := newListCmd(env, "List nodes",
		`  goclouds nodes list
  goclouds nodes list --state running --tag env=prod
  goclouds nodes list -o json | jq -r '.[].id'`,
		nodeColumns, func(ctx context.Context, d compute.Driver) ([]*compute.Node, error) {
			filter, err := f.filter()
			if err != nil {
				return nil, err
			}
			if filter == nil {
				nodes, err := d.ListNodes(ctx)
				return withoutNodeSecrets(nodes), err
			}
			nodes := []*compute.Node{}
			for n, err := range compute.IterNodes(ctx, d, filter) {
				if err != nil {
					return nil, err
				}
				nodes = append(nodes, n)
			}
			return withoutNodeSecrets(nodes), nil
		})
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "list the nodes with exactly this name")
	fl.StringArrayVar(&f.states, "state", nil, "list the nodes in this state: running, stopped, ... (repeatable)")
	fl.StringArrayVar(&f.tags, "tag", nil, "list the nodes with this tag key=value (repeatable: all must match)")
	return cmd
}

// nodeFilterFlags are the filters of `nodes list`.
type nodeFilterFlags struct {
	name         string
	states, tags []string
}

// filter returns the compute.NodeFilter the flags ask for, nil for none.
func (f *nodeFilterFlags) filter() (*compute.NodeFilter, error) {
	if f.name == "" && len(f.states) == 0 && len(f.tags) == 0 {
		return nil, nil
	}
	nf := &compute.NodeFilter{Name: f.name}
	for _, text := range f.states {
		st, err := types.ParseNodeState(text)
		if err != nil {
			return nil, usageErrorf("--state: %v", err)
		}
		nf.States = append(nf.States, st)
	}
	tags, err := parseTags(f.tags)
	if err != nil {
		return nil, err
	}
	nf.Tags = tags
	return nf, nil
}

func newNodesGetCmd(env *cliEnv) *cobra.Command {
	return &cobra.Command{
		Use:   "get NODE",
		Short: "Show a node, by id or by name",
		Example: `  goclouds nodes get 6b2c4c6e-5c4e-4cbb-9f3e-1f4f2e0f1a11
  goclouds nodes get web1 -o yaml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showOne(env, cmd, nodeColumns, func(ctx context.Context, d compute.Driver) (*compute.Node, error) {
				n, err := resolveNode(ctx, d, args[0])
				nodeSecret(n)
				return n, err
			})
		},
	}
}

// waitFlags are the flags of commands that wait for a node's state.
type waitFlags struct {
	timeout  time.Duration
	interval time.Duration
}

func (w *waitFlags) add(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&w.timeout, "wait-timeout", 10*time.Minute, "how long to wait for the state")
	cmd.Flags().DurationVar(&w.interval, "interval", 5*time.Second, "delay between polls while waiting")
}

func (w *waitFlags) options() (*compute.WaitOptions, error) {
	if w.timeout <= 0 || w.interval <= 0 {
		return nil, usageErrorf("--wait-timeout and --interval must be positive")
	}
	return &compute.WaitOptions{Timeout: w.timeout, Interval: w.interval}, nil
}

// waitForNode waits, with a progress indicator, until the node reaches state.
func (env *cliEnv) waitForNode(ctx context.Context, d compute.Driver, id string, state types.NodeState, w *waitFlags) (*compute.Node, error) {
	opts, err := w.options()
	if err != nil {
		return nil, err
	}
	return withProgress(env, fmt.Sprintf("waiting for node %s to be %s", id, state), func() (*compute.Node, error) {
		return compute.WaitForState(ctx, d, id, state, opts)
	})
}

// createFlags are the flags of `nodes create`.
type createFlags struct {
	image, size, location string
	sshKeyFile            string
	passwordFile          string
	wait                  bool
	wf                    waitFlags

	// Portable fields of compute.CreateNodeRequest.
	networks       []string
	securityGroups []string
	userData       string
	userDataFile   string
	tags           []string
	// loaded holds the user data and tags read by load.
	loaded struct {
		userData []byte
		tags     map[string]string
	}

	// CloudStack options (cloudstack.CreateNodeOptions).
	keyPair string
	opts    []string
}

func newNodesCreateCmd(env *cliEnv) *cobra.Command {
	var f createFlags
	cmd := &cobra.Command{
		Use:   "create NAME --image IMAGE --size SIZE",
		Short: "Create a node",
		Long: `Create a node from an image and a size (each given by id or by name),
in a location (by id or name; default: the provider's choice, for CloudStack
the first zone). With --wait, wait until it is running. Prints the node.

Every provider takes --user-data or --user-data-file (cloud-init, sent as the
provider wants it), --tag key=value, --network and --security-group (ids or
names, as the provider documents: CloudStack takes network ids, and security
group ids or names).

CloudStack options: --keypair, and --opt key=value for any other field of
cloudstack.CreateNodeOptions (project_id, disk_offering_id, root_disk_size,
ip_address, start_vm, ...).

A password CloudStack generates for the node (password-enabled templates) is
returned once: it is written to --password-file (0600, created before the
node; - for stdout alone), and never printed with the node.`,
		Example: `  goclouds nodes create web1 --image "Ubuntu 22.04" --size Small
  goclouds nodes create web1 --image 7e1f... --size 1 --location zone1 \
      --ssh-key-file ~/.ssh/id_ed25519.pub --wait
  goclouds nodes create web2 --image centos --size Medium --network 9b2e... \
      --keypair deploy --user-data-file cloud-init.yaml --opt root_disk_size=50
  goclouds nodes create web3 --image centos --size Small --tag env=prod --tag team=web`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.createNode(cmd, args[0], &f)
		},
	}
	f.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.sshKeyFile, "ssh-key-file", "", "OpenSSH public key file to install")
	fl.BoolVar(&f.wait, "wait", false, "wait until the node is running")
	f.wf.add(cmd)
	return cmd
}

// add registers the flags `nodes create` and `nodes deploy` share: image,
// size, location, --password-file and the CloudStack options.
func (f *createFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.image, "image", "", "image id or name (required)")
	fl.StringVar(&f.size, "size", "", "size id or name (required)")
	fl.StringVar(&f.location, "location", "", "location id or name")
	fl.StringVar(&f.passwordFile, "password-file", "", "where to write a generated password (- for stdout)")
	fl.StringArrayVar(&f.networks, "network", nil, "network to attach, id (or name where the provider takes names; repeatable, the first is the default)")
	fl.StringArrayVar(&f.securityGroups, "security-group", nil, "security group id or name (repeatable)")
	fl.StringVar(&f.userData, "user-data", "", "user data (cloud-init) given inline")
	fl.StringVar(&f.userDataFile, "user-data-file", "", "user data file (cloud-init)")
	fl.StringArrayVar(&f.tags, "tag", nil, "tag key=value to set on the node (repeatable)")
	fl.StringVar(&f.keyPair, "keypair", "", "CloudStack: registered SSH key pair name")
	fl.StringArrayVar(&f.opts, "opt", nil, "CloudStack: create option key=value (repeatable)")
}

// createNode runs `nodes create`.
func (env *cliEnv) createNode(cmd *cobra.Command, name string, f *createFlags) error {
	if err := f.check("nodes create"); err != nil {
		return err
	}
	var auth compute.NodeAuth
	if f.sshKeyFile != "" {
		data, err := os.ReadFile(expandHome(env, f.sshKeyFile))
		if err != nil {
			return usageErrorf("--ssh-key-file: %v", err)
		}
		auth = compute.NodeAuthSSHKey(strings.TrimSpace(string(data)))
	}
	providerOpts, err := f.providerOptions(env)
	if err != nil {
		return err
	}
	ctx, d, err := env.connect(cmd)
	if err != nil {
		return err
	}
	req, err := f.request(ctx, d, "nodes create", name, auth, providerOpts)
	if err != nil {
		return err
	}
	sink, err := openSecretSink(env, "password-file", f.passwordFile)
	if err != nil {
		return err
	}
	n, err := withProgress(env, "creating node "+name, func() (*compute.Node, error) {
		return d.CreateNode(ctx, req)
	})
	if err != nil {
		sink.discard()
		return err
	}
	if wrote, err := keepNodePassword(env, sink, n); err != nil || wrote && sink.toStdout() {
		return err
	}
	if f.wait {
		if n, err = env.waitForNode(ctx, d, n.ID, types.NodeStateRunning, &f.wf); err != nil {
			return err
		}
	}
	return renderOne(env, withoutNodeSecrets([]*compute.Node{n})[0], nodeColumns)
}

// check reports a usage error when the image or the size is missing; verb
// is the command, such as "nodes create".
func (f *createFlags) check(verb string) error {
	if f.image == "" || f.size == "" {
		return usageErrorf("%s needs --image and --size (see 'goclouds images list', 'goclouds sizes list')", verb)
	}
	return nil
}

// request resolves the image, size and location into a request, with the
// CloudStack options when given (providerOpts, from providerOptions); verb
// is the command, such as "nodes create", for errors.
func (f *createFlags) request(ctx context.Context, d compute.Driver, verb, name string,
	auth compute.NodeAuth, providerOpts map[string]any) (*compute.CreateNodeRequest, error) {
	req := &compute.CreateNodeRequest{Name: name, Auth: auth, UserData: f.loaded.userData, Tags: f.loaded.tags,
		Networks: f.networks, SecurityGroups: f.securityGroups}
	if providerOpts != nil {
		if _, ok := compute.As[*cloudstack.Driver](d); !ok {
			return nil, usageErrorf("--keypair and --opt are CloudStack options; the %s provider takes none", d.Provider())
		}
		o, err := cloudstack.ParseCreateNodeOptions(providerOpts)
		if err != nil {
			return nil, usageErrorf("%s: %v", verb, err)
		}
		req.ProviderOptions = o
	}
	var err error
	if req.Location, err = resolveLocation(ctx, d, f.location); err != nil {
		return nil, err
	}
	if req.Image, err = resolveImage(ctx, d, f.image, req.Location); err != nil {
		return nil, err
	}
	if req.Size, err = resolveSize(ctx, d, f.size, req.Location); err != nil {
		return nil, err
	}
	return req, nil
}

// keepNodePassword removes the node's generated password from it and writes
// it to the sink (wrote is then true), or says on stderr that it was not
// kept, or that there was none to write to the sink.
func keepNodePassword(env *cliEnv, sink *secretSink, n *compute.Node) (wrote bool, err error) {
	password := nodeSecret(n)
	switch {
	case password != "" && sink != nil:
		return true, sink.write(env, "the password of node "+n.ID, password)
	case password != "":
		fmt.Fprintf(env.stderr, "goclouds: note: a password was generated for node %s; it is not shown (use --password-file to keep it)\n", n.ID)
	case sink != nil:
		sink.discard()
		fmt.Fprintf(env.stderr, "goclouds: note: the provider generated no password for node %s; nothing was written to %s\n", n.ID, sink.path)
	}
	return false, nil
}

// providerOptions reads the user data and tags (see load) and gathers the
// CloudStack create options given as flags, nil when there are none.
func (f *createFlags) providerOptions(env *cliEnv) (map[string]any, error) {
	if err := f.load(env); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for _, o := range f.opts {
		k, v, ok := strings.Cut(o, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageErrorf("--opt %q: want key=value", o)
		}
		m[strings.TrimSpace(k)] = v
	}
	if f.keyPair != "" {
		m["key_pair"] = f.keyPair
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// load reads --user-data or --user-data-file and parses the --tag flags.
func (f *createFlags) load(env *cliEnv) error {
	switch {
	case f.userData != "" && f.userDataFile != "":
		return usageErrorf("give --user-data or --user-data-file, not both")
	case f.userData != "":
		f.loaded.userData = []byte(f.userData)
	case f.userDataFile != "":
		data, err := os.ReadFile(expandHome(env, f.userDataFile))
		if err != nil {
			return usageErrorf("--user-data-file: %v", err)
		}
		f.loaded.userData = data
	}
	tags, err := parseTags(f.tags)
	if err != nil {
		return err
	}
	f.loaded.tags = tags
	return nil
}

// parseTags parses key=value flags (--tag) into a map, nil for none.
func parseTags(flags []string) (map[string]string, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	tags := make(map[string]string, len(flags))
	for _, t := range flags {
		k, v, ok := strings.Cut(t, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageErrorf("--tag %q: want key=value", t)
		}
		tags[strings.TrimSpace(k)] = v
	}
	return tags, nil
}

// newNodeActionCmd returns `goclouds nodes <verb> NODE...`.
func newNodeActionCmd(env *cliEnv, verb, done, short string, do func(compute.Driver, context.Context, string) error) *cobra.Command {
	return newActionCmd(env, actionSpec{
		kind: "node", verb: verb, done: done,
		short: short + ", by id or by name",
		example: fmt.Sprintf(`  goclouds nodes %[1]s web1
  goclouds nodes %[1]s 6b2c4c6e-5c4e-4cbb-9f3e-1f4f2e0f1a11 web2 -o json`, verb),
		resolve: nodeID,
		do:      func(ctx context.Context, d compute.Driver, id string) error { return do(d, ctx, id) },
	})
}

func newNodesWaitCmd(env *cliEnv) *cobra.Command {
	var (
		state string
		wf    waitFlags
	)
	cmd := &cobra.Command{
		Use:   "wait NODE",
		Short: "Wait until a node reaches a state (default running)",
		Long: `Poll a node (by id or name) until it reaches the state, then print it.
Waiting for "terminated" also succeeds when the node is gone. Reaching the
error state fails. Ctrl-C stops waiting.`,
		Example: `  goclouds nodes wait web1
  goclouds nodes wait web1 --state stopped --interval 2s --wait-timeout 5m`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			want, err := types.ParseNodeState(state)
			if err != nil {
				return asUsage(err)
			}
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			n, err := resolveNode(ctx, d, args[0])
			if errors.Is(err, compute.ErrNotFound) && want == types.NodeStateTerminated {
				return renderOne(env, actionResult{Kind: "node", ID: args[0], Action: "terminated"}, actionColumns)
			}
			if err != nil {
				return err
			}
			got, err := env.waitForNode(ctx, d, n.ID, want, &wf)
			if err != nil {
				return err
			}
			if got == nil { // terminated and gone
				return renderOne(env, actionResult{Kind: "node", ID: n.ID, Action: "terminated"}, actionColumns)
			}
			return renderOne(env, got, nodeColumns)
		},
	}
	cmd.Flags().StringVar(&state, "state", string(types.NodeStateRunning), "state to wait for: running, stopped, terminated, ...")
	wf.add(cmd)
	return cmd
}
