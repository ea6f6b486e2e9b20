package openstack

import "time"

// SetResizePoll shortens ResizeNode's poll for tests; it returns the old value.
func SetResizePoll(d time.Duration) time.Duration {
	old := resizePoll
	resizePoll = d
	return old
}
