package main

import (
	"github.com/spf13/cobra"
)

// newCompletionCmd returns `goclouds completion SHELL`, cobra's shell
// completion scripts.
func newCompletionCmd(env *cliEnv) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Print the completion script for a shell. Load it in the current shell,
or install it where your shell looks for completions.`,
		Example: `  source <(goclouds completion bash)
  goclouds completion zsh > "${fpath[1]}/_goclouds"
  goclouds completion fish > ~/.config/fish/completions/goclouds.fish`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(env.stdout, true)
			case "zsh":
				return root.GenZshCompletion(env.stdout)
			case "fish":
				return root.GenFishCompletion(env.stdout, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(env.stdout)
			}
			return usageErrorf("unsupported shell %q: want bash, zsh, fish or powershell", args[0])
		},
	}
}
