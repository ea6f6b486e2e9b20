package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
)

// actionSpec describes a command that applies one action to resources named
// on the command line, such as `nodes stop NODE...`.
type actionSpec struct {
	kind    string // resource kind, as printed: "node"
	verb    string // subcommand name: "stop"
	done    string // past tense, as printed: "stopped"
	short   string // one-line help
	example string
	// resolve turns a reference (id or name) into the resource's id.
	resolve func(ctx context.Context, d compute.Driver, ref string) (string, error)
	// do applies the action.
	do func(ctx context.Context, d compute.Driver, id string) error
}

// newActionCmd returns the command for a: it resolves and acts on each
// argument in turn, stopping at the first failure, and prints one result
// per resource acted on.
func newActionCmd(env *cliEnv, a actionSpec) *cobra.Command {
	return &cobra.Command{
		Use:     a.verb + " " + strings.ToUpper(a.kind) + "...",
		Short:   a.short,
		Example: a.example,
		Args:    minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			results := make([]actionResult, 0, len(args))
			for _, ref := range args {
				id, err := a.resolve(ctx, d, ref)
				if err != nil {
					return err
				}
				if err := doWithProgress(env, a.verb+" "+a.kind+" "+id, func() error { return a.do(ctx, d, id) }); err != nil {
					return err
				}
				results = append(results, actionResult{Kind: a.kind, ID: id, Action: a.done})
			}
			return renderList(env, results, actionColumns)
		},
	}
}

// nodeID resolves a node reference to its id.
func nodeID(ctx context.Context, d compute.Driver, ref string) (string, error) {
	n, err := resolveNode(ctx, d, ref)
	if err != nil {
		return "", err
	}
	return n.ID, nil
}

// volumeID resolves a volume reference to its id.
func volumeID(ctx context.Context, d compute.Driver, ref string) (string, error) {
	v, err := resolveVolume(ctx, d, ref)
	if err != nil {
		return "", err
	}
	return v.ID, nil
}

// snapshotID resolves a snapshot reference to its id.
func snapshotID(ctx context.Context, d compute.Driver, ref string) (string, error) {
	snaps, err := compute.ListVolumeSnapshots(ctx, d, "")
	if err != nil {
		return "", err
	}
	s, err := pick("snapshot", ref, snaps,
		func(s *compute.VolumeSnapshot) string { return s.ID },
		func(s *compute.VolumeSnapshot) string { return s.Name })
	if err != nil {
		return "", err
	}
	return s.ID, nil
}

// fetchFunc reads something from a driver.
type fetchFunc[T any] func(ctx context.Context, d compute.Driver) (T, error)

// showOne connects, runs fetch and prints its one result.
func showOne[T any](env *cliEnv, cmd *cobra.Command, cols []column[T], fetch fetchFunc[T]) error {
	ctx, d, err := env.connect(cmd)
	if err != nil {
		return err
	}
	v, err := fetch(ctx, d)
	if err != nil {
		return err
	}
	return renderOne(env, v, cols)
}

// showList connects, runs fetch and prints the list it returns.
func showList[T any](env *cliEnv, cmd *cobra.Command, cols []column[T], fetch fetchFunc[[]T]) error {
	ctx, d, err := env.connect(cmd)
	if err != nil {
		return err
	}
	items, err := fetch(ctx, d)
	if err != nil {
		return err
	}
	return renderList(env, items, cols)
}

// newListCmd returns a `list` subcommand that prints what fetch returns.
func newListCmd[T any](env *cliEnv, short, example string, cols []column[T], fetch fetchFunc[[]T]) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   short,
		Example: example,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return showList(env, cmd, cols, fetch)
		},
	}
}
