package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
)

// The block storage commands: volumes and snapshots. Drivers without volume
// support fail with "not supported" (exit code 1).

func newVolumesCmd(env *cliEnv) *cobra.Command {
	list := newListCmd(env, "List volumes",
		`  goclouds volumes list
  goclouds volumes list -o json`,
		volumeColumns, compute.ListVolumes)

	var (
		sizeGB             int
		location, snapshot string
	)
	create := &cobra.Command{
		Use:   "create NAME --size GB",
		Short: "Create a volume",
		Example: `  goclouds volumes create data1 --size 20
  goclouds volumes create restored --snapshot nightly --location zone1`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if sizeGB < 0 || (sizeGB == 0 && snapshot == "") {
				return usageErrorf("volumes create needs --size GB (positive) or --snapshot")
			}
			return showOne(env, cmd, volumeColumns, func(ctx context.Context, d compute.Driver) (*compute.Volume, error) {
				loc, err := resolveLocation(ctx, d, location)
				if err != nil {
					return nil, err
				}
				snapID := ""
				if snapshot != "" {
					if snapID, err = snapshotID(ctx, d, snapshot); err != nil {
						return nil, err
					}
				}
				req := &compute.CreateVolumeRequest{Name: args[0], Size: sizeGB, Location: loc, SnapshotID: snapID}
				return withProgress(env, "creating volume "+args[0], func() (*compute.Volume, error) {
					return compute.CreateVolume(ctx, d, req)
				})
			})
		},
	}
	create.Flags().IntVar(&sizeGB, "size", 0, "size in GB")
	create.Flags().StringVar(&location, "location", "", "location id or name")
	create.Flags().StringVar(&snapshot, "snapshot", "", "create the volume from this snapshot (id or name)")

	var device string
	attach := &cobra.Command{
		Use:   "attach VOLUME NODE",
		Short: "Attach a volume to a node (each by id or name)",
		Example: `  goclouds volumes attach data1 web1
  goclouds volumes attach data1 web1 --device 2`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showOne(env, cmd, actionColumns, func(ctx context.Context, d compute.Driver) (actionResult, error) {
				v, err := resolveVolume(ctx, d, args[0])
				if err != nil {
					return actionResult{}, err
				}
				n, err := resolveNode(ctx, d, args[1])
				if err != nil {
					return actionResult{}, err
				}
				err = doWithProgress(env, "attaching volume "+v.ID, func() error {
					return compute.AttachVolume(ctx, d, v.ID, n.ID, device)
				})
				return actionResult{Kind: "volume", ID: v.ID, Action: "attached"}, err
			})
		},
	}
	attach.Flags().StringVar(&device, "device", "", "device (for CloudStack the numeric device id); default: the provider's choice")

	detach := newVolumeActionCmd(env, "detach", "detached", "Detach volumes from their node", compute.DetachVolume)
	destroy := newVolumeActionCmd(env, "destroy", "destroyed", "Destroy volumes", compute.DestroyVolume)
	return newGroupCmd("volumes", "Manage block storage volumes",
		`  goclouds volumes create data1 --size 20
  goclouds volumes attach data1 web1
  goclouds volumes detach data1
  goclouds volumes destroy data1`, list, create, attach, detach, destroy)
}

// newVolumeActionCmd returns `goclouds volumes <verb> VOLUME...`.
func newVolumeActionCmd(env *cliEnv, verb, done, short string, do func(context.Context, compute.Driver, string) error) *cobra.Command {
	return newActionCmd(env, actionSpec{
		kind: "volume", verb: verb, done: done,
		short: short + ", by id or by name",
		example: `  goclouds volumes ` + verb + ` data1
  goclouds volumes ` + verb + ` 0c5a1e7e-... -o json`,
		resolve: volumeID,
		do:      do,
	})
}

func newSnapshotsCmd(env *cliEnv) *cobra.Command {
	var volume string
	list := newListCmd(env, "List volume snapshots",
		`  goclouds snapshots list
  goclouds snapshots list --volume data1`,
		snapshotColumns, func(ctx context.Context, d compute.Driver) ([]*compute.VolumeSnapshot, error) {
			id := ""
			if volume != "" {
				var err error
				if id, err = volumeID(ctx, d, volume); err != nil {
					return nil, err
				}
			}
			return compute.ListVolumeSnapshots(ctx, d, id)
		})
	list.Flags().StringVar(&volume, "volume", "", "only the snapshots of this volume (id or name)")

	var name string
	create := &cobra.Command{
		Use:   "create VOLUME",
		Short: "Snapshot a volume (by id or name)",
		Example: `  goclouds snapshots create data1
  goclouds snapshots create data1 --name before-upgrade`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showOne(env, cmd, snapshotColumns, func(ctx context.Context, d compute.Driver) (*compute.VolumeSnapshot, error) {
				id, err := volumeID(ctx, d, args[0])
				if err != nil {
					return nil, err
				}
				return withProgress(env, "snapshotting volume "+id, func() (*compute.VolumeSnapshot, error) {
					return compute.CreateVolumeSnapshot(ctx, d, id, name)
				})
			})
		},
	}
	create.Flags().StringVar(&name, "name", "", "snapshot name (default: the provider's)")

	destroy := newActionCmd(env, actionSpec{
		kind: "snapshot", verb: "destroy", done: "destroyed",
		short: "Delete snapshots, by id or by name",
		example: `  goclouds snapshots destroy 3f2a8c1e-...
  goclouds snapshots destroy before-upgrade`,
		resolve: snapshotID,
		do:      compute.DestroyVolumeSnapshot,
	})
	return newGroupCmd("snapshots", "Manage volume snapshots",
		`  goclouds snapshots create data1 --name nightly
  goclouds snapshots list --volume data1
  goclouds snapshots destroy nightly`, list, create, destroy)
}
