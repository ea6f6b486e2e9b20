package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/dummy"
	"github.com/goclouds/goclouds/types"
)

// envStateFile names the dummy provider's state file, as --state-file does.
const envStateFile = "GOCLOUDS_STATE_FILE"

// noStateFile, given as the state file, keeps nothing: every run starts
// from a fresh dummy cloud.
const noStateFile = "-"

// stateFile returns the dummy provider's state file: --state-file, else
// GOCLOUDS_STATE_FILE, else goclouds/dummy-state.json in the user's cache
// directory. It returns "" when nothing is to be kept (--state-file -, or no
// cache directory: no HOME).
func (env *cliEnv) stateFile() string {
	path := first(env.flagValue("state-file", env.flags.stateFile), env.envValue(envStateFile)).v
	switch path {
	case noStateFile:
		return ""
	case "":
		dir := env.userCacheDir()
		if dir == "" {
			return ""
		}
		return filepath.Join(dir, "goclouds", "dummy-state.json")
	}
	return expandHome(env, path)
}

// userCacheDir is os.UserCacheDir read from the CLI's environment (so that
// tests choose it): "" when it cannot be found.
func (env *cliEnv) userCacheDir() string {
	home := env.getenv("HOME")
	switch runtime.GOOS {
	case "windows":
		return env.getenv("LocalAppData")
	case "darwin", "ios":
		if home == "" {
			return ""
		}
		return filepath.Join(home, "Library", "Caches")
	}
	if dir := env.getenv("XDG_CACHE_HOME"); filepath.IsAbs(dir) {
		return dir
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".cache")
}

// keepDummyState restores d's state from the state file and saves it back
// when the command ends, holding the file's lock meanwhile so that
// concurrent invocations take turns instead of losing each other's changes.
// It does nothing for another provider, or when nothing is to be kept.
func (env *cliEnv) keepDummyState(p types.Provider, drv compute.Driver) error {
	d, ok := compute.As[*dummy.Driver](drv)
	if !ok || p != types.ProviderDummy {
		return nil
	}
	path := env.stateFile()
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return configErrorf("dummy state file: %v", err)
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return configErrorf("dummy state file: %v", err)
	}
	doc, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		unlock()
		return configErrorf("dummy state file: %v", err)
	default:
		if err := d.ExLoadState(bytes.NewReader(doc)); err != nil {
			unlock()
			return configErrorf("dummy state file %s: %v (start afresh with 'goclouds dummy reset')", path, err)
		}
	}
	env.onCleanup(func() {
		defer unlock()
		if err := saveState(d, path); err != nil {
			fmt.Fprintf(env.stderr, "goclouds: warning: the dummy cloud's state was not saved: %v\n", err)
		}
	})
	return nil
}

// saveState writes d's state to path atomically: to a temporary file in the
// same directory, then renamed over it.
func saveState(d *dummy.Driver, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := d.ExSaveState(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// newDummyCmd is `goclouds dummy`, the dummy provider's own commands.
func newDummyCmd(env *cliEnv) *cobra.Command {
	reset := &cobra.Command{
		Use:   "reset",
		Short: "Forget the dummy cloud's state: the next --provider dummy command starts afresh",
		Long: `The dummy provider (--provider dummy) keeps its cloud between invocations in
a state file: --state-file FILE, else GOCLOUDS_STATE_FILE, else
goclouds/dummy-state.json in the user's cache directory ($XDG_CACHE_HOME or
~/.cache on Linux). reset deletes it, so that the next command starts from the
two nodes and the catalogue of a new dummy driver.`,
		Example: `  goclouds dummy reset
  goclouds dummy reset --state-file ./tour.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := env.stateFile()
			if path == "" {
				fmt.Fprintln(env.stdout, "no state file: nothing to reset")
				return nil
			}
			unlock, err := lockFile(path + ".lock")
			if err != nil {
				if errors.Is(err, os.ErrNotExist) {
					fmt.Fprintf(env.stdout, "no state at %s\n", path)
					return nil
				}
				return err
			}
			defer unlock()
			switch err := os.Remove(path); {
			case errors.Is(err, os.ErrNotExist):
				fmt.Fprintf(env.stdout, "no state at %s\n", path)
			case err != nil:
				return err
			default:
				fmt.Fprintf(env.stdout, "removed %s\n", path)
			}
			return nil
		},
	}
	return newGroupCmd("dummy", "The dummy provider's state file", "  goclouds dummy reset", reset)
}
