package ec2

// Regenerate docs/ec2-coverage.md's tables: which EC2 operations have a
// typed driver method, which the simulator implements.
//go:generate go run ./internal/coveragegen . ../../docs/ec2-coverage.md
