package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
)

func newKeyPairsCmd(env *cliEnv) *cobra.Command {
	list := newListCmd(env, "List SSH key pairs",
		`  goclouds keypairs list
  goclouds keypairs list -o json`,
		keyPairColumns, func(ctx context.Context, d compute.Driver) ([]*compute.KeyPair, error) {
			kps, err := compute.ListKeyPairs(ctx, d)
			return withoutPrivateKeys(kps), err
		})

	var privateKeyFile string
	create := &cobra.Command{
		Use:   "create NAME --private-key-file PATH",
		Short: "Create a key pair and save its private key",
		Long: `Create a key pair. The provider returns the private key once and keeps
no copy: it is written to --private-key-file (mode 0600, never over an
existing file, which is created before the key pair), or alone to stdout
with --private-key-file - . It is never part of the printed key pair.`,
		Example: `  goclouds keypairs create deploy --private-key-file ~/.ssh/deploy.pem
  goclouds keypairs create deploy --private-key-file - > deploy.pem`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if privateKeyFile == "" {
				return usageErrorf("keypairs create needs --private-key-file PATH (or - for stdout): the private key cannot be fetched again")
			}
			sink, err := openSecretSink(env, "private-key-file", privateKeyFile)
			if err != nil {
				return err
			}
			kp, err := createKeyPair(env, cmd, args[0])
			if err != nil {
				sink.discard()
				return err
			}
			if err := sink.write(env, "the private key of key pair "+kp.Name, kp.PrivateKey); err != nil || sink.toStdout() {
				return err
			}
			return renderOne(env, withoutPrivateKeys([]*compute.KeyPair{kp})[0], keyPairColumns)
		},
	}
	create.Flags().StringVarP(&privateKeyFile, "private-key-file", "f", "", "where to write the private key (- for stdout)")

	var publicKey, publicKeyFile string
	imp := &cobra.Command{
		Use:   "import NAME --public-key-file PATH",
		Short: "Import an existing OpenSSH public key",
		Example: `  goclouds keypairs import laptop --public-key-file ~/.ssh/id_ed25519.pub
  goclouds keypairs import laptop --public-key "ssh-ed25519 AAAA... me@laptop"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (publicKey == "") == (publicKeyFile == "") {
				return usageErrorf("keypairs import needs exactly one of --public-key-file or --public-key")
			}
			return showOne(env, cmd, keyPairColumns, func(ctx context.Context, d compute.Driver) (*compute.KeyPair, error) {
				var kp *compute.KeyPair
				var err error
				if publicKeyFile != "" {
					kp, err = compute.ImportKeyPairFromFile(ctx, d, args[0], expandHome(env, publicKeyFile))
				} else {
					kp, err = compute.ImportKeyPair(ctx, d, args[0], strings.TrimSpace(publicKey))
				}
				if err != nil {
					return nil, err
				}
				return withoutPrivateKeys([]*compute.KeyPair{kp})[0], nil
			})
		},
	}
	imp.Flags().StringVar(&publicKeyFile, "public-key-file", "", "OpenSSH public key file")
	imp.Flags().StringVar(&publicKey, "public-key", "", "OpenSSH public key text")

	del := newActionCmd(env, actionSpec{
		kind: "keypair", verb: "delete", done: "deleted",
		short: "Delete key pairs, by name",
		example: `  goclouds keypairs delete deploy
  goclouds keypairs delete old1 old2`,
		resolve: func(ctx context.Context, d compute.Driver, ref string) (string, error) {
			kp, err := resolveKeyPair(ctx, d, ref)
			if err != nil {
				return "", err
			}
			return kp.Name, nil
		},
		do:      compute.DeleteKeyPair,
	})
	return newGroupCmd("keypairs", "Manage SSH key pairs",
		`  goclouds keypairs import laptop --public-key-file ~/.ssh/id_ed25519.pub
  goclouds keypairs create deploy --private-key-file deploy.pem
  goclouds keypairs delete deploy`, list, create, imp, del)
}

// createKeyPair creates the key pair, which must come with its private key.
func createKeyPair(env *cliEnv, cmd *cobra.Command, name string) (*compute.KeyPair, error) {
	ctx, d, err := env.connect(cmd)
	if err != nil {
		return nil, err
	}
	kp, err := compute.CreateKeyPair(ctx, d, name)
	if err != nil {
		return nil, err
	}
	if kp.PrivateKey == "" {
		return nil, fmt.Errorf("the %s provider returned no private key for key pair %q", d.Provider(), name)
	}
	return kp, nil
}
