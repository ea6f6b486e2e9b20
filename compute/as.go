package compute

// Unwrapper is implemented by drivers that wrap another driver (for logging,
// metrics, caching). As walks through them.
type Unwrapper interface {
	// Unwrap returns the wrapped driver.
	Unwrap() Driver
}

// As returns d, or the first driver it wraps (through Unwrap), that has type
// T. Use it to reach a provider's concrete type for its Ex methods:
//
//	cs, ok := compute.As[*cloudstack.Driver](d)
//
// T may also be an interface, such as VolumeManager.
func As[T any](d Driver) (T, bool) {
	for d != nil {
		if t, ok := d.(T); ok {
			return t, true
		}
		u, ok := d.(Unwrapper)
		if !ok {
			break
		}
		d = u.Unwrap()
	}
	var zero T
	return zero, false
}
