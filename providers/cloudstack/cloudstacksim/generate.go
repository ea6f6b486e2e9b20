package cloudstacksim

//go:generate go run ./internal/simdoc ../../../docs/simulator.md
