// Package coverage measures how much of the CloudStack API (the 4.18
// listApis spec) the cloudstack driver and the simulator cover, and renders
// docs/cloudstack-coverage.md.
//
// The data comes from the code, never from a hand-kept list:
//
//   - The simulator's commands are its registry, through
//     cloudstacksim.ImplementedCommands.
//   - The driver's commands are found by a source scan ([ScanDriver]): every
//     string literal of a non-test file of package cloudstack that is
//     exactly a command name of the spec belongs to the function, method or
//     package-level variable that holds it; the commands of an exported
//     method of *Driver are those of everything it reaches through the
//     package's functions, methods and variables. A literal that is only
//     compared (==, !=, a switch case) is a test of a command, not a send,
//     and does not count. Commands sent by the transport itself (the job
//     polling of package csapi) are scanned the same way in
//     internal/csapi and reported apart.
//
// A source scan needs no server and sees every path of a method, including
// the ones a test run does not take; it may over-approximate (a helper
// reached by several methods lends them all its commands). The spec
// parameter test of package cloudstack runs every method against the
// simulator and checks that each command a method actually sends is one the
// scan found, so a command passed in a way the scan cannot see (built at run
// time, spelled in another case) fails that test instead of silently
// vanishing from the report.
package coverage
