package realclient

import (
	"os"
	"testing"
)

// Missing ends the test because what (a client or server) is not
// installed: a failure naming the Debian package pkg in CI (the CI
// variable set), a skip elsewhere.
func Missing(t testing.TB, what, pkg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required in CI (apt-get install %s; see .ci/run)", what, pkg)
	}
	t.Skipf("%s not found (apt-get install %s)", what, pkg)
}
