// Package simkit holds the test controls every goclouds API simulator
// shares: per-action request counters, queues of injected faults, per-action
// latency, a fixed-window request throttle, and the net/http helpers that
// drop a connection before or after an answer. Each simulator keeps its own
// fault type (its error documents differ) and wraps these pieces in its own
// exported knobs (InjectFault, SetLatency, SetThrottle, RequestCount...).
package simkit
