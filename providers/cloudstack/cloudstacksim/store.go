package cloudstacksim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// base is embedded in every simulated entity: its UUID, a creation sequence
// number that orders lists the way the server's "ORDER BY id" does, its
// creation time and the async job currently running on it, if any.
type base struct {
	id      string
	seq     uint64
	created time.Time
	pending *job
}

// meta returns the entity's common fields.
func (b *base) meta() *base { return b }

// entity is anything a uuid parameter can name.
type entity interface{ meta() *base }

// table is an ordered index of one kind of entity: a map by id plus a slice in
// creation order (sorted by seq), so lists iterate in the server's order
// without sorting and removal is O(log n) to find plus one copy.
type table[T entity] struct {
	byID map[string]T
	list []T
}

func newTable[T entity]() table[T] { return table[T]{byID: make(map[string]T)} }

// insert adds v, which must be newer than every entity in the table.
func (t *table[T]) insert(v T) {
	t.byID[v.meta().id] = v
	t.list = append(t.list, v)
}

// get returns the entity with id, if any.
func (t *table[T]) get(id string) (T, bool) {
	v, ok := t.byID[id]
	return v, ok
}

// remove deletes the entity with id, if present.
func (t *table[T]) remove(id string) {
	v, ok := t.byID[id]
	if !ok {
		return
	}
	delete(t.byID, id)
	seq := v.meta().seq
	i := sort.Search(len(t.list), func(i int) bool { return t.list[i].meta().seq >= seq })
	if i < len(t.list) && t.list[i].meta().seq == seq {
		copy(t.list[i:], t.list[i+1:])
		var zero T
		t.list[len(t.list)-1] = zero
		t.list = t.list[:len(t.list)-1]
	}
}

// len returns the number of entities.
func (t *table[T]) len() int { return len(t.list) }

// drop removes the entity with id from t, with its tags.
func drop[T entity](st *state, t *table[T], id string) {
	t.remove(id)
	delete(st.tags, id)
}

// dropWhere removes the entities of t that match, with their tags.
func dropWhere[T entity](st *state, t *table[T], match func(T) bool) {
	for _, e := range slices.Clone(t.list) {
		if match(e) {
			drop(st, t, e.meta().id)
		}
	}
}

// newUUID returns a random (version 4) UUID in the lower-case form the
// server's uuid parameters require.
func newUUID() string {
	hi, lo := rand.Uint64(), rand.Uint64()
	hi = (hi &^ (0xf << 12)) | (4 << 12)
	lo = (lo &^ (0x3 << 62)) | (0x2 << 62)
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, (hi>>16)&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// isUUID reports whether s matches the server's UUID pattern
// ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ (lower case only).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

// dateLayout is the server's date format, yyyy-MM-dd'T'HH:mm:ssZ.
const dateLayout = "2006-01-02T15:04:05-0700"

// fmtDate formats t as the server writes dates.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}
