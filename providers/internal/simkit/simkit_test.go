package simkit

import (
	"testing"
	"time"
)

func TestFaultQueueTimes(t *testing.T) {
	var q FaultQueue[string]
	q.Push("a", "first", 1)
	q.Push("", "any", 0)
	if f, ok := q.Take("a"); !ok || f != "first" {
		t.Fatalf("got %q %v", f, ok)
	}
	if f, ok := q.Take("a"); !ok || f != "any" {
		t.Fatalf("after use, got %q %v", f, ok)
	}
	q.Clear()
	if _, ok := q.Take("a"); ok {
		t.Fatal("fault after Clear")
	}
}

func TestLimiterWindow(t *testing.T) {
	var l Limiter
	l.Set(Throttle{Max: 2, Interval: time.Minute})
	now := time.Unix(0, 0)
	for i := 0; i < 2; i++ {
		if _, limited := l.Allow("k", now); limited {
			t.Fatal("limited too early")
		}
	}
	if wait, limited := l.Allow("k", now.Add(time.Second)); !limited || wait != 59*time.Second {
		t.Fatalf("third: %v %v", wait, limited)
	}
	if _, limited := l.Allow("other", now); limited {
		t.Fatal("keys share a window")
	}
	if _, limited := l.Allow("k", now.Add(time.Minute)); limited {
		t.Fatal("window did not reset")
	}
	if l.Refused() != 1 {
		t.Fatalf("refused %d, want 1", l.Refused())
	}
	l.ResetRefused()
	if l.Refused() != 0 {
		t.Fatal("refused after reset")
	}
}

// TestLimiterFixedWindow pins the window semantics CloudStack's
// api-rate-limit plugin has (and cloudstacksim's 429 texts show): the window
// starts at a key's first request, does not slide, and the wait is the time
// left in it.
func TestLimiterFixedWindow(t *testing.T) {
	var l Limiter
	l.Set(Throttle{Max: 1, Interval: 10 * time.Second})
	start := time.Unix(100, 0)
	if _, limited := l.Allow("a", start.Add(3*time.Second)); limited {
		t.Fatal("first request limited")
	}
	wait, limited := l.Allow("a", start.Add(12*time.Second))
	if !limited || wait != time.Second {
		t.Fatalf("9 s into the window: %v %v, want limited with 1 s left", wait, limited)
	}
	if _, limited := l.Allow("a", start.Add(13*time.Second)); limited {
		t.Fatal("a refused request extended the window")
	}
	l.Set(Throttle{})
	for i := 0; i < 5; i++ {
		if _, limited := l.Allow("a", start); limited {
			t.Fatal("zero Throttle limits")
		}
	}
}

func TestCountersAndLatency(t *testing.T) {
	var c Counters
	c.Record("x")
	c.Record("x")
	if c.Count("x") != 2 || c.Snapshot()["x"] != 2 {
		t.Fatal("counts")
	}
	c.Reset()
	if c.Count("x") != 0 {
		t.Fatal("reset")
	}
	var l Latency
	l.Set("", time.Second)
	l.Set("a", 2*time.Second)
	if l.For("a") != 2*time.Second || l.For("b") != time.Second {
		t.Fatal("latency lookup")
	}
}
