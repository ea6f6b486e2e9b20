package ec2sim

import (
	"fmt"
	"net/netip"
	"sort"
	"time"
)

// state is the simulated account in one region. It is guarded by Server.mu.
type state struct {
	region string
	seq    uint64
	ips    uint32 // public addresses handed out

	instances    map[string]*instance
	reservations map[string]*reservation
	tokens       map[string]string // RunInstances client token → reservation id
	images       map[string]*image
	keyPairs     map[string]*keyPair // by name
	groups       map[string]*securityGroup
	volumes      map[string]*volume
	snapshots    map[string]*snapshot
	addresses    map[string]*address // by allocation id
	vpcs         map[string]*vpc
	subnets      map[string]*subnet
	enis         map[string]*eni
	tags         map[string]map[string]string // resource id → key → value
	created      map[string]time.Time         // resource id → creation, for stable listing order
	moving       map[string]bool              // resources with a pending transition
}

// newID returns a fresh id such as "i-0123456789abcdef0".
func (st *state) newID(prefix string, now time.Time) string {
	st.seq++
	x := st.seq*0x9e3779b97f4a7c15 ^ uint64(now.UnixNano())
	x ^= x >> 31
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 29
	id := fmt.Sprintf("%s-0%016x", prefix, x)
	st.created[id] = now.Add(time.Duration(st.seq)) // strictly increasing
	return id
}

// sortedIDs returns the keys of a resource map in creation order.
func sortedIDs[T any](st *state, m map[string]T) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return st.createdBefore(ids[a], ids[b]) })
	return ids
}

// createdBefore reports whether resource a comes before b in listing
// order: creation time, then id.
func (st *state) createdBefore(a, b string) bool {
	ta, tb := st.created[a], st.created[b]
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a < b
}

// nextPublicIP returns a fresh public IPv4 address (from 54.160.0.0/11).
func (st *state) nextPublicIP() string {
	st.ips++
	base := netip.MustParseAddr("54.160.0.10").As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	n += st.ips
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}).String()
}

// tagList returns a resource's tags as a TagList value, sorted by key.
func (st *state) tagList(id string) []M {
	t := st.tags[id]
	if len(t) == 0 {
		return nil
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]M, 0, len(keys))
	for _, k := range keys {
		out = append(out, M{"Key": k, "Value": t[k]})
	}
	return out
}

// setTags adds or replaces tags of a resource.
func (st *state) setTags(id string, tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	if st.tags[id] == nil {
		st.tags[id] = make(map[string]string)
	}
	for k, v := range tags {
		st.tags[id][k] = v
	}
}

// forget drops a deleted resource's tags and bookkeeping.
func (st *state) forget(id string) {
	delete(st.tags, id)
	delete(st.created, id)
	delete(st.moving, id)
}

// advance completes the transitions that are due at now and forgets
// instances terminated longer than ttl ago.
func (st *state) advance(now time.Time, ttl time.Duration) {
	for id := range st.moving {
		done := true
		if in := st.instances[id]; in != nil {
			done = in.advance(st, now, ttl)
		} else if v := st.volumes[id]; v != nil {
			done = v.advance(st, now)
		} else if sn := st.snapshots[id]; sn != nil {
			done = sn.advance(now)
		}
		if done {
			delete(st.moving, id)
		}
	}
}
