package main

import (
	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/providers"
)

// The read-only catalog commands: images, sizes, locations, providers.

func newImagesCmd(env *cliEnv) *cobra.Command {
	var location string
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the images nodes can be created from",
		Example: `  goclouds images list
  goclouds images list --location zone1 -o csv`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			loc, err := resolveLocation(ctx, d, location)
			if err != nil {
				return err
			}
			images, err := d.ListImages(ctx, loc)
			if err != nil {
				return err
			}
			return renderList(env, images, imageColumns)
		},
	}
	list.Flags().StringVar(&location, "location", "", "only images usable in this location (id or name)")
	get := &cobra.Command{
		Use:   "get IMAGE",
		Short: "Show an image, by id or by name",
		Example: `  goclouds images get "Ubuntu 22.04"
  goclouds images get 7e1f3c0a-... -o json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			img, err := resolveImage(ctx, d, args[0], nil)
			if err != nil {
				return err
			}
			return renderOne(env, img, imageColumns)
		},
	}
	return newGroupCmd("images", "List and show images (templates)",
		`  goclouds images list
  goclouds images get "Ubuntu 22.04" -o yaml`, list, get)
}

func newSizesCmd(env *cliEnv) *cobra.Command {
	var location string
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List node sizes (service offerings)",
		Example: `  goclouds sizes list
  goclouds sizes list -o json | jq '.[] | select(.ram >= 2048)'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			loc, err := resolveLocation(ctx, d, location)
			if err != nil {
				return err
			}
			sizes, err := d.ListSizes(ctx, loc)
			if err != nil {
				return err
			}
			return renderList(env, sizes, sizeColumns)
		},
	}
	list.Flags().StringVar(&location, "location", "", "only sizes offered in this location (id or name)")
	return newGroupCmd("sizes", "List node sizes",
		`  goclouds sizes list`, list)
}

func newLocationsCmd(env *cliEnv) *cobra.Command {
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List locations (zones)",
		Example: `  goclouds locations list
  goclouds locations list -o yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, d, err := env.connect(cmd)
			if err != nil {
				return err
			}
			locs, err := d.ListLocations(ctx)
			if err != nil {
				return err
			}
			return renderList(env, locs, locationColumns)
		},
	}
	return newGroupCmd("locations", "List locations",
		`  goclouds locations list`, list)
}

func newProvidersCmd(env *cliEnv) *cobra.Command {
	list := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the available providers and the settings each needs",
		Example: `  goclouds providers list
  goclouds providers list -o json`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			var rows []providerRow
			for _, p := range providers.Providers() {
				needs := requiredSettings(p)
				if needs == nil {
					needs = []string{}
				}
				rows = append(rows, providerRow{Name: p, Needs: needs})
			}
			return renderList(env, rows, providerColumns)
		},
	}
	return newGroupCmd("providers", "List providers",
		`  goclouds providers list`, list)
}

// providerNames lists the registered providers, for shell completion.
func providerNames() []string {
	var names []string
	for _, p := range providers.Providers() {
		names = append(names, string(p))
	}
	return names
}
