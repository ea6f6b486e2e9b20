package main

import (
	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
)

// newNodesResizeCmd returns `goclouds nodes resize NODE --size SIZE`.
func newNodesResizeCmd(env *cliEnv) *cobra.Command {
	var size string
	cmd := &cobra.Command{
		Use:   "resize NODE --size SIZE",
		Short: "Give a node another size",
		Long: `Give a node (by id or name) another size (by id or name), on providers
that can (compute.NodeResizer). CloudStack changes the service offering of a
stopped node, and scales a running one up when its template allows it;
otherwise stop the node first. Prints the node.`,
		Example: `  goclouds nodes resize web1 --size Medium`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if size == "" {
				return usageErrorf("nodes resize needs --size (see 'goclouds sizes list')")
			}
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			r, ok := compute.As[compute.NodeResizer](d)
			if !ok {
				return compute.Errorf(d.Provider(), "ResizeNode", args[0], compute.ErrNotSupported, "the %s provider cannot resize nodes", d.Provider())
			}
			n, err := resolveNode(ctx, d, args[0])
			if err != nil {
				return err
			}
			s, err := resolveSize(ctx, d, size, n.Location)
			if err != nil {
				return err
			}
			n, err = withProgress(env, "resizing node "+n.ID, func() (*compute.Node, error) {
				return r.ResizeNode(ctx, n.ID, s)
			})
			if err != nil {
				return err
			}
			return renderOne(env, withoutNodeSecrets([]*compute.Node{n})[0], nodeColumns)
		},
	}
	cmd.Flags().StringVar(&size, "size", "", "size id or name (required)")
	return cmd
}
