package simkit

import "sync"

// Counters counts requests per action name; it is safe for concurrent use.
// The zero value is ready to use.
type Counters struct {
	mu     sync.Mutex
	counts map[string]int
}

// Record counts one request for action.
func (c *Counters) Record(action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	c.counts[action]++
}

// Count returns how many requests for action were recorded.
func (c *Counters) Count(action string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[action]
}

// Snapshot returns a copy of every counter.
func (c *Counters) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}

// Reset sets every counter to zero.
func (c *Counters) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = nil
}
