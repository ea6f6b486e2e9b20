package simkit

import (
	"context"
	"sync"
	"time"
)

// Latency holds a delay per action; the action "" is the delay of actions
// without their own. It is safe for concurrent use; the zero value has no
// delays.
type Latency struct {
	mu     sync.Mutex
	delays map[string]time.Duration
}

// Set delays requests for action by d; d <= 0 removes the action's delay.
func (l *Latency) Set(action string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d <= 0 {
		delete(l.delays, action)
		return
	}
	if l.delays == nil {
		l.delays = make(map[string]time.Duration)
	}
	l.delays[action] = d
}

// For returns the delay of action.
func (l *Latency) For(action string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d, ok := l.delays[action]; ok {
		return d
	}
	return l.delays[""]
}

// Wait sleeps for action's delay; it returns false when ctx ends first (the
// client went away and the request should be abandoned).
func (l *Latency) Wait(ctx context.Context, action string) bool {
	d := l.For(action)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
