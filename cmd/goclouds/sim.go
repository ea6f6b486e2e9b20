package main

import "github.com/spf13/cobra"

// newSimCmd returns `goclouds sim`. (placeholder, replaced with the simulator)
func newSimCmd(env *cliEnv) *cobra.Command {
	return &cobra.Command{Use: "sim", Short: "Serve the CloudStack API simulator"}
}
