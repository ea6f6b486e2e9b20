package main

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// Argument validators whose errors are usage errors (exit code 2).

// noArgs accepts no positional arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

// exactArgs accepts exactly n positional arguments.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s wants %d argument(s) (%s), got %d", cmd.CommandPath(), n, argNames(cmd), len(args))
		}
		return nil
	}
}

// minArgs accepts at least n positional arguments.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("%s wants at least %d argument(s) (%s), got %d", cmd.CommandPath(), n, argNames(cmd), len(args))
		}
		return nil
	}
}

// argNames is the argument part of a command's usage line.
func argNames(cmd *cobra.Command) string {
	_, rest, _ := strings.Cut(cmd.Use, " ")
	return rest
}

// expandHome expands a leading "~/" with $HOME.
func expandHome(env *cliEnv, path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home := env.getenv("HOME"); home != "" {
			return filepath.Join(home, rest)
		}
	}
	return path
}
