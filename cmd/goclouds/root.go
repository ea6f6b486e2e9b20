package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// cliEnv is what every command reads instead of globals, so tests can run the
// CLI in-process.
type cliEnv struct {
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// run is the CLI's entry point; it returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	env := &cliEnv{stdout: stdout, stderr: stderr, getenv: getenv}
	root := newRootCmd(env)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "goclouds:", err)
		return 1
	}
	return 0
}

func newRootCmd(env *cliEnv) *cobra.Command {
	root := &cobra.Command{
		Use:           "goclouds",
		Short:         "One compute API over many clouds",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newSimCmd(env))
	return root
}
