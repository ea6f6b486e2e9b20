// Package computetest is the conformance suite every goclouds provider must
// pass, in the manner of go-cloud's drivertest and the standard library's
// testing/fstest.
//
// A provider's test supplies a [HarnessMaker]; the suite calls it for every
// subtest and asks the [Harness] for a driver, for [Fixtures] (valid image,
// size and location ids, poll interval and timeout) and for its
// [Capabilities]:
//
//	func TestConformance(t *testing.T) {
//		computetest.RunConformanceTests(t, func(ctx context.Context, t *testing.T) (computetest.Harness, error) {
//			return &harness{}, nil
//		}, nil)
//	}
//
// Capabilities are declared, never inferred from ErrNotSupported, so that a
// capability that breaks fails the suite instead of being skipped. The
// suite checks, among others ([SubtestNames] lists them all):
//
//   - the catalogue: locations, images and sizes are non-empty, with unique,
//     stable ids that include the fixtures; GetImage agrees with ListImages;
//   - the node life cycle: a created node appears in ListNodes and GetNode
//     with the name asked for, reaches running (WaitForState and
//     WaitUntilRunning, with an address), reboots, stops and starts (if
//     declared), and after DestroyNode is gone: GetNode and DestroyNode give
//     ErrNotFound naming the id;
//   - errors: missing ids give ErrNotFound with the id in the message;
//     unknown images, sizes or locations give ErrInvalidArgument or
//     ErrNotFound and create nothing; a password never appears in an error;
//     a cancelled or expired context gives context.Canceled or
//     context.DeadlineExceeded from every method; every error the driver
//     returns, in every subtest, is a *compute.Error of a known kind or a
//     context error;
//   - concurrency: parallel creates (with concurrent readers) are race-free
//     under -race and give distinct ids;
//   - values: drivers return copies; nodes have valid states and addresses
//     and never nil address lists;
//   - every declared optional interface, with round trips: volumes (create,
//     attach, detach, destroy), resize, snapshots (and volumes from them),
//     key pairs (generated keys parse and match their fingerprints; imports
//     keep the key), images (create from a node, create a node from it,
//     delete).
//
// Waits poll every Fixtures.WaitInterval up to Fixtures.WaitTimeout, so the
// same suite runs against an in-memory driver, a simulator with
// asynchronous jobs, or a live cloud. Each subtest cleans up what it
// created.
//
// The suite imports only compute and types from goclouds: it never imports
// a provider.
package computetest
