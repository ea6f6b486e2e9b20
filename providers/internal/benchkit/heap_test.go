package benchkit

import (
	"runtime"
	"testing"
)

// TestPeakHeapSeesLiveAllocation: a function that holds 64 MiB while it
// runs peaks at least that far above the heap before it, and one that
// allocates nothing stays far below.
func TestPeakHeapSeesLiveAllocation(t *testing.T) {
	const size = 64 << 20
	var keep []byte
	big := PeakHeap(func() {
		keep = make([]byte, size)
		keep[size-1] = 1
	})
	runtime.KeepAlive(keep)
	if big < size {
		t.Errorf("peak %d bytes holding %d", big, size)
	}
	small := PeakHeap(func() {})
	if small >= size/4 {
		t.Errorf("peak %d bytes allocating nothing", small)
	}
}
