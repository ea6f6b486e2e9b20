package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// cliEnv is what every command reads instead of globals, so tests can run the
// CLI in-process.
type cliEnv struct {
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	// isTerminal reports whether w is a terminal; progress indicators are
	// shown on stderr only when it is.
	isTerminal func(w io.Writer) bool

	// flags holds the global flags; root is the command they belong to.
	flags globalFlags
	root  *cobra.Command

	// started is set once a command's own code runs: an error returned
	// before that is a usage error (flags, arguments, unknown command).
	started bool
	// cleanups run when the command has finished (timers, servers).
	cleanups []func()
	// timeout is the command's time limit, when set, and where it comes
	// from, to explain a deadline error.
	timeout       time.Duration
	timeoutSource string
	// scrubber removes the configured secret from error messages.
	scrubber scrubber
}

// run is the CLI's entry point; it returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	env := &cliEnv{stdout: stdout, stderr: stderr, getenv: getenv, isTerminal: isTerminal}
	return env.execute(ctx, args)
}

// execute runs the command line args and reports any error on stderr, in
// one line, returning the exit code it maps to.
func (env *cliEnv) execute(ctx context.Context, args []string) int {
	root := newRootCmd(env)
	root.SetArgs(args)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	for i := len(env.cleanups) - 1; i >= 0; i-- {
		env.cleanups[i]()
	}
	if err == nil {
		return exitOK
	}
	if !env.started {
		err = asUsage(err)
	}
	if env.timeout > 0 && errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s (timeout from %s): %w", env.timeout, env.timeoutSource, err)
	}
	path := root.CommandPath()
	if cmd != nil {
		path = cmd.CommandPath()
	}
	return reportError(env.stderr, err, path, env.scrubber)
}

// onCleanup registers f to run when the command has finished.
func (env *cliEnv) onCleanup(f func()) { env.cleanups = append(env.cleanups, f) }

func newRootCmd(env *cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:   "goclouds",
		Short: "One compute API over many clouds",
		Long: `goclouds drives any goclouds provider from the shell: Apache CloudStack
(and the CloudStack-based exoscale, ikoula, auroracompute presets), or the
in-memory dummy provider.

Configuration comes from flags, then the environment (CLOUDSTACK_API_URL,
CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY, CLOUDSTACK_TIMEOUT,
CLOUDSTACK_CA_FILE, GOCLOUDS_PROVIDER), then cloudmonkey's config file
(~/.cmk/config, or --config), whose active profile (or --profile) gives
url, apikey and secretkey.

Exit codes: 0 success, 1 failure, 2 usage or configuration error,
3 not found, 4 permission denied, 130 interrupted.`,
		Example: `  # Try it without a cloud: a simulated CloudStack, in-process
  goclouds demo

  # List the nodes of a CloudStack cloud
  export CLOUDSTACK_API_URL=https://cloud.example.com/client/api
  export CLOUDSTACK_API_KEY=... CLOUDSTACK_SECRET_KEY=...
  goclouds nodes list

  # Use a cloudmonkey profile, JSON output
  goclouds --profile prod nodes list -o json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noSubcommand,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(*cobra.Command, []string) error {
			env.started = true
			return checkOutput(env.flags.output)
		},
	}
	env.root = root
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	env.addGlobalFlags(root)
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(
		newNodesCmd(env),
		newImagesCmd(env),
		newSizesCmd(env),
		newLocationsCmd(env),
		newVolumesCmd(env),
		newSnapshotsCmd(env),
		newKeyPairsCmd(env),
		newProvidersCmd(env),
		newAPICmd(env),
		newDemoCmd(env),
		newCompletionCmd(env),
		newSimCmd(env),
	)
	return root
}

// newGroupCmd returns a command that only groups subcommands: without
// arguments it prints its help, with an unknown one it fails as a usage
// error (cobra would otherwise print the help and succeed).
func newGroupCmd(use, short, example string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    noSubcommand,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	c.AddCommand(subs...)
	return c
}

// noSubcommand rejects arguments on a command that only groups others.
func noSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		hint := ""
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's default, set only on its own path
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			hint = fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return usageErrorf("unknown command %q for %q%s", args[0], cmd.CommandPath(), hint)
	}
	return nil
}

// newHelpCmd replaces cobra's help command, to give it an example.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Example: `  goclouds help nodes create
  goclouds nodes create --help`,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, _, err := cmd.Root().Find(args)
			if err != nil || target == nil {
				return usageErrorf("unknown help topic %q", args)
			}
			return target.Help()
		},
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
