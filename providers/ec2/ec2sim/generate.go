package ec2sim

//go:generate go run ./internal/opsdoc ../../../docs/simulator.md
