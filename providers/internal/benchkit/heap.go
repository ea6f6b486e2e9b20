package benchkit

import (
	"runtime"
	"sync/atomic"
	"time"
)

// PeakHeap runs f and returns the peak of the live heap above the heap
// before it (after a GC), sampled every millisecond and at the end, before
// any result of f is dropped.
func PeakHeap(f func()) uint64 {
	runtime.GC()
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := heap()
	var peak atomic.Uint64
	note := func() {
		if h := heap(); h > base && h-base > peak.Load() {
			peak.Store(h - base)
		}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				note()
			}
		}
	}()
	f()
	note()
	close(done)
	<-stopped
	return peak.Load()
}
