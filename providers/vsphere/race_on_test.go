//go:build race

package vsphere_test

// raceEnabled reports a -race build: vcsim v0.52.0 has a data race of its
// own between concurrent VM Destroy tasks (Registry.RemoveReference against
// Datastore.resolve), which the detector reports in the parallel-create
// conformance test.
const raceEnabled = true
