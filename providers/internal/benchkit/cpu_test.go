//go:build unix

package benchkit

import "testing"

// TestCPUTimeAdvances: CPU time grows over busy work.
func TestCPUTimeAdvances(t *testing.T) {
	start := CPUTime()
	x := 0
	for i := 0; CPUTime()-start <= 0 && i < 1e9; i++ {
		x += i
	}
	if CPUTime() <= start {
		t.Errorf("CPU time did not advance (%d)", x)
	}
}
