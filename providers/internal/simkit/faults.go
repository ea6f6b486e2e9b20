package simkit

import "sync"

// FaultQueue holds injected faults of a simulator's own fault type F, queued
// per action; the action "" applies to every action. It is safe for
// concurrent use; the zero value is ready to use.
type FaultQueue[F any] struct {
	mu     sync.Mutex
	queues map[string][]*pending[F]
}

type pending[F any] struct {
	fault F
	times int // remaining uses; 0 means until Clear
}

// Push queues f for action; it affects the next times requests (every
// request until Clear when times <= 0). Faults of one action apply in the
// order they were pushed.
func (q *FaultQueue[F]) Push(action string, f F, times int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queues == nil {
		q.queues = make(map[string][]*pending[F])
	}
	if times < 0 {
		times = 0
	}
	q.queues[action] = append(q.queues[action], &pending[F]{fault: f, times: times})
}

// Take returns the first fault queued for action, else the first queued for
// every action (""), and consumes one of its uses.
func (q *FaultQueue[F]) Take(action string) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, key := range []string{action, ""} {
		list := q.queues[key]
		if len(list) == 0 {
			continue
		}
		p := list[0]
		if p.times > 0 {
			p.times--
			if p.times == 0 {
				q.queues[key] = list[1:]
			}
		}
		return p.fault, true
	}
	var zero F
	return zero, false
}

// Clear removes every queued fault.
func (q *FaultQueue[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queues = nil
}
