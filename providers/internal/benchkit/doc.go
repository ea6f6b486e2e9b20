// Package benchkit holds what the providers' benchmarks measure with: the
// process's CPU time and the peak of the live heap while a function runs.
// Their simulators run in a child process, so both are the client's alone.
package benchkit
