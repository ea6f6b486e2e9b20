package vsphere_test

import (
	"context"
	"errors"
	"testing"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25/mo"

	"github.com/goclouds/goclouds/compute"
	"github.com/goclouds/goclouds/providers/vsphere"
)

// otherSessions returns the keys of the sessions other than the test's
// admin session.
func (s *sim) otherSessions(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	sm := session.NewManager(s.client.Client)
	mine, err := sm.UserSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var o mo.SessionManager
	if err := s.client.PropertyCollector().RetrieveOne(ctx, sm.Reference(), []string{"sessionList"}, &o); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, us := range o.SessionList {
		if us.Key != mine.Key {
			keys = append(keys, us.Key)
		}
	}
	return keys
}

func TestSessionReloginAndLogout(t *testing.T) {
	s := newSim(t, nil)
	clearGOVC(t)
	d, err := vsphere.New(s.options())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.otherSessions(t)); n != 0 {
		t.Fatalf("a new driver holds %d sessions; it must log in lazily", n)
	}
	ctx := t.Context()
	if _, err := d.ListLocations(ctx); err != nil {
		t.Fatal(err)
	}
	first := s.otherSessions(t)
	if len(first) != 1 {
		t.Fatalf("after one call the driver holds %d sessions, want 1", len(first))
	}

	// The server ends the session (as an idle timeout or an administrator
	// would): the next calls log in again, once.
	if err := session.NewManager(s.client.Client).TerminateSession(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := d.ListNodes(ctx); err != nil {
			t.Fatalf("ListNodes after the session was terminated: %v", err)
		}
	}
	second := s.otherSessions(t)
	if len(second) != 1 || second[0] == first[0] {
		t.Fatalf("sessions after the re-login: %v (first %v), want one new session", second, first)
	}

	if err := d.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if left := s.otherSessions(t); len(left) != 0 {
		t.Errorf("Close left sessions %v", left)
	}
	if _, err := d.ListNodes(ctx); !errors.Is(err, compute.ErrInvalidArgument) {
		t.Errorf("ListNodes after Close: %v, want ErrInvalidArgument", err)
	}
}
