package cloudstacksim

// PanicCount returns how many handler panics the server recovered; tests
// assert that it stays zero.
func (s *Server) PanicCount() int64 { return s.panics.Load() }
