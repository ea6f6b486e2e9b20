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
