//go:build !unix

package main

import "os"

// lockFile checks that path can be created; without flock, concurrent
// invocations are not serialised (the state file is still replaced
// atomically, so it is never torn).
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	return func() {}, nil
}
