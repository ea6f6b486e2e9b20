package openstacksim

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// state is everything the simulator remembers; Server.mu guards it.
type state struct {
	s          *Server
	projects   []*project
	users      []*user
	adminUser  *user
	memberUser *user
	tokens     map[string]*token

	flavors    []*flavor
	images     []*image
	keypairs   []*keypair
	servers    []*server // in creation order
	volumes    []*volume
	snapshots  []*snapshot
	networks   []*network
	subnets    []*subnet
	ports      []*port
	secgroups  []*secgroup
	floatingIP []*floatingIP

	pending []*transition
	seq     int
}

// transition is a state change due at a time (the end of a task state).
type transition struct {
	at    time.Time
	seq   int
	apply func()
}

// schedule runs apply once the transition delay has passed.
func (st *state) schedule(apply func()) {
	st.seq++
	st.pending = append(st.pending, &transition{at: st.s.now().Add(st.s.TransitionDelay()), seq: st.seq, apply: apply})
}

// settle applies every transition due by now, in order (applying one may
// schedule more).
func (st *state) settle(now time.Time) {
	for {
		sort.SliceStable(st.pending, func(i, j int) bool {
			if !st.pending[i].at.Equal(st.pending[j].at) {
				return st.pending[i].at.Before(st.pending[j].at)
			}
			return st.pending[i].seq < st.pending[j].seq
		})
		if len(st.pending) == 0 || st.pending[0].at.After(now) {
			return
		}
		t := st.pending[0]
		st.pending = st.pending[1:]
		t.apply()
	}
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// newHexID returns a random 32-hex-digit id (Keystone's style).
func newHexID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// isoTime formats t as Nova and Neutron do ("2006-01-02T15:04:05Z").
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// microTime formats t with microseconds (Keystone's and Cinder's style).
func microTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// nullable returns nil for "" (JSON null) and s otherwise.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// paginate returns the items after marker (by id) up to limit, whether a
// next page may exist, and an error for an unknown marker.
func paginate[T any](items []T, id func(T) string, marker string, limit int) ([]T, bool, bool) {
	start := 0
	if marker != "" {
		found := false
		for i, it := range items {
			if id(it) == marker {
				start, found = i+1, true
				break
			}
		}
		if !found {
			return nil, false, false
		}
	}
	items = items[start:]
	if limit > 0 && len(items) > limit {
		return items[:limit], true, true
	}
	if limit > 0 && len(items) == limit {
		return items, true, true
	}
	return items, false, true
}
