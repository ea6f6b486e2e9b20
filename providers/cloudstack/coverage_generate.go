package cloudstack

// docs/cloudstack-coverage.md: which CloudStack commands have typed methods
// and which the simulator implements; coverage_test.go fails when it is
// stale.
//go:generate go run ./internal/coveragegen
