package coverage

import (
	"errors"
	"os"
	"path/filepath"
)

// RepoRoot returns the nearest directory at or above dir that holds
// go.mod: the repository root, whatever directory a generator or a test
// runs in.
func RepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("coverage: no go.mod above " + dir)
		}
		dir = parent
	}
}
