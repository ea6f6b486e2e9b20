package ec2

import (
	"context"
	"sync"
	"time"
)

// recentIDs remembers the instances this driver created lately, so that
// calls about them ride out EC2's eventual consistency: for a few seconds
// after RunInstances, other calls may answer InvalidInstanceID.NotFound
// for the new id.
type recentIDs struct {
	mu  sync.Mutex
	ids map[string]time.Time // instance id → when it was created
}

func newRecentIDs() *recentIDs { return &recentIDs{ids: map[string]time.Time{}} }

// add records that id was created now, forgetting expired entries.
func (r *recentIDs) add(id string, ttl time.Duration) {
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, t := range r.ids {
		if now.Sub(t) > ttl {
			delete(r.ids, k)
		}
	}
	r.ids[id] = now
}

// deadline returns until when calls about id should retry a not-found
// answer; ok is false for an id not created lately.
func (r *recentIDs) deadline(id string, ttl time.Duration) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.ids[id]
	if !ok || time.Since(t) > ttl {
		return time.Time{}, false
	}
	return t.Add(ttl), true
}

// consistent runs call and, while it fails with InvalidInstanceID.NotFound
// for an instance this driver created less than ConsistencyTimeout ago,
// runs it again with a growing pause (50 ms doubling to 1 s), until the
// instance shows or the timeout passes. Other errors return at once.
func (d *Driver) consistent(ctx context.Context, id string, call func() error) error {
	err := call()
	if err == nil || d.settings.ConsistencyTimeout < 0 || errorCode(err) != "InvalidInstanceID.NotFound" {
		return err
	}
	deadline, ok := d.recent.deadline(id, d.settings.ConsistencyTimeout)
	if !ok {
		return err
	}
	pause := 50 * time.Millisecond
	for time.Now().Before(deadline) {
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if err = call(); err == nil || errorCode(err) != "InvalidInstanceID.NotFound" {
			return err
		}
		pause = min(2*pause, time.Second)
	}
	return err
}
