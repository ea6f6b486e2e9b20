package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers"
	"github.com/goclouds/goclouds/types"
)

// The read-only catalog commands: images, sizes, locations, providers.

func newImagesCmd(env *cliEnv) *cobra.Command {
	var location string
	list := newListCmd(env, "List the images nodes can be created from",
		`  goclouds images list
  goclouds images list --location zone1 -o csv`,
		imageColumns, func(ctx context.Context, d compute.Driver) ([]*compute.Image, error) {
			loc, err := resolveLocation(ctx, d, location)
			if err != nil {
				return nil, err
			}
			return d.ListImages(ctx, loc)
		})
	list.Flags().StringVar(&location, "location", "", "only images usable in this location (id or name)")
	get := &cobra.Command{
		Use:   "get IMAGE",
		Short: "Show an image, by id or by name",
		Example: `  goclouds images get "Ubuntu 22.04"
  goclouds images get 7e1f3c0a-... -o json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return showOne(env, cmd, imageColumns, func(ctx context.Context, d compute.Driver) (*compute.Image, error) {
				return resolveImage(ctx, d, args[0], nil)
			})
		},
	}
	return newGroupCmd("images", "List and show images (templates)",
		`  goclouds images list
  goclouds images get "Ubuntu 22.04" -o yaml`, list, get)
}

func newSizesCmd(env *cliEnv) *cobra.Command {
	var location string
	list := newListCmd(env, "List node sizes (service offerings)",
		`  goclouds sizes list
  goclouds sizes list -o json | jq '.[] | select(.ram >= 2048)'`,
		sizeColumns, func(ctx context.Context, d compute.Driver) ([]*compute.Size, error) {
			loc, err := resolveLocation(ctx, d, location)
			if err != nil {
				return nil, err
			}
			return d.ListSizes(ctx, loc)
		})
	list.Flags().StringVar(&location, "location", "", "only sizes offered in this location (id or name)")
	return newGroupCmd("sizes", "List node sizes", `  goclouds sizes list`, list)
}

func newLocationsCmd(env *cliEnv) *cobra.Command {
	list := newListCmd(env, "List locations (zones)",
		`  goclouds locations list
  goclouds locations list -o yaml`,
		locationColumns, func(ctx context.Context, d compute.Driver) ([]*compute.Location, error) {
			return d.ListLocations(ctx)
		})
	return newGroupCmd("locations", "List locations", `  goclouds locations list`, list)
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
				if env, ok := providerEnvironment[p]; ok {
					needs = env
				}
				if needs == nil {
					needs = []string{}
				}
				rows = append(rows, providerRow{Name: p, Needs: needs})
			}
			return renderList(env, rows, providerColumns)
		},
	}
	return newGroupCmd("providers", "List providers", `  goclouds providers list`, list)
}

// providerEnvironment lists, for providers that read their own ecosystem's
// variables when the CLI gives no credentials, the variables they need.
var providerEnvironment = map[types.Provider][]string{
	types.ProviderVSphere:   {"GOVC_URL", "GOVC_USERNAME", "GOVC_PASSWORD"},
	types.ProviderOpenStack: {"OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME"},
	types.ProviderEC2:       {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"},
}

// providerNames lists the registered providers, for shell completion.
func providerNames() []string {
	var names []string
	for _, p := range providers.Providers() {
		names = append(names, string(p))
	}
	return names
}
