package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
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

// newActionCmd returns the command for a. It resolves every argument
// first, so that an unknown one fails the command before anything is
// touched; then it acts on each resource in turn, going on after a
// failure, and reports each as it is done: a table or CSV row per resource
// as it happens (failures also on stderr), or, for JSON and YAML, an array
// of results at the end. The exit code is the worst outcome's.
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
			var ids []string
			for _, ref := range args {
				id, err := a.resolve(ctx, d, ref)
				if err != nil {
					return err
				}
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			out := newActionStream(env, a.kind, ids)
			var worst error
			for _, id := range ids {
				err := doWithProgress(env, a.verb+" "+a.kind+" "+id, func() error { return a.do(ctx, d, id) })
				if err != nil && (len(ids) == 1 || ctx.Err() != nil) {
					// One resource, or interrupted: the error is the
					// command's (the rest is left alone).
					_ = out.finish()
					return err
				}
				res := actionResult{Kind: a.kind, ID: id, Action: a.done}
				if err != nil {
					res.Action, res.Error = "failed", env.scrubber.scrub(oneLine(err.Error()))
					fmt.Fprintf(env.stderr, "goclouds: %s %s %s: %s\n", a.verb, a.kind, id, res.Error)
					if worst == nil || exitCode(err) > exitCode(worst) {
						worst = err
					}
				}
				if err := out.add(res); err != nil {
					return err
				}
			}
			if err := out.finish(); err != nil {
				return err
			}
			if worst != nil {
				return &reportedError{code: exitCode(worst)}
			}
			return nil
		},
	}
}

// actionStream prints the results of an action command: table and CSV rows
// as they come, JSON and YAML as one array at the end.
type actionStream struct {
	env     *cliEnv
	results []actionResult
	csv     *csv.Writer
	widths  [2]int // of the KIND and ID table columns
	started bool
}

// newActionStream prepares the output for acting on ids of kind.
func newActionStream(env *cliEnv, kind string, ids []string) *actionStream {
	s := &actionStream{env: env, widths: [2]int{max(len("KIND"), len(kind)), len("ID")}}
	for _, id := range ids {
		s.widths[1] = max(s.widths[1], len(tableCell(id)))
	}
	if env.flags.output == outputCSV {
		s.csv = csv.NewWriter(env.stdout)
	}
	return s
}

// add records a result and prints it at once in table and CSV output.
func (s *actionStream) add(r actionResult) error {
	s.results = append(s.results, r)
	switch s.env.flags.output {
	case outputJSON, outputYAML:
		return nil
	case outputCSV:
		if !s.started {
			_ = s.csv.Write([]string{"kind", "id", "action"})
		}
		s.started = true
		_ = s.csv.Write([]string{r.Kind, r.ID, r.Action})
		s.csv.Flush()
		return s.csv.Error()
	}
	var err error
	if !s.started {
		_, err = fmt.Fprintf(s.env.stdout, "%-*s  %-*s  %s\n", s.widths[0], "KIND", s.widths[1], "ID", "ACTION")
	}
	s.started = true
	if err == nil {
		_, err = fmt.Fprintf(s.env.stdout, "%-*s  %-*s  %s\n", s.widths[0], tableCell(r.Kind), s.widths[1], tableCell(r.ID), tableCell(r.Action))
	}
	return err
}

// finish prints the JSON or YAML array.
func (s *actionStream) finish() error {
	switch s.env.flags.output {
	case outputJSON, outputYAML:
		return renderList(s.env, s.results, actionColumns)
	}
	return nil
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
